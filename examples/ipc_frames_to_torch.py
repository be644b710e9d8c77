# SPDX-License-Identifier: Apache-2.0
"""Frames from a Vulkan renderer process to a PyTorch consumer process, with no copy.

    python examples/ipc_frames_to_torch.py [--frames 48] [--slots 3]

The renderer (this process) owns a ring of exportable Vulkan buffers, one timeline semaphore
per buffer, and starts the consumer as a child process connected by a Unix socket pair. It sends
every buffer and semaphore once with ``cuda_interop.ipc``; from then on only the GPU moves:

- renderer, frame ``i`` in slot ``k`` (its ``n``-th use): the Vulkan queue waits for ``2n`` (the
  consumer released the slot), uploads a header (frame number, checksum) and a row of random
  bytes, fills the rest with a per-frame word, and signals ``2n + 1`` (ready);
- consumer: its CUDA stream waits for ``2n + 1``, PyTorch reads the slot in place (a tensor made
  once from a DLPack view of the mapping), copies out the header and the checksum it computes,
  and the stream signals ``2n + 2`` (released) so that the renderer can reuse the slot.

The consumer checks every frame's number and checksum; both sides wait on the GPU, not on the
host, and bound how far their host runs ahead. Exits 0 after printing ``ipc_frames_to_torch: OK``;
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
import time
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
            run_ring(ctx, ours, consumer, frames, slots)
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


def wait_for(semaphore: vulkan.Semaphore, value: int, consumer: subprocess.Popen[bytes],
             what: str) -> None:
    """Wait on the host for `value`, giving up when the consumer exits or TIMEOUT passes."""
    deadline = time.monotonic() + TIMEOUT
    while not semaphore.wait(value, timeout=0.25):
        if consumer.poll() is not None:
            raise RuntimeError(f"the consumer exited (status {consumer.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting until {what}")


def run_ring(ctx: vulkan.Context, sock: socket.socket, consumer: subprocess.Popen[bytes],
             frames: int, slots: int) -> None:
    """Share the ring with the consumer, then render `frames` frames into it."""
    rng = np.random.default_rng(0)
    buffers = [ctx.create_buffer(FRAME_BYTES) for _ in range(slots)]
    semaphores = [ctx.create_semaphore(timeline=True) for _ in range(slots)]
    for buffer, semaphore in zip(buffers, semaphores):
        ipc.send_memory(sock, buffer)  # the fd, size, dedicated flag and device UUID
        ipc.send_semaphore(sock, semaphore)

    for frame in range(frames):
        slot, use = frame % slots, frame // slots
        buffer, semaphore = buffers[slot], semaphores[slot]
        # Bound the host: the slot's previous frame has gone through the Vulkan queue.
        if use > 0:
            wait_for(semaphore, 2 * use - 1, consumer, f"frame {frame - slots} left the queue")
        row = rng.integers(0, 256, ROW_BYTES, dtype=np.uint8)
        word = frame_word(frame)
        header = np.array([frame, checksum(row, word)], dtype=np.int64)
        # The queue waits for the consumer's release (2n) before writing; uploads are staged,
        # so the host arrays may be reused at once. The fill's signal (2n + 1) follows both.
        buffer.upload(np.concatenate([header.view(np.uint8), row]),
                      wait=[(semaphore, 2 * use)], block=False)
        buffer.fill(word, HEADER_BYTES + ROW_BYTES,
                    signal=[(semaphore, 2 * use + 1)], block=False)

    # Every slot's last frame released by the consumer, then nothing left on the queue.
    for slot, semaphore in enumerate(semaphores):
        uses = len(range(slot, frames, slots))
        if uses:
            wait_for(semaphore, 2 * uses, consumer, f"the consumer released slot {slot}")
    if not ctx.wait_idle(timeout=TIMEOUT):
        raise TimeoutError("the Vulkan queue did not drain")
    for obj in (*buffers, *semaphores):
        obj.close()


# -- Consumer (a child process) ---------------------------------------------------------------
def wait_event(event: Any, timeout: float) -> None:
    """Wait for a CUDA event on the host, at most `timeout` seconds (a GPU wait on a semaphore
    the renderer never signals would otherwise block forever)."""
    deadline = time.monotonic() + timeout
    while not event.query():
        if time.monotonic() > deadline:
            raise TimeoutError("a frame did not arrive in time")
        time.sleep(0.0002)


def consume(fd: int, frames: int, slots: int) -> int:
    import torch

    sock = socket.socket(fileno=fd)
    mappings, semaphores = [], []
    for _ in range(slots):
        memory = ipc.receive_memory(sock, timeout=TIMEOUT)  # imported on the renderer's GPU
        mappings.append(memory.map_buffer())  # mapped once, reused every frame
        memory.close()  # the mapping keeps the import alive
        semaphores.append(ipc.receive_semaphore(sock, timeout=TIMEOUT))
    sock.close()

    torch.cuda.set_device(mappings[0].device)
    stream = torch.cuda.Stream()
    # Zero-copy tensors over each slot: the header and the bytes after it.
    headers = [torch.from_dlpack(m.view("int64", (2,))) for m in mappings]
    bodies = [torch.from_dlpack(m.view("uint8", (FRAME_BYTES - HEADER_BYTES,), HEADER_BYTES))
              for m in mappings]
    pixels = [torch.from_dlpack(m.view("uint8", (HEIGHT, WIDTH, 4))) for m in mappings]
    for mapping, header, body, image in zip(mappings, headers, bodies, pixels):
        assert header.data_ptr() == image.data_ptr() == mapping.ptr, "not zero copy"
        assert body.data_ptr() == mapping.ptr + HEADER_BYTES, "not zero copy"

    done = torch.cuda.Event()
    with torch.cuda.stream(stream):
        for frame in range(frames):
            slot, use = frame % slots, frame // slots
            semaphores[slot].wait(2 * use + 1, stream=stream)  # the frame is ready
            # Read in place; what outlives the release is copied out (three numbers).
            result = torch.stack([headers[slot][0], headers[slot][1],
                                  bodies[slot].sum(dtype=torch.int64)])
            semaphores[slot].signal(2 * use + 2, stream=stream)  # the renderer may reuse it
            done.record(stream)
            wait_event(done, TIMEOUT)
            number, expected, got = result.tolist()
            if number != frame or got != expected:
                print(f"consumer: frame {frame}: got frame {number}, checksum {got} "
                      f"(expected {expected})", file=sys.stderr)
                return 1
    stream.synchronize()  # semaphores outlive the work enqueued on them
    del headers, bodies, pixels
    for obj in (*mappings, *semaphores):
        obj.close()
    print(f"consumer: {frames} frames checked")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--slots", type=int, default=3)
    parser.add_argument("--consumer", type=int, metavar="FD", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consumer is not None:
        return consume(args.consumer, args.frames, args.slots)
    return render(args.frames, args.slots)


if __name__ == "__main__":
    sys.exit(main())
