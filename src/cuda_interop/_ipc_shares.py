# SPDX-License-Identifier: Apache-2.0
"""Share descriptors over :mod:`cuda_interop.ipc`: what travels beside each fd, and the send and
receive calls for memory and semaphores."""

from __future__ import annotations

import os
import socket
from typing import Any, Protocol, Union

from . import _core, _peer
from ._core import ClosedError
from ._device import DeviceLike, device_ordinal
from ._external_memory import ExternalMemory
from ._external_semaphore import ExternalSemaphore
from ._ipc_wire import (
    ProtocolError,
    check_socket,
    receive_message,
    require_posix,
    send_message,
    timeout_of,
)
from ._peer import AllowUids

Share = Union[_core.MemoryShare, _core.SemaphoreShare]
"""A share descriptor: what :func:`send_share` sends and :func:`receive_share` returns."""


class Exportable(Protocol):
    """Anything that exports share descriptors: producers' buffers, images, semaphores, ..."""

    def export_share(self) -> Any:
        """A share descriptor (MemoryShare or SemaphoreShare) that owns a new handle."""
        ...



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


def send_share(sock: socket.socket, share: Share) -> None:
    """Send a share descriptor: its fd and what an importer needs. The descriptor's handle is
    closed afterwards (it was exported for this send); the receiver has its own."""
    require_posix()
    if not isinstance(share, (_core.MemoryShare, _core.SemaphoreShare)):
        raise TypeError(f"expected a MemoryShare or SemaphoreShare, got {type(share).__name__}")
    if share.closed:
        raise ClosedError("the share's handle was closed or given away: nothing to send")
    try:
        check_socket(sock)
        fd = share.handle
        kind = "semaphore" if isinstance(share, _core.SemaphoreShare) else "memory"
        if type(fd) is not int or int(share.type) not in _FD_TYPES[kind]:
            raise ValueError(f"only file-descriptor shares travel over ipc, not {share.type}")
        send_message(sock, _encode(share), fd)
    finally:
        share.close()


def _share_of(value: Any, kind: type, name: str) -> Any:
    """`value` if it is a `kind` of share, else what its ``export_share()`` gave, which must be
    one; TypeError naming `name` otherwise (what was exported is closed)."""
    if isinstance(value, kind):
        return value
    export = getattr(value, "export_share", None)
    if not callable(export):
        raise TypeError(f"{name} must be a {kind.__name__} or an object with export_share(), "
                        f"got {type(value).__name__}")
    share = export()
    if not isinstance(share, kind):
        if isinstance(share, (_core.MemoryShare, _core.SemaphoreShare)):
            share.close()  # the wrong kind of share: its handle is ours to close
        raise TypeError(f"{name}: {type(value).__name__}.export_share() gave "
                        f"{type(share).__name__}, not a {kind.__name__}")
    return share


def send_memory(sock: socket.socket, memory: Exportable | _core.MemoryShare) -> None:
    """Send memory (an image carries its layout): a MemoryShare or anything with
    ``export_share()`` (SharedAllocation, Vulkan buffers and images)."""
    require_posix()
    check_socket(sock)
    send_share(sock, _share_of(memory, _core.MemoryShare, "memory"))


def send_semaphore(sock: socket.socket, semaphore: Exportable | _core.SemaphoreShare) -> None:
    """Send a semaphore (binary or timeline): a SemaphoreShare or a Vulkan semaphore."""
    require_posix()
    check_socket(sock)
    send_share(sock, _share_of(semaphore, _core.SemaphoreShare, "semaphore"))


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
    require_posix()
    if kind not in ("memory", "semaphore"):
        raise ValueError(f"kind must be 'memory' or 'semaphore', got {kind!r}")
    fd, message = receive_message(sock, timeout_of(timeout), _peer.allowed_uids(allow_uids))
    try:
        return _decode(message, fd, kind)
    except BaseException:
        os.close(fd)
        raise


def _receive_and_import(sock: socket.socket, kind: str, importer: Any, device: DeviceLike,
                        timeout: float | None, allow_uids: AllowUids) -> Any:
    device_ordinal(device)  # a bad `device` is refused before a message is taken
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
