# SPDX-License-Identifier: Apache-2.0
"""The application's GL objects in CUDA on an NVIDIA GPU (moderngl's headless EGL context as the
renderer): textures and buffers to torch byte-exact, torch to a GL texture that GL draws, the
mapping rules, and 10,000 register/map/unmap/unregister cycles that leak nothing."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from opengl_support import GL_SKIP, create_context

import cuda_interop as ci
from cuda_interop import ClosedError, opengl

pytestmark = pytest.mark.gpu
if GL_SKIP is not None:
    pytest.skip(GL_SKIP, allow_module_level=True)


@pytest.fixture(scope="module")
def gl_context() -> Iterator[Any]:
    context = create_context()
    info = opengl.current_context()
    if "NVIDIA" not in info.vendor:
        context.release()
        pytest.skip(f"the EGL context ({info.renderer}) is not NVIDIA's: CUDA cannot register")
    yield context
    context.release()


@pytest.fixture
def gl(gl_context: Any) -> Iterator[Any]:
    """The module's context, current for the test."""
    with gl_context:
        yield gl_context


@pytest.fixture
def torch() -> Any:
    return pytest.importorskip("torch")


def _data(shape: tuple[int, ...], dtype: Any, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(0, 256, shape, dtype=np.uint8).astype(dtype)


@pytest.mark.parametrize(("components", "moderngl_dtype", "dtype"), [
    (1, "f1", np.uint8), (4, "f1", np.uint8), (4, "f2", np.float16), (4, "f4", np.float32),
], ids=["R8", "RGBA8", "RGBA16F", "RGBA32F"])
def test_texture_to_torch_byte_exact(gl: Any, torch: Any, components: int, moderngl_dtype: str,
                                     dtype: Any) -> None:
    width, height = 64, 48
    shape = (height, width, components) if components > 1 else (height, width)
    data = _data(shape, dtype)
    texture = gl.texture((width, height), components, data.tobytes(), dtype=moderngl_dtype)
    resource = opengl.register_texture(texture)
    assert resource.device == ci.Device(0) and not resource.is_buffer
    stream = torch.cuda.current_stream()
    with resource.map(stream) as mapping:
        array = mapping.array()
        assert array.extent == (width, height, 0) and array.levels == 1
        assert array.channels == components and array.dtype == np.dtype(dtype)
        out = torch.empty(shape, dtype=getattr(torch, np.dtype(dtype).name), device="cuda")
        array.level(0).copy_to_device(out.data_ptr(), out.numel() * out.element_size())
        assert out.cpu().numpy().tobytes() == data.tobytes()
        assert array.level(0).copy_to_host().tobytes() == data.tobytes()
    resource.close()
    texture.release()


def test_mip_levels_and_layers(gl: Any) -> None:
    texture = gl.texture((32, 16), 4, _data((16, 32, 4), np.uint8).tobytes())
    texture.build_mipmaps()
    levels = [_data((16 >> i, 32 >> i, 4), np.uint8, seed=i) for i in range(3)]
    for index, data in enumerate(levels):
        texture.write(data.tobytes(), level=index)
    resource = opengl.register_texture(texture)
    with resource.map() as mapping:
        array = mapping.array()
        assert array.levels == 6  # 32x16 down to 1x1
        for index, data in enumerate(levels):
            assert np.array_equal(array.level(index).copy_to_host(), data)
    resource.close()
    texture.release()

    layers = _data((3, 8, 16, 4), np.uint8, seed=7)
    layered = gl.texture_array((16, 8, 3), 4, layers.tobytes())
    resource = opengl.register_texture(layered, "2d_array")
    with resource.map() as mapping:
        array = mapping.array()
        assert array.extent == (16, 8, 3) and array.flags & ci.ArrayFlags.LAYERED
        assert np.array_equal(array.level(0).copy_to_host(), layers)
    resource.close()
    layered.release()


def test_buffer_to_torch_and_back(gl: Any, torch: Any) -> None:
    data = _data((1 << 20,), np.uint8)
    buffer = gl.buffer(data.tobytes())
    resource = opengl.register_buffer(buffer)
    stream = torch.cuda.current_stream()
    with resource.map(stream) as mapping:
        view = mapping.buffer()
        assert view.size >= data.nbytes
        tensor = torch.from_dlpack(view)[: data.nbytes]
        assert np.array_equal(tensor.cpu().numpy(), data)
        tensor.add_(1)  # in place, on the stream the mapping is unmapped on
    assert np.array_equal(np.frombuffer(buffer.read(), np.uint8), data + np.uint8(1))
    resource.close()
    buffer.release()


def test_torch_to_gl_texture_drawn_and_read_back(gl: Any, torch: Any) -> None:
    width, height = 64, 32
    tensor = torch.randint(0, 256, (height, width, 4), dtype=torch.uint8, device="cuda")
    texture = gl.texture((width, height), 4)
    resource = opengl.register_texture(texture, write_discard=True)
    torch.cuda.synchronize()
    with resource.map() as mapping:
        mapping.array().level(0).copy_from_device(tensor.data_ptr(), tensor.numel())
    expected = tensor.cpu().numpy()
    assert np.frombuffer(texture.read(), np.uint8).reshape(height, width, 4).tobytes() == \
        expected.tobytes()
    # Drawn: a full-screen triangle copies each texel to a framebuffer of the same size.
    program = gl.program(
        vertex_shader="#version 330\nvoid main() { vec2 p = vec2((gl_VertexID << 1) & 2, "
                      "gl_VertexID & 2); gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0); }",
        fragment_shader="#version 330\nuniform sampler2D t; out vec4 color; void main() { "
                        "color = texelFetch(t, ivec2(gl_FragCoord.xy), 0); }")
    target = gl.texture((width, height), 4)
    framebuffer = gl.framebuffer([target])
    framebuffer.use()
    texture.use(0)
    gl.vertex_array(program, []).render(vertices=3)
    drawn = np.frombuffer(framebuffer.read(components=4), np.uint8).reshape(height, width, 4)
    assert drawn.tobytes() == expected.tobytes()
    resource.close()
    for item in (framebuffer, target, texture, program):
        item.release()


def test_mapping_rules(gl: Any) -> None:
    buffer = gl.buffer(reserve=4096)
    texture = gl.texture((8, 8), 4)
    first = opengl.register_buffer(buffer)
    second = opengl.register_texture(texture)
    with opengl.map_resources([first, second]) as mapping:
        assert first.mapped and second.mapped and len(mapping) == 2
        with pytest.raises(ValueError, match=r"resources\[0\] .* is mapped already"):
            first.map()
        with pytest.raises(ValueError, match="while it is mapped"):
            first.close()
        with pytest.raises(ValueError, match="not an image"):
            mapping.array(0)
        with pytest.raises(ValueError, match="not a buffer"):
            mapping.buffer(1)
        with pytest.raises(ValueError, match="index must be in"):
            mapping.buffer(2)
        view, array = mapping.buffer(0), mapping.array(1)
        level = array.level(0)
    assert not first.mapped and not mapping.mapped
    with pytest.raises(ClosedError):
        view.ptr  # noqa: B018 - closed by the unmap
    with pytest.raises(ClosedError):
        array.levels  # noqa: B018
    with pytest.raises(ClosedError, match="unmapped"):
        level.copy_to_host()
    with pytest.raises(ClosedError):
        mapping.buffer(0)
    with pytest.raises(ValueError, match="are the same resource"):
        opengl.map_resources([first, first])
    first.close()
    with pytest.raises(ClosedError):
        opengl.map_resources([first, second])
    second.close()
    buffer.release()
    texture.release()


def test_context_destroyed_first(gl: Any) -> None:
    made: list[Any] = []

    def renderer_thread() -> None:  # its own context, destroyed before the resource is closed
        other = create_context()
        buffer = other.buffer(reserve=64)
        made.append(opengl.register_buffer(buffer))
        other.release()

    thread = threading.Thread(target=renderer_thread)
    thread.start()
    thread.join()
    resource = made.pop()
    with pytest.raises(opengl.ContextError, match="belongs to EGL context"):
        resource.close()  # this thread has the module's context current, not the destroyed one
    with pytest.warns(ResourceWarning, match="was not undone"):
        del resource
        gc.collect()


def test_another_gpu_is_refused(gl: Any) -> None:
    if len(ci.devices()) < 2:
        pytest.skip("needs two CUDA devices")
    try:
        mine = opengl.context_devices()[0].ordinal
    except ci.CudaError as error:
        pytest.skip(f"cudaGLGetDevices does not answer for this context: {error}")
    other = next(d.ordinal for d in ci.devices() if d.ordinal != mine)
    buffer = gl.buffer(reserve=64)
    with pytest.raises(ValueError, match=rf"device {other} .* is not the GPU .* CUDA device "
                                         rf"{mine}"):
        opengl.register_buffer(buffer, device=other)
    buffer.release()


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_ten_thousand_cycles_leak_nothing(gl: Any) -> None:
    buffer = gl.buffer(reserve=1 << 16)
    texture = gl.texture((64, 64), 4)

    def cycle() -> None:
        a = opengl.register_buffer(buffer)
        b = opengl.register_texture(texture)
        with opengl.map_resources([a, b]) as mapping:
            mapping.buffer(0).fill(1, 0, 256)
            mapping.array(1).level(0)
        a.close()
        b.close()

    for _ in range(200):
        cycle()
    gc.collect()
    fds, free, rss = len(os.listdir("/proc/self/fd")), ci.Device(0).memory_info()[0], _rss()
    for _ in range(10_000):
        cycle()
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) == fds
    assert ci.Device(0).memory_info()[0] == free
    assert _rss() - rss < 8 << 20, f"RSS grew by {(_rss() - rss) >> 10} KiB"
    buffer.release()
    texture.release()
