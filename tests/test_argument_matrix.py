# SPDX-License-Identifier: Apache-2.0
"""One behaviour for bad arguments at every entry point: the same exception type and message,
whichever import, producer or mapping receives them. Python decides only Python types; every
range is checked once, in the C++ core."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cuda_interop as ci
from cuda_interop import vulkan

Call = Callable[[Any], object]

# (value, exception, message) for an argument that must be a positive size.
SIZE_CASES = [
    (-1, ValueError, "size must be > 0, got -1"),
    (0, ValueError, "size must be > 0, got 0"),
    (np.int64(-5), ValueError, "size must be > 0, got -5"),
    (-(2**63), ValueError, f"size must be > 0, got {-(2**63)}"),
    (2**63, ValueError, f"size must fit in 64 bits (|size| < 2**63), got {2**63}"),
    (2**64, ValueError, f"size must fit in 64 bits (|size| < 2**63), got {2**64}"),
    (2**200, ValueError, f"size must fit in 64 bits (|size| < 2**63), got {2**200}"),
    (1.5, TypeError, "size must be an int, got float"),
    ("no", TypeError, "size must be an int, got str"),
    (None, TypeError, "size must be an int, got NoneType"),
    (True, TypeError, "size must be an int, got bool"),
]

FD_CASES = [
    (-1, ValueError, "fd must be >= 0, got -1"),
    (2**40, ValueError, f"fd must be < 2**31, got {2**40}"),
    (2**64, ValueError, f"fd must fit in 64 bits (|fd| < 2**63), got {2**64}"),
    (1.0, TypeError, "fd must be an int, got float"),
    ("3", TypeError, "fd must be an int, got str"),
]

LEVEL_CASES = [
    (0, ValueError, "levels must be > 0, got 0"),
    (-3, ValueError, "levels must be > 0, got -3"),
    (2**32, ValueError, f"levels must be within 0..4294967295, got {2**32}"),
    (2.0, TypeError, "levels must be an int, got float"),
]


@pytest.fixture(scope="module")
def pipe_fd() -> Iterator[int]:
    read, write = os.pipe()
    yield read
    os.close(read)
    os.close(write)


@pytest.fixture(scope="module")
def memfd() -> Iterator[int]:
    """An fd a share takes (a pipe is refused: it can never be exported memory)."""
    fd = os.memfd_create("cuda-interop-matrix", os.MFD_CLOEXEC)
    yield fd
    os.close(fd)


def _vulkan_context() -> tuple[Any, str]:
    """A context on the first Vulkan device, or None and why there is none."""
    if not vulkan.available:
        return None, vulkan.unavailable_reason or ""
    try:
        if not vulkan.physical_devices():
            return None, "no Vulkan physical device"
    except ci.NotSupportedError as error:
        return None, f"no Vulkan loader: {error}"
    return vulkan.Context(physical_device_index=0), ""


@pytest.fixture(scope="module", autouse=True)
def vulkan_context() -> Iterator[tuple[Any, str]]:
    """Made before any test counts fds: the driver's first open files are not a leak."""
    context, reason = _vulkan_context()
    yield context, reason
    if context is not None:
        context.close()


@pytest.fixture
def ctx(vulkan_context: tuple[Any, str]) -> Any:
    context, reason = vulkan_context
    if context is None:
        pytest.skip(reason)
    return context


def size_entry_points(fd: int, ctx: Callable[[], Any]) -> dict[str, Call]:
    return {
        "ExternalMemory.from_fd": lambda size: ci.ExternalMemory.from_fd(fd, size),
        "ExternalMemory.from_win32": lambda size: ci.ExternalMemory.from_win32(1, size),
        "ExternalMemory.from_d3d12_heap": lambda size: ci.ExternalMemory.from_d3d12_heap(1, size),
        "ExternalMemory.from_d3d12_resource":
            lambda size: ci.ExternalMemory.from_d3d12_resource("frames", size),
        "ExternalMemory.from_d3d11_resource":
            lambda size: ci.ExternalMemory.from_d3d11_resource(1, size, kmt=True),
        "ExternalMemory.from_nvscibuf": lambda size: ci.ExternalMemory.from_nvscibuf(1, size),
        "SharedAllocation": lambda size: ci.SharedAllocation(size),
        "vulkan.Context.create_buffer": lambda size: ctx().create_buffer(size),
    }


SIZE_ENTRY_NAMES = list(size_entry_points(0, lambda: None))


@pytest.mark.parametrize("entry", SIZE_ENTRY_NAMES)
@pytest.mark.parametrize(("value", "error", "message"), SIZE_CASES,
                         ids=[repr(case[0]) for case in SIZE_CASES])
def test_sizes(request: pytest.FixtureRequest, pipe_fd: int, no_fd_leak: None, entry: str,
               value: Any, error: type[Exception], message: str) -> None:
    call = size_entry_points(pipe_fd, lambda: request.getfixturevalue("ctx"))[entry]
    with pytest.raises(error) as raised:
        call(value)
    assert str(raised.value) == message
    assert os.fstat(pipe_fd)  # the caller's fd is still open


def fd_entry_points(ctx: Callable[[], Any]) -> dict[str, Call]:
    return {
        "ExternalMemory.from_fd": lambda fd: ci.ExternalMemory.from_fd(fd, 4096),
        "ExternalMemory.from_fd(take_ownership)":
            lambda fd: ci.ExternalMemory.from_fd(fd, 4096, take_ownership=True),
        "ExternalSemaphore.from_fd": lambda fd: ci.ExternalSemaphore.from_fd(fd, timeline=True),
        "ExternalSemaphore.from_fd(binary)":
            lambda fd: ci.ExternalSemaphore.from_fd(fd, timeline=False),
        "vulkan.Context.import_buffer_fd": lambda fd: ctx().import_buffer_fd(
            fd, vulkan.BufferImportDesc(4096, 4096, 0, False)),
    }


@pytest.mark.parametrize("entry", list(fd_entry_points(lambda: None)))
@pytest.mark.parametrize(("value", "error", "message"), FD_CASES,
                         ids=[repr(case[0]) for case in FD_CASES])
def test_fds(request: pytest.FixtureRequest, no_fd_leak: None, entry: str, value: Any,
             error: type[Exception], message: str) -> None:
    call = fd_entry_points(lambda: request.getfixturevalue("ctx"))[entry]
    with pytest.raises(error) as raised:
        call(value)
    assert str(raised.value) == message


def test_a_closed_fd_is_named_by_every_import(pipe_fd: int) -> None:
    closed = os.dup(pipe_fd)
    os.close(closed)
    for call in (lambda: ci.ExternalMemory.from_fd(closed, 4096),
                 lambda: ci.ExternalSemaphore.from_fd(closed, timeline=True)):
        with pytest.raises(ValueError, match=f"^fd {closed} is not open$"):
            call()


def level_entry_points(ctx: Callable[[], Any]) -> dict[str, Call]:
    return {
        "ImageLayout": lambda levels: ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (16, 16, 0),
                                                     levels),
        "vulkan.Context.create_image":
            lambda levels: ctx().create_image("R8G8B8A8_UNORM", 16, 16, levels=levels),
    }


# The descriptor's own constructor is typed by its binding: it takes part in the value cases.
LEVEL_PARAMS = [pytest.param(entry, *case, id=f"{case[0]!r}-{entry}")
                for entry in level_entry_points(lambda: None) for case in LEVEL_CASES
                if not (entry == "ImageLayout" and case[1] is TypeError)]


@pytest.mark.parametrize(("entry", "value", "error", "message"), LEVEL_PARAMS)
def test_levels(request: pytest.FixtureRequest, entry: str, value: Any, error: type[Exception],
                message: str) -> None:
    call = level_entry_points(lambda: request.getfixturevalue("ctx"))[entry]
    with pytest.raises(error) as raised:
        call(value)
    assert str(raised.value) == message


@given(st.integers(max_value=0))
def test_every_non_positive_size_reads_alike(size: int) -> None:
    expected = (f"size must be > 0, got {size}" if size >= -(2**63)
                else f"size must fit in 64 bits (|size| < 2**63), got {size}")
    for call in (lambda: ci.ExternalMemory.from_d3d12_heap(1, size),
                 lambda: ci.ExternalMemory.from_nvscibuf(1, size),
                 lambda: ci.SharedAllocation(size)):
        with pytest.raises(ValueError) as raised:
            call()
        assert str(raised.value) == expected


@given(st.one_of(st.floats(), st.text(), st.binary(), st.none(), st.booleans(),
                 st.lists(st.integers(), max_size=2)))
def test_every_non_integer_size_is_a_type_error(size: Any) -> None:
    for call in (lambda: ci.ExternalMemory.from_fd(0, size),
                 lambda: ci.SharedAllocation(size)):
        with pytest.raises(TypeError, match=f"^size must be an int, got {type(size).__name__}$"):
            call()


# -- On the GPU: the same rules for mappings, views and mipmapped arrays ---------------------
OFFSET_CASES = [
    (-1, ValueError, "offset must be >= 0, got -1"),
    (2**63, ValueError, f"offset must fit in 64 bits (|offset| < 2**63), got {2**63}"),
    (0.5, TypeError, "offset must be an int, got float"),
]


@pytest.mark.gpu
@pytest.mark.parametrize(("value", "error", "message"), OFFSET_CASES,
                         ids=[repr(case[0]) for case in OFFSET_CASES])
def test_offsets_on_the_gpu(value: Any, error: type[Exception], message: str) -> None:
    with ci.SharedAllocation(2 << 20) as allocation, allocation.to_cuda() as memory:
        mapped = memory.map_buffer()
        for call in (lambda: memory.map_buffer(value),
                     lambda: mapped.fill(0, value, 16),
                     lambda: allocation.copy_to_host(np.empty(4, np.uint8), value),
                     lambda: memory.map_mipmapped_array("R8_UINT", None, (16, 16, 0),
                                                        offset=value)):
            with pytest.raises(error) as raised:
                call()
            assert str(raised.value) == message


@pytest.mark.gpu
@pytest.mark.parametrize(("value", "error", "message"), LEVEL_CASES,
                         ids=[repr(case[0]) for case in LEVEL_CASES])
def test_levels_on_the_gpu(value: Any, error: type[Exception], message: str) -> None:
    with ci.SharedAllocation(2 << 20) as allocation, allocation.to_cuda() as memory:
        with pytest.raises(error) as raised:
            memory.map_mipmapped_array("R8G8B8A8_UNORM", None, (16, 16, 0), value)
        assert str(raised.value) == message


# -- The Vulkan producer's queue operations, on any Vulkan driver ------------------------------
def _offset_cases(name: str) -> list[tuple[Any, type[Exception], str]]:
    return [(-1, ValueError, f"{name} must be >= 0, got -1"),
            (-(2**63), ValueError, f"{name} must be >= 0, got {-(2**63)}"),
            (2**63, ValueError, f"{name} must fit in 64 bits (|{name}| < 2**63), got {2**63}"),
            (2**70, ValueError, f"{name} must fit in 64 bits (|{name}| < 2**63), got {2**70}"),
            (0.5, TypeError, f"{name} must be an int, got float"),
            ("0", TypeError, f"{name} must be an int, got str"),
            (None, TypeError, f"{name} must be an int, got NoneType"),
            (False, TypeError, f"{name} must be an int, got bool")]


def buffer_offset_entry_points(ctx: Any, buffers: tuple[Any, Any]) -> dict[str, tuple[str, Call]]:
    source, destination = buffers
    return {
        "Buffer.fill": ("offset", lambda v: source.fill(0, v, 4)),
        "Buffer.upload": ("offset", lambda v: source.upload(bytes(4), v)),
        "Buffer.download": ("offset", lambda v: source.download(4, v)),
        "Buffer.copy_to (source)": ("source_offset", lambda v: source.copy_to(destination, 4, v)),
        "Buffer.copy_to (destination)":
            ("destination_offset", lambda v: source.copy_to(destination, 4, 0, v)),
    }


BUFFER_OFFSET_PARAMS = [
    pytest.param(entry, *case, id=f"{case[0]!r}-{entry}")
    for entry, (name, _) in buffer_offset_entry_points(None, (None, None)).items()
    for case in _offset_cases(name)]


@pytest.fixture(scope="module")
def buffers(vulkan_context: tuple[Any, str]) -> Iterator[tuple[Any, Any]]:
    context, _ = vulkan_context
    if context is None:
        yield None, None
        return
    with context.create_buffer(4096) as source, context.create_buffer(4096) as destination:
        yield source, destination


@pytest.mark.parametrize(("entry", "value", "error", "message"), BUFFER_OFFSET_PARAMS)
def test_vulkan_buffer_offsets(ctx: Any, buffers: tuple[Any, Any], entry: str, value: Any,
                               error: type[Exception], message: str) -> None:
    _, call = buffer_offset_entry_points(ctx, buffers)[entry]
    with pytest.raises(error) as raised:
        call(value)
    assert str(raised.value) == message


SEMAPHORE_VALUE_CASES = [
    (-1, ValueError, "value must be in [0, 2**64), got -1"),
    (2**64, ValueError, f"value must be in [0, 2**64), got {2**64}"),
    (1.0, TypeError, "value must be an int, got float"),
    ("1", TypeError, "value must be an int, got str"),
    (True, TypeError, "value must be an int, got bool"),
]


@pytest.mark.parametrize(("value", "error", "message"), SEMAPHORE_VALUE_CASES,
                         ids=[repr(case[0]) for case in SEMAPHORE_VALUE_CASES])
@pytest.mark.parametrize("operation", ["signal", "wait"])
def test_vulkan_semaphore_values(ctx: Any, operation: str, value: Any, error: type[Exception],
                                 message: str) -> None:
    with ctx.create_semaphore(timeline=True, exportable=False) as semaphore:
        with pytest.raises(error) as raised:
            getattr(semaphore, operation)(value)
        assert str(raised.value) == message
        assert semaphore.value == 0


@pytest.mark.parametrize(("value", "error", "message"), [
    (-1, ValueError, "level must be within 0..4294967295, got -1"),
    (2**32, ValueError, f"level must be within 0..4294967295, got {2**32}"),
    (0.0, TypeError, "level must be an int, got float"),
    (None, TypeError, "level must be an int, got NoneType"),
])
@pytest.mark.parametrize("operation", ["upload", "download"])
def test_vulkan_image_levels(ctx: Any, operation: str, value: Any, error: type[Exception],
                             message: str) -> None:
    with ctx.create_image("R8_UINT", 4, 4) as image:
        call = (lambda: image.upload(value, np.zeros((4, 4), np.uint8))) if operation == "upload" \
            else (lambda: image.download(value, out=np.zeros((4, 4), np.uint8)))
        with pytest.raises(error) as raised:
            call()
        assert str(raised.value) == message


# -- The descriptors' own constructors and the wait limits read alike too -----------------------
@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, None, 4096), TypeError,
     "handle must be an int, got NoneType"),
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, 0, 1.5, owned=False), TypeError,
     "size must be an int, got float"),
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, 0, 2**64, owned=False), ValueError,
     f"size must fit in 64 bits (|size| < 2**63), got {2**64}"),
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, 0, np.int64(-1), owned=False),
     ValueError, "size must be > 0, got -1"),
    (lambda: ci.SemaphoreShare(ci.SemaphoreHandleType.OPAQUE_FD, 2.0), TypeError,
     "handle must be an int, got float"),
    (lambda: ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (None, 4, 0)), TypeError,
     "extent width must be an int, got NoneType"),
    (lambda: ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (4, 4, 0), "2"), TypeError,
     "levels must be an int, got str"),
    (lambda: ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (4, 4, 0)).with_flags(True), TypeError,
     "flags must be an int, got bool"),
], ids=["share-None", "share-1.5", "share-2**64", "share-np-1", "semaphore-2.0", "extent-None",
        "levels-str", "flags-bool"])
def test_descriptor_constructors(call: Callable[[], object], error: type[Exception],
                                 message: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value) == message


def test_a_closed_share_is_refused_everywhere(memfd: int, no_fd_leak: None) -> None:
    import socket

    from cuda_interop import ipc

    share = ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, os.dup(memfd), 4096)
    share.close()
    left, right = socket.socketpair()
    with left, right:
        for call in (share.validate, lambda: ci.ExternalMemory.from_share(share),
                     lambda: ipc.send_share(left, share)):
            with pytest.raises(ci.ClosedError, match="closed or given away"):
                call()


@pytest.mark.parametrize(("timeout", "error", "message"), [
    (-1, ValueError, "timeout must be >= 0 seconds (or None)"),
    (float("nan"), ValueError, "timeout must be >= 0 seconds (or None)"),
    (10**400, ValueError,
     "timeout must be a number of seconds a float can hold (or None), got an int of 1329 bits"),
    ("1", TypeError, "timeout must be a number of seconds or None, got str"),
    (True, TypeError, "timeout must be a number of seconds or None, got bool"),
])
def test_vulkan_wait_limits(ctx: Any, buffers: tuple[Any, Any], timeout: Any,
                            error: type[Exception], message: str) -> None:
    source, _ = buffers
    with ctx.create_semaphore(timeline=True, exportable=False) as semaphore:
        for call in (lambda: ctx.wait_idle(timeout=timeout), lambda: ctx.submit(timeout=timeout),
                     lambda: source.fill(0, timeout=timeout),
                     lambda: source.download(4, timeout=timeout),
                     lambda: semaphore.wait(1, timeout=timeout)):
            with pytest.raises(error) as raised:
                call()
            assert str(raised.value) == message


# -- Found by a hostile run over every entry point: one parametrised case per class -------------
class _Index:
    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


# Device ordinals: numpy ints and __index__ objects are ordinals; beyond a C int is a ValueError
# naming the argument, never pybind11's "incompatible function arguments".
@pytest.mark.parametrize(("value", "error", "message"), [
    (2**31, ValueError, f"device ordinal must be in [0, 2**31), got {2**31}"),
    (2**64, ValueError, f"device must fit in 64 bits (|device| < 2**63), got {2**64}"),
    (-1, ValueError, "device ordinal must be in [0, 2**31), got -1"),
    (_Index(-2), ValueError, "device ordinal must be in [0, 2**31), got -2"),
    (1.5, TypeError, "device must be a Device, an int, None, or a torch.device / "
     "cupy.cuda.Device / cuda.core Device, got float"),
    ("0", TypeError, "device must be a Device, an int, None, or a torch.device / "
     "cupy.cuda.Device / cuda.core Device, got str"),
])
@pytest.mark.parametrize("entry", ["ExternalMemory.from_fd", "ExternalMemory.from_share",
                                   "ExternalSemaphore.from_fd", "SharedAllocation"])
def test_device_ordinals(pipe_fd: int, memfd: int, no_fd_leak: None, entry: str, value: Any,
                         error: type[Exception], message: str) -> None:
    calls: dict[str, Call] = {
        "ExternalMemory.from_fd": lambda d: ci.ExternalMemory.from_fd(pipe_fd, 4096, device=d),
        "ExternalMemory.from_share": lambda d: ci.ExternalMemory.from_share(
            ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, memfd, 4096, owned=False), device=d),
        "ExternalSemaphore.from_fd":
            lambda d: ci.ExternalSemaphore.from_fd(pipe_fd, timeline=True, device=d),
        "SharedAllocation": lambda d: ci.SharedAllocation(4096, device=d),
    }
    with pytest.raises(error) as raised:
        calls[entry](value)
    assert str(raised.value) == message


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: ci.Device(2**40), ValueError, f"ordinal ordinal must be in [0, 2**31), got {2**40}"),
    (lambda: ci.Device(2**64), ValueError,
     f"ordinal must fit in 64 bits (|ordinal| < 2**63), got {2**64}"),
    (lambda: ci.Device(1.5), TypeError, "ordinal must be an int, got float"),
    (lambda: ci.Device.from_uuid(5), TypeError,
     "uuid must be bytes, a str or a uuid.UUID, got int"),
    (lambda: ci.Device.from_uuid("GPU-zz"), ValueError,
     "uuid must be 16 bytes or a UUID's text, got 'GPU-zz'"),
    (lambda: ci.Device.from_luid(None), TypeError, "luid must be bytes, got NoneType"),
], ids=["ordinal-2**40", "ordinal-2**64", "ordinal-1.5", "uuid-int", "uuid-text", "luid-None"])
def test_device_lookups(call: Callable[[], object], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value) == message


# Streams: any integer handle in [0, 2**64), numpy ints too; a malformed __cuda_stream__ is a
# TypeError naming the stream.
class _BadStream:
    def __cuda_stream__(self) -> object:
        return "x"


@pytest.mark.parametrize(("stream", "error", "message"), [
    (2**64, ValueError, f"stream handle must be in [0, 2**64), got {2**64}"),
    (np.int64(-1), ValueError, "stream handle must be in [0, 2**64), got -1"),
    (np.bool_(True), TypeError, "stream must not be a bool"),
    (_BadStream(), TypeError, "stream.__cuda_stream__ must give (version, handle), got 'x'"),
])
def test_streams(stream: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as raised:
        ci.signal_semaphores([], stream=stream)
    assert str(raised.value) == message


# Batched semaphore items: each a tuple of the right length, checked before anything else.
@pytest.mark.parametrize(("call", "message"), [
    (lambda: ci.signal_semaphores(b"x"), "items must be a sequence of tuples, got bytes"),
    (lambda: ci.signal_semaphores([None]), "item 0 must be a tuple (semaphore, value), got None"),
    (lambda: ci.wait_semaphores([(1, 2, 3, 4)]),
     "item 0 must be a tuple (semaphore, value) or (semaphore, value, timeout_ms), "
     "got (1, 2, 3, 4)"),
    (lambda: ci.wait_semaphores([(1, 2, "no")]), "item 0: expected an ExternalSemaphore, got int"),
], ids=["bytes", "None", "4-tuple", "not-a-semaphore"])
def test_semaphore_items(call: Callable[[], object], message: str) -> None:
    with pytest.raises(TypeError) as raised:
        call()
    assert str(raised.value) == message


# Flags: True/False and numpy bools (numpy 2 names its type "bool"); nothing else, also in the
# descriptors' constructors, whose pybind11 bool took None, -1 or 1.5.
@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, 0, 4096, dedicated=None, owned=False),
     TypeError, "dedicated must be a bool, got NoneType"),
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, 0, 4096, owned=-1), TypeError,
     "owned must be a bool, got int"),
    (lambda: ci.SemaphoreShare(ci.SemaphoreHandleType.OPAQUE_FD, 0, owned=1.5), TypeError,
     "owned must be a bool, got float"),
    (lambda: ci.MemoryShare(None, 0, 4096, owned=False), TypeError,
     "type must be a MemoryHandleType, got NoneType"),
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, 0, 4096, device_uuid=0, owned=False),
     TypeError, "device_uuid must be bytes or None, got int"),
    (lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, 0, 4096, image=b"x", owned=False),
     TypeError, "image must be a ImageLayout or None, got bytes"),
    (lambda: ci.ArrayFlags.from_options(layered="no", cubemap=False, surface_load_store=False,
                                        color_attachment=False, texture_gather=False),
     TypeError, "layered must be a bool, got str"),
    (lambda: ci.array_format("uint8", True), TypeError, "channels must be an int, got bool"),
    (lambda: ci.array_format(None), TypeError,
     "dtype must be a numpy dtype or a format name, got None"),
], ids=["dedicated-None", "owned--1", "owned-1.5", "type-None", "uuid-int", "image-bytes",
        "layered-str", "channels-bool", "dtype-None"])
def test_flags_and_descriptor_types(call: Callable[[], object], error: type[Exception],
                                    message: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value) == message


def test_numpy_bools_are_flags(pipe_fd: int, memfd: int) -> None:
    share = ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, memfd, 4096,
                           dedicated=np.bool_(True), owned=np.bool_(False))
    assert share.dedicated and not share.owned
    # past the flags: only the missing GPU (or driver) stops it
    with pytest.raises((ci.CudaError, ci.NotSupportedError)):
        ci.ExternalMemory.from_fd(pipe_fd, 4096, dedicated=np.bool_(False))


# Vulkan entry points: the wrong kind of object, host arrays and levels are named, never an
# AttributeError, BufferError or a binding cast error from inside.
@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda ctx, buf, img: buf.copy_to(None), TypeError,
     "destination must be a vulkan.Buffer, got NoneType"),
    (lambda ctx, buf, img: img.copy_from_buffer(img), TypeError,
     "source must be a vulkan.Buffer, got Image"),
    (lambda ctx, buf, img: img.copy_to_buffer(0), TypeError,
     "destination must be a vulkan.Buffer, got int"),
    (lambda ctx, buf, img: ctx.import_buffer_fd(0, (4096, 4096, 0, False)), TypeError,
     "desc must be a BufferImportDesc, got tuple"),
    (lambda ctx, buf, img: buf.upload(None), TypeError,
     "data must be bytes or an array of numbers, got NoneType"),
    (lambda ctx, buf, img: buf.upload(object()), TypeError,
     "data must be bytes or an array of numbers, got object of object"),
    (lambda ctx, buf, img: buf.download(out=b"x"), TypeError,
     "out must be a numpy array, got bytes"),
    (lambda ctx, buf, img: buf.download(out=np.zeros(4, np.uint8)[::2]), ValueError,
     "out must be C-contiguous"),
    (lambda ctx, buf, img: buf.download(-1), ValueError, "size must be > 0, got -1"),
    (lambda ctx, buf, img: img.level_size(None), TypeError, "level must be an int, got NoneType"),
    (lambda ctx, buf, img: img.level_extent(2**64), ValueError,
     f"level must fit in 64 bits (|level| < 2**63), got {2**64}"),
    (lambda ctx, buf, img: img.level_shape(True), TypeError, "level must be an int, got bool"),
    (lambda ctx, buf, img: img.level_size(-1), ValueError,
     "level must be within 0..4294967295, got -1"),
    (lambda ctx, buf, img: ctx.submit(wait=0), TypeError,
     "wait must be an iterable of Semaphore or (Semaphore, value) items, got int"),
    (lambda ctx, buf, img: ctx.submit(wait=[None]), TypeError,
     "wait items must be a Semaphore or (Semaphore, value), got None"),
    (lambda ctx, buf, img: ctx.wait_idle(np.bool_(True)), TypeError,
     "timeout must be a number of seconds or None, got bool"),
    (lambda ctx, buf, img: buf.download(8, out=np.zeros(16, np.uint8)), ValueError,
     "out has 16 bytes but size is 8: give an out of exactly size bytes, or no size"),
    (lambda ctx, buf, img: buf.download(2**62), ValueError,  # before any host allocation
     f"download: {2**62} bytes at offset 0 do not fit in 4096 bytes"),
    (lambda ctx, buf, img: buf.download(out=np.zeros(8, np.uint8), offset=4092), ValueError,
     "download: 8 bytes at offset 4092 do not fit in 4096 bytes"),
    (lambda ctx, buf, img: buf.copy_to(buf, 256, 0, 128), ValueError,
     "copy within one buffer: source bytes [0, 256) and destination bytes [128, 384) overlap "
     "(Vulkan leaves overlapping copies undefined)"),
    (lambda ctx, buf, img: buf.upload(memoryview(bytes(64))[::2]), ValueError,
     "data must be C-contiguous (a strided memoryview is not)"),
    (lambda ctx, buf, img: ctx.create_semaphore(initial_value=2**64), ValueError,
     f"initial_value must be in [0, 2**64), got {2**64}"),
    (lambda ctx, buf, img: ctx.create_semaphore(initial_value=-1), ValueError,
     "initial_value must be in [0, 2**64), got -1"),
], ids=["copy_to-None", "copy_from_buffer-image", "copy_to_buffer-int", "desc-tuple",
        "upload-None", "upload-object", "out-bytes", "out-strided", "download-size",
        "level_size-None", "level_extent-2**64", "level_shape-bool", "level_size--1",
        "wait-int", "wait-None",
        "timeout-npbool", "download-out-not-size", "download-2**62", "download-out-past-end",
        "copy_to-overlapping-itself", "upload-strided-memoryview", "initial_value-2**64",
        "initial_value--1"])
def test_vulkan_argument_kinds(ctx: Any, no_fd_leak: None, call: Callable[..., object],
                               error: type[Exception], message: str) -> None:
    with ctx.create_buffer(4096) as buf, ctx.create_image("R8G8B8A8_UNORM", 4, 4) as img, \
            pytest.raises(error) as raised:
        call(ctx, buf, img)
    seen = str(raised.value)
    del raised  # its traceback holds the native buffer (and its fd) in a reference cycle
    assert seen == message


# Waits that could never end are refused before Vulkan sees them: a binary semaphore that
# nothing signalled, and a pipe, socket or directory given as exported memory (lavapipe blocked
# reading them).
@pytest.mark.parametrize("wait", ["host", "submit", "fill"])
def test_a_binary_wait_with_nothing_pending_is_refused(ctx: Any, wait: str) -> None:
    with ctx.create_semaphore(timeline=False, exportable=False) as semaphore, \
            ctx.create_buffer(64) as buf:
        calls: dict[str, Callable[[], object]] = {
            "host": lambda: semaphore.wait(timeout=1),
            "submit": lambda: ctx.submit(wait=[semaphore], timeout=1),
            "fill": lambda: buf.fill(0, wait=[semaphore], timeout=1),
        }
        with pytest.raises(ValueError, match="has no signal pending"):
            calls[wait]()
        ctx.submit(signal=[semaphore])  # then the wait has something to wait for
        assert semaphore.wait(timeout=5) is not False
        with pytest.raises(ValueError, match="has no signal pending"):
            calls[wait]()


# A binary semaphore has no counter: a value other than 0 is refused wherever one is given.
@pytest.mark.parametrize("use", ["signal", "wait", "submit-signal", "submit-wait", "fill-wait"])
def test_a_binary_semaphore_takes_no_value(ctx: Any, use: str) -> None:
    with ctx.create_semaphore(timeline=False, exportable=False) as semaphore, \
            ctx.create_buffer(64) as buf:
        ctx.submit(signal=[semaphore])  # a wait would have something to wait for
        calls: dict[str, Callable[[], object]] = {
            "signal": lambda: semaphore.signal(5),
            "wait": lambda: semaphore.wait(5, timeout=1),
            "submit-signal": lambda: ctx.submit(wait=[semaphore], signal=[(semaphore, 5)]),
            "submit-wait": lambda: ctx.submit(wait=[(semaphore, 5)], timeout=1),
            "fill-wait": lambda: buf.fill(0, wait=[(semaphore, 5)], timeout=1),
        }
        side = "signal" if use.endswith("signal") else "wait for"
        with pytest.raises(ValueError) as raised:
            calls[use]()
        assert str(raised.value) == \
            f"a binary semaphore to {side} has no counter: its value must be 0, got 5"
        assert semaphore.wait(0, timeout=5)  # the signal is still there: nothing reached Vulkan


# Timeline values are [0, 2**64) for the initial value and for signals alike.
def test_timeline_values_take_the_whole_64_bit_range(ctx: Any) -> None:
    top = 2**64 - 1
    with ctx.create_semaphore(initial_value=top, exportable=False) as semaphore:
        assert semaphore.value == top
    with ctx.create_semaphore(initial_value=np.uint64(top), exportable=False) as semaphore:
        assert semaphore.value == top
    with ctx.create_semaphore(exportable=False) as semaphore:
        try:  # a signal must also stay within the device's maxTimelineSemaphoreValueDifference
            semaphore.signal(top)
        except ValueError as error:
            assert "(maxTimelineSemaphoreValueDifference)" in str(error)
            assert semaphore.value == 0
        else:
            assert semaphore.value == top


@pytest.mark.parametrize("value", [np.int64(0), _Index(0)], ids=["np.int64", "__index__"])
def test_a_vulkan_context_takes_every_kind_of_ordinal(value: Any) -> None:
    try:
        context = vulkan.Context(value)  # past the type check, CUDA finds the device
    except (ci.CudaError, ci.NotSupportedError):
        return  # no GPU here: the ordinal was taken, the device could not be
    context.close()


@pytest.mark.parametrize("kind", ["pipe", "socket", "directory"])
def test_vulkan_refuses_fds_that_are_never_memory(ctx: Any, pipe_fd: int, kind: str) -> None:
    import socket
    with ctx.create_buffer(4096) as buf, socket.socket(socket.AF_UNIX) as sock:
        fd = {"pipe": pipe_fd, "socket": sock.fileno(),
              "directory": os.open("/", os.O_RDONLY)}[kind]
        try:
            with pytest.raises(ValueError, match=f"fd {fd} is a {kind}, not exported memory"):
                ctx.import_buffer_fd(fd, buf.import_desc())
        finally:
            if kind == "directory":
                os.close(fd)


# -- ipc and the frame channel: the socket and the timeout --------------------------------------
def _memfd_share() -> ci.MemoryShare:
    fd = os.memfd_create("cuda-interop-matrix", os.MFD_CLOEXEC)
    return ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 4096)


class _NeverExported:
    def export_share(self) -> ci.MemoryShare:
        raise AssertionError("exported before the socket was checked")


def _closed_socket() -> Any:
    import socket

    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    left.close()
    right.close()
    return right


SOCKET_ENTRIES: dict[str, Call] = {
    "ipc.send_share": lambda sock: ipc_module().send_share(sock, _memfd_share()),
    "ipc.send_memory": lambda sock: ipc_module().send_memory(sock, _NeverExported()),
    "ipc.send_semaphore": lambda sock: ipc_module().send_semaphore(sock, _NeverExported()),
    "ipc.receive_share": lambda sock: ipc_module().receive_share(sock, "memory", timeout=0.1),
    "ipc.receive_memory": lambda sock: ipc_module().receive_memory(sock, timeout=0.1),
    "ipc.receive_semaphore": lambda sock: ipc_module().receive_semaphore(sock, timeout=0.1),
    "ipc.FrameSender": lambda sock: ipc_module().FrameSender(sock, None, 4096),
    "ipc.FrameReceiver": lambda sock: ipc_module().FrameReceiver(sock, timeout=0.1),
}
SOCKET_CASES = [(None, TypeError, "sock must be a connected Unix socket, got NoneType"),
                (5, TypeError, "sock must be a connected Unix socket, got int"),
                (np.int64(5), TypeError, "sock must be a connected Unix socket, got int64"),
                ("sock", TypeError, "sock must be a connected Unix socket, got str"),
                (1.5, TypeError, "sock must be a connected Unix socket, got float"),
                ("closed", ValueError, "sock is closed"),
                # TCP drops fds silently; datagram and SEQPACKET sockets cut messages at sends
                ("seqpacket", ValueError,
                 "sock must be a stream socket (SOCK_STREAM), got SOCK_SEQPACKET"),
                ("dgram", ValueError, "sock must be a stream socket (SOCK_STREAM), got SOCK_DGRAM"),
                ("tcp", ValueError, "sock must be a Unix domain socket (AF_UNIX), got AF_INET: "
                 "only Unix sockets carry file descriptors")]


def _other_socket(kind: str) -> Any:
    import socket

    if kind == "tcp":
        return socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    return socket.socket(socket.AF_UNIX,
                         socket.SOCK_SEQPACKET if kind == "seqpacket" else socket.SOCK_DGRAM)


def ipc_module() -> Any:
    from cuda_interop import ipc

    return ipc


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="needs memfd_create (Linux)")
@pytest.mark.parametrize("entry", list(SOCKET_ENTRIES))
@pytest.mark.parametrize(("value", "error", "message"), SOCKET_CASES,
                         ids=[repr(case[0]) for case in SOCKET_CASES])
def test_sockets(no_fd_leak: None, entry: str, value: Any, error: type[Exception],
                 message: str) -> None:
    other = value in ("seqpacket", "dgram", "tcp")
    sock = _closed_socket() if value == "closed" else _other_socket(value) if other else value
    try:
        with pytest.raises(error) as raised:
            SOCKET_ENTRIES[entry](sock)
    finally:
        if other:
            sock.close()
    assert str(raised.value) == message


TIMEOUT_ENTRIES: dict[str, Callable[[Any, Any], object]] = {
    "ipc.receive_share": lambda sock, t: ipc_module().receive_share(sock, "memory", timeout=t),
    "ipc.receive_memory": lambda sock, t: ipc_module().receive_memory(sock, timeout=t),
    "ipc.receive_semaphore": lambda sock, t: ipc_module().receive_semaphore(sock, timeout=t),
    "ipc.FrameReceiver": lambda sock, t: ipc_module().FrameReceiver(sock, timeout=t),
}
TIMEOUT_CASES = [(0, ValueError,
                  "timeout must be a finite number of seconds > 0, or None, got 0.0"),
                 (-1.5, ValueError,
                  "timeout must be a finite number of seconds > 0, or None, got -1.5"),
                 (float("inf"), ValueError,
                  "timeout must be a finite number of seconds > 0, or None, got inf"),
                 (float("nan"), ValueError,
                  "timeout must be a finite number of seconds > 0, or None, got nan"),
                 ("1", TypeError, "timeout must be a number of seconds or None, got str"),
                 (True, TypeError, "timeout must be a number of seconds or None, got bool"),
                 (np.float64(-1.0), ValueError,
                  "timeout must be a finite number of seconds > 0, or None, got -1.0"),
                 (b"1", TypeError, "timeout must be a number of seconds or None, got bytes"),
                 (10**400, ValueError, "timeout must be a number of seconds a float can hold "
                  "(or None), got an int of 1329 bits"),
                 (2**64, ValueError, f"timeout must be at most {threading.TIMEOUT_MAX:.0f} "
                  "seconds (threading.TIMEOUT_MAX), or None, got 1.8446744073709552e+19"),
                 (-(10**400), ValueError, "timeout must be a number of seconds a float can hold "
                  "(or None), got an int of 1329 bits")]


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="needs memfd_create (Linux)")
@pytest.mark.parametrize("entry", list(TIMEOUT_ENTRIES))
@pytest.mark.parametrize(("value", "error", "message"), TIMEOUT_CASES,
                         ids=[repr(case[0]) for case in TIMEOUT_CASES])
def test_timeouts(no_fd_leak: None, entry: str, value: Any, error: type[Exception],
                  message: str) -> None:
    import socket

    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with left, right, pytest.raises(error) as raised:
        TIMEOUT_ENTRIES[entry](right, value)
    assert str(raised.value) == message
