# SPDX-License-Identifier: Apache-2.0
"""The Vulkan producer. CPU tests run on any Vulkan driver (lavapipe in CI); `gpu` tests need a
CUDA GPU whose Vulkan driver exports memory and semaphores."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np
import pytest
from conftest import check_one_channel_levels

import cuda_interop
from cuda_interop import ClosedError, NotSupportedError, vulkan

if not vulkan.available:
    pytest.skip(vulkan.unavailable_reason or "", allow_module_level=True)

TEST_DEVICE = int(os.environ.get("CUDA_INTEROP_VULKAN_TEST_DEVICE", "0"))
POSIX = sys.platform != "win32"


def _vulkan_skip_reason() -> str | None:
    try:
        count = len(vulkan.physical_devices())
    except NotSupportedError as error:
        return f"no Vulkan loader: {error}"
    return None if count > TEST_DEVICE else "no Vulkan physical device"


VULKAN_SKIP = _vulkan_skip_reason()
needs_vulkan = pytest.mark.skipif(VULKAN_SKIP is not None, reason=VULKAN_SKIP or "")


@pytest.fixture
def ctx() -> Iterator[Any]:
    """A context on the test device chosen by index (no CUDA involved)."""
    if VULKAN_SKIP:
        pytest.skip(VULKAN_SKIP)
    with vulkan.Context(physical_device_index=TEST_DEVICE) as context:
        yield context


def _run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


# -- Loader and module availability ----------------------------------------------------------
def test_missing_loader_is_not_supported_and_says_how_to_install() -> None:
    result = _run("""
        from cuda_interop import NotSupportedError, vulkan
        try:
            vulkan.Context(physical_device_index=0)
        except NotSupportedError as error:
            print("NOT-SUPPORTED:", error)
    """, env={"CUDA_INTEROP_VULKAN_LOADER": "libcuda-interop-missing-loader.so.1"})
    assert "NOT-SUPPORTED:" in result.stdout, result.stderr
    assert "libcuda-interop-missing-loader.so.1" in result.stdout
    if POSIX:
        assert "libvulkan.so.1" in result.stdout
        assert "apt install libvulkan1" in result.stdout


def test_vulkan_error_is_a_runtime_error() -> None:
    assert issubclass(vulkan.VulkanError, RuntimeError)


# -- Context ---------------------------------------------------------------------------------
@needs_vulkan
def test_physical_devices_describe_name_uuid_driver_and_type() -> None:
    devices = vulkan.physical_devices()
    assert devices[TEST_DEVICE].index == TEST_DEVICE
    for device in devices:
        assert device.name
        assert isinstance(device.uuid, bytes) and len(device.uuid) == 16
        assert device.device_type in {"discrete", "integrated", "virtual", "cpu", "other"}


def test_context_by_index(ctx: Any) -> None:
    assert ctx.physical_device == vulkan.physical_devices()[TEST_DEVICE]
    features = ctx.features
    assert features.dedicated_allocation
    if POSIX:
        assert features.external_memory_fd
    assert ctx.cuda_device is None
    assert "vulkan.Context(" in repr(ctx)


def test_context_by_uuid_bytes_matches_without_cuda(ctx: Any) -> None:
    with vulkan.Context(ctx.physical_device.uuid) as same:
        assert same.physical_device.uuid == ctx.physical_device.uuid


def test_unknown_uuid_is_refused_listing_the_devices_seen(ctx: Any) -> None:
    import uuid

    seen = ctx.physical_device
    with pytest.raises(NotSupportedError) as raised:
        vulkan.Context(bytes(range(16)))
    message = str(raised.value)
    assert "00010203-0405-0607-0809-0a0b0c0d0e0f" in message
    assert seen.name in message
    assert str(uuid.UUID(bytes=seen.uuid)) in message


def test_context_argument_errors() -> None:
    with pytest.raises(ValueError):
        vulkan.Context(b"short")
    with pytest.raises(ValueError):
        vulkan.Context(0, physical_device_index=0)
    with pytest.raises(TypeError):
        vulkan.Context("not a device")  # type: ignore[arg-type]


@needs_vulkan
def test_index_out_of_range_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        vulkan.Context(physical_device_index=10_000)


# -- Buffers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [1, 4096, 1_000_003])
def test_exportable_buffer_reports_its_allocation(ctx: Any, size: int) -> None:
    with ctx.create_buffer(size) as buffer:
        assert buffer.size == size
        assert buffer.allocation_size >= size
        assert not buffer.imported


def test_dedicated_buffer_when_requested(ctx: Any) -> None:
    with ctx.create_buffer(65536, dedicated=True) as buffer:
        assert buffer.dedicated
        assert buffer.import_desc().dedicated


@pytest.mark.skipif(not POSIX, reason="file descriptors")
def test_each_fd_export_is_new_and_none_leaks(ctx: Any, fd_count: Callable[[], int]) -> None:
    with ctx.create_buffer(1 << 16) as buffer:
        before = fd_count()
        first, second = buffer.export_fd(), buffer.export_fd()
        assert first != second
        os.close(first)
        os.close(second)
        for _ in range(200):
            os.close(buffer.export_fd())
        assert fd_count() == before


@pytest.mark.skipif(not POSIX, reason="file descriptors")
@pytest.mark.parametrize("dedicated", [False, True])
def test_import_of_exported_fd_round_trips_random_bytes(ctx: Any, dedicated: bool,
                                                        fd_count: Callable[[], int]) -> None:
    before = fd_count()
    size = 3 * 65536 + 12
    data = np.random.default_rng(7).integers(0, 256, size, dtype=np.uint8)
    with ctx.create_buffer(size, dedicated=dedicated) as original:
        fd = original.export_fd()
        with ctx.import_buffer_fd(fd, original.import_desc()) as imported:
            os.fstat(fd)  # still ours: Vulkan was given a duplicate
            os.close(fd)
            assert imported.imported and imported.dedicated == dedicated
            original.upload(data)
            np.testing.assert_array_equal(imported.download(), data)
            imported.fill(0xA5A5A5A5)
            assert (original.download() == 0xA5).all()
    assert fd_count() == before


def test_fill_upload_download_copy_with_offsets(ctx: Any) -> None:
    with ctx.create_buffer(4096) as a, ctx.create_buffer(4096) as b:
        a.fill(0)
        a.fill(0x11111111, 64, 128)
        out = a.download()
        assert (out[64:192] == 0x11).all() and out[:64].sum() == 0 and out[192:].sum() == 0
        ramp = np.arange(1000, dtype=np.uint16).astype(np.uint8)
        a.upload(ramp, 3)
        b.fill(0xFFFFFFFF)
        a.copy_to(b, 1000, 3, 17)
        np.testing.assert_array_equal(b.download(1000, 17), ramp)
        assert b.download(1, 16)[0] == 0xFF
        with pytest.raises(ValueError):
            a.upload(bytes(10), 4090)


def test_buffer_outlives_its_context(ctx: Any) -> None:
    buffer = ctx.create_buffer(1024)
    ctx.close()
    buffer.fill(0x01020304)
    assert list(buffer.download(4)) == [4, 3, 2, 1]
    buffer.close()


# -- Images ----------------------------------------------------------------------------------
def _total(image: Any) -> int:
    return sum(image.level_size(level) for level in range(image.levels))


def _round_trip_levels(image: Any) -> None:
    rng = np.random.default_rng(1)
    dtype, _ = image.cuda_format()
    arrays = []
    for level in range(image.levels):
        raw = rng.integers(0, 256, image.level_size(level), dtype=np.uint8)
        arrays.append(raw.view(dtype).reshape(image.level_shape(level)))
        image.upload(level, arrays[-1])
    for level, expected in enumerate(arrays):
        np.testing.assert_array_equal(image.download(level).view(np.uint8),
                                      expected.view(np.uint8))


def test_image_2d_with_mips(ctx: Any) -> None:
    with ctx.create_image("R8G8B8A8_UNORM", 64, 48, levels=4) as image:
        assert image.extent == (64, 48, 1) and not image.is_3d and not image.layered
        assert image.level_extent(3) == (8, 6, 1)
        assert image.level_shape(0) == (48, 64, 4)
        assert image.cuda_format() == ("uint8", 4)
        assert image.cuda_extent() == (64, 48, 0)
        assert image.allocation_size >= _total(image)
        _round_trip_levels(image)


def test_image_3d(ctx: Any) -> None:
    with ctx.create_image("R32_SFLOAT", 16, 8, depth=4, levels=2) as image:
        assert image.is_3d
        assert image.cuda_extent() == (16, 8, 4)
        assert image.level_shape(1) == (2, 4, 8)
        assert image.allocation_size >= _total(image)
        _round_trip_levels(image)


def test_layered_image_with_color_attachment(ctx: Any) -> None:
    with ctx.create_image("R16G16B16A16_SFLOAT", 32, 32, layers=3, levels=2,
                          color_attachment=True) as image:
        assert image.layered and image.color_attachment
        assert image.cuda_extent() == (32, 32, 3)
        assert image.cuda_format() == ("float16", 4)
        assert image.level_shape(1) == (3, 16, 16, 4)
        assert image.allocation_size >= _total(image)
        _round_trip_levels(image)


def test_one_channel_image_downloads_as_height_width(ctx: Any) -> None:
    with ctx.create_image("R8_UNORM", 16, 8, levels=2) as image:
        check_one_channel_levels(image)


@pytest.mark.parametrize("name", ["R8G8B8A8_UNORM", "R8G8B8A8_UINT", "R32_SFLOAT",
                                  "R32G32B32A32_SFLOAT", "R16G16B16A16_SFLOAT", "R8_UNORM",
                                  "R32_UINT"])
def test_required_formats_are_exportable(ctx: Any, name: str) -> None:
    assert name in vulkan.formats()
    with ctx.create_image(name, 8, 8) as image:
        assert image.format == name
        assert image.allocation_size >= image.level_size(0)
        if POSIX:
            os.close(image.export_fd())


def test_image_buffer_copies(ctx: Any) -> None:
    with ctx.create_image("R32_UINT", 20, 10, levels=3, layers=2) as image, \
            ctx.create_buffer(image.level_size(1) + 16) as source, \
            ctx.create_buffer(image.level_size(1)) as destination:
        data = np.random.default_rng(3).integers(0, 256, image.level_size(1), dtype=np.uint8)
        source.upload(data, 16)
        image.copy_from_buffer(source, 1, 16)
        image.copy_to_buffer(destination, 1)
        np.testing.assert_array_equal(destination.download(), data)


def test_image_argument_errors(ctx: Any) -> None:
    with pytest.raises(ValueError, match="mip levels"):
        ctx.create_image("R8G8B8A8_UNORM", 16, 16, levels=6)
    with pytest.raises(ValueError):
        ctx.create_image("R8G8B8A8_UNORM", 16, 16, depth=2, layers=2)
    with pytest.raises(ValueError, match="accepted"):
        ctx.create_image("B5G6R5_UNORM_PACK16", 16, 16)
    with pytest.raises(ValueError):
        ctx.create_image("R8G8B8A8_UNORM", 0, 16)


# -- Semaphores ------------------------------------------------------------------------------
@pytest.mark.parametrize("timeline", [True, False])
def test_exportable_semaphore_needs_the_extension(ctx: Any, timeline: bool) -> None:
    supported = ctx.features.external_semaphore_fd or ctx.features.external_semaphore_win32
    if supported:
        with ctx.create_semaphore(timeline=timeline) as semaphore:
            if POSIX:
                first, second = semaphore.export_fd(), semaphore.export_fd()
                assert first != second
                os.close(first)
                os.close(second)
        return
    with pytest.raises(NotSupportedError, match="VK_KHR_external_semaphore_"):
        ctx.create_semaphore(timeline=timeline)


def test_timeline_semaphore_on_the_host(ctx: Any) -> None:
    with ctx.create_semaphore(timeline=True, initial_value=5, exportable=False) as semaphore:
        assert semaphore.value == 5
        assert semaphore.wait(5, timeout=0)
        assert not semaphore.wait(6, timeout=0.001)
        semaphore.signal(9)
        assert semaphore.value == 9


def test_submission_waits_for_a_timeline_value_and_signals_the_next(ctx: Any) -> None:
    with ctx.create_semaphore(exportable=False) as semaphore, ctx.create_buffer(4096) as buffer:
        buffer.fill(0)
        buffer.fill(0x07070707, wait=[(semaphore, 1)], signal=[(semaphore, 2)], block=False)
        assert not semaphore.wait(2, timeout=0.02)  # held back until value 1
        semaphore.signal(1)
        assert semaphore.wait(2, timeout=5)
        assert (buffer.download() == 7).all()


def test_binary_semaphore_orders_two_submissions(ctx: Any) -> None:
    with ctx.create_semaphore(timeline=False, exportable=False) as semaphore, \
            ctx.create_buffer(1024) as a, ctx.create_buffer(1024) as b:
        a.fill(0x33333333, signal=[semaphore])
        a.copy_to(b, wait=[semaphore])
        assert (b.download() == 0x33).all()
        with pytest.raises(ValueError, match="needs a value"):
            timeline = ctx.create_semaphore(exportable=False)
            a.fill(0, wait=[timeline])


def test_large_buffers_are_dedicated_by_default(ctx: Any) -> None:
    with ctx.create_buffer(64 << 20) as large, ctx.create_buffer(64 << 20, dedicated=True) as asked:
        assert large.dedicated and asked.dedicated
    with pytest.raises(TypeError, match="dedicated must be a bool"):
        ctx.create_buffer(4096, dedicated="no")


# -- Invalid usage is refused before Vulkan sees it; waits end ------------------------------
def test_timeline_values_only_move_forward(ctx: Any) -> None:
    with ctx.create_semaphore(timeline=True, initial_value=5, exportable=False) as semaphore:
        for value in (3, 5):
            with pytest.raises(ValueError, match="only moves forward"):
                ctx.submit(signal=[(semaphore, value)])
            with pytest.raises(ValueError, match="only moves forward"):
                semaphore.signal(value)
        ctx.submit(wait=[(semaphore, 6)], signal=[(semaphore, 8)], block=False)
        with pytest.raises(ValueError, match="only moves forward"):
            ctx.submit(signal=[(semaphore, 7)])  # below the queued 8
        with pytest.raises(ValueError, match="overtake the queued signal of 8"):
            semaphore.signal(9)
        semaphore.signal(6)  # releases the queued submission
        assert semaphore.wait(8, timeout=5)
        assert semaphore.value == 8


def test_a_semaphore_appears_once_per_side_and_signals_above_its_wait(ctx: Any) -> None:
    with ctx.create_semaphore(timeline=True, exportable=False) as semaphore, \
            ctx.create_buffer(64) as buffer:
        with pytest.raises(ValueError, match="twice among the signals"):
            buffer.fill(0, signal=[(semaphore, 1), (semaphore, 2)])
        with pytest.raises(ValueError, match="twice among the waits"):
            buffer.fill(0, wait=[(semaphore, 0), (semaphore, 0)])
        with pytest.raises(ValueError, match="cannot signal the lower value"):
            buffer.fill(0, wait=[(semaphore, 4)], signal=[(semaphore, 3)])
        assert semaphore.value == 0  # nothing reached the queue


def test_a_blocking_call_on_a_value_nobody_signals_times_out(ctx: Any) -> None:
    with ctx.create_semaphore(timeline=True, exportable=False) as semaphore, \
            ctx.create_buffer(64) as buffer:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            buffer.fill(0x01010101, wait=[(semaphore, 1)], timeout=0.2)
        assert time.monotonic() - started < 2
        assert not ctx.wait_idle(timeout=0.05)  # the fill is still queued
        semaphore.signal(1)
        assert ctx.wait_idle(timeout=5)
        assert (buffer.download(timeout=5) == 1).all()


@needs_vulkan
def test_close_releases_queued_work_waiting_for_values_nobody_signals() -> None:
    ctx = vulkan.Context(physical_device_index=TEST_DEVICE)
    x = ctx.create_semaphore(timeline=True, exportable=False)
    y = ctx.create_semaphore(timeline=True, exportable=False)
    buffer = ctx.create_buffer(4096)
    # A chain: the fill waits for x=1 and signals y=3, which the next submission waits for.
    buffer.fill(0x01010101, wait=[(x, 1)], signal=[(y, 3)], block=False)
    ctx.submit(wait=[(y, 3)], block=False)
    ctx.submit(wait=[(x, 5)], block=False)
    started = time.monotonic()
    with pytest.warns(ResourceWarning, match=r"released 3 queued submissions waiting for a "
                      r"semaphore nobody signalled.*\(to 5\)"):
        ctx.close()
    assert time.monotonic() - started < 1
    assert (x.value, y.value) == (5, 3)
    assert (buffer.download(timeout=5) == 1).all()  # the work ran; the buffer outlives ctx
    for obj in (x, y, buffer):
        obj.close()


@needs_vulkan
def test_garbage_collecting_a_context_releases_its_queued_work_too() -> None:
    ctx = vulkan.Context(physical_device_index=TEST_DEVICE)
    semaphore = ctx.create_semaphore(timeline=True, exportable=False)
    buffer = ctx.create_buffer(4096)
    buffer.fill(0x02020202, wait=[(semaphore, 4)], block=False)
    started = time.monotonic()
    with pytest.warns(ResourceWarning, match="released 1 queued submission"):
        del ctx
        gc.collect()
    assert time.monotonic() - started < 1
    assert semaphore.value == 4
    assert (buffer.download(timeout=5) == 2).all()
    semaphore.close()
    buffer.close()


@needs_vulkan
def test_close_with_finished_work_is_quiet() -> None:
    ctx = vulkan.Context(physical_device_index=TEST_DEVICE)
    with ctx.create_buffer(4096) as buffer:
        buffer.fill(7, block=False)
        ctx.close()  # waits for the fill; no warning (warnings are errors here)
        assert buffer.download()[0] == 7


_QUEUE_AND_EXIT = """
    import os, signal, sys, threading, time
    from cuda_interop import vulkan
    ctx = vulkan.Context(physical_device_index=int(sys.argv[1]))
    semaphore = ctx.create_semaphore(timeline=True, exportable=False)
    buffer = ctx.create_buffer(4096)
    if sys.argv[2] == "ctrl-c":
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            buffer.fill(1, wait=[(semaphore, 1)])  # waits for a value nobody signals
        except KeyboardInterrupt:
            print("interrupted")
    else:
        buffer.fill(1, wait=[(semaphore, 1)], block=False)
    print("exiting at", time.monotonic(), flush=True)
"""


@needs_vulkan
@pytest.mark.skipif(not POSIX, reason="SIGINT to oneself is POSIX")
@pytest.mark.parametrize("how", ["queued", "ctrl-c"])
def test_interpreter_exit_with_work_nobody_will_finish_takes_under_a_second(how: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_QUEUE_AND_EXIT), str(TEST_DEVICE), how],
        capture_output=True, text=True, timeout=60, check=False)
    ended = time.monotonic()  # CLOCK_MONOTONIC: the same clock in both processes
    assert result.returncode == 0, result.stderr
    if how == "ctrl-c":
        assert "interrupted" in result.stdout
    exiting = float(result.stdout.split("exiting at")[1])
    assert ended - exiting < 1, f"exit took {ended - exiting:.2f} s"
    assert "released 1 queued submission waiting for a semaphore nobody signalled" \
        in result.stderr


def test_ctrl_c_interrupts_a_wait_nobody_ends(ctx: Any) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    with ctx.create_semaphore(timeline=True, exportable=False) as semaphore:
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        started = time.monotonic()
        try:
            with pytest.raises(KeyboardInterrupt):
                semaphore.wait(1)
        finally:
            timer.cancel()
        assert time.monotonic() - started < 3


# -- Lifecycle -------------------------------------------------------------------------------
def test_close_is_idempotent_and_use_after_close_raises_closed(ctx: Any) -> None:
    objects = [ctx.create_buffer(64), ctx.create_image("R8_UNORM", 4, 4),
               ctx.create_semaphore(exportable=False)]
    uses = [lambda o: o.size, lambda o: o.extent, lambda o: o.value]
    for obj, use in zip(objects, uses):
        obj.close()
        obj.close()
        assert obj.closed
        with pytest.raises(ClosedError):
            use(obj)
        assert "closed" in repr(obj)
    ctx.close()
    ctx.close()
    assert ctx.closed
    with pytest.raises(ClosedError):
        ctx.create_buffer(64)
    assert issubclass(ClosedError, ValueError)


def test_closed_semaphore_in_a_submission_raises_closed(ctx: Any) -> None:
    semaphore = ctx.create_semaphore(timeline=False, exportable=False)
    semaphore.close()
    with ctx.create_buffer(64) as buffer, pytest.raises(ClosedError):
        buffer.fill(0, wait=[semaphore])


_USE_IN_A_FORKED_CHILD = """
    import os, sys
    from cuda_interop import NotSupportedError, vulkan
    ctx = vulkan.Context(physical_device_index=int(sys.argv[1]))
    buffer = ctx.create_buffer(4096)
    timeline = ctx.create_semaphore(timeline=True, exportable=False)
    binary = ctx.create_semaphore(timeline=False, exportable=False)
    image = ctx.create_image("R8_UNORM", 4, 4)
    uses = {
        "create_buffer": lambda: ctx.create_buffer(64),
        "create_semaphore": lambda: ctx.create_semaphore(exportable=False),
        "create_image": lambda: ctx.create_image("R8_UNORM", 4, 4),
        "buffer.export_share": buffer.export_share,
        "image.export_share": image.export_share,
        "fill": lambda: buffer.fill(1),
        "upload": lambda: buffer.upload(b"1234"),
        "download": lambda: buffer.download(4),
        "submit": lambda: ctx.submit(),
        "wait_idle": lambda: ctx.wait_idle(),
        "signal": lambda: timeline.signal(1),
        "wait": lambda: timeline.wait(0, timeout=0),
        "value": lambda: timeline.value,
        "binary.signal": lambda: binary.signal(),
    }
    pid = os.fork()
    if pid == 0:
        failures = []
        for name, use in uses.items():
            try:
                use()
                failures.append(f"{name}: no error")
            except NotSupportedError as error:
                if "a forked child cannot use them" not in str(error):
                    failures.append(f"{name}: {error}")
            except BaseException as error:
                failures.append(f"{name}: {type(error).__name__}: {error}")
        print("\\n".join(failures), flush=True)
        os._exit(1 if failures else 0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    buffer.fill(0x05050505)  # the parent's objects still work
    assert buffer.download(4)[0] == 5
    print("parent still works")
"""


@needs_vulkan
@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_a_forked_child_is_refused_every_use_of_the_parents_context() -> None:
    # In a fresh interpreter: frameworks loaded by other tests install at-fork hooks of their own.
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_USE_IN_A_FORKED_CHILD), str(TEST_DEVICE)],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "parent still works" in result.stdout


# -- With CUDA (run on a GPU machine) --------------------------------------------------------
@pytest.fixture
def gpu_ctx() -> Iterator[Any]:
    """A context on the Vulkan device that is CUDA device 0 (matched by UUID)."""
    with vulkan.Context(0) as context:
        yield context


class _Stream:
    """A non-default CUDA stream (torch or cupy when installed, else the legacy stream 0)."""

    def __init__(self) -> None:
        self.handle: Any = 0
        self.synchronize: Callable[[], None] = lambda: None
        try:
            import torch

            stream = torch.cuda.Stream()
            self.handle, self.synchronize = stream, stream.synchronize
            return
        except Exception:  # any missing or unusable framework
            pass
        try:
            import cupy

            stream = cupy.cuda.Stream(non_blocking=True)
            self.handle, self.synchronize = stream, stream.synchronize
        except Exception:
            pass


def _exportable_semaphores(ctx: Any) -> None:
    if not (ctx.features.external_semaphore_fd or ctx.features.external_semaphore_win32):
        pytest.skip("the Vulkan driver cannot export semaphores")


@pytest.mark.gpu
def test_gpu_context_matches_cuda_uuid(gpu_ctx: Any) -> None:
    import cuda_interop

    assert gpu_ctx.physical_device.uuid == cuda_interop.Device(0).uuid
    assert gpu_ctx.cuda_device == 0


@pytest.mark.gpu
@pytest.mark.parametrize("dedicated", [False, True])
def test_gpu_buffer_both_ways(gpu_ctx: Any, dedicated: bool) -> None:
    size = (1 << 20) + 20
    rng = np.random.default_rng(5)
    with gpu_ctx.create_buffer(size, dedicated=dedicated) as buffer:
        data = rng.integers(0, 256, size, dtype=np.uint8)
        buffer.upload(data)
        with buffer.to_cuda() as memory, memory.map_buffer() as mapped:
            assert memory.dedicated == buffer.dedicated
            np.testing.assert_array_equal(mapped.copy_to_host()[:size], data)  # Vulkan -> CUDA
            back = rng.integers(0, 256, size, dtype=np.uint8)
            mapped.copy_from_host(back)
            np.testing.assert_array_equal(buffer.download(), back)  # CUDA -> Vulkan


@pytest.mark.gpu
def test_gpu_image_with_mips_both_ways(gpu_ctx: Any) -> None:
    rng = np.random.default_rng(9)
    with gpu_ctx.create_image("R8G8B8A8_UNORM", 64, 32, levels=4) as image:
        uploaded = [rng.integers(0, 256, image.level_shape(i), dtype=np.uint8)
                    for i in range(image.levels)]
        for level, array in enumerate(uploaded):
            image.upload(level, array)
        with image.map_to_cuda() as mapped:
            for level, array in enumerate(uploaded):  # Vulkan -> CUDA, every texel
                np.testing.assert_array_equal(mapped.level(level).copy_to_host(), array)
            written = [rng.integers(0, 256, image.level_shape(i), dtype=np.uint8)
                       for i in range(image.levels)]
            for level, array in enumerate(written):
                mapped.level(level).copy_from_host(array)
            for level, array in enumerate(written):  # CUDA -> Vulkan, every texel
                np.testing.assert_array_equal(image.download(level), array)


@pytest.mark.gpu
def test_gpu_layered_and_3d_images_map_with_the_right_extent(gpu_ctx: Any) -> None:
    rng = np.random.default_rng(4)
    for args, kwargs in [(("R32_SFLOAT", 16, 8), {"layers": 3}),
                         (("R32_SFLOAT", 16, 8), {"depth": 4}),
                         (("R8G8B8A8_UNORM", 16, 16), {"color_attachment": True})]:
        with gpu_ctx.create_image(*args, **kwargs) as image, image.map_to_cuda() as mapped:
            assert mapped.extent == image.cuda_extent()
            array = rng.random(image.level_shape(0)).astype(image.cuda_format()[0]) \
                if image.cuda_format()[0] == "float32" else \
                rng.integers(0, 256, image.level_shape(0), dtype=np.uint8)
            image.upload(0, array)
            np.testing.assert_array_equal(mapped.level(0).copy_to_host(), array)


_ABANDON_ON_GPU = """
    import time, warnings
    from cuda_interop import vulkan
    ctx = vulkan.Context(0)
    binary = ctx.create_semaphore(timeline=False)        # exportable: CUDA could signal it
    timeline = ctx.create_semaphore(timeline=True)
    buffer = ctx.create_buffer(1 << 16)
    buffer.fill(1, wait=[(timeline, 2)], block=False)  # released by a host signal
    buffer.fill(2, wait=[binary], block=False)         # nothing can release it: abandoned
    started = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ctx.close()
    print("close took", time.monotonic() - started)
    for warning in caught:
        print("WARNING", warning.category.__name__, warning.message)
    print("timeline", timeline.value)
    print("exiting at", time.monotonic(), flush=True)
"""


@pytest.mark.gpu
@pytest.mark.xfail(run=False, reason="on an H100 (driver 580) this child did not exit within 90 s: "
                   "NVIDIA's driver holds process exit while a leaked device's queue waits on "
                   "a binary semaphore nobody signals")
def test_gpu_close_releases_timeline_waits_and_abandons_binary_ones_within_a_second() -> None:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(_ABANDON_ON_GPU)],
                            capture_output=True, text=True, timeout=120, check=False)
    ended = time.monotonic()
    if "NotSupportedError" in result.stderr:
        pytest.skip(f"the Vulkan driver cannot export semaphores: {result.stderr[-300:]}")
    assert result.returncode == 0, result.stderr
    took = float(result.stdout.split("close took")[1].split()[0])
    assert took < 1, result.stdout
    assert "released 1 queued submission" in result.stdout
    assert "ResourceWarning closing the Vulkan context abandoned 1 queued submission waiting " \
           "for a semaphore nobody signals" in result.stdout
    assert "timeline 2" in result.stdout
    assert ended - float(result.stdout.split("exiting at")[1]) < 2, result.stdout


@pytest.mark.gpu
def test_gpu_timeline_semaphore_orders_work_both_ways(gpu_ctx: Any) -> None:
    _exportable_semaphores(gpu_ctx)
    stream = _Stream()
    size = 1 << 20
    with gpu_ctx.create_semaphore(timeline=True) as semaphore, \
            gpu_ctx.create_buffer(size) as buffer, semaphore.to_cuda() as cuda_semaphore, \
            buffer.to_cuda() as memory, memory.map_buffer() as mapped:
        # Vulkan -> CUDA: the fill is held until the host signals 1, CUDA waits for its 2.
        buffer.fill(0x5A5A5A5A, wait=[(semaphore, 1)], signal=[(semaphore, 2)], block=False)
        cuda_semaphore.wait(2, stream=stream.handle)
        semaphore.signal(1)
        stream.synchronize()
        assert (mapped.copy_to_host() == 0x5A).all()
        # CUDA -> Vulkan: CUDA writes, then signals 3 on its stream; Vulkan's download waits.
        data = np.random.default_rng(2).integers(0, 256, size, dtype=np.uint8)
        mapped.copy_from_host(data)
        cuda_semaphore.signal(3, stream=stream.handle)
        np.testing.assert_array_equal(buffer.download(wait=[(semaphore, 3)]), data)
        assert semaphore.value >= 3
        gpu_ctx.wait_idle()


@pytest.mark.gpu
def test_gpu_binary_semaphore_orders_work_both_ways(gpu_ctx: Any) -> None:
    _exportable_semaphores(gpu_ctx)
    stream = _Stream()
    size = 1 << 16
    with gpu_ctx.create_semaphore(timeline=False) as semaphore, \
            gpu_ctx.create_buffer(size) as buffer, semaphore.to_cuda() as cuda_semaphore, \
            buffer.to_cuda() as memory, memory.map_buffer() as mapped:
        assert not cuda_semaphore.timeline
        buffer.fill(0x21212121, signal=[semaphore])  # Vulkan -> CUDA
        cuda_semaphore.wait(stream=stream.handle)
        stream.synchronize()
        assert (mapped.copy_to_host() == 0x21).all()
        data = np.random.default_rng(8).integers(0, 256, size, dtype=np.uint8)
        mapped.copy_from_host(data)  # CUDA -> Vulkan
        cuda_semaphore.signal(stream=stream.handle)
        np.testing.assert_array_equal(buffer.download(wait=[semaphore]), data)


@pytest.mark.gpu
def test_gpu_thousand_frames_through_one_mapping_leak_no_fd_or_device_memory(
        gpu_ctx: Any, fd_count: Callable[[], int]) -> None:
    _exportable_semaphores(gpu_ctx)
    stream = _Stream()
    size = 1 << 16
    with gpu_ctx.create_semaphore(timeline=True) as semaphore, \
            gpu_ctx.create_buffer(size) as buffer, semaphore.to_cuda() as cuda_semaphore, \
            buffer.to_cuda() as memory, memory.map_buffer() as mapped:
        before = fd_count()
        device = cuda_interop.Device(memory.device)
        free_before = device.memory_info()[0]
        value = 0
        for frame in range(1000):
            pattern = frame & 0xFF
            # Vulkan produces the frame; CUDA consumes it after the semaphore, then hands it back.
            buffer.fill(pattern * 0x01010101, wait=[(semaphore, value)],
                        signal=[(semaphore, value + 1)], block=False)
            cuda_semaphore.wait(value + 1, stream=stream.handle)
            cuda_semaphore.signal(value + 2, stream=stream.handle)
            value += 2
            if frame % 100 == 0:
                stream.synchronize()
                assert semaphore.wait(value, timeout=10)
                assert mapped.copy_to_host(np.empty(4, np.uint8))[0] == pattern
        assert semaphore.wait(value, timeout=10)
        gpu_ctx.wait_idle()
        assert fd_count() == before
        assert device.memory_info()[0] == free_before


@pytest.mark.gpu
def test_gpu_repeated_imports_leak_no_fd(gpu_ctx: Any, fd_count: Callable[[], int]) -> None:
    with gpu_ctx.create_buffer(1 << 16) as buffer:
        before = fd_count()
        for _ in range(50):
            with buffer.to_cuda() as memory, memory.map_buffer():
                pass
        assert fd_count() == before


def test_to_cuda_never_leaks_the_exported_fd(ctx: Any, no_fd_leak: None) -> None:
    # Without a GPU the CUDA import fails and the fd exported for it must be closed; with one,
    # CUDA owns it and closing the import releases it.
    with ctx.create_buffer(1 << 16) as buffer, \
            contextlib.suppress(cuda_interop.CudaError, cuda_interop.NotSupportedError):
        buffer.to_cuda().close()


@pytest.mark.gpu
@pytest.mark.parametrize("ahead", [0, 1])
def test_gpu_frame_ring_hands_every_frame_over_in_order(gpu_ctx: Any, ahead: int) -> None:
    """Three calls a frame; with `ahead` the producer runs a frame in front of the reader."""
    _exportable_semaphores(gpu_ctx)
    nbytes, frames = 1 << 16, 12
    seen: list[int] = []
    with vulkan.FrameRing(gpu_ctx, nbytes, slots=2) as ring:
        def produce() -> None:
            slot = ring.begin_write()
            slot.buffer.fill(0x01010101 * (slot.number % 256), wait=slot.wait,
                             signal=slot.signal, block=False)

        for _ in range(ahead):
            produce()
        for _ in range(frames):
            produce()
            view = ring.read(timeout=10)
            seen.append(int(view.copy_to_host()[0]))  # ordered after CUDA's wait
            ring.release()
        for _ in range(ahead):
            ring.read(timeout=10)
            ring.release()
        gpu_ctx.wait_idle(timeout=10)
        assert seen == list(range(1, frames + 1))
        assert ring.released.value == frames + ahead
        with pytest.raises(ValueError, match="call begin_write"):
            ring.read()
