# SPDX-License-Identifier: Apache-2.0
"""A Vulkan pass and a CUDA kernel working on one buffer every frame, with no copy.

    python examples/vulkan_compute_and_cuda.py [--frames 24]

One exportable Vulkan buffer of float32 values is mapped into CUDA once and wrapped once as a
CuPy array. One timeline semaphore orders the two sides, on the GPU, both ways. For frame ``f``:

- Vulkan (waits for ``2f``, CUDA's release of the previous frame): copies the previous frame's
  result into a history buffer, then writes frame ``f``'s input, the value ``f + 1`` everywhere,
  and signals ``2f + 1``;
- CUDA (its stream waits for ``2f + 1``): a CuPy ``RawKernel`` turns each value ``x`` at index
  ``i`` into ``2 x + (i mod 1024)`` in place, and the stream signals ``2f + 2``.

The Vulkan pass is made of the queue operations ``cuda_interop.vulkan`` provides (``fill`` and
``copy_to``): a compute shader would need SPIR-V and a pipeline, which the package does not
create. A renderer's own compute or graphics pass waits for and signals the same values on its
own queue submissions. The host never waits for either side inside the loop except to bound
how far it runs ahead (two frames, with CUDA events). At the end the history, read back through
Vulkan, holds every frame's result.

Exits 0 after printing ``vulkan_compute_and_cuda: OK``; exits 77 when there is no CUDA GPU with
a Vulkan driver, or no CuPy.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np

import cuda_interop as ci
from cuda_interop import vulkan
from cuda_interop.cli import EXIT_CANNOT_RUN  # 77: cannot run on this machine

COUNT = 1 << 18  # float32 values in the shared buffer (1 MiB)
FRAME_BYTES = COUNT * 4
IN_FLIGHT = 2  # frames the host may run ahead of CUDA
TIMEOUT = 60.0

KERNEL = r"""
extern "C" __global__ void shade(float* values, unsigned int count, float gain) {
    unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) {
        values[i] = values[i] * gain + (float)(i % 1024u);
    }
}
"""


def bits_of(value: float) -> int:
    """The 32-bit pattern of a float32, for ``Buffer.fill``."""
    return int(np.array([value], dtype=np.float32).view(np.uint32)[0])


def wait_event(event: Any, timeout: float) -> None:
    """Wait for a CuPy event on the host, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not event.done:
        if time.monotonic() > deadline:
            raise TimeoutError("a frame did not finish in time")
        time.sleep(0.0002)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=24)
    frames = parser.parse_args().frames
    try:
        import cupy
    except ImportError:
        print("vulkan_compute_and_cuda: needs CuPy (pip install cupy-cuda12x or cupy-cuda13x)",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        ctx = vulkan.Context(0)  # the Vulkan device that is CUDA device 0
    except (ci.NotSupportedError, ci.CudaError) as error:
        print(f"vulkan_compute_and_cuda: needs a CUDA GPU with a Vulkan driver: {error}",
              file=sys.stderr)
        return EXIT_CANNOT_RUN

    with ctx, ctx.create_buffer(FRAME_BYTES) as shared, \
            ctx.create_buffer(FRAME_BYTES * frames) as history, \
            ctx.create_semaphore(timeline=True) as semaphore, \
            semaphore.to_cuda() as cuda_semaphore, \
            shared.to_cuda() as memory, memory.map_buffer() as mapped:
        cupy.cuda.Device(mapped.device).use()
        values = cupy.from_dlpack(mapped.view("float32", (COUNT,)))  # made once, zero copy
        assert values.data.ptr == mapped.ptr, "not zero copy"
        shade = cupy.RawKernel(KERNEL, "shade")
        stream = cupy.cuda.Stream(non_blocking=True)
        threads = 256
        blocks = (COUNT + threads - 1) // threads
        done = [cupy.cuda.Event(disable_timing=True) for _ in range(IN_FLIGHT)]

        with stream:  # CuPy launches on the current stream
            for frame in range(frames):
                if frame >= IN_FLIGHT:
                    wait_event(done[frame % IN_FLIGHT], TIMEOUT)
                released = 2 * frame  # CUDA finished the previous frame (0: nothing to wait for)
                # Vulkan pass: read back the previous result, then write this frame's input.
                if frame > 0:
                    shared.copy_to(history, FRAME_BYTES, 0, (frame - 1) * FRAME_BYTES,
                                   wait=[(semaphore, released)], block=False)
                shared.fill(bits_of(frame + 1), wait=[(semaphore, released)],
                            signal=[(semaphore, released + 1)], block=False)
                # CUDA pass, on its stream, between the same semaphore's values.
                cuda_semaphore.wait(released + 1, stream=stream)
                shade((blocks,), (threads,), (values, np.uint32(COUNT), np.float32(2.0)))
                cuda_semaphore.signal(released + 2, stream=stream)
                done[frame % IN_FLIGHT].record(stream)

        # The last result, read back once CUDA released it; blocks (at most TIMEOUT).
        shared.copy_to(history, FRAME_BYTES, 0, (frames - 1) * FRAME_BYTES,
                       wait=[(semaphore, 2 * frames)], timeout=TIMEOUT)
        results = history.download(timeout=TIMEOUT).view(np.float32).reshape(frames, COUNT)
        stream.synchronize()
        if not ctx.wait_idle(timeout=TIMEOUT):
            raise TimeoutError("the Vulkan queue did not drain")
        del values

    ramp = (np.arange(COUNT) % 1024).astype(np.float32)
    for frame in range(frames):
        expected = np.float32(2 * (frame + 1)) + ramp
        if not np.array_equal(results[frame], expected):
            wrong = int(np.count_nonzero(results[frame] != expected))
            print(f"vulkan_compute_and_cuda: frame {frame}: {wrong} values differ",
                  file=sys.stderr)
            return 1
    print(f"vulkan_compute_and_cuda: OK ({frames} frames, {COUNT} values shared by Vulkan "
          "and CUDA)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
