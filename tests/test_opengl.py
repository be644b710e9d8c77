# SPDX-License-Identifier: Apache-2.0
"""The OpenGL producer on any GL driver (Mesa's llvmpipe in CI, with lavapipe as the Vulkan
exporter): GL buffers and textures on exported Vulkan memory, byte-exact in both directions."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from opengl_support import GL, GL_SKIP, GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY, SLACK, read_texture

from cuda_interop import ClosedError, NotSupportedError, _core, opengl, vulkan

if GL_SKIP is not None:
    pytest.skip(GL_SKIP, allow_module_level=True)


def _vulkan_skip() -> str | None:
    if not vulkan.available:
        return vulkan.unavailable_reason
    try:
        return None if vulkan.physical_devices() else "no Vulkan physical device"
    except NotSupportedError as error:
        return f"no Vulkan loader: {error}"


VULKAN_SKIP = _vulkan_skip()


@pytest.fixture
def gl() -> Iterator[Any]:
    with GL:
        yield GL


@pytest.fixture
def vk() -> Iterator[Any]:
    if VULKAN_SKIP:
        pytest.skip(VULKAN_SKIP)
    with vulkan.Context(physical_device_index=0) as context:
        yield context


def _random(shape: Any, dtype: Any = np.uint8, seed: int = 1) -> np.ndarray:
    data = np.random.default_rng(seed).integers(0, 256, int(np.prod(shape)) * np.dtype(dtype)
                                                .itemsize, dtype=np.uint8)
    return data.view(dtype).reshape(shape)


def test_context_info(gl: Any) -> None:
    info = opengl.current_context()
    assert opengl.has_current_context()
    assert info.window_system == "EGL"
    assert info.renderer and info.version
    assert info.memory_objects == ("GL_EXT_memory_object_fd" in info.extensions)
    if info.memory_objects:
        assert len(info.device_uuids) >= 1 and all(len(u) == 16 for u in info.device_uuids)


def test_buffer_vulkan_to_gl_and_back(gl: Any, vk: Any, no_fd_leak: None) -> None:
    size = 1 << 16
    source = vk.create_buffer(size + SLACK)
    data = _random(size)
    source.upload(data)
    buf = opengl.import_buffer(source, size)
    assert buf.size == size and buf.offset == 0 and buf.name > 0
    assert np.array_equal(buf.read(), data)  # Vulkan wrote, GL reads
    reverse = data[::-1].copy()
    buf.write(reverse)
    gl.finish()
    assert np.array_equal(source.download(size), reverse)  # GL wrote, Vulkan reads
    # moderngl sees an ordinary buffer (not mappable: copy it to read it)
    wrapped = gl.external_buffer(buf.name, buf.size)
    copy = gl.buffer(reserve=size)
    gl.copy_buffer(copy, wrapped)
    assert copy.read() == reverse.tobytes()
    buf.close()
    source.close()


def test_buffers_share_one_memory_object(gl: Any, vk: Any) -> None:
    source = vk.create_buffer(4096 + SLACK)
    memory = opengl.import_memory(source)
    first = opengl.import_buffer(memory, 1024)
    second = opengl.import_buffer(memory, 1024, offset=1024)
    first.write(np.full(1024, 7, np.uint8))
    second.write(np.full(1024, 9, np.uint8))
    gl.finish()
    out = source.download(2048)
    if "llvmpipe" in gl.info["GL_RENDERER"] and (out[:1024] == 9).all():
        first.close(), second.close()
        pytest.xfail("Mesa's llvmpipe ignores glBufferStorageMemEXT's offset (docs/platforms.md)")
    assert (out[:1024] == 7).all() and (out[1024:] == 9).all()
    assert first.memory is memory and second.memory is memory
    memory.close()  # the buffers keep it alive
    assert np.array_equal(second.read(4), np.full(4, 9, np.uint8))


@pytest.mark.parametrize(("fmt", "gl_format", "dtype", "channels"), [
    ("R8_UNORM", "R8", np.uint8, 1),
    ("R8G8B8A8_UNORM", "RGBA8", np.uint8, 4),
    ("R16G16B16A16_SFLOAT", "RGBA16F", np.float16, 4),
    ("R32G32B32A32_SFLOAT", "RGBA32F", np.float32, 4),
])
def test_texture_vulkan_to_gl_and_back(gl: Any, vk: Any, fmt: str, gl_format: str, dtype: Any,
                                       channels: int) -> None:
    width, height = 64, 32
    image = vk.create_image(fmt, width, height)
    shape = (height, width, channels) if channels > 1 else (height, width)
    data = _random(shape, np.uint16 if dtype is np.float16 else
                   np.uint32 if dtype is np.float32 else dtype).view(dtype)
    if dtype is not np.uint8:
        data = np.random.default_rng(2).standard_normal(shape).astype(dtype)
    image.upload(0, data)
    tex = opengl.import_texture(image)
    assert tex.internal_format == gl_format and tex.size == (width, height, 1)
    moderngl_dtype = {np.uint8: "f1", np.float16: "f2", np.float32: "f4"}[dtype]
    wrapped = gl.external_texture(tex.name, (width, height), channels, 0, moderngl_dtype)
    assert np.frombuffer(wrapped.read(), dtype).reshape(shape).tobytes() == data.tobytes()
    reverse = np.ascontiguousarray(data[::-1])
    wrapped.write(reverse.tobytes())
    gl.finish()
    assert image.download(0).tobytes() == reverse.tobytes()


def test_texture_levels_and_layers(gl: Any, vk: Any) -> None:
    image = vk.create_image("R8G8B8A8_UNORM", 32, 16, levels=3)
    levels = [_random(image.level_shape(level), seed=level) for level in range(3)]
    for level, data in enumerate(levels):
        image.upload(level, data)
    tex = opengl.import_texture(image)
    assert tex.levels == 3 and tex.target == GL_TEXTURE_2D
    for level, data in enumerate(levels):
        assert np.array_equal(read_texture(tex.name, GL_TEXTURE_2D, level, data.shape, np.uint8),
                              data)

    layered = vk.create_image("R8G8B8A8_UNORM", 16, 8, layers=3)
    layers = _random(layered.level_shape(0), seed=5)
    assert layers.shape == (3, 8, 16, 4)
    layered.upload(0, layers)
    array = opengl.import_texture(layered)
    assert array.target == GL_TEXTURE_2D_ARRAY and array.size == (16, 8, 3)
    assert np.array_equal(read_texture(array.name, GL_TEXTURE_2D_ARRAY, 0, layers.shape, np.uint8),
                          layers)


def test_share_is_not_consumed(gl: Any, vk: Any, no_fd_leak: None) -> None:
    source = vk.create_buffer(4096 + SLACK)
    share = source.export_share()
    first = opengl.import_buffer(share, 4096)
    second = opengl.import_buffer(share, 4096)  # the share's fd was duplicated, not given away
    first.write(np.full(16, 3, np.uint8))
    gl.finish()
    assert np.array_equal(second.read(16), np.full(16, 3, np.uint8))
    first.close()
    second.close()
    del share


def test_import_texture_explicit_desc(gl: Any, vk: Any) -> None:
    image = vk.create_image("R8G8B8A8_UNORM", 8, 8)
    share = image.export_share()
    tex = opengl.import_texture(share, internal_format="GL_RGBA8UI", size=(8, 8), levels=1)
    assert tex.internal_format == "RGBA8UI"
    assert "RGBA32F" in opengl.formats()


# -- Refusals ------------------------------------------------------------------------------------
def test_no_current_context_is_named(vk: Any) -> None:
    source = vk.create_buffer(4096)
    errors: list[BaseException] = []

    def other_thread() -> None:  # a new thread has no current context
        try:
            assert not opengl.has_current_context()
            opengl.import_buffer(source)
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert len(errors) == 1 and isinstance(errors[0], opengl.ContextError)
    assert "no current OpenGL context" in str(errors[0])
    with pytest.raises(opengl.ContextError, match="no current OpenGL context"):
        _in_thread(opengl.current_context)


def _in_thread(function: Any) -> Any:
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(function())
        except BaseException as error:
            result.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def test_object_used_in_another_context(gl: Any, vk: Any) -> None:
    buf = opengl.import_buffer(vk.create_buffer(4096 + SLACK), 4096)
    other = __import__("opengl_support").create_context()
    try:
        with other, pytest.raises(opengl.ContextError, match="belongs to EGL context"):
            buf.read(16)
        with pytest.raises(opengl.ContextError, match="no current OpenGL context"):
            _in_thread(lambda: buf.write(b"1234"))
    finally:
        other.release()
    with gl:
        buf.close()


def test_deleted_after_its_context_warns(vk: Any) -> None:
    other = __import__("opengl_support").create_context()
    with other:
        buf = opengl.import_buffer(vk.create_buffer(4096 + SLACK), 4096)
    other.release()
    with pytest.warns(ResourceWarning, match="not deleted"):
        buf.close()
        memory = buf._memory
        del buf
        memory.close()
        del memory
        import gc

        gc.collect()


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"size": 0}, ValueError, "size must be > 0"),
    ({"size": -1}, ValueError, "size must be > 0"),
    ({"size": 2**64}, ValueError, "size"),
    ({"size": 1.5}, TypeError, "size"),
    ({"size": "no"}, TypeError, "size"),
    ({"size": 1 << 20}, ValueError, "outside"),
    ({"offset": -1}, ValueError, "offset"),
    ({"offset": 1 << 20}, ValueError, "offset"),
    ({"size": np.int64(64), "offset": np.uint8(0)}, None, None),
])
def test_buffer_arguments(gl: Any, vk: Any, kwargs: dict[str, Any], error: Any,
                          match: str | None) -> None:
    source = vk.create_buffer(4096 + SLACK)
    if error is None:
        assert opengl.import_buffer(source, **kwargs).size == 64
        return
    with pytest.raises(error, match=match):
        opengl.import_buffer(source, **kwargs)


@pytest.mark.parametrize("source", [None, -1, 1.5, "no", b"x", object()])
def test_sources_of_the_wrong_kind(gl: Any, source: Any) -> None:
    with pytest.raises(TypeError, match="source must be"):
        opengl.import_buffer(source)
    with pytest.raises(TypeError, match="source must be"):
        opengl.import_semaphore(source)


def test_texture_arguments(gl: Any, vk: Any) -> None:
    image = vk.create_image("R8G8B8A8_UNORM", 8, 8)
    with pytest.raises(ValueError, match="internal_format 'RGB9' is not"):
        opengl.import_texture(image, internal_format="RGB9")
    with pytest.raises(TypeError, match="internal_format must be"):
        opengl.import_texture(image, internal_format=1.5)
    with pytest.raises(ValueError, match="levels must be in"):
        opengl.import_texture(image, levels=9)
    with pytest.raises(ValueError, match="levels must be in"):
        opengl.import_texture(image, levels=0)
    with pytest.raises(ValueError, match="width and height"):
        opengl.import_texture(image, size=(0, 8))
    with pytest.raises(TypeError, match="size must be"):
        opengl.import_texture(image, size=8)
    with pytest.raises(ValueError, match="target must be"):
        opengl.import_texture(image, target="cube")
    with pytest.raises(TypeError, match="linear_tiling must be a bool"):
        opengl.import_texture(image, linear_tiling="no")


def test_closed_objects(gl: Any, vk: Any) -> None:
    buf = opengl.import_buffer(vk.create_buffer(4096 + SLACK), 4096)
    buf.close()
    buf.close()  # idempotent
    assert buf.closed and repr(buf) == "opengl.Buffer(closed)"
    with pytest.raises(ClosedError):
        buf.read()
    with pytest.raises(ClosedError):
        opengl.import_buffer(buf.memory)


def test_device_of_another_gpu_is_refused(gl: Any, vk: Any) -> None:
    source = vk.create_buffer(4096 + SLACK)
    fd = source.export_fd()
    share = _core.MemoryShare(_core.MemoryHandleType.OPAQUE_FD, fd, source.allocation_size,
                              device_uuid=bytes(range(16)))
    with pytest.raises(ValueError, match="exported by the device with UUID 000102"):
        opengl.import_buffer(share)


def test_semaphores_where_gl_has_none(gl: Any) -> None:
    info = opengl.current_context()
    if info.semaphores:
        pytest.skip("this GL offers semaphores (tested in test_opengl_gpu.py)")
    fd = os.memfd_create("not-a-semaphore")  # never reaches GL: the extension is checked first
    for kind in ("OPAQUE_FD", "TIMELINE_SEMAPHORE_FD"):
        share = _core.SemaphoreShare(getattr(_core.SemaphoreHandleType, kind), os.dup(fd))
        with pytest.raises(NotSupportedError, match="needs GL_EXT_semaphore, which the current"):
            opengl.import_semaphore(share)
    os.close(fd)


def test_fd_count_after_many_imports(gl: Any, vk: Any) -> None:
    source = vk.create_buffer(4096 + SLACK)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(200):
        opengl.import_buffer(source, 4096).close()
    assert len(os.listdir("/proc/self/fd")) <= before + 2


def _closed_semaphore() -> opengl.Semaphore:
    """A closed GL semaphore: its arguments are checked before it is looked at."""
    semaphore = opengl.Semaphore.__new__(opengl.Semaphore)
    semaphore._native = None
    return semaphore


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"value": None}, TypeError, "value"),
    ({"value": -1}, ValueError, "value"),
    ({"value": 2**64}, ValueError, "value"),
    ({"value": 1.5}, TypeError, "value"),
    ({"buffers": "no"}, TypeError, "buffers must be an iterable"),
    ({"buffers": [None]}, TypeError, r"buffers\[0\] must be a GL object name"),
    ({"buffers": [0]}, ValueError, r"buffers\[0\] must be a GL name"),
    ({"buffers": [2**32]}, ValueError, r"buffers\[0\] must be a GL name"),
    ({"textures": 5}, TypeError, "textures must be an iterable"),
    ({"textures": [(1, "sideways")]}, ValueError, r"textures\[0\] layout must be one of"),
    ({"textures": [(1, "general", 3)]}, ValueError, r"textures\[0\] must be a texture or"),
    ({"textures": [1.5]}, TypeError, r"textures\[0\] must be a GL object name"),
    ({"value": np.uint64(3), "buffers": [np.int32(2)], "textures": [(np.int64(4), "general")]},
     ClosedError, "closed"),
])
def test_semaphore_arguments(kwargs: dict[str, Any], error: type, match: str) -> None:
    semaphore = _closed_semaphore()
    for call in (semaphore.wait, semaphore.signal):
        with pytest.raises(error, match=match):
            call(**kwargs)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda b: b.read(0), ValueError, "size must be > 0"),
    (lambda b: b.read(-5), ValueError, "size must be > 0"),
    (lambda b: b.read(16, offset=-1), ValueError, "offset"),
    (lambda b: b.read(16, offset=4096), ValueError, "outside"),
    (lambda b: b.read(2**64), ValueError, "size"),
    (lambda b: b.read("no"), TypeError, "size"),
    (lambda b: b.read(out=np.empty(16, np.uint8)[::2]), ValueError, "C-contiguous"),
    (lambda b: b.read(out=[0] * 16), TypeError, "out must be a numpy array"),
    (lambda b: b.write(None), TypeError, "data must be bytes"),
    (lambda b: b.write("no"), TypeError, "data must be bytes"),
    (lambda b: b.write(b"x" * 4097), ValueError, "outside"),
    (lambda b: b.write(b"x", offset=2**63), ValueError, "offset"),
    (lambda b: b.write(b"x", offset=2**63 - 1), ValueError, "outside"),
    (lambda b: b.write(b"x", offset=1.5), TypeError, "offset"),
])
def test_buffer_host_copy_arguments(gl: Any, vk: Any, call: Any, error: type, match: str) -> None:
    buf = opengl.import_buffer(vk.create_buffer(4096 + SLACK), 4096)
    with pytest.raises(error, match=match):
        call(buf)
    buf.close()


EXIT_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
from opengl_support import GL
from cuda_interop import opengl, vulkan
vk = vulkan.Context(physical_device_index=0)
memory = opengl.import_memory(vk.create_buffer(4096 + 256))
buffers = [opengl.import_buffer(memory, 4096) for _ in range(3)]
texture = opengl.import_texture(vk.create_image("R8G8B8A8_UNORM", 8, 8))
print("exiting with GL objects alive")
"""


def test_objects_alive_at_interpreter_exit(vk: Any) -> None:
    """GL objects still alive when the interpreter exits are torn down quietly, no crash."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, str(Path(__file__).parent)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exiting with GL objects alive" in result.stdout
    assert "Traceback" not in result.stderr, result.stderr
