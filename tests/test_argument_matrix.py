# SPDX-License-Identifier: Apache-2.0
"""One behaviour for bad arguments at every entry point: the same exception type and message,
whichever import, producer or mapping receives them. Python decides only Python types; every
range is checked once, in the C++ core."""

from __future__ import annotations

import os
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


def test_a_closed_share_is_refused_everywhere(pipe_fd: int, no_fd_leak: None) -> None:
    import socket

    from cuda_interop import ipc

    share = ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, os.dup(pipe_fd), 4096)
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
