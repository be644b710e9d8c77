# SPDX-License-Identifier: Apache-2.0
"""GL semaphores on shared ones (GL_EXT_semaphore, GL_NV_timeline_semaphore)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Union

import cuda_interop._core as _core

from ._handles import semaphore_value
from ._lifecycle import Owner
from ._opengl_native import _opengl

LAYOUTS = {
    "general": 0x958D,
    "color_attachment": 0x958E,
    "depth_stencil_attachment": 0x958F,
    "depth_stencil_read_only": 0x9590,
    "shader_read_only": 0x9591,
    "transfer_src": 0x9592,
    "transfer_dst": 0x9593,
    "depth_read_only_stencil_attachment": 0x9530,
    "depth_attachment_stencil_read_only": 0x9531,
}
"""The image layouts a texture can be in at a wait or signal (GL_LAYOUT_*_EXT)."""

GlObject = Union[int, Any]
TextureItem = Union[GlObject, tuple[GlObject, str]]


def gl_name(value: Any, name: str) -> int:
    """A GL object name: an int, an object with ``.name`` (this package's) or ``.glo``
    (moderngl's); TypeError or ValueError naming `name` otherwise."""
    for attribute in ("glo", "name"):
        candidate = getattr(value, attribute, None)
        if isinstance(candidate, int) and not isinstance(candidate, bool):
            value = candidate
            break
    if isinstance(value, bool) or (not isinstance(value, int) and not hasattr(value, "__index__")):
        raise TypeError(f"{name} must be a GL object name (int) or an object with .name or .glo, "
                        f"got {type(value).__name__}")
    number = int(value.__index__())
    if not 0 < number < 2**32:
        raise ValueError(f"{name} must be a GL name in [1, 2**32), got {number}")
    return number


def _barriers(buffers: Iterable[GlObject], textures: Iterable[TextureItem]) \
        -> tuple[list[int], list[tuple[int, int]]]:
    if isinstance(buffers, (str, bytes)) or not isinstance(buffers, Iterable):
        raise TypeError(f"buffers must be an iterable of GL buffers, got {type(buffers).__name__}")
    if isinstance(textures, (str, bytes)) or not isinstance(textures, Iterable):
        raise TypeError(f"textures must be an iterable of GL textures, got "
                        f"{type(textures).__name__}")
    names = [gl_name(buffer, f"buffers[{i}]") for i, buffer in enumerate(buffers)]
    pairs = []
    for i, item in enumerate(textures):
        layout = "general"
        if isinstance(item, tuple):
            if len(item) != 2:
                raise ValueError(f"textures[{i}] must be a texture or (texture, layout)")
            item, layout = item
        if layout not in LAYOUTS:
            raise ValueError(f"textures[{i}] layout must be one of {', '.join(LAYOUTS)}, got "
                             f"{layout!r}")
        pairs.append((gl_name(item, f"textures[{i}]"), LAYOUTS[layout]))
    return names, pairs


class Semaphore(Owner[Any]):
    """A GL semaphore holding an imported one: GL's command stream waits for it or signals it.

    Binary semaphores need GL_EXT_semaphore and GL_EXT_semaphore_fd (_win32); timelines need
    GL_NV_timeline_semaphore too (NVIDIA). Belongs to the context current at import.
    """

    __slots__ = ()

    @property
    def name(self) -> int:
        """The GL semaphore name."""
        return int(self._live().name)

    @property
    def timeline(self) -> bool:
        """True for a timeline semaphore."""
        return bool(self._live().timeline)

    @property
    def last_signalled(self) -> int:
        """The last value GL signalled through this object (timelines; 0 before any)."""
        return int(self._live().last_signalled)

    def wait(self, value: int = 0, *, buffers: Iterable[GlObject] = (),
             textures: Iterable[TextureItem] = ()) -> None:
        """GL commands issued after this wait for the semaphore (a timeline: for `value`).

        `buffers` and `textures` are the GL objects the other API wrote (made visible to GL);
        a texture is given with the layout the other API left it in, e.g.
        ``(tex, "color_attachment")`` (default "general").
        """
        number = semaphore_value(value)
        names, pairs = _barriers(buffers, textures)
        self._live().wait(number, names, pairs)

    def signal(self, value: int = 0, *, buffers: Iterable[GlObject] = (),
               textures: Iterable[TextureItem] = ()) -> None:
        """The semaphore is signalled (a timeline: set to `value`, which must exceed
        :attr:`last_signalled`) once GL's earlier commands complete; GL is flushed so the signal
        happens without a later GL call. Textures are given with the layout the other API will
        find them in."""
        number = semaphore_value(value)
        names, pairs = _barriers(buffers, textures)
        self._live().signal(number, names, pairs)

    def __repr__(self) -> str:
        if self.closed:
            return "opengl.Semaphore(closed)"
        kind = "timeline" if self.timeline else "binary"
        return f"opengl.Semaphore(name={self.name}, {kind})"


def import_semaphore(source: Any) -> Semaphore:
    """Import a shared semaphore into the current GL context.

    `source` is a ``SemaphoreShare`` or an object with ``export_share()`` (a
    ``vulkan.Semaphore``, a frame ring's timeline). An fd is duplicated for GL.

    Raises
    ------
    opengl.ContextError
        No OpenGL context is current on this thread.
    NotSupportedError
        The context lacks GL_EXT_semaphore / _fd, or GL_NV_timeline_semaphore for a timeline
        (Mesa's llvmpipe offers none of them).
    """
    share = source
    if not isinstance(share, _core.SemaphoreShare):
        export = getattr(source, "export_share", None)
        share = export() if callable(export) else None
        if not isinstance(share, _core.SemaphoreShare):
            raise TypeError(f"source must be a SemaphoreShare or an object with export_share() "
                            f"(vulkan.Semaphore), got {type(source).__name__}")
    return Semaphore(_opengl.Semaphore.import_share(share))
