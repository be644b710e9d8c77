# SPDX-License-Identifier: Apache-2.0
"""Sharing memory, images and semaphores between processes over a Unix domain socket (Linux).

What travels is a share descriptor (:class:`cuda_interop.MemoryShare` or
:class:`cuda_interop.SemaphoreShare`): its file descriptor with ``SCM_RIGHTS``, and everything an
importer needs beside it — handle type, size, dedicated flag, the device's UUID and, for images,
their layout — so the receiver imports on the right device and maps an image without being told
anything else::

    # producer                                    # consumer
    ipc.send_memory(sock, image)                  mem = ipc.receive_memory(sock)
                                                  array = mem.map_mipmapped_array()
    ipc.send_semaphore(sock, vk_semaphore)        sem = ipc.receive_semaphore(sock)

Anything with ``export_share()`` can be sent (SharedAllocation, Vulkan buffers, images and
semaphores, Direct3D objects), or a descriptor itself. The sender keeps its object; the
descriptor's fd is closed once sent.

The receiver is guarded (docs/reliability.md has the details and the fuzzing figures):

- Who: only a peer of this process's own user is heard by default (``SO_PEERCRED``, checked
  before anything is read); ``allow_uids`` names other users, :data:`ANY_PEER` drops the check.
  Others get :class:`PeerRefusedError` (a ``PermissionError``).
- What: each message is framed (a magic, a length, a JSON body of at most 64 KiB, exactly one
  fd, which may not be a pipe, socket, directory, link or ``O_PATH`` fd); anything else raises
  :class:`ProtocolError` (a ``ValueError``). Every fd that came with a refused message is
  closed; a kept fd is close-on-exec.
- How long: ``timeout=`` bounds the whole message (default: the socket's own timeout), and a
  silent or stalled peer raises ``TimeoutError``. A receive that fails part-way through a
  message shuts the connection down, so a half-read message never runs into the next one.
"""

from __future__ import annotations

import array
import json
import math
import os
import select
import socket
import stat
import struct
import sys
import time
from typing import Any, Protocol, Union

from . import _core, _peer
from ._core import ClosedError, NotSupportedError
from ._device import DeviceLike
from ._external_memory import ExternalMemory
from ._external_semaphore import ExternalSemaphore
from ._peer import ANY_PEER, AllowUids, Peer, PeerRefusedError, peer_credentials

__all__ = ["ANY_PEER", "MAX_BODY", "AllowUids", "Exportable", "Peer", "PeerRefusedError",
           "ProtocolError", "Share", "peer_credentials", "receive_memory", "receive_semaphore",
           "receive_share", "send_memory", "send_semaphore", "send_share"]

_MAGIC = b"CIs1"
_HEADER = struct.Struct(">4sI")  # magic, body length
MAX_BODY = 64 * 1024
_MAX_FDS = 4  # room for more than one, which is refused (and closed); the kernel closes the rest

Share = Union[_core.MemoryShare, _core.SemaphoreShare]
"""A share descriptor: what :func:`send_share` sends and :func:`receive_share` returns."""


class ProtocolError(ValueError):
    """A message that is not a well-formed share (the fds that came with it are closed)."""


class Exportable(Protocol):
    """Anything that exports share descriptors: producers' buffers, images, semaphores, ..."""

    def export_share(self) -> Any:
        """A share descriptor (MemoryShare or SemaphoreShare) that owns a new handle."""
        ...


def _require_posix() -> None:
    if sys.platform == "win32":
        raise NotSupportedError("cuda_interop.ipc passes file descriptors: Linux and other POSIX "
                                "systems only (on Windows share named NT handles instead)")


# -- Encoding ---------------------------------------------------------------------------------
def _encode(share: Share) -> dict[str, Any]:
    uuid = share.device_uuid
    message: dict[str, Any] = {"type": int(share.type),
                               "device_uuid": None if uuid is None else uuid.hex()}
    if isinstance(share, _core.SemaphoreShare):
        return {"kind": "semaphore", **message}
    image = share.image
    return {"kind": "memory", **message, "size": int(share.size),
            "dedicated": bool(share.dedicated),
            "image": None if image is None else {
                "kind": int(image.kind), "bits": int(image.bits),
                "channels": int(image.channels), "extent": list(image.extent),
                "levels": int(image.levels), "flags": int(image.flags),
                "offset": int(image.offset)}}


def _field(message: dict[str, Any], name: str, kind: type) -> Any:
    value = message.get(name)
    if type(value) is not kind:  # exact: a bool is not an int here, nor "false" a bool
        raise ProtocolError(f"field {name!r} must be a {kind.__name__}, got {value!r}")
    return value


def _uuid(message: dict[str, Any]) -> bytes | None:
    value = message.get("device_uuid")
    if value is None:
        return None
    if type(value) is not str or len(value) != 32:
        raise ProtocolError(f"field 'device_uuid' must be 32 hex digits, got {value!r}")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise ProtocolError(f"field 'device_uuid' must be 32 hex digits, got {value!r}") from None


def _image(message: dict[str, Any]) -> _core.ImageLayout | None:
    value = message.get("image")
    if value is None:
        return None
    if type(value) is not dict:
        raise ProtocolError(f"field 'image' must be an object, got {value!r}")
    extent = value.get("extent")
    if type(extent) is not list or len(extent) != 3 or any(type(v) is not int for v in extent):
        raise ProtocolError(f"image field 'extent' must be three ints, got {extent!r}")
    try:
        kind = _core.ChannelKind(_field(value, "kind", int))
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"image field 'kind': {error}") from None
    return _core.ImageLayout(kind, _field(value, "bits", int), _field(value, "channels", int),
                             tuple(extent), _field(value, "levels", int),
                             _field(value, "flags", int), _field(value, "offset", int))


# The handle types whose handle is a file descriptor, the only ones that travel (a Win32 or
# NvSci type would take the fd's number for a handle or an address, and never close the fd).
_FD_TYPES: dict[str, dict[int, str]] = {
    "memory": {int(t): t.name for t in (_core.MemoryHandleType.OPAQUE_FD,)},
    "semaphore": {int(t): t.name for t in (_core.SemaphoreHandleType.OPAQUE_FD,
                                           _core.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD)},
}


def _decode(message: Any, fd: int, kind: str) -> Share:
    """The share `message` describes, owning `fd` (closed by the caller if this raises)."""
    if type(message) is not dict:
        raise ProtocolError(f"a message is a JSON object, got {type(message).__name__}")
    if message.get("kind") != kind:
        raise ProtocolError(f"expected a {kind!r} share, got kind {message.get('kind')!r}")
    uuid = _uuid(message)
    handle_type = _field(message, "type", int)
    try:
        if handle_type not in _FD_TYPES[kind]:
            names = ", ".join(f"{value} ({name})" for value, name in _FD_TYPES[kind].items())
            raise ProtocolError(f"a {kind} share over ipc has a file-descriptor handle type, "
                                f"one of {names}; got type {handle_type}")
        if kind == "semaphore":
            return _core.SemaphoreShare(_core.SemaphoreHandleType(handle_type), fd,
                                        device_uuid=uuid)
        return _core.MemoryShare(_core.MemoryHandleType(handle_type), fd,
                                 _field(message, "size", int),
                                 _field(message, "dedicated", bool), device_uuid=uuid,
                                 image=_image(message))
    except ProtocolError:
        raise
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"the {kind} share is invalid: {error}") from None


# -- Transport --------------------------------------------------------------------------------
_RECV_FLAGS = getattr(socket, "MSG_CMSG_CLOEXEC", 0)  # fds arrive close-on-exec, atomically
_OUT_OF_STEP = "; the connection is out of step and was shut down: close it"


def _timeout_of(timeout: float | None) -> float | None:
    if timeout is None:
        return None
    if type(timeout) not in (int, float) or not 0 < timeout < math.inf:
        raise ValueError(f"timeout must be a finite number of seconds > 0, or None, got "
                         f"{timeout!r}")
    return float(timeout)


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
        """One ``recvmsg``. Under a deadline it waits by ``poll`` and reads without blocking,
        leaving the socket's own timeout (which other threads may be sending under) alone."""
        space = socket.CMSG_SPACE(_MAX_FDS * 4)
        if self.deadline is None:
            data, ancillary, flags, _ = self.sock.recvmsg(size, space, _RECV_FLAGS)
            return data, ancillary, flags
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        while True:
            remaining = self.deadline - time.monotonic()
            # what already arrived is taken even once the deadline passed; recvmsg only once
            # poll says so (a socket with a timeout would wait that long first)
            if poller.poll(max(0, math.ceil(remaining * 1000))):
                try:
                    data, ancillary, flags, _ = self.sock.recvmsg(
                        size, space, _RECV_FLAGS | socket.MSG_DONTWAIT)
                    return data, ancillary, flags
                except (BlockingIOError, socket.timeout):
                    pass  # readiness was spurious
            if remaining <= 0:
                raise self._timed_out()

    def _timed_out(self) -> TimeoutError:
        if not self.read_bytes:
            return TimeoutError(f"no message came within {self.budget:g} s (the connection is "
                                "still usable)")
        return TimeoutError(f"the peer stalled {self.read_bytes} bytes into a message for "
                            f"{self.budget:g} s{_OUT_OF_STEP}")


def _check_fd(fd: int) -> None:
    """Refuses fds that cannot be a memory or semaphore handle (CUDA refuses the others)."""
    mode = os.fstat(fd).st_mode
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISFIFO, "a pipe"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            raise ProtocolError(f"the share's fd is {what}, not a memory or semaphore handle")
    import fcntl  # POSIX only, like everything that reaches here

    o_path = getattr(os, "O_PATH", 0)
    if o_path and fcntl.fcntl(fd, fcntl.F_GETFL) & o_path:
        raise ProtocolError("the share's fd is an O_PATH fd, not a memory or semaphore handle")


def _receive_message(sock: socket.socket, timeout: float | None,
                     uids: frozenset[int] | None) -> tuple[int, Any]:
    """One framed message and its one fd (owned by the caller, close-on-exec)."""
    if not isinstance(sock, socket.socket):
        raise TypeError(f"expected a socket, got {type(sock).__name__}")
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
        if receipt.truncated or len(receipt.fds) != 1:
            count = f"more than {_MAX_FDS}" if receipt.truncated else len(receipt.fds)
            raise ProtocolError(f"a share message carries exactly one fd, got {count}")
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            raise ProtocolError("the message body is not JSON") from None
        fd = receipt.fds[0]
        _check_fd(fd)
        if os.get_inheritable(fd):  # without MSG_CMSG_CLOEXEC
            os.set_inheritable(fd, False)
    except BaseException:
        for fd in receipt.fds:
            os.close(fd)
        if receipt.read_bytes and not framed:
            _peer.disconnect(sock)
        raise
    return fd, message


def send_share(sock: socket.socket, share: Share) -> None:
    """Send a share descriptor: its fd and what an importer needs. The descriptor's handle is
    closed afterwards (it was exported for this send); the receiver has its own."""
    _require_posix()
    if not isinstance(share, (_core.MemoryShare, _core.SemaphoreShare)):
        raise TypeError(f"expected a MemoryShare or SemaphoreShare, got {type(share).__name__}")
    if share.closed:
        raise ClosedError("the share's handle was closed or given away: nothing to send")
    try:
        fd = share.handle
        kind = "semaphore" if isinstance(share, _core.SemaphoreShare) else "memory"
        if type(fd) is not int or int(share.type) not in _FD_TYPES[kind]:
            raise ValueError(f"only file-descriptor shares travel over ipc, not {share.type}")
        body = json.dumps(_encode(share)).encode()
        sock.sendmsg([_HEADER.pack(_MAGIC, len(body)) + body],
                     [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))])
    finally:
        share.close()


def _share_of(value: Any, kind: type) -> Any:
    if isinstance(value, kind):
        return value
    export = getattr(value, "export_share", None)
    if export is None:
        raise TypeError(f"expected a {kind.__name__} or an object with export_share(), got "
                        f"{type(value).__name__}")
    share = export()
    if not isinstance(share, kind):
        share.close()
        raise TypeError(f"{type(value).__name__}.export_share() gave no {kind.__name__}")
    return share


def send_memory(sock: socket.socket, memory: Exportable | _core.MemoryShare) -> None:
    """Send memory (an image carries its layout): a MemoryShare or anything with
    ``export_share()`` (SharedAllocation, Vulkan buffers and images)."""
    _require_posix()
    send_share(sock, _share_of(memory, _core.MemoryShare))


def send_semaphore(sock: socket.socket, semaphore: Exportable | _core.SemaphoreShare) -> None:
    """Send a semaphore (binary or timeline): a SemaphoreShare or a Vulkan semaphore."""
    _require_posix()
    send_share(sock, _share_of(semaphore, _core.SemaphoreShare))


def receive_share(sock: socket.socket, kind: str, *, timeout: float | None = None,
                  allow_uids: AllowUids = None) -> Share:
    """Receive a share descriptor of `kind` (``"memory"`` or ``"semaphore"``) without importing
    it; it owns the received fd (close-on-exec).

    Parameters
    ----------
    timeout:
        Seconds the whole message may take to arrive; None takes the socket's own timeout
        (``sock.gettimeout()``; a blocking socket waits until a message comes, Ctrl-C
        interrupts). A :class:`TimeoutError` before any byte arrived leaves the connection
        usable; one in the middle of a message shuts it down (the next message would start out
        of step), and the socket must be closed.
    allow_uids:
        Users whose processes may send here, checked against the peer's credentials
        (``SO_PEERCRED``) before anything is read: None (the default) allows this process's
        own effective uid only, a collection of uids exactly those, :data:`ANY_PEER` anyone.
        Any other peer gets :class:`PeerRefusedError`; what it queued is closed and the
        connection shut down.
    """
    _require_posix()
    if kind not in ("memory", "semaphore"):
        raise ValueError(f"kind must be 'memory' or 'semaphore', got {kind!r}")
    fd, message = _receive_message(sock, _timeout_of(timeout), _peer.allowed_uids(allow_uids))
    try:
        return _decode(message, fd, kind)
    except BaseException:
        os.close(fd)
        raise


def _receive_and_import(sock: socket.socket, kind: str, importer: Any, device: DeviceLike,
                        timeout: float | None, allow_uids: AllowUids) -> Any:
    share = receive_share(sock, kind, timeout=timeout, allow_uids=allow_uids)
    try:
        return importer.from_share(share, device=device)
    finally:
        share.close()  # the import holds its own duplicate


def receive_memory(sock: socket.socket, *, device: DeviceLike = None,
                   timeout: float | None = None,
                   allow_uids: AllowUids = None) -> ExternalMemory:
    """Receive memory sent by :func:`send_memory` and import it, on the device it was made on
    (`device`, if given, must be that device; a share made on a device this process does not
    have is refused with a ``ValueError`` naming its UUID). An image's import carries its
    layout: ``map_mipmapped_array()`` needs no arguments. `timeout` and `allow_uids` are
    :func:`receive_share`'s."""
    memory: ExternalMemory = _receive_and_import(sock, "memory", ExternalMemory, device,
                                                 timeout, allow_uids)
    return memory


def receive_semaphore(sock: socket.socket, *, device: DeviceLike = None,
                      timeout: float | None = None,
                      allow_uids: AllowUids = None) -> ExternalSemaphore:
    """Receive a semaphore sent by :func:`send_semaphore` and import it; the arguments are
    :func:`receive_memory`'s."""
    semaphore: ExternalSemaphore = _receive_and_import(sock, "semaphore", ExternalSemaphore,
                                                       device, timeout, allow_uids)
    return semaphore
