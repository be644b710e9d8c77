# SPDX-License-Identifier: Apache-2.0
"""A GL renderer producing a frame ring on an NVIDIA GPU: 1,000 frames byte-exact through the
ring's timelines in one process, and frames across two processes (ipc)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from opengl_support import GL_SKIP, create_context

from cuda_interop import frames, ipc, opengl, vulkan

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(sys.platform == "win32", reason="passes file descriptors")]
if GL_SKIP is not None:
    pytest.skip(GL_SKIP, allow_module_level=True)
if not vulkan.available:
    pytest.skip(vulkan.unavailable_reason or "", allow_module_level=True)

NBYTES = 1 << 16
TIMEOUT = 60.0


def _frame(number: int) -> np.ndarray:
    """Frame `number`: every byte changes from one frame to the next."""
    return ((np.arange(NBYTES, dtype=np.uint32) * 7 + number * 13) & 0xFF).astype(np.uint8)


@pytest.fixture
def gl() -> Iterator[Any]:
    context = create_context()
    info = opengl.current_context()
    if not info.timeline_semaphores:
        context.release()
        pytest.skip(f"{info.renderer} lacks GL_EXT_semaphore_fd or GL_NV_timeline_semaphore")
    with context:
        yield context
    context.release()


def test_thousand_gl_frames_through_the_ring(gl: Any) -> None:
    staging = gl.buffer(reserve=NBYTES)
    with vulkan.Context(0) as vk:
        producer = opengl.FrameProducer(vk)
        with frames.FrameRing(producer, NBYTES, slots=3) as ring:
            wrapped = {b.name: gl.external_buffer(b.name, NBYTES) for b in ring._writer.buffers}
            for number in range(1, 1001):
                slot = ring.begin_write()
                assert slot.number == number
                staging.write(_frame(number).tobytes())
                producer.wait(slot)
                gl.copy_buffer(wrapped[slot.buffer.name], staging)
                producer.signal(slot)
                view = ring.read(timeout=TIMEOUT)
                out = view.copy_to_host(np.empty(NBYTES, np.uint8))
                assert np.array_equal(out, _frame(number)), f"frame {number}"
                ring.release()
    staging.release()


SENDER = textwrap.dedent("""
    import socket, sys
    import numpy as np
    import moderngl
    from cuda_interop import ipc, opengl, vulkan
    sock = socket.socket(fileno=int(sys.argv[1]))
    nbytes, count = int(sys.argv[2]), int(sys.argv[3])
    gl = moderngl.create_context(standalone=True, backend="egl", libgl="libGL.so.1",
                                 libegl="libEGL.so.1")
    staging = gl.buffer(reserve=nbytes)
    with vulkan.Context(0) as vk:
        producer = opengl.FrameProducer(vk)
        with ipc.FrameSender(sock, producer, nbytes, slots=3) as sender:
            wrapped = {}
            for _ in range(count):
                slot = sender.begin_write(timeout=60)
                data = (np.arange(nbytes, dtype=np.uint32) * 7 + slot.number * 13) & 0xFF
                staging.write(data.astype(np.uint8).tobytes())
                producer.wait(slot)
                name = slot.buffer.name
                wrapped.setdefault(name, gl.external_buffer(name, nbytes))
                gl.copy_buffer(wrapped[name], staging)
                producer.signal(slot)
            gl.finish()
""")


def test_gl_frames_across_processes(gl: Any) -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    sender = subprocess.Popen([sys.executable, "-c", SENDER, str(theirs.fileno()), str(NBYTES),
                               "200"], pass_fds=[theirs.fileno()])
    theirs.close()
    try:
        with ipc.FrameReceiver(ours, timeout=TIMEOUT) as receiver:
            for number in range(1, 201):
                view = receiver.read(timeout=TIMEOUT)
                out = view.copy_to_host(np.empty(NBYTES, np.uint8))
                assert np.array_equal(out, _frame(number)), f"frame {number}"
                receiver.release()
        assert sender.wait(timeout=TIMEOUT) == 0
    finally:
        ours.close()
        sender.kill()
