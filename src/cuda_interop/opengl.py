# SPDX-License-Identifier: Apache-2.0
"""The OpenGL producer: GL buffers, textures and semaphores on what the package shares.

>>> import moderngl
>>> from cuda_interop import opengl, vulkan
>>> gl = moderngl.create_context(standalone=True, backend="egl")   # current on this thread
>>> with vulkan.Context(0) as vk:
...     image = vk.create_image("R8G8B8A8_UNORM", 1920, 1080)
...     tex = opengl.import_texture(image)              # a GL texture on the image's memory
...     fbo = gl.framebuffer([gl.external_texture(tex.name, (1920, 1080), 4, 0, "f1")])
...     mem = image.to_cuda()                            # the same bytes in CUDA, zero copy

Both ways of sharing:

* **Register the application's GL objects** with CUDA (:func:`register_buffer`,
  :func:`register_texture`), then map them on a stream for a scope (:func:`map_resources`,
  ``GraphicsResource.map``): linear views for buffers, mipmapped arrays for textures.
* **GL imports what the package shares** (GL never exports memory, it imports it:
  ``GL_EXT_memory_object``): the package's Vulkan buffers and images, ``SharedAllocation`` and
  any ``MemoryShare`` become GL buffers and textures (:func:`import_buffer`,
  :func:`import_texture`), once, with nothing mapped or copied per frame. GL semaphores
  (``GL_EXT_semaphore``, :func:`import_semaphore`) order GL's work against CUDA's and Vulkan's.

Every call works on the OpenGL context current on the calling thread (made by moderngl, pyglet,
glfw, Qt ...; the package never creates one). GL entry points are found at run time through the
application's EGL, GLX or WGL: importing this module needs no display and no GL library.
:data:`available` is False only where cuda-interop was built without the producer.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ._core import ClosedError, NotSupportedError
from ._opengl_formats import FORMATS
from ._opengl_frames import FrameBuffer, FrameProducer, FrameTimeline
from ._opengl_graphics import (
    TARGETS,
    GraphicsResource,
    Mapping,
    context_devices,
    map_resources,
    register_buffer,
    register_texture,
)
from ._opengl_memory import (
    Buffer,
    MemoryObject,
    Texture,
    import_buffer,
    import_memory,
    import_texture,
)
from ._opengl_native import REASON as _REASON
from ._opengl_native import _opengl
from ._opengl_sync import LAYOUTS, Semaphore, import_semaphore

__all__ = [
    "LAYOUTS",
    "TARGETS",
    "Buffer",
    "ClosedError",
    "ContextError",
    "ContextInfo",
    "FrameBuffer",
    "FrameProducer",
    "FrameTimeline",
    "GraphicsResource",
    "Mapping",
    "MemoryObject",
    "NotSupportedError",
    "OpenGLError",
    "Semaphore",
    "Texture",
    "available",
    "context_devices",
    "current_context",
    "formats",
    "has_current_context",
    "import_buffer",
    "import_memory",
    "import_semaphore",
    "import_texture",
    "map_resources",
    "register_buffer",
    "register_texture",
    "unavailable_reason",
]

available: bool = _REASON is None
"""Whether the OpenGL producer was built (GL itself is looked for on use, in the application's
current context)."""

unavailable_reason: str | None = _REASON
"""Why :data:`available` is False, else None."""

if TYPE_CHECKING or available:
    OpenGLError = _opengl.OpenGLError
    """A GL call set a GL error (a ``RuntimeError``): ``.code``, ``.code_name``, ``.call``."""
    ContextError = _opengl.ContextError
    """No OpenGL context is current on this thread, or not the one an object belongs to."""
else:
    class OpenGLError(RuntimeError):
        """A GL call set a GL error; never raised where the producer was not built."""

    class ContextError(RuntimeError):
        """No current OpenGL context; never raised where the producer was not built."""


@dataclasses.dataclass(frozen=True)
class ContextInfo:
    """The context current on this thread, as it reports itself."""

    window_system: str
    vendor: str
    renderer: str
    version: str
    extensions: tuple[str, ...]
    device_uuids: tuple[bytes, ...]
    driver_uuid: bytes

    @property
    def memory_objects(self) -> bool:
        """Whether GL can import shared memory here (GL_EXT_memory_object + _fd or _win32)."""
        return "GL_EXT_memory_object" in self.extensions and (
            "GL_EXT_memory_object_fd" in self.extensions
            or "GL_EXT_memory_object_win32" in self.extensions)

    @property
    def semaphores(self) -> bool:
        """Whether GL can import shared semaphores here (GL_EXT_semaphore + _fd or _win32)."""
        return "GL_EXT_semaphore" in self.extensions and (
            "GL_EXT_semaphore_fd" in self.extensions
            or "GL_EXT_semaphore_win32" in self.extensions)

    @property
    def timeline_semaphores(self) -> bool:
        """Whether GL can wait for and signal timeline values (GL_NV_timeline_semaphore)."""
        return self.semaphores and "GL_NV_timeline_semaphore" in self.extensions


def has_current_context() -> bool:
    """True when an OpenGL context is current on this thread (never raises)."""
    return available and bool(_opengl.has_current_context())


def current_context() -> ContextInfo:
    """What the current context reports: renderer, version, extensions, device UUIDs.

    Raises
    ------
    opengl.ContextError
        No OpenGL context is current on this thread.
    """
    info = _opengl.current_context_info()
    return ContextInfo(str(info.id.system.name), str(info.vendor), str(info.renderer),
                       str(info.version), tuple(str(e) for e in info.extensions),
                       tuple(bytes(u) for u in info.device_uuids), bytes(info.driver_uuid))


def formats() -> list[str]:
    """Names of the GL internal formats :func:`import_texture` accepts."""
    return list(FORMATS)
