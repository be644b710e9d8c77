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
descriptor's fd is closed once sent. Each message is framed (a magic, a length, a JSON body of at
most 64 KiB, exactly one fd); a malformed message raises :class:`ProtocolError` and every fd that
came with it is closed. Receives block like the socket does: set ``sock.settimeout()`` to bound
them.
"""

from __future__ import annotations

import array
import json
import os
import socket
import struct
import sys
from typing import Any, Protocol, Union

from . import _core
from ._core import NotSupportedError
from ._device import DeviceLike
from ._external_memory import ExternalMemory
from ._external_semaphore import ExternalSemaphore

_MAGIC = b"CIs1"
_HEADER = struct.Struct(">4sI")  # magic, body length
MAX_BODY = 64 * 1024
_MAX_FDS = 4  # more than one is a protocol error, but we must receive (and close) them

Share = Union[_core.MemoryShare, _core.SemaphoreShare]


class ProtocolError(ValueError):
    """A message that is not a well-formed share (the fds that came with it are closed)."""


class Exportable(Protocol):
    """Anything that exports share descriptors: producers' buffers, images, semaphores, ..."""

    def export_share(self) -> Any: ...


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


def _decode(message: Any, fd: int, kind: str) -> Share:
    """The share `message` describes, owning `fd` (closed by the caller if this raises)."""
    if type(message) is not dict:
        raise ProtocolError(f"a message is a JSON object, got {type(message).__name__}")
    if message.get("kind") != kind:
        raise ProtocolError(f"expected a {kind!r} share, got kind {message.get('kind')!r}")
    uuid = _uuid(message)
    handle_type = _field(message, "type", int)
    try:
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
def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = sock.recv(remaining)
        if not chunk:
            raise ConnectionError(f"the peer closed the connection {remaining} bytes short of a "
                                  "message")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _receive_message(sock: socket.socket) -> tuple[int, Any]:
    """One framed message and its one fd (owned by the caller)."""
    fds = array.array("i")
    header, ancillary, _, _ = sock.recvmsg(_HEADER.size,
                                           socket.CMSG_SPACE(_MAX_FDS * fds.itemsize))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    received = list(fds)
    try:
        if not header:
            raise ConnectionError("the peer closed the connection")
        if len(header) < _HEADER.size:
            header += _recv_exactly(sock, _HEADER.size - len(header))
        magic, length = _HEADER.unpack(header)
        if magic != _MAGIC:
            raise ProtocolError(f"not a cuda_interop share message (magic {magic!r})")
        if length > MAX_BODY:
            raise ProtocolError(f"a message body is at most {MAX_BODY} bytes, got {length}")
        body = _recv_exactly(sock, length)
        if len(received) != 1:
            raise ProtocolError(f"a share message carries exactly one fd, got {len(received)}")
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            raise ProtocolError("the message body is not JSON") from None
    except BaseException:
        for fd in received:
            os.close(fd)
        raise
    os.set_inheritable(received[0], False)
    return received[0], message


def send_share(sock: socket.socket, share: Share) -> None:
    """Send a share descriptor: its fd and what an importer needs. The descriptor's handle is
    closed afterwards (it was exported for this send); the receiver has its own."""
    _require_posix()
    if not isinstance(share, (_core.MemoryShare, _core.SemaphoreShare)):
        raise TypeError(f"expected a MemoryShare or SemaphoreShare, got {type(share).__name__}")
    try:
        fd = share.handle
        if type(fd) is not int:
            raise ValueError("only file-descriptor shares travel over ipc")
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


def receive_share(sock: socket.socket, kind: str) -> Share:
    """Receive a share descriptor of `kind` (``"memory"`` or ``"semaphore"``) without importing
    it; it owns the received fd."""
    _require_posix()
    if kind not in ("memory", "semaphore"):
        raise ValueError(f"kind must be 'memory' or 'semaphore', got {kind!r}")
    fd, message = _receive_message(sock)
    try:
        return _decode(message, fd, kind)
    except BaseException:
        os.close(fd)
        raise


def _receive_and_import(sock: socket.socket, kind: str, importer: Any,
                        device: DeviceLike) -> Any:
    share = receive_share(sock, kind)
    try:
        return importer.from_share(share, device=device)
    finally:
        share.close()  # the import holds its own duplicate


def receive_memory(sock: socket.socket, *, device: DeviceLike = None) -> ExternalMemory:
    """Receive memory sent by :func:`send_memory` and import it, on the device it was made on
    (`device`, if given, must be that device). An image's import carries its layout:
    ``map_mipmapped_array()`` needs no arguments."""
    memory: ExternalMemory = _receive_and_import(sock, "memory", ExternalMemory, device)
    return memory


def receive_semaphore(sock: socket.socket, *, device: DeviceLike = None) -> ExternalSemaphore:
    """Receive a semaphore sent by :func:`send_semaphore` and import it."""
    semaphore: ExternalSemaphore = _receive_and_import(sock, "semaphore", ExternalSemaphore,
                                                       device)
    return semaphore
