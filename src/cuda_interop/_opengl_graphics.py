# SPDX-License-Identifier: Apache-2.0
"""The application's GL objects in CUDA: registered once, mapped on a stream for a scope."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Literal, TypeVar

import cuda_interop._core as _core

from ._device import Device, DeviceLike, device_ordinal
from ._formats import format_of
from ._handles import flag
from ._lifecycle import Owner
from ._mapped_buffer import MappedBuffer
from ._mipmapped_array import MappedMipmappedArray
from ._opengl_sync import gl_name
from ._stream import StreamLike, stream_handle

View = TypeVar("View", bound=Owner[Any])

TARGETS = {
    "2d": 0x0DE1, "2d_array": 0x8C1A, "3d": 0x806F, "rectangle": 0x84F5, "cube": 0x8513,
    "renderbuffer": 0x8D41,
}
"""The image targets CUDA registers (GL_TEXTURE_2D ... GL_RENDERBUFFER)."""


def _register_flags(read_only: bool, write_discard: bool, surface_load_store: bool = False,
                    texture_gather: bool = False) -> int:
    return (1 * flag(read_only, "read_only") | 2 * flag(write_discard, "write_discard")
            | 4 * flag(surface_load_store, "surface_load_store")
            | 8 * flag(texture_gather, "texture_gather"))


def _device(device: DeviceLike) -> int:
    return -1 if device is None else device_ordinal(device)


class GraphicsResource(Owner[_core.GLGraphicsResource]):
    """A GL buffer, texture or renderbuffer registered with CUDA.

    Made by :func:`register_buffer` / :func:`register_texture` while the object's context is
    current. ``close()`` unregisters it (that context must be current again, and the resource not
    mapped); :meth:`map` gives a :class:`Mapping` for a scope.
    """

    __slots__ = ()

    @property
    def gl_name(self) -> int:
        """The GL object's name."""
        return int(self._live().gl_name)

    @property
    def is_buffer(self) -> bool:
        """True for a buffer, False for a texture or renderbuffer."""
        return bool(self._live().is_buffer)

    @property
    def target(self) -> int:
        """The GL target of an image (0 for a buffer)."""
        return int(self._live().target)

    @property
    def device(self) -> Device:
        """The CUDA device the object is registered on (the GPU its context renders on)."""
        return Device(int(self._live().device))

    @property
    def mapped(self) -> bool:
        """True while a :class:`Mapping` holds the resource."""
        return bool(self._live().mapped)

    def map(self, stream: StreamLike = None) -> Mapping:
        """Map this resource alone on `stream` (see :func:`map`)."""
        return map_resources([self], stream)

    def close(self) -> None:
        """Unregister (``cudaGraphicsUnregisterResource``); idempotent.

        Raises
        ------
        ValueError
            The resource is mapped (unmap first).
        opengl.ContextError
            Its GL context is not current on this thread.
        """
        native = self._native
        if native is not None:
            native.unregister()
        self._native = None

    def __repr__(self) -> str:
        if self.closed:
            return "opengl.GraphicsResource(closed)"
        kind = "buffer" if self.is_buffer else f"image target={self.target:#x}"
        return f"opengl.GraphicsResource({kind} {self.gl_name}, device={self.device.ordinal})"


class Mapping(Owner[_core.GLMapping]):
    """Registered GL objects mapped together on a stream (``cudaGraphicsMapResources``).

    While mapped, CUDA owns the objects: GL must not use them. :meth:`buffer` and :meth:`array`
    give the package's ordinary views (DLPack, ``__cuda_array_interface__``, levels, surface and
    texture objects). :meth:`unmap` (or leaving the ``with`` block) hands them back to GL and
    closes every view it gave: using one afterwards raises ``ClosedError``. Arrays made from the
    views by other libraries (e.g. ``torch.from_dlpack``) must not be used after the unmap.
    """

    __slots__ = ("_formats", "_lock", "_stream", "_views")

    def __init__(self, native: _core.GLMapping, formats: list[Any], stream: int) -> None:
        super().__init__(native)
        self._formats = formats
        self._stream = stream
        self._views: list[Owner[Any]] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._live())

    @property
    def mapped(self) -> bool:
        """True until :meth:`unmap`."""
        return self._native is not None and bool(self._native.mapped)

    def _index(self, index: Any) -> int:
        if isinstance(index, bool) or (not isinstance(index, int) and \
                not hasattr(index, "__index__")):
            raise TypeError(f"index must be an int, got {type(index).__name__}")
        value = int(index.__index__())
        if not 0 <= value < len(self._formats):
            raise ValueError(f"index must be in [0, {len(self._formats)}), got {value}")
        return value

    def _keep(self, view: View) -> View:
        with self._lock:
            self._views.append(view)
        return view

    def buffer(self, index: int = 0) -> MappedBuffer:
        """Resource `index`'s buffer as linear device memory (zero copy), valid until unmap."""
        native = self._live()
        return self._keep(MappedBuffer(native.buffer(self._index(index)), 0))

    def array(self, index: int = 0) -> MappedMipmappedArray:
        """Resource `index`'s texture as a CUDA mipmapped array (levels, surfaces, textures),
        valid until unmap."""
        native = self._live()
        position = self._index(index)
        return self._keep(MappedMipmappedArray(native.mipmapped_array(position),
                                               self._formats[position]))

    def unmap(self, stream: StreamLike = None) -> None:
        """Hand the objects back to GL (``cudaGraphicsUnmapResources`` on `stream`, by default
        the stream they were mapped on): GL commands issued afterwards see CUDA's work on it.
        Closes every view this mapping gave. Idempotent."""
        native = self._native
        if native is None:
            return
        handle = self._stream if stream is None else stream_handle(stream)
        native.unmap(handle)
        with self._lock:
            views, self._views = self._views, []
        for view in views:
            view.close()

    def close(self) -> None:
        """Unmap (on the mapping's stream) and release; idempotent."""
        self.unmap()
        super().close()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> Literal[False]:
        self.close()
        return False

    def __repr__(self) -> str:
        if self.closed:
            return "opengl.Mapping(closed)"
        return f"opengl.Mapping({len(self._formats)} resource(s), mapped={self.mapped})"


def register_buffer(buffer: Any, *, read_only: bool = False, write_discard: bool = False,
                    device: DeviceLike = None) -> GraphicsResource:
    """Register a GL buffer of the current context with CUDA (``cudaGraphicsGLRegisterBuffer``).

    `buffer` is a GL name, or an object with ``.glo`` (moderngl) or ``.name``. `device` None
    registers on the GPU the context renders on; another device is refused, naming both.

    Raises
    ------
    opengl.ContextError
        No OpenGL context is current on this thread.
    ValueError
        Not a buffer of the current context, conflicting flags, or another GPU's device.
    CudaError
        CUDA refused (no driver here gives ``cudaErrorNoDevice`` / ``InsufficientDriver``).
    """
    name = gl_name(buffer, "buffer")
    flags = _register_flags(read_only, write_discard)
    return GraphicsResource(_core.gl_register_buffer(name, flags, _device(device)))


def register_texture(texture: Any, target: str | int = "2d", *, read_only: bool = False,
                     write_discard: bool = False, surface_load_store: bool = False,
                     texture_gather: bool = False, device: DeviceLike = None) \
        -> GraphicsResource:
    """Register a GL texture or renderbuffer with CUDA (``cudaGraphicsGLRegisterImage``).

    `target` is one of :data:`TARGETS` ("2d", "2d_array", "3d", "rectangle", "cube",
    "renderbuffer") or a GL enum. The format must be R, RG or RGBA of 8, 16 or 32 bits; levels
    and layers are read from GL. `surface_load_store` lets kernels write through surface objects.
    """
    name = gl_name(texture, "texture")
    if isinstance(target, str):
        if target not in TARGETS:
            raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
        target_value = TARGETS[target]
    else:
        target_value = gl_name(target, "target")
    flags = _register_flags(read_only, write_discard, surface_load_store, texture_gather)
    return GraphicsResource(_core.gl_register_image(name, target_value, flags, _device(device)))


def map_resources(resources: Iterable[GraphicsResource], stream: StreamLike = None) -> Mapping:
    """Map registered resources together on `stream` (one ``cudaGraphicsMapResources``).

    CUDA work on `stream` after this sees what GL did before it. Use the result as a context
    manager: ``with opengl.map_resources([a, b], s) as m: m.buffer(0), m.array(1)``.

    Raises
    ------
    ValueError
        A resource is mapped already, listed twice, or of another device (named by index).
    ClosedError
        A resource was closed (unregistered).
    """
    if isinstance(resources, GraphicsResource):
        resources = [resources]
    items = list(resources) if isinstance(resources, Iterable) else None
    if items is None:
        raise TypeError(f"resources must be an iterable of GraphicsResource, got "
                        f"{type(resources).__name__}")
    natives = []
    formats: list[Any] = []
    for i, resource in enumerate(items):
        if not isinstance(resource, GraphicsResource):
            raise TypeError(f"resources[{i}] must be an opengl.GraphicsResource, got "
                            f"{type(resource).__name__}")
        native = resource._live()
        natives.append(native)
        layout = None if native.is_buffer else native.layout
        formats.append(None if layout is None else
                       format_of(layout.kind, layout.bits, layout.channels))
    handle = stream_handle(stream)
    return Mapping(_core.gl_map(natives, handle), formats, handle)


def context_devices() -> list[Device]:
    """The CUDA devices the current GL context renders on (``cudaGLGetDevices``); empty for a
    context of no NVIDIA GPU (Mesa's llvmpipe)."""
    return [Device(int(ordinal)) for ordinal in _core.gl_context_devices()]
