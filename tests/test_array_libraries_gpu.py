# SPDX-License-Identifier: Apache-2.0
"""Every array library, zero copy, both ways.

Two producers (a ``SharedAllocation`` imported back into CUDA, and a Vulkan buffer) hand typed
views of their one mapping to PyTorch, CuPy, JAX, Numba, cuda.core and Warp. For each library,
several dtypes, 1-D to 3-D shapes and byte offsets into the mapping:

- the library's array starts at the view's device address (``view.ptr``): no copy was made;
- what the producer wrote is what the library reads;
- what the library writes is what the producer reads (a Vulkan ``download()``, or the
  allocation's own ``copy_to_host``), and the bytes around the view are untouched.

JAX arrays are immutable, so JAX is checked one way. Libraries that are not installed skip
with the reason. Every test needs a CUDA GPU; the Vulkan producer also needs a Vulkan driver
that exports memory (NVIDIA's).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np
import pytest

import cuda_interop as ci
from cuda_interop import vulkan

pytestmark = pytest.mark.gpu

MiB = 1 << 20
GUARD = 64  # bytes checked after a view (and before it, up to its offset)
DTYPES = ["uint8", "int32", "float32", "float16"]
# (shape, byte offset into the mapping): 1-D, 2-D and 3-D, at offsets that are and are not a
# multiple of 256. JAX may copy what is not 256-byte aligned, so its cases use aligned offsets.
CASES = [((4096,), 0), ((64, 48), 256), ((8, 16, 12), 4160)]
ALIGNED_CASES = [((4096,), 0), ((64, 48), 256), ((8, 16, 12), 65536 + 512)]


def _case_id(case: tuple[tuple[int, ...], int]) -> str:
    shape, offset = case
    return "x".join(map(str, shape)) + f"@{offset}"


# -- Producers --------------------------------------------------------------------------------
@dataclasses.dataclass
class Producer:
    """Memory made by a producer, its mapping in CUDA, and the producer's own way in and out."""

    name: str
    mapping: ci.MappedBuffer
    write: Callable[[int, np.ndarray], None]  # (offset, host array)
    read: Callable[[int, int], np.ndarray]  # (offset, byte count) -> uint8


@pytest.fixture(scope="module")
def vulkan_context() -> Iterator[Any]:
    if not vulkan.available:
        pytest.skip(vulkan.unavailable_reason or "the Vulkan producer was not built")
    try:
        context = vulkan.Context(0)
    except ci.NotSupportedError as error:
        pytest.skip(f"no Vulkan device for CUDA device 0: {error}")
    with context:
        yield context


@pytest.fixture(scope="module")
def shared_producer() -> Iterator[Producer]:
    with ci.SharedAllocation(MiB) as allocation, allocation.to_cuda() as memory, \
            memory.map_buffer() as mapping:
        # The allocation's own mapping is another address for the same memory.
        yield Producer(
            "shared", mapping,
            lambda offset, data: allocation.copy_from_host(data, offset),
            lambda offset, count: allocation.copy_to_host(np.empty(count, np.uint8), offset))


@pytest.fixture(scope="module")
def vulkan_producer(vulkan_context: Any) -> Iterator[Producer]:
    with vulkan_context.create_buffer(MiB) as buffer, buffer.to_cuda() as memory, \
            memory.map_buffer() as mapping:
        yield Producer(
            "vulkan", mapping,
            lambda offset, data: buffer.upload(data, offset),
            lambda offset, count: buffer.download(count, offset))


@pytest.fixture(params=["shared", "vulkan"])
def producer(request: pytest.FixtureRequest) -> Producer:
    fixture: Producer = request.getfixturevalue(f"{request.param}_producer")
    return fixture


# -- The check every library goes through --------------------------------------------------
def _sample(dtype: str, shape: tuple[int, ...], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    resolved = np.dtype(dtype)
    if resolved.kind == "f":  # integers, exact in float16 too
        return rng.integers(-1000, 1000, shape).astype(resolved)
    info = np.iinfo(resolved)
    return rng.integers(info.min, info.max, shape, dtype=resolved, endpoint=True)


def check_both_ways(producer: Producer, dtype: str, shape: tuple[int, ...], offset: int, *,
                    wrap: Callable[[ci.BufferView], Any],
                    pointer: Callable[[Any], int],
                    to_host: Callable[[Any], np.ndarray],
                    from_host: Callable[[Any, np.ndarray], None] | None,
                    synchronize: Callable[[], None] = lambda: None) -> Any:
    """Producer -> library and (with `from_host`) library -> producer, zero copy."""
    view = producer.mapping.view(dtype, shape, offset)
    nbytes = view.nbytes
    assert view.ptr == producer.mapping.ptr + offset
    producer.write(0, np.full(offset + nbytes + GUARD, 0xA5, np.uint8))
    first = _sample(dtype, shape, 1)
    producer.write(offset, first)

    array = wrap(view)
    assert pointer(array) == view.ptr, "the library copied instead of sharing the memory"
    assert tuple(array.shape) == shape
    np.testing.assert_array_equal(np.asarray(to_host(array)).reshape(shape), first)
    if from_host is None:
        return array

    second = _sample(dtype, shape, 2)
    from_host(array, second)
    synchronize()
    raw = producer.read(0, offset + nbytes + GUARD)
    assert (raw[:offset] == 0xA5).all(), "bytes before the view were written"
    assert (raw[offset + nbytes:] == 0xA5).all(), "bytes after the view were written"
    np.testing.assert_array_equal(raw[offset:offset + nbytes].view(dtype).reshape(shape), second)
    assert pointer(array) == view.ptr
    return array


parametrize_cases = pytest.mark.parametrize("case", CASES, ids=_case_id)
parametrize_dtypes = pytest.mark.parametrize("dtype", DTYPES)


# -- PyTorch --------------------------------------------------------------------------------
@parametrize_dtypes
@parametrize_cases
def test_torch(producer: Producer, dtype: str, case: tuple[tuple[int, ...], int]) -> None:
    torch = pytest.importorskip("torch")
    shape, offset = case
    tensor = check_both_ways(
        producer, dtype, shape, offset,
        wrap=torch.from_dlpack,
        pointer=lambda t: t.data_ptr(),
        to_host=lambda t: t.cpu().numpy(),
        from_host=lambda t, data: t.copy_(torch.from_numpy(data).to(t.device)),
        synchronize=torch.cuda.synchronize)
    assert tensor.device == torch.device("cuda", producer.mapping.device)
    assert tensor.dtype == getattr(torch, dtype)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_torch_bfloat16_by_reinterpreting_int16(producer: Producer,
                                                 case: tuple[tuple[int, ...], int]) -> None:
    """numpy has no bfloat16, so a view is made as int16 and torch reinterprets it in place."""
    torch = pytest.importorskip("torch")
    shape, offset = case
    # small integers: exact in bfloat16 (8 significant bits), also once doubled
    values = (np.arange(int(np.prod(shape))) % 100 - 50).astype(np.float32).reshape(shape)
    bits = (values.view(np.uint32) >> 16).astype(np.uint16)
    view = producer.mapping.view("int16", shape, offset)
    producer.write(offset, bits)
    tensor = torch.from_dlpack(view).view(torch.bfloat16)
    assert tensor.data_ptr() == view.ptr and tensor.dtype == torch.bfloat16
    np.testing.assert_array_equal(tensor.float().cpu().numpy(), values)
    tensor.mul_(2)
    torch.cuda.synchronize()
    doubled = (values * 2).view(np.uint32) >> 16
    got = producer.read(offset, view.nbytes).view(np.uint16).reshape(shape)
    np.testing.assert_array_equal(got, doubled.astype(np.uint16))


# -- bfloat16 and the 8-bit floats: by name, to every library that has them ----------------
ML_DTYPES = ["bfloat16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
             "float8_e8m0fnu"]
parametrize_ml_dtypes = pytest.mark.parametrize("name", ML_DTYPES)


def check_raw_both_ways(producer: Producer, name: str, shape: tuple[int, ...], offset: int, *,
                        wrap: Callable[[ci.BufferView], Any], pointer: Callable[[Any], int],
                        to_bytes: Callable[[Any], np.ndarray],
                        from_bytes: Callable[[Any, np.ndarray], None] | None,
                        synchronize: Callable[[], None] = lambda: None) -> Any:
    """:func:`check_both_ways` for types numpy lacks: the same bytes, compared as bytes."""
    view = producer.mapping.view(name, shape, offset)
    nbytes = view.nbytes
    producer.write(0, np.full(offset + nbytes + GUARD, 0xA5, np.uint8))
    first = np.random.default_rng(1).integers(0, 256, nbytes, dtype=np.uint8)
    producer.write(offset, first)
    array = wrap(view)
    assert pointer(array) == view.ptr, "the library copied instead of sharing the memory"
    assert tuple(array.shape) == shape
    np.testing.assert_array_equal(np.asarray(to_bytes(array)).reshape(-1), first)
    if from_bytes is None:
        return array
    second = np.random.default_rng(2).integers(0, 256, nbytes, dtype=np.uint8)
    from_bytes(array, second)
    synchronize()
    raw = producer.read(0, offset + nbytes + GUARD)
    assert (raw[:offset] == 0xA5).all() and (raw[offset + nbytes:] == 0xA5).all()
    np.testing.assert_array_equal(raw[offset:offset + nbytes], second)
    return array


@parametrize_ml_dtypes
@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("handoff", ["from_dlpack", "to_torch"])
def test_torch_ml_dtypes(producer: Producer, name: str, case: tuple[tuple[int, ...], int],
                         handoff: str) -> None:
    """`view("bfloat16")` and the 8-bit floats are torch's own dtypes, on the same bytes, through
    the Python protocol and through the C exchange API."""
    torch = pytest.importorskip("torch")
    if not hasattr(torch, name):
        pytest.skip(f"PyTorch {torch.__version__} has no {name}")
    shape, offset = case

    def from_bytes(tensor: Any, data: np.ndarray) -> None:
        raw = tensor.view(torch.uint8)  # the last dimension in bytes
        raw.copy_(torch.from_numpy(data).reshape(raw.shape).to(raw.device))

    tensor = check_raw_both_ways(
        producer, name, shape, offset,
        wrap=torch.from_dlpack if handoff == "from_dlpack" else ci.BufferView.to_torch,
        pointer=lambda t: t.data_ptr(),
        to_bytes=lambda t: t.view(torch.uint8).cpu().numpy(),
        from_bytes=from_bytes, synchronize=torch.cuda.synchronize)
    assert tensor.dtype == getattr(torch, name)
    assert tensor.device == torch.device("cuda", producer.mapping.device)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_torch_bfloat16_values(producer: Producer, case: tuple[tuple[int, ...], int]) -> None:
    """bfloat16 bits written by the producer are the values torch computes with, and back."""
    torch = pytest.importorskip("torch")
    shape, offset = case
    values = (np.arange(int(np.prod(shape))) % 100 - 50).astype(np.float32).reshape(shape)
    producer.write(offset, (values.view(np.uint32) >> 16).astype(np.uint16))
    tensor = producer.mapping.view("bfloat16", shape, offset).to_torch()
    assert tensor.dtype == torch.bfloat16
    np.testing.assert_array_equal(tensor.float().cpu().numpy(), values)
    tensor.mul_(2)
    torch.cuda.synchronize()
    got = producer.read(offset, tensor.numel() * 2).view(np.uint16).reshape(shape)
    np.testing.assert_array_equal(got, ((values * 2).view(np.uint32) >> 16).astype(np.uint16))


@pytest.mark.parametrize("name", ["bfloat16", "float8_e4m3fn", "float8_e5m2"])
@pytest.mark.parametrize("case", ALIGNED_CASES, ids=_case_id)
def test_jax_ml_dtypes(producer: Producer, name: str, case: tuple[tuple[int, ...], int]) -> None:
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    jax = pytest.importorskip("jax")
    try:
        jax.devices("gpu")
    except RuntimeError as error:
        pytest.skip(f"JAX has no CUDA backend here: {error}")
    import ml_dtypes  # a dependency of JAX

    shape, offset = case
    if name != "bfloat16":  # 8-bit floats came to JAX's DLPack import later than bfloat16
        try:
            jax.dlpack.from_dlpack(producer.mapping.view(name, shape, offset))
        except Exception as error:  # XLA raises its own error types
            pytest.skip(f"JAX {jax.__version__} does not import {name} through DLPack: {error}")
    array = check_raw_both_ways(
        producer, name, shape, offset, wrap=jax.dlpack.from_dlpack,
        pointer=lambda a: a.unsafe_buffer_pointer(),
        to_bytes=lambda a: np.asarray(a).view(np.uint8), from_bytes=None)
    assert array.dtype == np.dtype(getattr(ml_dtypes, name))


@pytest.mark.parametrize("name", ["bfloat16", "float8_e4m3fn", "float8_e5m2"])
def test_cupy_ml_dtypes(producer: Producer, name: str) -> None:
    """CuPy takes bfloat16 and the 8-bit floats through DLPack only with ml_dtypes."""
    cupy = pytest.importorskip("cupy")
    ml_dtypes = pytest.importorskip("ml_dtypes")
    shape, offset = (64, 48), 256
    try:
        cupy.from_dlpack(producer.mapping.view(name, shape, offset))
    except (TypeError, ValueError, BufferError, RuntimeError) as error:
        pytest.skip(f"CuPy {cupy.__version__} does not import {name} through DLPack: {error}")
    array = check_raw_both_ways(
        producer, name, shape, offset, wrap=cupy.from_dlpack,
        pointer=lambda a: a.data.ptr,
        to_bytes=lambda a: a.view(cupy.uint8).get(),
        from_bytes=lambda a, data: a.view(cupy.uint8).set(
            data.reshape(a.view(cupy.uint8).shape)),
        synchronize=cupy.cuda.runtime.deviceSynchronize)
    assert array.dtype == np.dtype(getattr(ml_dtypes, name))


# -- CuPy -----------------------------------------------------------------------------------
@parametrize_dtypes
@parametrize_cases
@pytest.mark.parametrize("protocol", ["dlpack", "cai"])
def test_cupy(producer: Producer, dtype: str, case: tuple[tuple[int, ...], int],
              protocol: str) -> None:
    cupy = pytest.importorskip("cupy")
    shape, offset = case
    wrap = cupy.from_dlpack if protocol == "dlpack" else cupy.asarray  # asarray: CAI v3

    def from_host(array: Any, data: np.ndarray) -> None:
        array.set(data)

    array = check_both_ways(
        producer, dtype, shape, offset, wrap=wrap,
        pointer=lambda a: a.data.ptr,
        to_host=lambda a: a.get(),
        from_host=from_host,
        synchronize=cupy.cuda.runtime.deviceSynchronize)
    assert array.dtype == np.dtype(dtype)


# -- JAX ------------------------------------------------------------------------------------
@parametrize_dtypes
@pytest.mark.parametrize("case", ALIGNED_CASES, ids=_case_id)
def test_jax(producer: Producer, dtype: str, case: tuple[tuple[int, ...], int]) -> None:
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    jax = pytest.importorskip("jax")
    try:
        jax.devices("gpu")
    except RuntimeError as error:
        pytest.skip(f"JAX has no CUDA backend here: {error}")
    shape, offset = case
    array = check_both_ways(
        producer, dtype, shape, offset,
        wrap=jax.dlpack.from_dlpack,
        pointer=lambda a: a.unsafe_buffer_pointer(),
        to_host=np.asarray,
        from_host=None)  # JAX arrays are immutable: nothing writes through them
    assert array.dtype == np.dtype(dtype)


# -- Numba ----------------------------------------------------------------------------------
def _numba_cuda() -> Any:
    numba_cuda = pytest.importorskip("numba.cuda")
    if not numba_cuda.is_available():
        pytest.skip("numba.cuda finds no usable GPU")
    return numba_cuda


@parametrize_dtypes
@parametrize_cases
def test_numba_cuda_array_interface(producer: Producer, dtype: str,
                                    case: tuple[tuple[int, ...], int]) -> None:
    numba_cuda = _numba_cuda()
    shape, offset = case
    array = check_both_ways(
        producer, dtype, shape, offset,
        wrap=numba_cuda.as_cuda_array,
        pointer=lambda a: a.__cuda_array_interface__["data"][0],
        to_host=lambda a: a.copy_to_host(),
        from_host=lambda a, data: a.copy_to_device(data),
        synchronize=numba_cuda.synchronize)
    assert array.dtype == np.dtype(dtype)


@parametrize_dtypes
@parametrize_cases
def test_numba_dlpack(producer: Producer, dtype: str, case: tuple[tuple[int, ...], int]) -> None:
    numba_cuda = _numba_cuda()
    from_dlpack = getattr(numba_cuda, "from_dlpack", None)
    if from_dlpack is None:
        pytest.skip("this numba-cuda has no numba.cuda.from_dlpack")
    shape, offset = case
    check_both_ways(
        producer, dtype, shape, offset,
        wrap=from_dlpack,
        pointer=lambda a: a.__cuda_array_interface__["data"][0],
        to_host=lambda a: a.copy_to_host(),
        from_host=lambda a, data: a.copy_to_device(data),
        synchronize=numba_cuda.synchronize)


# -- cuda.core ------------------------------------------------------------------------------
def _cuda_core_module(*submodule: str) -> Any:
    """cuda.core's top-level API (``cuda.core``, or ``cuda.core.experimental`` before it moved)."""
    pytest.importorskip("cuda.core", reason="cuda.core is not installed")
    for base in ("cuda.core", "cuda.core.experimental"):
        try:
            module = importlib.import_module(".".join((base, *submodule)))
        except ImportError:
            continue
        if submodule or hasattr(module, "Device"):
            return module
    pytest.skip(f"no cuda.core{'.' if submodule else ''}{'.'.join(submodule)} in the installed "
                "cuda.core")


def _strided_memory_view() -> Any:
    utils = _cuda_core_module("utils")
    view = getattr(utils, "StridedMemoryView", None)
    if view is None:
        pytest.skip(f"{utils.__name__} has no StridedMemoryView")
    return view


def _check(result: tuple[Any, ...]) -> tuple[Any, ...]:
    from cuda.bindings import driver

    if result[0] != driver.CUresult.CUDA_SUCCESS:
        raise RuntimeError(f"CUDA driver call failed: {result[0]!r}")
    return result[1:]


@parametrize_dtypes
@parametrize_cases
@pytest.mark.parametrize("protocol", ["dlpack", "cai"])
def test_cuda_core_strided_memory_view(producer: Producer, dtype: str,
                                       case: tuple[tuple[int, ...], int], protocol: str) -> None:
    strided_memory_view = _strided_memory_view()
    core = _cuda_core_module()
    pytest.importorskip("cuda.bindings.driver", reason="cuda.bindings is not installed")
    from cuda.bindings import driver

    core.Device(producer.mapping.device).set_current()  # for the driver calls below
    shape, offset = case

    def wrap(view: ci.BufferView) -> Any:
        # stream_ptr=-1: no stream ordering (this memory has no producer stream)
        method = {"dlpack": "from_dlpack", "cai": "from_cuda_array_interface"}[protocol]
        if hasattr(strided_memory_view, method):
            return getattr(strided_memory_view, method)(view, stream_ptr=-1)
        if protocol == "cai":
            pytest.skip("this cuda.core's StridedMemoryView has no from_cuda_array_interface")
        return strided_memory_view(view, stream_ptr=-1)  # older cuda.core: DLPack first

    def to_host(smv: Any) -> np.ndarray:
        out = np.empty(shape, dtype)
        _check(driver.cuMemcpyDtoH(out.ctypes.data, smv.ptr, out.nbytes))
        return out

    def from_host(smv: Any, data: np.ndarray) -> None:
        source = np.ascontiguousarray(data)
        _check(driver.cuMemcpyHtoD(smv.ptr, source.ctypes.data, source.nbytes))

    smv = check_both_ways(producer, dtype, shape, offset, wrap=wrap, pointer=lambda s: s.ptr,
                          to_host=to_host, from_host=from_host)
    assert smv.dtype == np.dtype(dtype)
    assert smv.device_id == producer.mapping.device
    assert smv.is_device_accessible
    assert smv.strides in (None, tuple(int(np.prod(shape[i + 1:])) for i in range(len(shape))))


# -- Warp -----------------------------------------------------------------------------------
@parametrize_dtypes
@parametrize_cases
def test_warp(producer: Producer, dtype: str, case: tuple[tuple[int, ...], int]) -> None:
    wp = pytest.importorskip("warp", reason="warp is not installed (its wheel is ~150 MB)")
    wp.init()
    shape, offset = case

    def from_host(array: Any, data: np.ndarray) -> None:
        wp.copy(array, wp.array(data, dtype=array.dtype, device=array.device))

    check_both_ways(
        producer, dtype, shape, offset,
        wrap=wp.from_dlpack,
        pointer=lambda a: a.ptr,
        to_host=lambda a: a.numpy(),
        from_host=from_host,
        synchronize=wp.synchronize)


# -- Streams: any object with __cuda_stream__, .cuda_stream or .ptr ------------------------
class ProtocolStream:
    """Only the CUDA stream protocol: ``__cuda_stream__() -> (0, cudaStream_t)``."""

    def __init__(self, handle: int) -> None:
        self.handle = handle

    def __cuda_stream__(self) -> tuple[int, int]:
        return (0, self.handle)


def _stream(kind: str) -> tuple[Any, Callable[[], None]]:
    """A non-default stream of `kind` and how to synchronize it."""
    if kind == "torch":
        torch = pytest.importorskip("torch")
        stream = torch.cuda.Stream()
        return stream, stream.synchronize
    if kind == "cupy":
        cupy = pytest.importorskip("cupy")
        stream = cupy.cuda.Stream(non_blocking=True)
        return stream, stream.synchronize
    if kind == "cuda.core":
        core = _cuda_core_module()
        device = core.Device(0)
        device.set_current()
        stream = device.create_stream()
        assert hasattr(stream, "__cuda_stream__")
        return stream, stream.sync
    assert kind == "protocol"  # a bare protocol object around a torch or CuPy stream
    try:
        import torch

        inner = torch.cuda.Stream()
        return ProtocolStream(int(inner.cuda_stream)), inner.synchronize
    except ImportError:
        cupy = pytest.importorskip("cupy", reason="neither torch nor cupy is installed")
        inner = cupy.cuda.Stream(non_blocking=True)
        return ProtocolStream(int(inner.ptr)), inner.synchronize


@pytest.mark.parametrize("kind", ["torch", "cupy", "cuda.core", "protocol"])
def test_stream_objects_are_accepted_where_a_stream_is_taken(vulkan_context: Any,
                                                             kind: str) -> None:
    """ExternalSemaphore.signal/wait, the batched forms, LinearMemory.fill, copy_to_host and
    copy_from_host all take a framework's stream, and order their work on it."""
    features = vulkan_context.features
    if not (features.external_semaphore_fd or features.external_semaphore_win32):
        pytest.skip("the Vulkan driver cannot export semaphores")
    stream, synchronize = _stream(kind)
    size = 1 << 16
    with vulkan_context.create_semaphore(timeline=True) as semaphore, \
            semaphore.to_cuda() as cuda_semaphore, \
            vulkan_context.create_buffer(size) as buffer, buffer.to_cuda() as memory, \
            memory.map_buffer() as mapped:
        # CUDA -> Vulkan: fill on the stream, then signal 1 on it; Vulkan's host wait sees it.
        mapped.fill(0x3C, stream=stream)
        cuda_semaphore.signal(1, stream=stream)
        assert semaphore.wait(1, timeout=30), "the signal on the stream never arrived"
        assert (buffer.download() == 0x3C).all()

        # Vulkan -> CUDA: the fill waits for the host's 2 and signals 3; CUDA waits for 3 on
        # the stream, so the copy on that stream sees the fill.
        buffer.fill(0x11111111, wait=[(semaphore, 2)], signal=[(semaphore, 3)], block=False)
        cuda_semaphore.wait(3, stream=stream)
        semaphore.signal(2)
        assert (mapped.copy_to_host(stream=stream) == 0x11).all()

        # The batched forms, and a host copy into the mapping, on the same stream.
        data = np.random.default_rng(3).integers(0, 256, size, dtype=np.uint8)
        mapped.copy_from_host(data, stream=stream)
        ci.signal_semaphores([(cuda_semaphore, 4)], stream=stream)
        np.testing.assert_array_equal(buffer.download(wait=[(semaphore, 4)]), data)
        vulkan_context.submit(signal=[(semaphore, 5)])
        ci.wait_semaphores([(cuda_semaphore, 5)], stream=stream)
        synchronize()
        assert vulkan_context.wait_idle(timeout=30)
