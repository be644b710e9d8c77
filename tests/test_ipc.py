# SPDX-License-Identifier: Apache-2.0
"""Sharing memory and semaphores between processes (ipc over a Unix socket)."""

from __future__ import annotations

import array
import contextlib
import json
import os
import re
import secrets
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np
import pytest
from conftest import Fds
from hypothesis import given, settings
from hypothesis import strategies as st

import cuda_interop as ci
from cuda_interop import ipc

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="passes file descriptors")


def handle_fd() -> int:
    """A new fd that passes for a handle on the wire (a memory file; CUDA cannot import it)."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("cuda-interop-test", os.MFD_CLOEXEC)
    fd, name = tempfile.mkstemp()
    os.unlink(name)
    return fd


class StandIn:
    """A stand-in exporter: each share holds a new fd of one memory file."""

    def __init__(self) -> None:
        self.fd = handle_fd()

    def export_share(self) -> ci.MemoryShare:
        return ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, os.dup(self.fd), 1 << 20,
                              dedicated=True, device_uuid=bytes(range(16)),
                              image=ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (64, 32, 0), 3))

    def export_semaphore(self) -> ci.SemaphoreShare:
        return ci.SemaphoreShare(ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD, os.dup(self.fd))

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    right.settimeout(5)
    yield left, right
    left.close()
    right.close()


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    exporter = StandIn()
    yield exporter
    exporter.close()


def test_every_field_of_a_share_travels(no_fd_leak: None, pair: Any, stand_in: StandIn) -> None:
    left, right = pair
    ipc.send_memory(left, stand_in)
    share = ipc.receive_share(right, "memory")
    expected = stand_in.export_share()
    try:
        assert isinstance(share, ci.MemoryShare) and share.owned
        assert (share.type, share.size, share.dedicated, share.device_uuid) == (
            expected.type, expected.size, expected.dedicated, expected.device_uuid)
        assert share.image == expected.image
        assert os.fstat(share.handle).st_ino == os.fstat(stand_in.fd).st_ino  # the same file
    finally:
        share.close()
        expected.close()
    ipc.send_semaphore(left, stand_in.export_semaphore())
    semaphore = ipc.receive_share(right, "semaphore")
    assert semaphore.type == ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD
    semaphore.close()


def test_sender_keeps_nothing_and_a_failed_import_closes_the_received_fd(
        no_fd_leak: None, pair: Any, stand_in: StandIn) -> None:
    left, right = pair
    ipc.send_memory(left, stand_in)
    with pytest.raises((ci.CudaError, ci.NotSupportedError, ValueError)):
        ipc.receive_memory(right)
    ipc.send_semaphore(left, stand_in.export_semaphore())
    with pytest.raises((ci.CudaError, ci.NotSupportedError, ValueError)):
        ipc.receive_semaphore(right)


def test_messages_of_the_wrong_kind_are_refused(no_fd_leak: None, pair: Any,
                                                stand_in: StandIn) -> None:
    left, right = pair
    ipc.send_semaphore(left, stand_in.export_semaphore())
    with pytest.raises(ipc.ProtocolError, match="'memory'"):
        ipc.receive_memory(right)


def test_only_file_descriptor_shares_are_sent(no_fd_leak: None, pair: Any) -> None:
    left, right = pair
    share = ci.SemaphoreShare(ci.SemaphoreHandleType.NVSCISYNC, 4096)  # an address
    with pytest.raises(ValueError, match="only file-descriptor shares"):
        ipc.send_semaphore(left, share)
    right.setblocking(False)
    with pytest.raises(BlockingIOError):
        right.recv(1)  # nothing was sent


def test_a_semaphore_of_a_handle_type_that_would_not_own_its_fd_is_refused(
        no_fd_leak: None, pair: Any) -> None:
    left, right = pair
    for handle_type in (2, 6):  # OPAQUE_WIN32, NVSCISYNC
        fd = handle_fd()
        try:
            _raw(left, _frame(json.dumps({"kind": "semaphore", "type": handle_type,
                                          "device_uuid": None}).encode()), [fd])
        finally:
            os.close(fd)
        with pytest.raises(ipc.ProtocolError, match=f"got type {handle_type}"):
            ipc.receive_share(right, "semaphore")


def test_objects_without_a_share_are_refused() -> None:
    with socket.socket(socket.AF_UNIX) as sock, pytest.raises(TypeError, match="export_share"):
        ipc.send_memory(sock, object())  # type: ignore[arg-type]


def _raw(sock: socket.socket, payload: bytes, fds: list[int]) -> None:
    ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    sock.sendmsg([payload], ancillary)


def _frame(body: bytes, magic: bytes = b"CIs1") -> bytes:
    return struct.pack(">4sI", magic, len(body)) + body


GOOD = json.dumps({"kind": "memory", "type": 1, "size": 4096, "dedicated": False,
                   "device_uuid": None, "image": None}).encode()


@pytest.mark.parametrize(("payload", "fd_count", "match"), [
    (_frame(GOOD, magic=b"XXXX"), 1, "magic"),
    (struct.pack(">4sI", b"CIs1", 1 << 30), 1, "at most"),
    (_frame(b"{not json"), 1, "not JSON"),
    (_frame(b"[" * 100000), 1, "at most|not JSON"),
    (_frame(b"[1]"), 1, "JSON object"),
    (_frame(GOOD), 0, "exactly one fd"),
    (_frame(GOOD), 2, "exactly one fd"),
    (_frame(GOOD.replace(b'"dedicated": false', b'"dedicated": "false"')), 1, "dedicated"),
    (_frame(GOOD.replace(b'"size": 4096', b'"size": "abc"')), 1, "size"),
    (_frame(GOOD.replace(b'"size": 4096', b'"size": -1')), 1, "size must be > 0"),
    (_frame(GOOD.replace(b'"type": 1', b'"type": 99')), 1, "handle type"),
    (_frame(GOOD.replace(b'"type": 1', b'"type": 2')), 1, "got type 2"),  # Win32: never owned
    (_frame(GOOD.replace(b'"type": 1', b'"type": 8')), 1, "got type 8"),  # NvSci: an address
    (_frame(GOOD.replace(b'"device_uuid": null', b'"device_uuid": "zz"')), 1, "device_uuid"),
    (_frame(GOOD.replace(b'"image": null', b'"image": {"extent": [1]}')), 1, "extent"),
])
def test_malformed_messages_are_refused_and_their_fds_closed(
        no_fd_leak: None, pair: Any, payload: bytes, fd_count: int, match: str) -> None:
    left, right = pair
    fds = [handle_fd() for _ in range(fd_count)]  # memfds: what passes for a handle
    try:
        _raw(left, payload, fds)
    finally:
        for fd in fds:
            os.close(fd)
    with pytest.raises(ipc.ProtocolError, match=match):
        ipc.receive_share(right, "memory")


def test_a_peer_that_hangs_up_mid_message_is_a_connection_error(no_fd_leak: None,
                                                                  pair: Any) -> None:
    left, right = pair
    fd = os.open(os.devnull, os.O_RDONLY)
    try:
        _raw(left, _frame(GOOD)[:20], [fd])
    finally:
        os.close(fd)
    left.close()
    with pytest.raises(ConnectionError):
        ipc.receive_share(right, "memory")


def test_a_silent_peer_times_out(pair: Any) -> None:
    _, right = pair
    right.settimeout(0.05)
    with pytest.raises(TimeoutError):
        ipc.receive_share(right, "memory")


def test_the_socket_timeout_bounds_the_whole_message_and_is_kept(no_fd_leak: None,
                                                                      pair: Any) -> None:
    left, right = pair
    right.settimeout(0.3)
    frame = _frame(GOOD)
    stop = threading.Event()

    def trickle() -> None:  # one byte at a time: each recv succeeds, the message never ends
        for byte in frame[:-1]:
            if stop.wait(0.02):
                return
            left.send(bytes([byte]))

    sender = threading.Thread(target=trickle)
    sender.start()
    start = time.monotonic()
    try:
        with pytest.raises(TimeoutError, match="stalled"):
            ipc.receive_share(right, "memory")
    finally:
        stop.set()
        sender.join()
    assert time.monotonic() - start < 2.0
    assert right.gettimeout() == 0.3


def test_a_silent_peer_times_out_and_the_connection_stays_usable(no_fd_leak: None, pair: Any,
                                                                 stand_in: StandIn) -> None:
    left, right = pair
    for own in (None, 30.0):  # the argument decides, not the socket, whose timeout stays
        right.settimeout(own)
        start = time.monotonic()
        with pytest.raises(TimeoutError, match="still usable"):
            ipc.receive_share(right, "memory", timeout=0.05)
        assert time.monotonic() - start < 2.0
        assert right.gettimeout() == own
    ipc.send_memory(left, stand_in)
    share = ipc.receive_share(right, "memory", timeout=5)
    assert share.size == 1 << 20
    share.close()


def test_a_nonblocking_socket_with_nothing_queued_times_out(pair: Any) -> None:
    _, right = pair
    right.setblocking(False)
    with pytest.raises(TimeoutError):
        ipc.receive_share(right, "memory")


def test_a_peer_that_stalls_mid_message_leaves_nothing_half_read(no_fd_leak: None, pair: Any,
                                                                 stand_in: StandIn) -> None:
    """After a timeout inside a message, the rest of it must never be taken for the start of
    the next one: the connection is shut down, and the fd that came with the part is closed."""
    left, right = pair
    frame = _frame(GOOD)
    fd = handle_fd()
    try:
        _raw(left, frame[:20], [fd])
    finally:
        os.close(fd)
    with pytest.raises(TimeoutError, match="out of step"):
        ipc.receive_share(right, "memory", timeout=0.05)
    with pytest.raises(BrokenPipeError):
        left.sendall(frame[20:])  # the receiver shut the connection down
    with pytest.raises(ConnectionError):
        ipc.receive_share(right, "memory", timeout=1)


@pytest.mark.parametrize("payload", [
    _frame(GOOD, magic=b"XXXX"),
    struct.pack(">4sI", b"CIs1", 1 << 30) + GOOD,
], ids=["magic", "length"])
def test_a_frame_that_cannot_be_skipped_shuts_the_connection_down(
        no_fd_leak: None, pair: Any, stand_in: StandIn, payload: bytes) -> None:
    left, right = pair
    fd = handle_fd()
    try:
        _raw(left, payload, [fd])
    finally:
        os.close(fd)
    with pytest.raises(ipc.ProtocolError, match="out of step"):
        ipc.receive_share(right, "memory")
    with pytest.raises(ConnectionError):
        ipc.receive_share(right, "memory")


def test_a_malformed_body_in_a_whole_frame_leaves_the_connection_usable(
        no_fd_leak: None, pair: Any, stand_in: StandIn) -> None:
    left, right = pair
    fd = handle_fd()
    try:
        _raw(left, _frame(b"{not json"), [fd])
    finally:
        os.close(fd)
    with pytest.raises(ipc.ProtocolError, match="not JSON"):
        ipc.receive_share(right, "memory")
    ipc.send_memory(left, stand_in)
    ipc.receive_share(right, "memory").close()


def test_ctrl_c_interrupts_a_blocking_receive_mid_message(no_fd_leak: None, pair: Any) -> None:
    left, right = pair
    right.settimeout(None)  # blocks until a message comes, or Ctrl-C
    fd = handle_fd()
    try:
        _raw(left, _frame(GOOD)[:20], [fd])
    finally:
        os.close(fd)

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with pytest.raises(KeyboardInterrupt):
            ipc.receive_share(right, "memory")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(BrokenPipeError):
        left.sendall(b"x")  # the half-read connection was shut down


@pytest.mark.parametrize(("timeout", "error"), [(0, ValueError), (-1, ValueError),
                                               (float("nan"), ValueError),
                                               (float("inf"), ValueError), ("1", TypeError),
                                               (True, TypeError)])
def test_timeouts_are_positive_finite_seconds(pair: Any, timeout: Any, error: type) -> None:
    with pytest.raises(error, match="timeout"):
        ipc.receive_share(pair[1], "memory", timeout=timeout)


def test_received_fds_are_close_on_exec(no_fd_leak: None, pair: Any, stand_in: StandIn) -> None:
    left, right = pair
    share = stand_in.export_share()
    os.set_inheritable(share.handle, True)  # the sender's copy would leak into its children
    ipc.send_memory(left, share)
    received = ipc.receive_share(right, "memory")
    try:
        assert not os.get_inheritable(received.handle)
        child = subprocess.run([sys.executable, "-c", f"import os; os.fstat({received.handle})"],
                               close_fds=False, capture_output=True, check=False)
        assert child.returncode != 0 and b"Bad file descriptor" in child.stderr
    finally:
        received.close()


NOT_HANDLES = {"pipe": "a pipe", "socket": "a socket", "directory": "a directory",
               "O_PATH": "an O_PATH fd", "devnull": "/dev/null, a character device",
               "regular": "a regular file", "eventfd": "an eventfd"}


@pytest.mark.parametrize("share", ["memory", "semaphore"])
@pytest.mark.parametrize("kind", sorted(NOT_HANDLES))
def test_fds_that_cannot_be_handles_are_refused_and_closed(no_fd_leak: None, pair: Any,
                                                           tmp_path: Any, kind: str,
                                                           share: str) -> None:
    left, right = pair
    if kind not in Fds.KINDS or (kind == "O_PATH" and not hasattr(os, "O_PATH")):
        pytest.skip(f"no {kind} here")
    fd = Fds(str(tmp_path)).make(kind)
    body = GOOD if share == "memory" else json.dumps(
        {"kind": "semaphore", "type": 9, "device_uuid": None}).encode()
    try:
        _raw(left, _frame(body), [fd])
    finally:
        os.close(fd)
    with pytest.raises(ipc.ProtocolError, match=f"fd is {NOT_HANDLES[kind]}"):
        ipc.receive_share(right, share)


def test_the_kernels_own_anonymous_fds_are_refused(no_fd_leak: None, pair: Any) -> None:
    left, right = pair
    epoll = select.epoll()
    made = {"an epoll fd": os.dup(epoll.fileno())}
    epoll.close()
    if hasattr(os, "pidfd_open"):
        made["a pidfd"] = os.pidfd_open(os.getpid())
    for what, fd in made.items():
        try:
            _raw(left, _frame(GOOD), [fd])
        finally:
            os.close(fd)
        with pytest.raises(ipc.ProtocolError, match=f"fd is {what}"):
            ipc.receive_share(right, "memory")


def test_a_memfd_passes_for_exported_memory(no_fd_leak: None, pair: Any) -> None:
    """What lavapipe exports (a memfd) is taken: the refusals are a known-bad list."""
    left, right = pair
    fd = handle_fd()
    try:
        _raw(left, _frame(GOOD), [fd])
    finally:
        os.close(fd)
    with ipc.receive_share(right, "memory") as share:
        assert share.size == 4096


def test_more_fds_than_fit_are_refused_and_all_closed(no_fd_leak: None, pair: Any) -> None:
    left, right = pair
    fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(250)]  # SCM_MAX_FD is 253
    try:
        _raw(left, _frame(GOOD), fds)
    finally:
        for fd in fds:
            os.close(fd)
    with pytest.raises(ipc.ProtocolError, match="exactly one fd, got more than"):
        ipc.receive_share(right, "memory")


# -- Device identity -----------------------------------------------------------------------
@given(uuid=st.one_of(st.none(), st.binary(min_size=16, max_size=16)))
@settings(max_examples=50, deadline=None)
def test_the_device_uuid_travels_intact(uuid: bytes | None) -> None:
    left, right = socket.socketpair()
    with left, right:
        right.settimeout(5)
        fd = handle_fd()
        ipc.send_memory(left, ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 4096,
                                             device_uuid=uuid))
        share = ipc.receive_share(right, "memory")
        assert share.device_uuid == uuid
        share.close()


def test_the_device_uuid_is_sent_as_hex(pair: Any) -> None:
    left, right = pair
    uuid = bytes(range(0xF0, 0x100))
    ipc.send_semaphore(left, ci.SemaphoreShare(ci.SemaphoreHandleType.OPAQUE_FD, handle_fd(),
                                               device_uuid=uuid))
    header, ancillary, _, _ = right.recvmsg(8, socket.CMSG_SPACE(4))
    body = right.recv(struct.unpack(">4sI", header)[1])
    for _, _, data in ancillary:
        os.close(array.array("i", data)[0])
    assert json.loads(body)["device_uuid"] == uuid.hex()


@pytest.mark.gpu
@pytest.mark.parametrize("kind", ["memory", "semaphore"])
def test_a_share_of_a_device_this_process_lacks_is_refused_on_import(
        no_fd_leak: None, pair: Any, kind: str) -> None:
    left, right = pair
    unknown = b"\xfe" * 16
    assert unknown not in [device.uuid for device in ci.devices()]
    if kind == "memory":
        ipc.send_memory(left, ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, handle_fd(), 1 << 20,
                                             device_uuid=unknown))
        receive: Any = ipc.receive_memory
    else:
        ipc.send_semaphore(left, ci.SemaphoreShare(ci.SemaphoreHandleType.OPAQUE_FD, handle_fd(),
                                                   device_uuid=unknown))
        receive = ipc.receive_semaphore
    with pytest.raises(ValueError, match=f"UUID {unknown.hex()}, which is no CUDA device"):
        receive(right)


# -- Peer credentials ----------------------------------------------------------------------
NOBODY = 65534
needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="runs a peer as another user (setuid), which needs root")


def test_the_peer_of_a_socket_pair_is_this_process(pair: Any) -> None:
    assert ipc.peer_credentials(pair[1]) == ipc.Peer(os.getpid(), os.geteuid(), os.getegid())


def test_an_empty_allow_list_refuses_even_this_user(no_fd_leak: None, pair: Any,
                                                    stand_in: StandIn) -> None:
    left, right = pair
    ipc.send_memory(left, stand_in)
    with pytest.raises(ipc.PeerRefusedError, match=f"uid {os.geteuid()}") as refused:
        ipc.receive_share(right, "memory", allow_uids=())
    assert isinstance(refused.value, PermissionError)
    assert not isinstance(refused.value, ipc.ProtocolError)
    assert refused.value.peer.pid == os.getpid()
    with pytest.raises(BrokenPipeError):
        ipc.send_memory(left, stand_in)  # shut down


@pytest.mark.parametrize(("allow_uids", "error"), [
    ("0", TypeError), (0, TypeError), ([-1], ValueError), ([True], ValueError),
    ([1 << 32], ValueError), (["0"], ValueError)])
def test_allow_lists_hold_uids(pair: Any, allow_uids: Any, error: type) -> None:
    with pytest.raises(error, match="allow_uids"):
        ipc.receive_share(pair[1], "memory", allow_uids=allow_uids)


@contextlib.contextmanager
def listening() -> Iterator[tuple[socket.socket, str]]:
    """A listening socket in the abstract namespace (no file permissions stand in the way)."""
    address = f"\0cuda-interop-test-{os.getpid()}-{secrets.token_hex(8)}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(address)
        server.listen(1)
        server.settimeout(30)
        yield server, address


def fork_peer_as(uid: int, address: str, body: Callable[[socket.socket], int]) -> int:
    """Forks a child that becomes `uid`, connects to `address` and exits with `body`'s code."""
    pid = os.fork()
    if pid:
        return pid
    code = 99
    try:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(30)
            sock.connect(address)
            code = body(sock)
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _exit_code(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _send_a_pipe_and_see_it_closed(sock: socket.socket) -> int:
    read, write = os.pipe()  # sent raw: a share refuses a pipe, the receiver never looks at it
    _raw(sock, _frame(GOOD), [read])
    os.close(read)
    if sock.recv(1):  # b"" once the receiver shut the connection down
        return 2
    try:
        os.write(write, b"x")
    except BrokenPipeError:
        return 0  # no read end is left anywhere: the receiver closed the one it was sent
    return 3


@pytest.mark.filterwarnings("ignore:os.fork\\(\\) was called:RuntimeWarning")  # child only sends
@needs_root
def test_a_peer_of_another_user_is_refused_and_its_fd_closed(no_fd_leak: None) -> None:
    with listening() as (server, address):
        pid = fork_peer_as(NOBODY, address, _send_a_pipe_and_see_it_closed)
        try:
            connection, _ = server.accept()
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            _exit_code(pid)
            raise
        with connection:
            assert select.select([connection], [], [], 30)[0], "the peer sent nothing"
            with pytest.raises(ipc.PeerRefusedError,
                               match=f"uid {NOBODY} .*allowed uids are 0") as refused:
                ipc.receive_memory(connection, timeout=30)
            assert refused.value.peer == ipc.Peer(pid, NOBODY, NOBODY)
        assert _exit_code(pid) == 0


def _send_a_share(sock: socket.socket) -> int:
    ipc.send_memory(sock, ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, handle_fd(), 4096))
    return 0 if sock.recv(2) == b"ok" else 2


@pytest.mark.filterwarnings("ignore:os.fork\\(\\) was called:RuntimeWarning")  # child only sends
@needs_root
@pytest.mark.parametrize("allow_uids", [[0, NOBODY], ipc.ANY_PEER])
def test_a_peer_of_an_allowed_user_is_heard(no_fd_leak: None, allow_uids: Any) -> None:
    with listening() as (server, address):
        pid = fork_peer_as(NOBODY, address, _send_a_share)
        connection, _ = server.accept()
        with connection:
            assert ipc.peer_credentials(connection) == ipc.Peer(pid, NOBODY, NOBODY)
            share = ipc.receive_share(connection, "memory", timeout=30, allow_uids=allow_uids)
            assert share.size == 4096 and not os.get_inheritable(share.handle)
            share.close()
            connection.sendall(b"ok")
        assert _exit_code(pid) == 0


@pytest.mark.filterwarnings("ignore:os.fork\\(\\) was called:RuntimeWarning")  # child only sends
@needs_root
def test_credentials_are_the_connecting_process_s(no_fd_leak: None) -> None:
    """SO_PEERCRED names who connected (here: made the pair), not who holds the socket now."""
    left, right = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            right.close()
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            code = _send_a_share(left)
        finally:
            os._exit(code)
    left.close()
    with right:
        right.settimeout(30)
        assert ipc.peer_credentials(right).uid == os.geteuid()
        ipc.receive_share(right, "memory").close()
        right.sendall(b"ok")
    assert _exit_code(pid) == 0


@pytest.mark.gpu
def test_another_process_writes_our_allocation() -> None:
    child = textwrap.dedent("""
        import socket, sys
        import numpy as np
        from cuda_interop import ipc
        sock = socket.socket(fileno=int(sys.argv[1]))
        with ipc.receive_memory(sock) as memory, memory.map_buffer() as buffer:
            assert int(buffer.copy_to_host()[0]) == 42   # the parent's bytes
            buffer.copy_from_host(np.full(buffer.size, 7, dtype=np.uint8))
        sock.sendall(b"done")
    """)
    parent, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with ci.SharedAllocation(2 << 20) as allocation:
        allocation.fill(42)
        process = subprocess.Popen([sys.executable, "-c", child, str(child_end.fileno())],
                                   pass_fds=[child_end.fileno()])
        child_end.close()
        ipc.send_memory(parent, allocation)
        assert parent.recv(4) == b"done"
        assert process.wait(timeout=120) == 0
        host: Any = allocation.copy_to_host()
        assert np.all(host == 7)
    parent.close()


@pytest.mark.gpu
def test_a_vulkan_image_and_both_semaphore_kinds_cross_processes() -> None:
    """The share descriptor carries all an importer needs: the child maps the image without
    being told its layout, and orders its reads and writes by the parent's semaphores."""
    from cuda_interop import vulkan

    child = textwrap.dedent("""
        import socket, sys
        import numpy as np
        from cuda_interop import ipc
        sock = socket.socket(fileno=int(sys.argv[1]))
        sock.settimeout(60)
        memory = ipc.receive_memory(sock)
        binary, timeline = ipc.receive_semaphore(sock), ipc.receive_semaphore(sock)
        assert memory.image is not None and not binary.timeline and timeline.timeline
        array = memory.map_mipmapped_array()            # the layout came with the share
        assert array.extent == (64, 32, 0) and array.levels == 2, (array.extent, array.levels)
        assert sock.recv(2) == b"go"                     # Vulkan's signals are submitted
        binary.wait()
        timeline.wait(1)
        expected = np.arange(64 * 32 * 4, dtype=np.uint32).astype(np.uint8).reshape(32, 64, 4)
        np.testing.assert_array_equal(array.level(0).copy_to_host(), expected)
        array.level(1).copy_from_host(np.full((16, 32, 4), 9, dtype=np.uint8))
        timeline.signal(2)                               # CUDA's write is done before 2
        assert sock.recv(4) == b"seen"
        array.close(); memory.close(); binary.close(); timeline.close()
        sock.sendall(b"done")
    """)
    parent, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    parent.settimeout(120)
    with vulkan.Context(0) as ctx, \
            ctx.create_image("R8G8B8A8_UNORM", 64, 32, levels=2) as image, \
            ctx.create_semaphore(timeline=False) as binary, \
            ctx.create_semaphore(timeline=True) as timeline:
        process = subprocess.Popen([sys.executable, "-c", child, str(child_end.fileno())],
                                   pass_fds=[child_end.fileno()])
        child_end.close()
        try:
            image.upload(0, np.arange(64 * 32 * 4, dtype=np.uint32).astype(np.uint8))
            image.upload(1, np.zeros((16, 32, 4), dtype=np.uint8))
            ipc.send_memory(parent, image)
            ipc.send_semaphore(parent, binary)
            ipc.send_semaphore(parent, timeline)
            ctx.submit(signal=[binary, (timeline, 1)])
            parent.sendall(b"go")
            assert timeline.wait(2, timeout=60), "the child never signalled 2"
            assert (image.download(1) == 9).all()
            parent.sendall(b"seen")
            assert parent.recv(4) == b"done"
        finally:
            assert process.wait(timeout=120) == 0
            parent.close()


@pytest.mark.parametrize("sock", [None, 5, "sock", object()])
def test_sending_needs_a_socket_and_closes_the_share(no_fd_leak: None, stand_in: StandIn,
                                                     sock: Any) -> None:
    share = stand_in.export_share()
    with pytest.raises(TypeError, match="sock must be a connected Unix socket"):
        ipc.send_share(sock, share)
    assert share.closed  # the descriptor was exported for this send
    with pytest.raises(TypeError, match="sock must be a connected Unix socket"):
        ipc.send_memory(sock, stand_in)  # refused before anything is exported


def test_a_closed_socket_is_named(no_fd_leak: None, pair: Any, stand_in: StandIn) -> None:
    _, right = pair
    right.close()
    with pytest.raises(ValueError, match="sock is closed"):
        ipc.receive_share(right, "memory", timeout=0.1)
    with pytest.raises(ValueError, match="sock is closed"):
        ipc.send_memory(right, stand_in)


@pytest.mark.parametrize("device", [-2, 2**64, "no", 1.5])
def test_a_bad_device_is_refused_before_a_message_is_taken(no_fd_leak: None, pair: Any,
                                                          stand_in: StandIn,
                                                          device: Any) -> None:
    left, right = pair
    ipc.send_memory(left, stand_in)
    with pytest.raises((TypeError, ValueError), match="device"):
        ipc.receive_memory(right, device=device, timeout=5)
    with ipc.receive_share(right, "memory", timeout=5) as share:  # still queued, untouched
        assert share.size == 1 << 20


def test_a_share_released_twice_is_refused(no_fd_leak: None, stand_in: StandIn) -> None:
    share = stand_in.export_share()
    os.close(share.release())
    with pytest.raises(ci.ClosedError, match="nothing to release"):
        share.release()



def test_a_socket_closed_by_another_thread_ends_a_receive_without_timeout(
        no_fd_leak: None) -> None:
    """A read blocked in the kernel would never notice; the receive polls in slices."""
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    closer = threading.Timer(0.2, right.close)
    closer.start()
    started = time.monotonic()
    with left, pytest.raises(ValueError, match="sock was closed while a message was being read"):
        ipc.receive_share(right, "memory")  # no timeout: blocks until a message or the close
    assert time.monotonic() - started < 1.5
    closer.join()


# -- Only connected-stream Unix sockets carry shares --------------------------------------------
def _pairs() -> Iterator[tuple[str, Callable[[], tuple[socket.socket, socket.socket]]]]:
    yield "SOCK_SEQPACKET", lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    yield "SOCK_DGRAM", lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)


def _tcp_pair() -> tuple[socket.socket, socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
    return client, accepted


@pytest.mark.parametrize(("kind", "make"), [*_pairs(), ("AF_INET", _tcp_pair)],
                         ids=["seqpacket", "dgram", "tcp"])
def test_sockets_other_than_unix_streams_are_refused_at_once(
        no_fd_leak: None, stand_in: StandIn, kind: str,
        make: Callable[[], tuple[socket.socket, socket.socket]]) -> None:
    """Over TCP an fd is dropped without a word; datagram and SEQPACKET sockets cut a message
    at each send, so the receive would wait for the rest forever. Refused before anything."""
    left, right = make()
    with left, right:
        start = time.monotonic()
        for call in (lambda: ipc.send_memory(left, stand_in),
                     lambda: ipc.send_share(left, stand_in.export_share()),
                     lambda: ipc.send_semaphore(left, stand_in.export_semaphore()),
                     lambda: ipc.receive_share(right, "memory", timeout=5),
                     lambda: ipc.receive_memory(right, timeout=5),
                     lambda: ipc.FrameReceiver(right, timeout=5)):
            with pytest.raises(ValueError, match=f"sock must be .*got {kind}"):
                call()
        assert time.monotonic() - start < 1


def test_a_share_is_closed_when_its_socket_is_refused(stand_in: StandIn) -> None:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with left, right:
        share = stand_in.export_share()
        with pytest.raises(ValueError, match="SOCK_STREAM"):
            ipc.send_share(left, share)
        assert share.closed  # exported for this send, like a sent one


# -- What senders and allow lists may be ------------------------------------------------------
class _ExportsNone:
    def export_share(self) -> None:
        return None


class _ExportsASemaphore:
    def __init__(self, stand_in: StandIn) -> None:
        self.share = stand_in.export_semaphore()

    def export_share(self) -> ci.SemaphoreShare:
        return self.share


def test_an_export_that_is_no_share_is_a_type_error(no_fd_leak: None, pair: Any,
                                                    stand_in: StandIn) -> None:
    left, _ = pair
    with pytest.raises(TypeError, match=r"memory: _ExportsNone.export_share\(\) gave NoneType, "
                                        "not a MemoryShare"):
        ipc.send_memory(left, _ExportsNone())
    wrong = _ExportsASemaphore(stand_in)
    with pytest.raises(TypeError, match=r"memory: .*gave SemaphoreShare, not a MemoryShare"):
        ipc.send_memory(left, wrong)
    assert wrong.share.closed  # exported for the send: closed, not leaked
    with pytest.raises(TypeError, match="semaphore must be a SemaphoreShare or an object with"):
        ipc.send_semaphore(left, object())


@pytest.mark.parametrize("uids", [range(2**32), range(0, 2**32, 7), range(2**32 - 1, -1, -1)])
def test_an_allow_range_of_any_size_is_a_membership_test(no_fd_leak: None, pair: Any,
                                                         stand_in: StandIn, uids: range) -> None:
    left, right = pair
    start = time.monotonic()
    ipc.send_memory(left, stand_in)
    if os.geteuid() in uids:
        with ipc.receive_share(right, "memory", allow_uids=uids):
            pass
    else:
        with pytest.raises(ipc.PeerRefusedError, match=re.escape(repr(uids))):
            ipc.receive_share(right, "memory", allow_uids=uids)
    assert time.monotonic() - start < 1  # never listed


def test_an_allow_range_beyond_uids_is_refused(pair: Any) -> None:
    for uids in (range(-1, 5), range(0, 2**32 + 1)):
        with pytest.raises(ValueError, match="allow_uids holds uids"):
            ipc.receive_share(pair[1], "memory", allow_uids=uids)


class _Unreadable:
    """A collection whose iteration (or length) fails."""

    def __init__(self, fail_len: bool = False) -> None:
        self.fail_len = fail_len

    def __len__(self) -> int:
        if self.fail_len:
            raise RuntimeError("no length")
        return 1

    def __iter__(self) -> Iterator[int]:
        raise ValueError("no iteration")

    def __contains__(self, uid: object) -> bool:
        return False


class _Huge(_Unreadable):
    def __len__(self) -> int:
        return 2**40


def test_an_allow_list_that_cannot_be_read_is_a_type_error(pair: Any) -> None:
    for unreadable in (_Unreadable(), _Unreadable(fail_len=True)):
        with pytest.raises(TypeError, match="allow_uids could not be read"):
            ipc.receive_share(pair[1], "memory", allow_uids=unreadable)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"allow_uids lists 1099511627776 uids.*pass a range"):
        ipc.receive_share(pair[1], "memory", allow_uids=_Huge())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pass a range"):
        ipc.receive_share(pair[1], "memory", allow_uids=set(range(70000)))


# -- Images and timeouts --------------------------------------------------------------------
def test_an_image_larger_than_its_memory_is_refused_over_ipc(no_fd_leak: None,
                                                             pair: Any) -> None:
    left, right = pair
    image = {"kind": 2, "bits": 32, "channels": 4, "extent": [1 << 18, 1 << 18, 0], "levels": 1,
             "flags": 0, "offset": 0}  # 1 TiB of texels in 4 KiB
    fd = handle_fd()
    try:
        _raw(left, _frame(GOOD.replace(b'"image": null', json.dumps({"image": image})[1:-1]
                                       .encode())), [fd])
    finally:
        os.close(fd)
    with pytest.raises(ipc.ProtocolError, match="texels take at least 1099511627776 bytes"):
        ipc.receive_share(right, "memory")


@pytest.mark.parametrize("timeout", [10**400, -(10**400)])
def test_a_timeout_beyond_a_float_is_a_value_error(pair: Any, timeout: int) -> None:
    for call in (lambda: ipc.receive_share(pair[1], "memory", timeout=timeout),
                 lambda: ipc.receive_memory(pair[1], timeout=timeout),
                 lambda: ipc.FrameReceiver(pair[1], timeout=timeout)):
        with pytest.raises(ValueError, match="timeout must be a number of seconds a float can "
                                             r"hold \(or None\), got an int of 1329 bits"):
            call()
