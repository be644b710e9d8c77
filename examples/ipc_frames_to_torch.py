# SPDX-License-Identifier: Apache-2.0
"""Frames from a Vulkan renderer process to a PyTorch consumer process, with no copy.

    python examples/ipc_frames_to_torch.py [--frames 48] [--slots 3]

The renderer (this process) starts the consumer as a child process connected by a Unix socket
pair and opens a frame channel on it (``ipc.FrameSender``): a ring of exportable Vulkan buffers
with ``ready`` and ``released`` timelines, sent once. Per frame:

- renderer: ``begin_write()`` gives the next slot once the consumer has released it; the Vulkan
  queue uploads a header (frame number, checksum) and a row of random bytes, fills the rest with
  a per-frame word, and signals ``ready``;
- consumer (``ipc.FrameReceiver``): ``read(stream)`` gives the slot once the renderer announced
  the frame finished, with CUDA's wait enqueued on the stream; PyTorch reads the slot in place
  (a header and a body tensor made once per slot by the channel's ``convert``), copies out the
  header and the checksum it computes, and ``release(stream)`` hands the slot back.

Either side may die: the other gets ``ipc.PeerLostError`` at its next call, and no stream or
queue waits for the dead one. The consumer checks every frame's number and checksum. Exits 0
after printing ``ipc_frames_to_torch: OK``;
exits 2 when there is no CUDA GPU with a Vulkan driver, or no PyTorch. Linux only (``ipc``
passes file descriptors).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import subprocess
import sys
from typing import Any

import numpy as np

import cuda_interop as ci
from cuda_interop import ipc, vulkan

HEIGHT, WIDTH = 480, 640
FRAME_BYTES = HEIGHT * WIDTH * 4
HEADER_BYTES = 16  # int64 frame number, int64 checksum of the bytes after the header
ROW_BYTES = 4096  # random bytes after the header; the per-frame word fills the rest
TIMEOUT = 60.0  # seconds any single wait may take


def frame_word(frame: int) -> int:
    """The 32-bit word the renderer fills frame `frame` with."""
    return (0x01030507 * (frame + 1)) & 0xFFFFFFFF


def checksum(row: np.ndarray, word: int) -> int:
    """Sum of the bytes after the header: the random row, then the word repeated."""
    words = (FRAME_BYTES - HEADER_BYTES - ROW_BYTES) // 4
    return int(row.sum(dtype=np.int64)) + words * sum(word.to_bytes(4, "little"))


# -- Renderer ---------------------------------------------------------------------------------
def render(frames: int, slots: int) -> int:
    if sys.platform == "win32":
        print("ipc_frames_to_torch: cuda_interop.ipc passes file descriptors: Linux only",
              file=sys.stderr)
        return 2
    if importlib.util.find_spec("torch") is None:
        print("ipc_frames_to_torch: the consumer needs PyTorch (pip install torch)",
              file=sys.stderr)
        return 2
    try:
        ctx = vulkan.Context(0)  # the Vulkan device that is CUDA device 0
    except (ci.NotSupportedError, ci.CudaError) as error:
        print(f"ipc_frames_to_torch: needs a CUDA GPU with a Vulkan driver: {error}",
              file=sys.stderr)
        return 2

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    consumer = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--consumer", str(theirs.fileno()),
         "--frames", str(frames), "--slots", str(slots)],
        pass_fds=[theirs.fileno()])
    theirs.close()
    try:
        with ctx, ours:
            run_ring(ctx, ours, frames, slots)
        status = consumer.wait(timeout=TIMEOUT)
    finally:
        if consumer.poll() is None:  # something failed here: do not leave the child behind
            consumer.kill()
            consumer.wait()
    if status != 0:
        print(f"ipc_frames_to_torch: the consumer failed with status {status}", file=sys.stderr)
        return 1
    print(f"ipc_frames_to_torch: OK ({frames} frames of {WIDTH}x{HEIGHT} through {slots} slots)")
    return 0


def run_ring(ctx: vulkan.Context, sock: socket.socket, frames: int, slots: int) -> None:
    """Open the channel, then render `frames` frames into it."""
    rng = np.random.default_rng(0)
    with ipc.FrameSender(sock, ctx, FRAME_BYTES, slots=slots) as sender:
        for frame in range(frames):
            slot = sender.begin_write(timeout=TIMEOUT)  # PeerLostError if the consumer died
            row = rng.integers(0, 256, ROW_BYTES, dtype=np.uint8)
            word = frame_word(frame)
            header = np.array([frame, checksum(row, word)], dtype=np.int64)
            # The upload waits for the slot's release; the fill, queued after it, signals the
            # frame ready. Uploads are staged, so the host arrays may be reused at once.
            slot.buffer.upload(np.concatenate([header.view(np.uint8), row]), wait=slot.wait,
                               block=False)
            slot.buffer.fill(word, HEADER_BYTES + ROW_BYTES, signal=slot.signal, block=False)
    if not ctx.wait_idle(timeout=TIMEOUT):
        raise TimeoutError("the Vulkan queue did not drain")


# -- Consumer (a child process) ---------------------------------------------------------------
def consume(fd: int, frames: int) -> int:
    import torch

    def tensors(mapping: Any) -> tuple[Any, Any]:
        """A slot's zero-copy header and body tensors, made once per slot by the channel."""
        header = torch.from_dlpack(mapping.view("int64", (2,)))
        body = torch.from_dlpack(mapping.view("uint8", (FRAME_BYTES - HEADER_BYTES,),
                                              HEADER_BYTES))
        assert header.data_ptr() == mapping.ptr, "not zero copy"
        return header, body

    sock = socket.socket(fileno=fd)
    with sock, ipc.FrameReceiver(sock, timeout=TIMEOUT, convert=tensors) as channel:
        stream = torch.cuda.Stream(device=torch.device("cuda", channel.device))
        with torch.cuda.stream(stream):
            for frame in range(frames):
                header, body = channel.read(stream, timeout=TIMEOUT)  # the next finished frame
                # Read in place; what outlives the release is copied out (three numbers).
                result = torch.stack([header[0], header[1], body.sum(dtype=torch.int64)])
                channel.release(stream)  # the renderer may write the slot again
                number, expected, got = result.tolist()
                if number != frame or got != expected:
                    print(f"consumer: frame {frame}: got frame {number}, checksum {got} "
                          f"(expected {expected})", file=sys.stderr)
                    return 1
        stream.synchronize()  # the channel's imports outlive the work enqueued on them
    print(f"consumer: {frames} frames checked")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--slots", type=int, default=3)
    parser.add_argument("--consumer", type=int, metavar="FD", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consumer is not None:
        return consume(args.consumer, args.frames)
    return render(args.frames, args.slots)


if __name__ == "__main__":
    sys.exit(main())
