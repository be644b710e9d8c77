# SPDX-License-Identifier: Apache-2.0
"""GL memory objects, buffers and textures on memory the package shares (GL_EXT_memory_object)."""

from __future__ import annotations

from typing import Any, Union

import numpy as np
import numpy.typing as npt

import cuda_interop._core as _core

from ._handles import flag, host_source, host_target, integer
from ._lifecycle import Owner
from ._opengl_formats import GlFormat, format_of_layout, gl_format
from ._opengl_native import _opengl

GL_TEXTURE_2D = 0x0DE1
GL_TEXTURE_2D_ARRAY = 0x8C1A
GL_TEXTURE_3D = 0x806F
_TARGETS = {"2d": GL_TEXTURE_2D, "2d_array": GL_TEXTURE_2D_ARRAY, "3d": GL_TEXTURE_3D}

MemorySource = Union[_core.MemoryShare, "MemoryObject", Any]


class MemoryObject(Owner[Any]):
    """A GL memory object (``glCreateMemoryObjectsEXT``) holding imported memory.

    It belongs to the context that was current at import; close it (and the buffers and textures
    made on it) while that context is current. A GL object dropped while its context is not
    current is not deleted (a ``ResourceWarning`` says so): deleting it in another context would
    delete that context's object of the same name.
    """

    __slots__ = ()

    @property
    def name(self) -> int:
        """The GL memory object name."""
        return int(self._live().name)

    @property
    def size(self) -> int:
        """Bytes of the imported allocation."""
        return int(self._live().size)

    @property
    def dedicated(self) -> bool:
        """True when the memory is a dedicated allocation (GL_DEDICATED_MEMORY_OBJECT_EXT)."""
        return bool(self._live().dedicated)

    def __repr__(self) -> str:
        if self.closed:
            return "opengl.MemoryObject(closed)"
        return f"opengl.MemoryObject(name={self.name}, size={self.size})"


class Buffer(Owner[Any]):
    """A GL buffer whose storage is imported memory (``glBufferStorageMemEXT``).

    :attr:`name` is an ordinary GL buffer name: bind it, or wrap it, e.g.
    ``ctx.external_buffer(buf.name, buf.size)`` in moderngl or ``glBindBuffer`` in PyOpenGL.
    """

    __slots__ = ("_memory",)

    def __init__(self, native: Any, memory: MemoryObject) -> None:
        super().__init__(native)
        self._memory = memory

    @property
    def name(self) -> int:
        """The GL buffer name."""
        return int(self._live().name)

    @property
    def size(self) -> int:
        """The buffer's byte size."""
        return int(self._live().size)

    @property
    def offset(self) -> int:
        """Where the buffer starts in its memory object."""
        return int(self._live().offset)

    @property
    def memory(self) -> MemoryObject:
        """The memory object behind the buffer."""
        self._live()
        return self._memory

    def write(self, data: npt.ArrayLike | bytes, offset: int = 0) -> None:
        """Copy host bytes into the buffer at `offset` (``glBufferSubData``)."""
        self._live().write(host_source(data), integer(offset, "offset"))

    def read(self, size: int | None = None, offset: int = 0, *,
             out: npt.NDArray[Any] | None = None) -> npt.NDArray[Any]:
        """Copy bytes to the host (``glGetBufferSubData``): a new ``uint8`` array, or `out`."""
        native = self._live()
        offset = integer(offset, "offset")
        if out is None:
            count = int(native.size) - offset if size is None else integer(size, "size")
            if count <= 0:
                raise ValueError(f"size must be > 0, got {count}")
            out = np.empty(count, dtype=np.uint8)
        native.read(host_target(out), offset)
        return out

    def __repr__(self) -> str:
        if self.closed:
            return "opengl.Buffer(closed)"
        return f"opengl.Buffer(name={self.name}, size={self.size}, offset={self.offset})"


class Texture(Owner[Any]):
    """A GL texture whose storage is imported memory (``glTexStorageMem2DEXT`` / ``3DEXT``).

    :attr:`name` is an ordinary GL texture name (moderngl: ``ctx.external_texture``).
    """

    __slots__ = ("_format", "_memory")

    def __init__(self, native: Any, memory: MemoryObject, fmt: GlFormat) -> None:
        super().__init__(native)
        self._memory = memory
        self._format = fmt

    @property
    def name(self) -> int:
        """The GL texture name."""
        return int(self._live().name)

    @property
    def target(self) -> int:
        """GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY or GL_TEXTURE_3D."""
        return int(self._live().desc.target)

    @property
    def internal_format(self) -> str:
        """The GL sized internal format's name, e.g. "RGBA8"."""
        self._live()
        return self._format.name

    @property
    def size(self) -> tuple[int, int, int]:
        """(width, height, depth or layers)."""
        desc = self._live().desc
        return (int(desc.width), int(desc.height), int(desc.depth))

    @property
    def levels(self) -> int:
        """Mip levels."""
        return int(self._live().desc.levels)

    @property
    def memory(self) -> MemoryObject:
        """The memory object behind the texture."""
        self._live()
        return self._memory

    def __repr__(self) -> str:
        if self.closed:
            return "opengl.Texture(closed)"
        return (f"opengl.Texture(name={self.name}, {self.internal_format}, size={self.size}, "
                f"levels={self.levels})")


# -- Imports -----------------------------------------------------------------------------------
def _memory_share(source: Any, name: str = "source") -> _core.MemoryShare:
    """`source` as a MemoryShare: a share, or an exporter's new share (vulkan.Buffer/Image,
    SharedAllocation, d3d12 resources)."""
    if isinstance(source, _core.MemoryShare):
        return source
    export = getattr(source, "export_share", None)
    if callable(export):
        share = export()
        if isinstance(share, _core.MemoryShare):
            return share
    raise TypeError(f"{name} must be a MemoryShare, an exportable object (vulkan.Buffer, "
                    f"vulkan.Image, SharedAllocation) or an opengl.MemoryObject, got "
                    f"{type(source).__name__}")


def import_memory(source: MemorySource) -> MemoryObject:
    """Import shared memory into the current GL context as a memory object.

    `source` is a ``MemoryShare`` or an exportable object (its ``export_share()`` is called). An
    fd is duplicated for GL (GL owns the duplicate); the share keeps its own handle.

    Raises
    ------
    opengl.ContextError
        No OpenGL context is current on this thread.
    NotSupportedError
        The context lacks GL_EXT_memory_object or GL_EXT_memory_object_fd (_win32).
    ValueError
        The memory was exported by another device than the context's.
    """
    if isinstance(source, MemoryObject):
        source._live()
        return source
    return MemoryObject(_opengl.MemoryObject.import_share(_memory_share(source)))


def import_buffer(source: MemorySource, size: int | None = None, offset: int = 0) -> Buffer:
    """A GL buffer on `size` bytes (the rest by default) at `offset` of shared memory.

    `source` is a ``MemoryShare``, an exportable object or an :class:`MemoryObject` (several
    buffers may share one). See :func:`import_memory` for the errors.
    """
    memory = import_memory(source)
    size_value = 0 if size is None else integer(size, "size")
    if size is not None and size_value <= 0:
        raise ValueError(f"size must be > 0, got {size_value}")
    native = _opengl.GLBuffer.create(memory._live(), size_value, integer(offset, "offset"))
    return Buffer(native, memory)


def import_texture(source: MemorySource, *, internal_format: Any = None,
                   size: tuple[int, ...] | None = None, levels: int | None = None,
                   target: str | None = None, linear_tiling: bool = False,
                   offset: int = 0) -> Texture:
    """A GL texture on a shared image (``glTexStorageMem2DEXT`` / ``3DEXT``).

    From a ``vulkan.Image`` (or its share) everything is known: the format, size, levels and
    layers. Otherwise give them: `internal_format` ("RGBA8", "RGBA16F", a GL enum or a Vulkan
    name), `size` (width, height[, depth or layers]), `levels`, `target` ("2d", "2d_array",
    "3d"). `linear_tiling` must match how the image was made (Vulkan's tiling).
    """
    fmt, extent, levels_known, layered = _image_defaults(source)
    share_source: Any = source
    if internal_format is not None:
        fmt = gl_format(internal_format)
    if fmt is None:
        raise ValueError("internal_format is needed: the source does not say its format")
    if size is not None:
        extent = _size(size)
    if extent is None:
        raise ValueError("size is needed: the source does not say its extent")
    width, height, depth = extent
    if levels is not None:
        levels_known = integer(levels, "levels")
    kind = target if target is not None else ("2d_array" if layered else
                                              "3d" if depth > 1 else "2d")
    if kind not in _TARGETS:
        raise ValueError(f"target must be one of {', '.join(_TARGETS)}, got {kind!r}")
    desc = _opengl.TextureDesc(_TARGETS[kind], fmt.value, width, height, depth,
                               1 if levels_known is None else levels_known,
                               flag(linear_tiling, "linear_tiling"), integer(offset, "offset"))
    memory = import_memory(share_source)
    return Texture(_opengl.Texture.create(memory._live(), desc), memory, fmt)


def _size(size: Any) -> tuple[int, int, int]:
    if not isinstance(size, (tuple, list)) or not 2 <= len(size) <= 3:
        raise TypeError(f"size must be (width, height) or (width, height, depth), got {size!r}")
    values = [integer(value, "size") for value in size]
    return (values[0], values[1], values[2] if len(values) == 3 else 1)


def _image_defaults(source: Any) -> tuple[GlFormat | None, tuple[int, int, int] | None,
                                          int | None, bool]:
    """What the source says of its image: format, (width, height, depth/layers), levels,
    layered. The Vulkan format name wins over the CUDA layout (it tells UNORM from UINT)."""
    vk_format = getattr(source, "format", None) if not isinstance(source, _core.MemoryShare) \
        else None
    layout = source.image if isinstance(source, _core.MemoryShare) else None
    if layout is None and hasattr(source, "export_share") and hasattr(source, "levels"):
        layers = int(getattr(source, "layers", 1))
        width, height, depth = (int(v) for v in source.extent)
        fmt = gl_format(vk_format, "the image's format") if isinstance(vk_format, str) else None
        return fmt, (width, height, layers if layers > 1 else depth), int(source.levels), \
            layers > 1
    if layout is None:
        return None, None, None, False
    kind = str(layout.kind.name).lower()
    fmt = format_of_layout(int(layout.channels), int(layout.bits), kind)
    width, height, depth = (int(v) for v in layout.extent)
    layered = bool(int(layout.flags) & int(_core.ArrayFlags.LAYERED))
    return fmt, (width, max(height, 1), max(depth, 1)), int(layout.levels), layered
