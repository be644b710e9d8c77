# SPDX-License-Identifier: Apache-2.0
"""The producer process of the two-process frame loop: ``python -m
cuda_interop._bench.frame_producer FD DEVICE NBYTES FRAMES``. It sends a ring over the socket
`FD` (``ipc.FrameSender``) and copies a rendered frame into each slot, as the one-process loop
does."""

from __future__ import annotations

import socket
import sys

from .. import ipc, vulkan
from .random_bytes import random_bytes


def main(argv: list[str]) -> int:
    fd, device, nbytes, frames = (int(value) for value in argv)
    sock = socket.socket(fileno=fd)
    with sock, vulkan.Context(device) as context, context.create_buffer(nbytes) as rendered, \
            ipc.FrameSender(sock, context, nbytes, slots=3) as sender:
        rendered.upload(random_bytes(nbytes, seed=3))
        for _ in range(frames):
            slot = sender.begin_write(timeout=60)
            rendered.copy_to(slot.buffer, wait=slot.wait, signal=slot.signal, block=False)
        context.wait_idle(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
