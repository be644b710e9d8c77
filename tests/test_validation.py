# SPDX-License-Identifier: Apache-2.0
"""Bad arguments are rejected before CUDA sees them (these run without a GPU)."""

from __future__ import annotations

import contextlib
import os
import sys

import pytest

import cuda_interop as ci

linux_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")


@pytest.fixture
def pipe_fd() -> object:
    read, write = os.pipe()
    yield read
    for fd in (read, write):
        with contextlib.suppress(OSError):
            os.close(fd)


@linux_only
@pytest.mark.parametrize("fd", [-1, -100])
def test_negative_fd_is_a_value_error(fd: int) -> None:
    with pytest.raises(ValueError, match="fd must be >= 0"):
        ci.ExternalMemory.from_fd(fd, 4096)
    with pytest.raises(ValueError, match="fd must be >= 0"):
        ci.ExternalSemaphore.from_fd(fd, timeline=True)


@pytest.mark.parametrize("fd", ["3", 3.0, True, None])
def test_fd_of_wrong_type_is_a_type_error(fd: object) -> None:
    with pytest.raises(TypeError):
        ci.ExternalMemory.from_fd(fd, 4096)  # type: ignore[arg-type]


@linux_only
@pytest.mark.parametrize("size", [0, -1])
def test_non_positive_size_is_a_value_error(pipe_fd: int, size: int) -> None:
    with pytest.raises(ValueError, match="size must be > 0"):
        ci.ExternalMemory.from_fd(pipe_fd, size)


@linux_only
def test_closed_fd_is_a_value_error() -> None:
    read, write = os.pipe()
    os.close(read)
    os.close(write)
    with pytest.raises(ValueError, match="is not open"):
        ci.ExternalMemory.from_fd(read, 4096)
    with pytest.raises(ValueError, match="is not open"):
        ci.ExternalSemaphore.from_fd(read, timeline=False)


@pytest.mark.parametrize("device", [-1, "0", 1.0])
def test_bad_device_is_rejected(device: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        ci.ExternalMemory.from_fd(0, 4096, device=device)  # type: ignore[arg-type]


def test_names_are_checked() -> None:
    with pytest.raises(ValueError, match="at most 260"):
        ci.ExternalMemory.from_d3d12_heap("x" * 261, 4096)
    with pytest.raises(ValueError, match="empty"):
        ci.ExternalMemory.from_d3d12_resource("", 4096)
    with pytest.raises(ValueError, match="NUL"):
        ci.ExternalSemaphore.from_d3d12_fence("a\0b")
    with pytest.raises(ValueError, match="take_ownership applies to handles"):
        ci.ExternalMemory.from_d3d12_heap("frame", 4096, take_ownership=True)


@pytest.mark.parametrize("handle", [0, -5])
def test_null_or_negative_handle_is_a_value_error(handle: int) -> None:
    with pytest.raises(ValueError, match="handle"):
        ci.ExternalMemory.from_d3d12_heap(handle, 4096)


def test_handle_of_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="NT handle"):
        ci.ExternalMemory.from_win32(b"abc", 4096)  # type: ignore[arg-type]


def test_kmt_handles_cannot_be_taken_or_named() -> None:
    with pytest.raises(ValueError, match="KMT"):
        ci.ExternalMemory.from_d3d11_resource("name", 4096, kmt=True)
    with pytest.raises(ValueError, match="KMT handle holds no reference"):
        ci.ExternalSemaphore.from_keyed_mutex(1234, kmt=True, take_ownership=True)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has these handle types")
@pytest.mark.parametrize("call", [
    lambda: ci.ExternalMemory.from_d3d12_heap(1234, 4096),
    lambda: ci.ExternalMemory.from_d3d12_resource("frame", 4096),
    lambda: ci.ExternalMemory.from_win32(1234, 4096),
    lambda: ci.ExternalMemory.from_win32_kmt(1234, 4096),
    lambda: ci.ExternalMemory.from_d3d11_resource(1234, 4096),
    lambda: ci.ExternalSemaphore.from_d3d12_fence(1234),
    lambda: ci.ExternalSemaphore.from_keyed_mutex("mutex"),
    lambda: ci.ExternalSemaphore.from_win32(1234, timeline=True),
])
def test_windows_handles_are_not_supported_elsewhere(call: object) -> None:
    with pytest.raises(ci.NotSupportedError, match="only on Windows"):
        call()  # type: ignore[operator]


@pytest.mark.skipif(sys.platform == "linux" and os.uname().machine == "aarch64",
                    reason="NvSci exists on Tegra")
def test_nvsci_is_not_supported_off_tegra() -> None:
    with pytest.raises(ci.NotSupportedError, match="NvSciBuf"):
        ci.ExternalMemory.from_nvscibuf(0x1000, 4096)
    with pytest.raises(ci.NotSupportedError, match="NvSciSync"):
        ci.ExternalSemaphore.from_nvscisync(0x1000)


def test_batched_semaphore_calls_check_every_item() -> None:
    with pytest.raises(TypeError, match="item 0"):
        ci.signal_semaphores([(None, 1)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="no semaphores"):
        ci.wait_semaphores([])


# -- Share descriptors own only the fds they are given, of kinds that can be shares ------------
@linux_only
def test_a_share_refuses_a_closed_fd_and_never_closes_its_next_owner() -> None:
    fd = os.memfd_create("closed")
    os.close(fd)
    with pytest.raises(ValueError, match=f"handle {fd} is not an open file descriptor"):
        ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 4096)
    with pytest.raises(ValueError, match=f"handle {fd} is not an open file descriptor"):
        ci.SemaphoreShare(ci.SemaphoreHandleType.OPAQUE_FD, fd)
    later = os.open(os.devnull, os.O_RDONLY)  # most likely the number just refused
    try:
        os.fstat(later)  # still open: no share took the number and closed it on its way out
    finally:
        os.close(later)


# What a peer or a caller may pass that can never be exported memory or a semaphore. A memfd
# stands for what lavapipe exports (and passes); the NVIDIA driver's own fds are not listed.
NEVER_A_SHARE = {"devnull": "/dev/null, a character device", "regular": "a regular file",
                 "directory": "a directory", "O_PATH": "an O_PATH fd", "pipe": "a pipe",
                 "socket": "a socket", "eventfd": "an eventfd"}


@linux_only
@pytest.mark.parametrize("kind", sorted(NEVER_A_SHARE))
@pytest.mark.parametrize("share", ["memory", "semaphore"])
def test_a_share_refuses_fds_that_can_never_be_one(tmp_path: object, kind: str,
                                                  share: str) -> None:
    from conftest import Fds

    if kind not in Fds.KINDS:
        pytest.skip(f"no {kind} here")
    fd = Fds(str(tmp_path)).make(kind)
    try:
        with pytest.raises(ValueError, match=f"handle {fd} is {NEVER_A_SHARE[kind]}") as refused:
            if share == "memory":
                ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 4096)
            else:
                ci.SemaphoreShare(ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD, fd)
        assert "not an exported memory or semaphore handle" in str(refused.value)
        os.fstat(fd)  # refused, not taken: the caller still owns it
    finally:
        os.close(fd)


@linux_only
def test_the_kernels_own_anonymous_files_are_never_shares() -> None:
    import select

    epoll = select.epoll()
    fds = {"an epoll fd": epoll.fileno()}
    if hasattr(os, "pidfd_open"):
        fds["a pidfd"] = os.pidfd_open(os.getpid())
    try:
        for what, fd in fds.items():
            assert ci._core.fd_never_share(fd) == what
            with pytest.raises(ValueError, match=what):
                ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 4096, owned=False)
    finally:
        epoll.close()
        if "a pidfd" in fds:
            os.close(fds["a pidfd"])


@linux_only
def test_exported_kinds_pass() -> None:
    memfd = os.memfd_create("exported", os.MFD_CLOEXEC)  # what lavapipe exports
    assert ci._core.fd_never_share(memfd) is None
    with ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, memfd, 4096) as share:
        assert share.handle == memfd
    with pytest.raises(OSError):
        os.fstat(memfd)  # the share owned it and closed it


# -- Image layouts: the bytes must fit, the arguments are named ----------------------------------
FLOAT = ci.ChannelKind.FLOAT


@linux_only
@pytest.mark.parametrize(("layout", "size"), [
    (ci.ImageLayout(FLOAT, 32, 4, (16384, 16384, 0)), 4096),             # 4 GiB in 4 KiB
    (ci.ImageLayout(FLOAT, 32, 4, (1 << 40, 1, 0)), 1 << 40),            # 16 TiB in 1 TiB
    (ci.ImageLayout(FLOAT, 32, 4, (1 << 62, 1 << 62, 0)), 1 << 62),      # beyond 2**64
    (ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 1, (64, 64, 0), 2), 64 * 64),  # level 1 too
    (ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 1, (64, 64, 6), 1, 1), 64 * 64 * 5),  # layers
    (ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (16, 16, 0), offset=3073), 4096),  # offset
])
def test_an_image_larger_than_its_allocation_is_refused(layout: ci.ImageLayout,
                                                        size: int) -> None:
    fd = os.memfd_create("image")
    try:
        with pytest.raises(ValueError, match="texels take at least"):
            ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, size, image=layout, owned=False)
    finally:
        os.close(fd)


@linux_only
@pytest.mark.parametrize(("layout", "size"), [
    (ci.ImageLayout(FLOAT, 32, 4, (16, 16, 0)), 4096),                    # exactly
    (ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (17, 5, 0), 3), 448),  # 340 + 64 + 16 + 4...
    (ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 1, (16, 16, 6), 5, 1), 13824),
    (ci.ImageLayout(ci.ChannelKind.UNSIGNED, 16, 2, (8, 8, 8), 4), 5888),  # 3D: depth halves
])
def test_images_that_fit_are_taken(layout: ci.ImageLayout, size: int) -> None:
    fd = os.memfd_create("image")
    try:
        share = ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, size, image=layout, owned=False)
        share.validate()
        assert share.image == layout
    finally:
        os.close(fd)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: ci.ImageLayout(1, 8, 4, (64, 32, 0)), TypeError,
     "kind must be a ChannelKind, got int"),
    (lambda: ci.ImageLayout(None, 8, 4, (64, 32, 0)), TypeError,
     "kind must be a ChannelKind, got NoneType"),
    (lambda: ci.ImageLayout(FLOAT, 32, 4, (64, 32)), ValueError,
     "extent must be three ints (width, height, depth), got 2 value(s)"),
    (lambda: ci.ImageLayout(FLOAT, 32, 4, (64, 32, 0, 1)), ValueError,
     "extent must be three ints (width, height, depth), got 4 value(s)"),
    (lambda: ci.ImageLayout(FLOAT, 32, 4, 64), TypeError,
     "extent must be a tuple (width, height, depth), got int"),
    (lambda: ci.ImageLayout(FLOAT, 32, 4, "abc"), TypeError,
     "extent must be a tuple (width, height, depth), got str"),
    (lambda: ci._core.max_mip_levels((64, 32), 0), ValueError,
     "extent must be three ints (width, height, depth), got 2 value(s)"),
])
def test_image_layout_arguments_are_named(call: object, error: type[Exception],
                                          message: str) -> None:
    with pytest.raises(error) as raised:
        call()  # type: ignore[operator]
    assert str(raised.value) == message


def test_an_extent_may_be_a_list() -> None:
    assert ci.ImageLayout(FLOAT, 32, 4, [64, 32, 0]).extent == (64, 32, 0)


# -- Names and half-made objects ------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda: ci.ExternalMemory.from_win32("\ud800abc", 4096),
    lambda: ci.ExternalMemory.from_d3d12_heap("a\udfffb", 4096),
    lambda: ci.ExternalSemaphore.from_d3d12_fence("\ud800"),
    lambda: ci.MemoryShare(ci.MemoryHandleType.OPAQUE_WIN32, "\ud800abc", 4096),
])
def test_a_lone_surrogate_in_a_name_is_a_value_error(call: object) -> None:
    with pytest.raises(ValueError, match="lone surrogate"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("cls", [ci.ExternalMemory, ci.ExternalSemaphore, ci.MappedMipmappedArray])
def test_a_half_made_object_reads_as_closed(cls: type) -> None:
    obj = cls.__new__(cls)
    assert repr(obj).endswith("(closed)")
    assert obj.closed
    with pytest.raises(ci.ClosedError):
        obj._live()
    obj.close()
