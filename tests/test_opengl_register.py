# SPDX-License-Identifier: Apache-2.0
"""Registering the application's GL objects with CUDA: every check made before CUDA sees the
object runs on any GL driver; the CUDA steps give their typed error where CUDA is not usable
(the GPU tests, test_opengl_gpu.py, do the rest)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from conftest import GPU_SKIP_REASON
from opengl_support import GL, GL_SKIP

import cuda_interop as ci
from cuda_interop import ClosedError, CudaError, opengl

if GL_SKIP is not None:
    pytest.skip(GL_SKIP, allow_module_level=True)

no_cuda = pytest.mark.skipif(GPU_SKIP_REASON is None, reason="CUDA is usable here")


@pytest.fixture
def gl() -> Iterator[Any]:
    with GL:
        yield GL


@no_cuda
def test_cuda_steps_give_cuda_error(gl: Any) -> None:
    """Without a driver the CUDA step says so (NotSupportedError), else it is a CudaError."""
    buffer = gl.buffer(reserve=1024)
    texture = gl.texture((16, 16), 4)
    cuda_failed = (CudaError, ci.NotSupportedError)
    with pytest.raises(cuda_failed, match="cudaGLGetDevices"):
        opengl.register_buffer(buffer)
    with pytest.raises(cuda_failed, match="cudaGLGetDevices"):
        opengl.register_texture(texture, "2d", surface_load_store=True)
    with pytest.raises(cuda_failed):
        opengl.context_devices()
    buffer.release()
    texture.release()


@pytest.mark.parametrize(("make", "match"), [
    (lambda gl: opengl.register_buffer(54321), "buffer 54321 is not a buffer of the current"),
    (lambda gl: opengl.register_texture(54321), "texture 54321 is not a texture of the current"),
    (lambda gl: opengl.register_texture(gl.texture((4, 4), 4), "2d_array"),
     "is not a GL_TEXTURE_2D_ARRAY texture"),
    (lambda gl: opengl.register_texture(gl.texture((4, 4), 4), "renderbuffer"),
     "is not a renderbuffer of the current"),
    (lambda gl: opengl.register_texture(gl.texture((4, 4), 3), "2d"),
     "internal format 0x8051, which CUDA cannot register"),
    (lambda gl: opengl.register_texture(gl.depth_texture((4, 4)), "2d"), "CUDA cannot register"),
    (lambda gl: opengl.register_texture(gl.texture((4, 4), 4), "cube"),
     "is not a GL_TEXTURE_CUBE_MAP texture"),
    (lambda gl: opengl.register_texture(gl.texture((4, 4), 4), "1d"), "target must be one of"),
    (lambda gl: opengl.register_texture(gl.texture((4, 4), 4), 0x1234),
     "target must be GL_TEXTURE_2D"),
    (lambda gl: opengl.register_buffer(gl.buffer(reserve=16), read_only=True,
                                       write_discard=True), "both read_only and write_discard"),
])
def test_refused_before_cuda(gl: Any, make: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make(gl)


def test_deleted_buffer_is_refused(gl: Any) -> None:
    buffer = gl.buffer(reserve=16)
    name = buffer.glo
    buffer.release()
    with pytest.raises(ValueError, match=f"buffer {name} is not a buffer of the current"):
        opengl.register_buffer(name)


@pytest.mark.parametrize(("value", "error"), [
    (None, TypeError), (-1, ValueError), (0, ValueError), (2**64, ValueError),
    (1.5, TypeError), ("no", TypeError), (True, TypeError),
])
def test_names_of_the_wrong_kind(gl: Any, value: Any, error: type) -> None:
    with pytest.raises(error, match="buffer"):
        opengl.register_buffer(value)
    with pytest.raises(error, match="texture"):
        opengl.register_texture(value)


def test_flags_of_the_wrong_kind(gl: Any) -> None:
    buffer = gl.buffer(reserve=16)
    with pytest.raises(TypeError, match="read_only must be a bool"):
        opengl.register_buffer(buffer, read_only="no")
    with pytest.raises(TypeError, match="surface_load_store must be a bool"):
        opengl.register_texture(gl.texture((4, 4), 4), surface_load_store=1)
    with pytest.raises(TypeError, match="device must be"):
        opengl.register_buffer(buffer, device="no")


def test_no_current_context() -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            opengl.register_buffer(1)
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert isinstance(errors[0], opengl.ContextError)
    assert "no current OpenGL context" in str(errors[0])


def test_map_arguments() -> None:
    with pytest.raises(TypeError, match="resources must be an iterable"):
        opengl.map_resources(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"resources\[0\] must be an opengl.GraphicsResource"):
        opengl.map_resources([object()])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="at least one"):
        opengl.map_resources([])


def test_context_devices_needs_a_context() -> None:
    result: list[BaseException] = []
    thread = threading.Thread(target=lambda: _catch(result, opengl.context_devices))
    thread.start()
    thread.join()
    assert isinstance(result[0], opengl.ContextError)


def _catch(into: list[BaseException], function: Any) -> None:
    try:
        function()
    except BaseException as error:
        into.append(error)


def test_closed_resource_is_refused() -> None:
    resource = opengl.GraphicsResource.__new__(opengl.GraphicsResource)
    resource._native = None
    with pytest.raises(ClosedError):
        resource.map()
    resource.close()  # idempotent
    assert np.array_equal(np.zeros(1), np.zeros(1))
