# SPDX-License-Identifier: Apache-2.0
"""What the OpenGL tests share: a headless GL context (moderngl, EGL) and the reason to skip."""

from __future__ import annotations

from typing import Any

from cuda_interop import opengl


def _create() -> tuple[Any, str | None]:
    if not opengl.available:
        return None, opengl.unavailable_reason
    import importlib.util

    if importlib.util.find_spec("moderngl") is None:
        return None, "moderngl is not installed (pip install moderngl)"
    try:
        return create_context(), None
    except Exception as error:  # no EGL library or driver: say which
        return None, f"no headless OpenGL context (moderngl, EGL): {error}"


def create_context() -> Any:
    """A new standalone EGL context, current on this thread (moderngl makes it current).

    The runtime libraries are named (glcontext would open the unversioned libGL.so and
    libEGL.so, which only development packages install)."""
    import moderngl

    return moderngl.create_context(standalone=True, backend="egl", libgl="libGL.so.1",
                                   libegl="libEGL.so.1")


GL, GL_SKIP = _create()
"""One context for the module's tests; None (with GL_SKIP saying why) where there is none."""

# llvmpipe pads every buffer by 16 bytes past its end: a GL buffer on imported memory must leave
# that much of the allocation unused there (docs/platforms.md).
SLACK = 256


# -- Raw GL reads the tests need and moderngl lacks (levels > 0, array layers) ------------------
GL_TEXTURE_2D = 0x0DE1
GL_TEXTURE_2D_ARRAY = 0x8C1A
_PIXEL = {  # numpy dtype name, channels -> (format, type)
    ("uint8", 1): (0x1903, 0x1401), ("uint8", 4): (0x1908, 0x1401),
    ("float16", 4): (0x1908, 0x140B), ("float32", 4): (0x1908, 0x1406),
    ("float32", 1): (0x1903, 0x1406),
}


def _gl_function(name: str, result: Any, *arguments: Any) -> Any:
    import ctypes

    egl = ctypes.CDLL("libEGL.so.1")
    egl.eglGetProcAddress.restype = ctypes.c_void_p
    egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]
    address = egl.eglGetProcAddress(name.encode())
    assert address, f"no {name}"
    return ctypes.CFUNCTYPE(result, *arguments)(address)


def read_texture(name: int, target: int, level: int, shape: tuple[int, ...], dtype: Any) -> Any:
    """glGetTexImage of one level (all layers of an array texture), shaped as `shape`."""
    import ctypes

    import numpy as np

    uint = ctypes.c_uint
    bind = _gl_function("glBindTexture", None, uint, uint)
    store = _gl_function("glPixelStorei", None, uint, ctypes.c_int)
    get = _gl_function("glGetTexImage", None, uint, ctypes.c_int, uint, uint, ctypes.c_void_p)
    channels = shape[-1] if len(shape) == (4 if target == GL_TEXTURE_2D_ARRAY else 3) else 1
    pixel_format, pixel_type = _PIXEL[(np.dtype(dtype).name, channels)]
    out = np.empty(shape, dtype)
    store(0x0D05, 1)  # GL_PACK_ALIGNMENT
    bind(target, name)
    get(target, level, pixel_format, pixel_type, out.ctypes.data)
    bind(target, 0)
    return out
