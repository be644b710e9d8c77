# SPDX-License-Identifier: Apache-2.0
"""The wire format of :mod:`cuda_interop.ipc`: framed messages (a magic, a length, a JSON body)
with their file descriptors, read under one deadline from a peer whose credentials were checked.
"""

from __future__ import annotations

import array
import json
import math
import os
import select
import socket
import struct
import sys
import threading
import time
from typing import Any

import cuda_interop._core as _core

from . import _peer
from ._core import Error, NotSupportedError
from ._handles import number_of_seconds

_MAGIC = b"CIs1"
_HEADER = struct.Struct(">4sI")  # magic, body length
MAX_BODY = 64 * 1024
_MAX_FDS = 4  # room for more than one, which is refused (and closed); the kernel closes the rest


class ProtocolError(Error, ValueError):
    """A message that is not a well-formed share (the fds that came with it are closed)."""


def require_posix() -> None:
    if sys.platform == "win32":
        raise NotSupportedError("cuda_interop.ipc passes file descriptors: Linux and other POSIX "
                                "systems only (on Windows share named NT handles instead)")


# -- Transport --------------------------------------------------------------------------------
_RECV_FLAGS = getattr(socket, "MSG_CMSG_CLOEXEC", 0)  # fds arrive close-on-exec, atomically
_SLICE_MS = 100  # the longest a receive waits before it looks whether its socket was closed
_OUT_OF_STEP = "; the connection is out of step and was shut down: close it"


def timeout_of(timeout: float | None) -> float | None:
    """ipc's wait limit: None (the socket's own timeout) or a finite number of seconds > 0."""
    value = number_of_seconds(timeout)
    if value is not None and not 0 < value < math.inf:
        raise ValueError(f"timeout must be a finite number of seconds > 0, or None, got "
                         f"{value!r}")
    if value is not None and value > threading.TIMEOUT_MAX:  # what a thread's wait can take
        raise ValueError(f"timeout must be at most {threading.TIMEOUT_MAX:.0f} seconds "
                         f"(threading.TIMEOUT_MAX), or None, got {value!r}")
    return value


class _Receipt:
    """One framed message being read under one deadline, with every fd that came with it."""

    def __init__(self, sock: socket.socket, timeout: float | None) -> None:
        self.sock = sock
        budget = sock.gettimeout() if timeout is None else timeout
        self.budget = budget
        self.deadline = None if budget is None else time.monotonic() + budget
        self.fds: list[int] = []
        self.read_bytes = 0
        self.truncated = False  # fds were dropped: more came than fit

    def read(self, size: int) -> bytes:
        """Exactly `size` bytes, before the deadline."""
        chunks: list[bytes] = []
        while size:
            data, ancillary, flags = self._recvmsg(size)
            self.fds.extend(_peer.received_fds(ancillary))
            self.truncated |= bool(flags & socket.MSG_CTRUNC)
            if not data:
                if self.read_bytes:
                    raise ConnectionError(f"the peer closed the connection {size} bytes short "
                                          "of a message")
                raise ConnectionError("the peer closed the connection")
            chunks.append(data)
            size -= len(data)
            self.read_bytes += len(data)
        return b"".join(chunks)

    def _recvmsg(self, size: int) -> tuple[bytes, list[tuple[int, int, bytes]], int]:
        """One ``recvmsg``, once ``poll`` says data is there, without blocking: the socket's own
        timeout (which other threads may be sending under) is left alone. Polls in slices, so
        that a socket another thread closes meanwhile is noticed (a blocked read never would)."""
        space = socket.CMSG_SPACE(_MAX_FDS * 4)
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        while True:
            remaining = None if self.deadline is None else self.deadline - time.monotonic()
            wait_ms = _SLICE_MS if remaining is None else max(0, min(
                _SLICE_MS, math.ceil(remaining * 1000)))
            ready = poller.poll(wait_ms)
            if self.sock.fileno() == -1:
                raise ValueError("sock was closed while a message was being read")
            # what already arrived is taken even once the deadline passed
            if ready:
                try:
                    data, ancillary, flags, _ = self.sock.recvmsg(
                        size, space, _RECV_FLAGS | socket.MSG_DONTWAIT)
                    return data, ancillary, flags
                except (BlockingIOError, socket.timeout):
                    pass  # readiness was spurious
            if remaining is not None and remaining <= 0:
                raise self._timed_out()

    def _timed_out(self) -> TimeoutError:
        if not self.read_bytes:
            return TimeoutError(f"no message came within {self.budget:g} s (the connection is "
                                "still usable)")
        return TimeoutError(f"the peer stalled {self.read_bytes} bytes into a message for "
                            f"{self.budget:g} s{_OUT_OF_STEP}")


def _check_fd(fd: int) -> None:
    """Refuses fds that can never be a memory or semaphore handle: the core's known-bad list
    (pipes, sockets, directories, links, O_PATH fds, eventfds, epoll fds, pidfds, /dev/null,
    regular files that are not memfds, ...). A driver given one may block reading it; CUDA
    would refuse the rest only at import. Memfds, dma-bufs, sync files and drivers' own files
    pass."""
    never = _core.fd_never_share(fd)
    if never is not None:
        raise ProtocolError(f"the share's fd is {never}, not a memory or semaphore handle")


def check_socket(sock: Any) -> socket.socket:
    """`sock` if it is an open, connected-stream Unix socket (``AF_UNIX``, ``SOCK_STREAM``);
    a TypeError or ValueError naming it otherwise. Other kinds lose what ipc relies on: TCP
    drops ``SCM_RIGHTS`` fds without a word, datagram and ``SOCK_SEQPACKET`` sockets cut a
    message at each send, so a receive would wait for the rest of it forever."""
    if not isinstance(sock, socket.socket):
        raise TypeError(f"sock must be a connected Unix socket, got {type(sock).__name__}")
    if sock.fileno() == -1:
        raise ValueError("sock is closed")
    if sock.family != getattr(socket, "AF_UNIX", None):
        raise ValueError(f"sock must be a Unix domain socket (AF_UNIX), got "
                         f"{_name(sock.family)}: only Unix sockets carry file descriptors")
    if sock.type != socket.SOCK_STREAM:
        raise ValueError(f"sock must be a stream socket (SOCK_STREAM), got {_name(sock.type)}")
    return sock


def _name(value: Any) -> str:
    return getattr(value, "name", None) or str(value)


def receive_message(sock: socket.socket, timeout: float | None,
                    uids: frozenset[int] | None) -> tuple[int, Any]:
    """One framed message and its one fd (owned by the caller, close-on-exec)."""
    fds, message = _receive(sock, timeout, uids, 1)
    return fds[0], message


def receive_control(sock: socket.socket, timeout: float | None,
                    uids: frozenset[int] | None) -> Any:
    """One framed message that carries no fd."""
    return _receive(sock, timeout, uids, 0)[1]


def _receive(sock: socket.socket, timeout: float | None, uids: frozenset[int] | None,
             fds: int) -> tuple[list[int], Any]:
    check_socket(sock)
    _peer.check_peer(sock, uids)
    receipt = _Receipt(sock, timeout)
    framed = False
    try:
        magic, length = _HEADER.unpack(receipt.read(_HEADER.size))
        if magic != _MAGIC:
            raise ProtocolError(f"not a cuda_interop share message (magic {magic!r})"
                                f"{_OUT_OF_STEP}")
        if length > MAX_BODY:
            raise ProtocolError(f"a message body is at most {MAX_BODY} bytes, got {length}"
                                f"{_OUT_OF_STEP}")
        body = receipt.read(length)
        framed = True
        if receipt.truncated or len(receipt.fds) != fds:
            count = f"more than {_MAX_FDS}" if receipt.truncated else len(receipt.fds)
            what = "a share message carries exactly one fd" if fds else "expected no fd"
            raise ProtocolError(f"{what}, got {count}")
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            raise ProtocolError("the message body is not JSON") from None
        for fd in receipt.fds:
            _check_fd(fd)
            if os.get_inheritable(fd):  # without MSG_CMSG_CLOEXEC
                os.set_inheritable(fd, False)
    except BaseException:
        for fd in receipt.fds:
            os.close(fd)
        if receipt.read_bytes and not framed:
            _peer.disconnect(sock)
        raise
    return receipt.fds, message


def send_message(sock: socket.socket, message: dict[str, Any], fd: int | None = None) -> None:
    """Send one framed message, with `fd` (``SCM_RIGHTS``) if given."""
    check_socket(sock)
    body = json.dumps(message).encode()
    rights = [] if fd is None else [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))]
    sock.sendmsg([_HEADER.pack(_MAGIC, len(body)) + body], rights)


