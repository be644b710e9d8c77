# SPDX-License-Identifier: Apache-2.0
"""Skips `gpu` tests where no CUDA GPU is usable and `windows` tests elsewhere, with the reason."""

from __future__ import annotations

import gc
import os
import socket
import sys
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np
import pytest

from cuda_interop import _core


def _gpu_skip_reason() -> str | None:
    try:
        count = _core.device_count()
    except _core.NotSupportedError as error:  # no NVIDIA driver: the message says so
        return f"no usable CUDA GPU: {error}"
    except _core.CudaError as error:
        return f"no usable CUDA GPU ({error.name})"
    return None if count > 0 else "no CUDA device"


GPU_SKIP_REASON = _gpu_skip_reason()


def pytest_report_header(config: pytest.Config) -> str:
    return f"cuda-interop GPU tests: {'skipped: ' + GPU_SKIP_REASON if GPU_SKIP_REASON else 'run'}"


def pytest_configure(config: pytest.Config) -> None:
    # scripts/gpu-sanitize: CuPy's memory pools keep freed blocks until exit, where the leak
    # check would count them; without its allocators CuPy frees each array when it goes.
    if os.environ.get("CUDA_INTEROP_TEST_NO_POOLS") == "1":
        try:
            import cupy
        except ImportError:
            return
        cupy.cuda.set_allocator(None)
        cupy.cuda.set_pinned_memory_allocator(None)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Free what the tests dropped in reference cycles while CUDA is still up: compute-sanitizer's
    # leak check (scripts/gpu-sanitize) counts what is still allocated when the process exits.
    gc.collect()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "windows" in item.keywords and sys.platform != "win32":
            item.add_marker(pytest.mark.skip(reason="needs Windows"))
        elif "gpu" in item.keywords and GPU_SKIP_REASON:
            item.add_marker(pytest.mark.skip(reason=GPU_SKIP_REASON))


def open_fd_count() -> int:
    """Open file descriptors of this process."""
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def fd_count() -> Callable[[], int]:
    return open_fd_count


@pytest.fixture
def no_fd_leak() -> Iterator[None]:
    """Fails the test if it leaves file descriptors open."""
    before = open_fd_count()
    yield
    assert open_fd_count() == before, "file descriptors leaked"


def check_one_channel_levels(resource: Any) -> None:
    """A 16x8 one-channel 8-bit image or texture with 2 levels, of any producer, uploads and
    downloads its levels as (height, width) arrays."""
    assert resource.level_shape(0) == (8, 16)
    assert resource.level_shape(1) == (4, 8)
    sent = np.arange(128, dtype=np.uint8).reshape(8, 16)
    resource.upload(0, sent)
    got = resource.download(0)
    assert got.shape == (8, 16) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, sent)
    assert resource.download(1).shape == (4, 8)


class Fds:
    """Makes new fds of a named kind; each is the caller's to close."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.regular = os.path.join(folder, "regular")
        with open(self.regular, "wb") as file:
            file.write(b"x" * 4096)

    def make(self, kind: str) -> int:
        if kind == "memfd":
            return os.memfd_create("fuzz")
        if kind == "devnull":
            return os.open(os.devnull, os.O_RDWR)
        if kind == "regular":
            return os.open(self.regular, os.O_RDONLY)
        if kind == "directory":
            return os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        if kind == "O_PATH":
            return os.open(self.regular, os.O_PATH)
        if kind == "pipe":
            read, write = os.pipe()
            os.close(write)
            return read
        if kind == "socket":
            one, two = socket.socketpair()
            two.close()
            return one.detach()
        if kind == "eventfd":
            return os.eventfd(0)
        if kind == "epoll":
            import select

            epoll = select.epoll()
            try:
                return os.dup(epoll.fileno())
            finally:
                epoll.close()
        if kind == "pidfd":
            return os.pidfd_open(os.getpid())
        raise AssertionError(kind)

    KINDS = ("memfd", "devnull", "regular", "directory", "O_PATH", "pipe", "socket") + (
        ("eventfd",) if hasattr(os, "eventfd") else ()) + (
        ("epoll",) if hasattr(__import__("select"), "epoll") else ()) + (
        ("pidfd",) if hasattr(os, "pidfd_open") else ())
