# SPDX-License-Identifier: Apache-2.0
"""The frame loop with the producer in another process (``ipc.FrameSender`` in the child
``frame_producer``, ``ipc.FrameReceiver`` here): µs per frame for each batch size of a frame
size, with one producer process serving them all in turn."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from .consumer import copy_out
from .frame_content import check_frames
from .report import median
from .rig import Rig

RUNS = 3  # timed runs after one warm-up run, as in the one-process loops


def _receive(rig: Rig, sock: socket.socket, frame_nbytes: int, batch: int,
             handoffs: int) -> float:
    """µs per frame of `handoffs` hand-offs per run from the ring that arrives on `sock`."""
    from ..ipc import FrameReceiver

    arrays, clock = rig.arrays, time.perf_counter_ns
    assert arrays is not None
    samples = []
    with sock, FrameReceiver(sock, timeout=60) as frames:
        device: dict[str, Any] = {"out": arrays.malloc(frame_nbytes * batch)}
        wrapped: dict[int, Any] = {}
        try:
            for iteration in range(1 + RUNS):  # warm-up, then the timed runs
                start = clock()
                for _ in range(handoffs):
                    copy_out(frames, arrays, wrapped, device["out"])
                arrays.synchronize()
                if iteration:
                    samples.append((clock() - start) / 1e3 / (handoffs * batch))
            check_frames(arrays, device["out"], frame_nbytes, batch, "two processes")
        finally:
            wrapped.clear()  # drop the arrays before the receiver closes what they view
            device.clear()
    return median(samples)


def loops(rig: Rig, frame_nbytes: int, plan: Sequence[tuple[int, int]]) -> dict[int, float]:
    """µs per frame for each ``(batch, hand-offs per run)`` in `plan`, keyed by batch.

    The producer process sends one ring per entry, in order, each for exactly the hand-offs
    this side reads (a warm-up run and :data:`RUNS` timed runs).
    """
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) for _ in plan]
    specs = [f"{theirs.fileno()}:{batch}:{handoffs * (1 + RUNS)}"
             for (_, theirs), (batch, handoffs) in zip(pairs, plan)]
    try:
        producer = subprocess.Popen(
            [sys.executable, "-m", "cuda_interop._bench.frame_producer",
             str(rig.env.device.ordinal), str(frame_nbytes), *specs],
            pass_fds=[theirs.fileno() for _, theirs in pairs])
    except BaseException:
        for ours, theirs in pairs:
            ours.close()
            theirs.close()
        raise
    for _, theirs in pairs:
        theirs.close()
    results: dict[int, float] = {}
    try:
        for (batch, handoffs), (ours, _) in zip(plan, pairs):
            results[batch] = _receive(rig, ours, frame_nbytes, batch, handoffs)
    finally:
        for ours, _ in pairs:
            ours.close()  # those not reached yet: the producer sees its peer gone
        try:
            code = producer.wait(timeout=60)
        except subprocess.TimeoutExpired:
            producer.kill()
            producer.wait()
            raise
    if code != 0:
        raise RuntimeError(f"the producer process exited with {code}")
    return results
