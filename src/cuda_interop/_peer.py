# SPDX-License-Identifier: Apache-2.0
"""Who is at the other end of a Unix domain socket, and whether :mod:`cuda_interop.ipc` takes
shares from it.

The kernel reports a connected Unix socket's peer (``SO_PEERCRED``): the process id, user id and
group id of the process that connected it (``connect()``) or created the pair
(``socketpair()``), recorded at that moment. They cannot be forged by the peer, but they are the
connecting process's, not the sending one's: a socket handed on to another process keeps
the credentials of the process that connected it.
"""

from __future__ import annotations

import contextlib
import enum
import os
import socket
import struct
import sys
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Callable, Final, Literal, Union

from ._core import Error, NotSupportedError

_UCRED = struct.Struct("=iII")  # struct ucred: pid_t pid; uid_t uid; gid_t gid


@dataclass(frozen=True)
class Peer:
    """The credentials of a connected Unix socket's peer, as the kernel recorded them."""

    pid: int
    uid: int
    gid: int


class _AnyPeer(enum.Enum):
    ANY_PEER = "ANY_PEER"

    def __repr__(self) -> str:
        return "ipc.ANY_PEER"


ANY_PEER: Final = _AnyPeer.ANY_PEER
"""``allow_uids=ANY_PEER`` takes shares from a peer of any user (no credential check)."""

AllowUids = Union[Collection[int], Literal[_AnyPeer.ANY_PEER], None]
"""What ``allow_uids=`` takes: None for peers of this process's effective user only, a collection
of user ids for exactly those users, or :data:`ANY_PEER` for any user."""


class PeerRefusedError(Error, PermissionError):
    """The peer's user is not allowed to send shares here. Nothing it sent was read; every fd it
    had queued is closed and the connection is shut down (close the socket).

    A :class:`PermissionError` (not a ``ProtocolError``): the message may be well formed, the
    sender is not allowed. ``peer`` holds the refused credentials.
    """

    peer: Peer

    def __init__(self, message: str, *, peer: Peer) -> None:
        super().__init__(message)
        self.peer = peer


def peer_credentials(sock: socket.socket) -> Peer:
    """The credentials of `sock`'s peer (``SO_PEERCRED``): pid, uid and gid of the process that
    connected it (or created the socket pair). Linux only."""
    if not isinstance(sock, socket.socket):
        raise TypeError(f"expected a socket, got {type(sock).__name__}")
    if sock.family != socket.AF_UNIX:
        raise ValueError("peer credentials exist for Unix domain sockets only")
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        raise NotSupportedError(f"peer credentials (SO_PEERCRED) are not available on "
                                f"{sys.platform}: pass allow_uids=ipc.ANY_PEER to receive "
                                "without a credential check")
    pid, uid, gid = _UCRED.unpack(sock.getsockopt(socket.SOL_SOCKET, option, _UCRED.size))
    return Peer(pid, uid, gid)


_MAX_LISTED = 1 << 16  # uids a collection may list; a range may span any number


class _UidRange(frozenset):  # type: ignore[type-arg]
    """The uids of a range, tested by membership without listing them (a frozenset, empty as
    one: ``uid in`` is what the receive asks)."""

    __slots__ = ("uids",)
    uids: range

    def __new__(cls, uids: range) -> _UidRange:
        self = super().__new__(cls)
        self.uids = uids
        return self

    def __contains__(self, uid: object) -> bool:
        return uid in self.uids

    def __repr__(self) -> str:
        return repr(self.uids)


def allowed_uids(allow_uids: AllowUids) -> frozenset[int] | None:
    """The uids `allow_uids` admits (None: any), checked: None means this process's own
    effective uid, ANY_PEER any uid, a range those uids (of any size, never listed), another
    collection exactly the uids it holds (at most 65,536 of them)."""
    if allow_uids is None:
        return frozenset((os.geteuid(),))
    if allow_uids is ANY_PEER:
        return None
    if isinstance(allow_uids, (str, bytes)) or not isinstance(allow_uids, Collection):
        raise TypeError(f"allow_uids must be a collection of uids, ipc.ANY_PEER or None, got "
                        f"{type(allow_uids).__name__}")
    if isinstance(allow_uids, range):
        ends = (allow_uids[0], allow_uids[-1]) if allow_uids else (0, 0)  # min() would list
        if not (min(ends) >= 0 and max(ends) < 1 << 32):
            raise ValueError(f"allow_uids holds uids (ints in [0, 2**32)), got {allow_uids!r}")
        return _UidRange(allow_uids)
    count = _read(len, allow_uids)
    if count > _MAX_LISTED:
        raise ValueError(f"allow_uids lists {count} uids, more than {_MAX_LISTED}: pass a "
                         "range for more")
    uids: list[int] = []
    iterator = _read(iter, allow_uids)
    while len(uids) <= _MAX_LISTED:  # a len() that understated stops here too
        try:
            uid = next(iterator)
        except StopIteration:
            break
        except Exception as error:
            raise _unreadable(error) from None
        if type(uid) is not int or not 0 <= uid < 1 << 32:
            raise ValueError(f"allow_uids holds uids (ints in [0, 2**32)), got {uid!r}")
        uids.append(uid)
    else:
        raise ValueError(f"allow_uids lists more than {_MAX_LISTED} uids: pass a range for more")
    return frozenset(uids)


def _unreadable(error: Exception) -> TypeError:
    return TypeError(f"allow_uids could not be read as a collection of uids: "
                     f"{type(error).__name__}: {error}")


def _read(read: Callable[[Any], Any], allow_uids: Any) -> Any:
    """``len()`` or ``iter()`` of `allow_uids`; TypeError naming it when that raises."""
    try:
        return read(allow_uids)
    except Exception as error:
        raise _unreadable(error) from None


def _describe(uids: frozenset[int]) -> str:
    if isinstance(uids, _UidRange):
        return repr(uids.uids)
    return ", ".join(str(uid) for uid in sorted(uids)) or "none"


def check_peer(sock: socket.socket, uids: frozenset[int] | None) -> None:
    """Raises PeerRefusedError (after closing what the peer queued and shutting the connection
    down) unless `sock`'s peer runs as one of `uids` (None: any)."""
    if uids is None:
        return
    peer = peer_credentials(sock)
    if peer.uid in uids:
        return
    disconnect(sock)
    raise PeerRefusedError(
        f"refused a peer of uid {peer.uid} (pid {peer.pid}, gid {peer.gid}): allowed uids are "
        f"{_describe(uids)}; pass allow_uids to accept other users. The connection was shut "
        "down", peer=peer)


_DISCARD_SPACE = socket.CMSG_SPACE(253 * 4)  # the kernel's SCM_MAX_FD: the most one read gets


def disconnect(sock: socket.socket) -> None:
    """Shuts the connection down and drops what the peer had queued, closing every fd in it,
    so that no later read takes it for a message. Reading is shut first, so nothing new can
    arrive (the peer's sends fail with EPIPE) and the drain ends; writing last, so the peer
    sees the end of the connection only once every fd it sent is closed."""
    with contextlib.suppress(OSError):  # already disconnected
        sock.shutdown(socket.SHUT_RD)
    flags = socket.MSG_DONTWAIT | getattr(socket, "MSG_CMSG_CLOEXEC", 0)
    while True:
        try:
            data, ancillary, _, _ = sock.recvmsg(1 << 16, _DISCARD_SPACE, flags)
        except OSError:  # nothing queued (EAGAIN), or the connection is gone
            break
        close_received(ancillary)
        if not data and not ancillary:
            break
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)


def received_fds(ancillary: list[tuple[int, int, bytes]]) -> list[int]:
    """The fds of an ``SCM_RIGHTS`` ancillary message, as ``recvmsg`` returned it."""
    fds: list[int] = []
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            whole = len(data) - len(data) % 4
            fds.extend(struct.unpack(f"={whole // 4}i", data[:whole]))
    return fds


def close_received(ancillary: list[tuple[int, int, bytes]]) -> None:
    for fd in received_fds(ancillary):
        os.close(fd)
