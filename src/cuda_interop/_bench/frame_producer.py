# SPDX-License-Identifier: Apache-2.0
"""The producer process of the two-process frame loops: ``python -m
cuda_interop._bench.frame_producer DEVICE FRAME_NBYTES FD:BATCH:HANDOFFS...``.

For each ``FD:BATCH:HANDOFFS`` in turn it sends a ring over the socket `FD` (``ipc.FrameSender``,
`BATCH` frames of `FRAME_NBYTES` per slot) and copies `BATCH` rendered frames into each slot with
one Vulkan copy, `HANDOFFS` times, as the one-process loops do. One process serves every batch
size of a frame size, so the table pays one start-up per size, not one per row.
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass

from .. import ipc, vulkan
from .frame_content import upload_frames


@dataclass(frozen=True)
class RingSpec:
    """One ring the producer serves: its socket, frames per hand-off, and hand-offs to send."""

    fd: int
    batch: int
    handoffs: int

    @classmethod
    def parse(cls, text: str) -> RingSpec:
        """``"FD:BATCH:HANDOFFS"`` (all integers, batch and hand-offs positive)."""
        parts = text.split(":")
        if len(parts) != 3:
            raise ValueError(f"expected FD:BATCH:HANDOFFS, got {text!r}")
        fd, batch, handoffs = (int(part) for part in parts)
        if fd < 0 or batch < 1 or handoffs < 1:
            raise ValueError(f"FD must be >= 0, BATCH and HANDOFFS > 0, got {text!r}")
        return cls(fd, batch, handoffs)

    def __str__(self) -> str:
        return f"{self.fd}:{self.batch}:{self.handoffs}"


def serve(context: vulkan.Context, frame_nbytes: int, spec: RingSpec) -> None:
    """Send one ring over `spec.fd` and fill `spec.handoffs` hand-offs of it."""
    sock = socket.socket(fileno=spec.fd)
    with sock, context.create_buffer(frame_nbytes * spec.batch) as rendered, \
            ipc.FrameSender(sock, context, nbytes=frame_nbytes, slots=3,
                            batch=spec.batch) as sender:
        upload_frames(rendered, frame_nbytes, spec.batch)
        for _ in range(spec.handoffs):
            slot = sender.begin_write(timeout=60)
            rendered.copy_to(slot.buffer, wait=slot.wait, signal=slot.signal, block=False)
        context.wait_idle(timeout=60)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: frame_producer DEVICE FRAME_NBYTES FD:BATCH:HANDOFFS...", file=sys.stderr)
        return 2
    device, frame_nbytes = int(argv[0]), int(argv[1])
    specs = [RingSpec.parse(text) for text in argv[2:]]
    with vulkan.Context(device) as context:
        for spec in specs:
            serve(context, frame_nbytes, spec)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
