"""
The OpenGL producer of cuda_interop: GL memory objects and semaphores.
"""
from __future__ import annotations
import collections.abc
import cuda_interop._core
import typing
import typing_extensions
__all__: list[str] = ['ContextError', 'ContextId', 'ContextInfo', 'GLBuffer', 'MemoryObject', 'OpenGLError', 'Semaphore', 'Texture', 'TextureDesc', 'WindowSystem', 'current_context_id', 'current_context_info', 'has_current_context']
class ContextError(RuntimeError):
    """
    No OpenGL context is current on this thread, or not the one the object needs.
    """
class ContextId:
    """
    A GL context as its window system names it.
    """
    def __eq__(self, arg0: typing.Any) -> bool:
        ...
    def __hash__(self) -> int:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def context(self) -> int:
        ...
    @property
    def display(self) -> int:
        ...
    @property
    def system(self) -> WindowSystem:
        ...
class ContextInfo:
    """
    What the current context reports about itself.
    """
    @property
    def device_uuids(self) -> list[bytes]:
        ...
    @property
    def driver_uuid(self) -> bytes:
        ...
    @property
    def extensions(self) -> list[str]:
        ...
    @property
    def id(self) -> ContextId:
        ...
    @property
    def renderer(self) -> str:
        ...
    @property
    def vendor(self) -> str:
        ...
    @property
    def version(self) -> str:
        ...
class GLBuffer:
    """
    A GL buffer whose storage is a memory object.
    """
    @staticmethod
    def create(memory: MemoryObject, size: typing.SupportsInt | typing.SupportsIndex, offset: typing.SupportsInt | typing.SupportsIndex) -> GLBuffer:
        ...
    def close(self) -> None:
        ...
    def read(self, out: typing_extensions.Buffer, offset: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def write(self, data: typing_extensions.Buffer, offset: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def memory(self) -> MemoryObject:
        ...
    @property
    def name(self) -> int:
        ...
    @property
    def offset(self) -> int:
        ...
    @property
    def size(self) -> int:
        ...
class MemoryObject:
    """
    A GL memory object holding imported memory.
    """
    @staticmethod
    def import_share(share: cuda_interop._core.MemoryShare) -> MemoryObject:
        ...
    def close(self) -> None:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def context(self) -> ContextId:
        ...
    @property
    def dedicated(self) -> bool:
        ...
    @property
    def name(self) -> int:
        ...
    @property
    def size(self) -> int:
        ...
class OpenGLError(RuntimeError):
    """
    A GL call set a GL error. Attributes: code (int), code_name (str), call (str).
    """
class Semaphore:
    """
    A GL semaphore holding an imported one.
    """
    @staticmethod
    def import_share(share: cuda_interop._core.SemaphoreShare) -> Semaphore:
        ...
    def close(self) -> None:
        ...
    def signal(self, value: typing.SupportsInt | typing.SupportsIndex, buffers: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], textures: collections.abc.Sequence[tuple[typing.SupportsInt | typing.SupportsIndex, typing.SupportsInt | typing.SupportsIndex]]) -> None:
        ...
    def wait(self, value: typing.SupportsInt | typing.SupportsIndex, buffers: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], textures: collections.abc.Sequence[tuple[typing.SupportsInt | typing.SupportsIndex, typing.SupportsInt | typing.SupportsIndex]]) -> None:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def context(self) -> ContextId:
        ...
    @property
    def last_signalled(self) -> int:
        ...
    @property
    def name(self) -> int:
        ...
    @property
    def timeline(self) -> bool:
        ...
class Texture:
    """
    A GL texture whose storage is a memory object.
    """
    @staticmethod
    def create(memory: MemoryObject, desc: TextureDesc) -> Texture:
        ...
    def close(self) -> None:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def desc(self) -> TextureDesc:
        ...
    @property
    def memory(self) -> MemoryObject:
        ...
    @property
    def name(self) -> int:
        ...
class TextureDesc:
    """
    What a texture made on imported memory looks like.
    """
    def __init__(self, target: typing.SupportsInt | typing.SupportsIndex, internal_format: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex, height: typing.SupportsInt | typing.SupportsIndex, depth: typing.SupportsInt | typing.SupportsIndex, levels: typing.SupportsInt | typing.SupportsIndex, linear_tiling: bool, offset: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def depth(self) -> int:
        ...
    @property
    def height(self) -> int:
        ...
    @property
    def internal_format(self) -> int:
        ...
    @property
    def levels(self) -> int:
        ...
    @property
    def linear_tiling(self) -> bool:
        ...
    @property
    def offset(self) -> int:
        ...
    @property
    def target(self) -> int:
        ...
    @property
    def width(self) -> int:
        ...
class WindowSystem:
    """
    The library a context was made current through.
    
    Members:
    
      EGL
    
      GLX
    
      WGL
    """
    EGL: typing.ClassVar[WindowSystem]  # value = <WindowSystem.EGL: 0>
    GLX: typing.ClassVar[WindowSystem]  # value = <WindowSystem.GLX: 1>
    WGL: typing.ClassVar[WindowSystem]  # value = <WindowSystem.WGL: 2>
    __members__: typing.ClassVar[dict[str, WindowSystem]]  # value = {'EGL': <WindowSystem.EGL: 0>, 'GLX': <WindowSystem.GLX: 1>, 'WGL': <WindowSystem.WGL: 2>}
    @typing.overload
    def __eq__(self, other: WindowSystem) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: WindowSystem) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
def current_context_id() -> ContextId:
    ...
def current_context_info() -> ContextInfo:
    ...
def has_current_context() -> bool:
    """
    True when an OpenGL context is current on this thread.
    """
