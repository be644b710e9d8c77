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
  fd, which may not be one that can never be a handle: a pipe, socket, directory, link,
  ``O_PATH`` fd, eventfd, epoll fd, pidfd, ``/dev/null``, a regular file that is not a memfd, and
  the like), over a Unix stream socket (``AF_UNIX``, ``SOCK_STREAM``); anything else raises
  :class:`ProtocolError` (a ``ValueError``). Every fd that came with a refused message is
  closed; a kept fd is close-on-exec.
- How long: ``timeout=`` bounds the whole message (default: the socket's own timeout), and a
  silent or stalled peer raises ``TimeoutError``. A receive that fails part-way through a
  message shuts the connection down, so a half-read message never runs into the next one.
"""

from __future__ import annotations

from ._frame_channel import FrameReceiver, FrameSender, PeerLostError
from ._ipc_shares import (
    Exportable,
    Share,
    receive_memory,
    receive_semaphore,
    receive_share,
    send_memory,
    send_semaphore,
    send_share,
)
from ._ipc_wire import MAX_BODY, ProtocolError
from ._namespace import public_dir as _public_dir
from ._peer import ANY_PEER, AllowUids, Peer, PeerRefusedError, peer_credentials

__dir__ = _public_dir(__name__)
__all__ = ["ANY_PEER", "MAX_BODY", "AllowUids", "Exportable", "FrameReceiver", "FrameSender",
           "Peer", "PeerLostError", "PeerRefusedError", "ProtocolError", "Share",
           "peer_credentials", "receive_memory", "receive_semaphore", "receive_share",
           "send_memory", "send_semaphore", "send_share"]
