# SPDX-License-Identifier: Apache-2.0
"""A GL renderer as a frame producer: the ring's buffers and timelines are Vulkan objects of the
same GPU, imported into GL (GL cannot export), so CUDA gets GL's frames exactly as Vulkan's."""

from __future__ import annotations

from typing import Any

import cuda_interop._core as _core

from ._handles import instance, integer
from ._opengl_memory import Buffer, import_buffer
from ._opengl_sync import Semaphore, import_semaphore

# Mesa's llvmpipe pads GL buffers by 16 bytes past their end: the Vulkan buffer under a GL
# buffer is made this much larger (harmless elsewhere).
_SLACK = 256


class FrameBuffer:
    """A ring buffer: Vulkan memory (what CUDA imports) seen by GL as :attr:`gl`."""

    __slots__ = ("gl", "vulkan")

    def __init__(self, vulkan_buffer: Any, gl_buffer: Buffer) -> None:
        self.vulkan = vulkan_buffer
        self.gl = gl_buffer

    @property
    def name(self) -> int:
        """The GL buffer name (bind it, or ``ctx.external_buffer(buf.name, buf.size)``)."""
        return self.gl.name

    @property
    def size(self) -> int:
        """Bytes GL sees: the ring's slot size."""
        return self.gl.size

    def export_share(self) -> _core.MemoryShare:
        """The Vulkan memory's share descriptor (what CUDA imports)."""
        share: _core.MemoryShare = self.vulkan.export_share()
        return share

    def close(self) -> None:
        """Release the GL buffer (its context current) and the Vulkan buffer."""
        self.gl.close()
        self.vulkan.close()


class FrameTimeline:
    """A ring timeline: a Vulkan timeline semaphore that GL waits for and signals as :attr:`gl`."""

    __slots__ = ("gl", "vulkan")

    def __init__(self, vulkan_semaphore: Any, gl_semaphore: Semaphore) -> None:
        self.vulkan = vulkan_semaphore
        self.gl = gl_semaphore

    @property
    def value(self) -> int:
        """The counter as the device sees it now."""
        return int(self.vulkan.value)

    def wait(self, value: int, timeout: float | None = None) -> bool:
        """Wait on the host until the counter reaches `value`; False after `timeout` seconds."""
        return bool(self.vulkan.wait(value, timeout))

    def export_share(self) -> _core.SemaphoreShare:
        """The Vulkan semaphore's share descriptor (what CUDA imports)."""
        share: _core.SemaphoreShare = self.vulkan.export_share()
        return share

    def close(self) -> None:
        """Release the GL semaphore (its context current) and the Vulkan one."""
        self.gl.close()
        self.vulkan.close()


class FrameProducer:
    """Makes the current GL context a producer for ``frames.FrameRing`` and
    ``ipc.FrameSender``.

    >>> producer = opengl.FrameProducer(vk)                 # vk: vulkan.Context of GL's GPU
    >>> ring = frames.FrameRing(producer, shape=(1080, 1920, 4), dtype="uint8")
    >>> slot = ring.begin_write()
    >>> producer.wait(slot)                                 # GL waits until CUDA released it
    >>> ...GL writes slot.buffer.name (copy, compute, transform feedback, glReadPixels to PBO)...
    >>> producer.signal(slot)                               # GL signals the hand-off
    >>> frame = ring.read(stream)                           # CUDA, as with any producer

    The GL context current at construction must stay current while the ring is written and
    closed. Needs ``GL_EXT_memory_object_fd``, ``GL_EXT_semaphore_fd`` and
    ``GL_NV_timeline_semaphore`` (NVIDIA): without the last two, :meth:`create_frame_timeline`
    raises ``NotSupportedError``.
    """

    __slots__ = ("_vulkan",)

    def __init__(self, vulkan_context: Any) -> None:
        from .vulkan import Context

        self._vulkan = instance(vulkan_context, Context, "vulkan_context", "vulkan.Context")

    def create_frame_buffer(self, nbytes: int) -> FrameBuffer:
        """A Vulkan buffer of at least `nbytes`, imported into GL as a buffer of `nbytes`."""
        nbytes = integer(nbytes, "nbytes")
        if nbytes <= 0:
            raise ValueError(f"nbytes must be > 0, got {nbytes}")
        vulkan_buffer = self._vulkan.create_buffer(nbytes + _SLACK)
        try:
            return FrameBuffer(vulkan_buffer, import_buffer(vulkan_buffer, nbytes))
        except BaseException:
            vulkan_buffer.close()
            raise

    def create_frame_timeline(self) -> FrameTimeline:
        """A Vulkan timeline semaphore starting at 0, imported into GL."""
        semaphore = self._vulkan.create_semaphore(timeline=True)
        try:
            return FrameTimeline(semaphore, import_semaphore(semaphore))
        except BaseException:
            semaphore.close()
            raise

    @staticmethod
    def wait(slot: Any) -> None:
        """GL's later commands wait for the slot to be free (its ``slot.wait`` items)."""
        for timeline, value in slot.wait:
            timeline.gl.wait(value, buffers=[slot.buffer.gl])

    @staticmethod
    def signal(slot: Any) -> None:
        """GL signals the hand-off once its earlier commands are done (``slot.signal``), and
        flushes so that it reaches the GPU."""
        for timeline, value in slot.signal:
            timeline.gl.signal(value, buffers=[slot.buffer.gl])
