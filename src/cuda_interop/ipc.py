# SPDX-License-Identifier: Apache-2.0
"""Sharing memory and semaphores between processes over a Unix domain socket (Linux).

A producer process (a renderer, or CUDA code with a :class:`SharedAllocation`) sends a fresh file
descriptor with what the importer must know (size, dedicated flag, semaphore kind); the consumer
receives it already imported::

    # producer                                    # consumer
    ipc.send_memory(sock, allocation)             mem = ipc.receive_memory(sock)
    ipc.send_semaphore(sock, vk_semaphore)        sem = ipc.receive_semaphore(sock)

The descriptor travels with ``SCM_RIGHTS``; the sender keeps its own. On the receiving side the
import takes the received descriptor (``take_ownership=True``) and closes it if the import fails.
"""

from __future__ import annotations

import json
import socket
import sys
from typing import Any, Protocol

from ._core import NotSupportedError
from ._device import DeviceLike
from ._external_memory import ExternalMemory
from ._external_semaphore import ExternalSemaphore
from ._handles import close_os_handle, import_exported

_MAX_MESSAGE = 4096
_VERSION = 1


class ExportableMemory(Protocol):
    """Anything with ``export_fd()`` and a size to import: SharedAllocation, Vulkan buffers."""

    def export_fd(self) -> int: ...


class ExportableSemaphore(Protocol):
    def export_fd(self) -> int: ...

    @property
    def timeline(self) -> bool: ...


def _require_posix() -> None:
    if sys.platform == "win32":
        raise NotSupportedError("cuda_interop.ipc passes file descriptors: Linux and other POSIX "
                                "systems only (on Windows share named NT handles instead)")


def _send(sock: socket.socket, fd: int, message: dict[str, Any]) -> None:
    """Send `message` with `fd`, then close our copy of `fd` (it was exported for this send)."""
    try:
        payload = json.dumps({"version": _VERSION, **message}).encode()
        socket.send_fds(sock, [payload], [fd])
    finally:
        close_os_handle(fd)


def _receive(sock: socket.socket, kind: str) -> tuple[int, dict[str, Any]]:
    payload, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, 1)
    if not fds:
        raise ConnectionError("the peer closed the connection or sent no file descriptor")
    fd = fds[0]
    try:
        message = json.loads(payload)
        if message.get("version") != _VERSION or message.get("kind") != kind:
            raise ValueError(f"expected a version-{_VERSION} {kind!r} message, got {message!r}")
    except BaseException:
        close_os_handle(fd)
        raise
    return fd, message


def send_memory(sock: socket.socket, memory: ExportableMemory, *, size: int | None = None,
                dedicated: bool | None = None) -> None:
    """Send a new file descriptor of `memory` with its import size and dedicated flag.

    `size` and `dedicated` default to the object's ``allocation_size`` (or ``size``) and
    ``dedicated`` attributes, which SharedAllocation and Vulkan buffers and images have.
    """
    _require_posix()
    if size is None:
        size = getattr(memory, "allocation_size", None) or getattr(memory, "size", None)
        if size is None:
            raise ValueError("pass size=: the object reports neither allocation_size nor size")
    dedicated = bool(dedicated if dedicated is not None else getattr(memory, "dedicated", False))
    _send(sock, memory.export_fd(), {"kind": "memory", "size": int(size), "dedicated": dedicated})


def receive_memory(sock: socket.socket, *, device: DeviceLike = None) -> ExternalMemory:
    """Receive memory sent by :func:`send_memory` and import it (on `device`)."""
    _require_posix()
    fd, message = _receive(sock, "memory")
    return import_exported(fd, lambda owned: ExternalMemory.from_fd(
        owned, int(message["size"]), dedicated=bool(message["dedicated"]), device=device,
        take_ownership=True))


def send_semaphore(sock: socket.socket, semaphore: ExportableSemaphore) -> None:
    """Send a new file descriptor of an exportable semaphore (timeline or binary)."""
    _require_posix()
    _send(sock, semaphore.export_fd(), {"kind": "semaphore", "timeline": bool(semaphore.timeline)})


def receive_semaphore(sock: socket.socket, *, device: DeviceLike = None) -> ExternalSemaphore:
    """Receive a semaphore sent by :func:`send_semaphore` and import it (on `device`)."""
    _require_posix()
    fd, message = _receive(sock, "semaphore")
    return import_exported(fd, lambda owned: ExternalSemaphore.from_fd(
        owned, timeline=bool(message["timeline"]), device=device, take_ownership=True))
