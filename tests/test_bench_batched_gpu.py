# SPDX-License-Identifier: Apache-2.0
"""The batched frame-loop and latency benchmarks on a GPU, small: each loop delivers the right
frames in order (checked inside), every latency is positive (the GPU-to-host clock mapping
holds), a paced batch's first frames wait for it to fill, and the floor is measured."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cuda_interop import vulkan
from cuda_interop._bench import frame_batches, handoff_floor, latency, raw_pipeline, two_process
from cuda_interop._bench.arrays import load as load_arrays
from cuda_interop._bench.environment import probe
from cuda_interop._bench.rig import Rig
from cuda_interop._bench.settings import Settings
from cuda_interop._bench.vulkan_device import VulkanDevice

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(not vulkan.available, reason=vulkan.unavailable_reason or "")]

FRAME = 1 << 20
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    env = probe(0)
    if isinstance(env, str):
        pytest.skip(env)
    arrays, note = load_arrays()
    if arrays is None:
        pytest.skip(note)
    device = VulkanDevice.open(env.device)
    problem = device.timeline_semaphores
    if problem is not None:
        device.close()
        pytest.skip(problem)
    yield Rig(Settings.for_mode(True), env, arrays, note, device, None)
    device.close()


@pytest.mark.parametrize("batch", [1, 4])
def test_one_process_loop_delivers_and_times(rig: Rig, batch: int) -> None:
    ring_us, kernel_us = frame_batches.one_process(rig, FRAME, batch, 24)
    assert ring_us > 0 and kernel_us > 0


@pytest.mark.skipif(sys.platform == "win32", reason="passes file descriptors")
def test_two_process_loops_serve_every_batch_in_turn(rig: Rig) -> None:
    results = two_process.loops(rig, FRAME, [(1, 24), (4, 24), (2, 24)])
    assert sorted(results) == [1, 2, 4]
    assert all(us > 0 for us in results.values())


def test_latency_runs_both_pacings(rig: Rig) -> None:
    batch = 4
    results = latency.measure(rig, FRAME, batch, 64)
    unpaced, paced = results[latency.UNPACED], results[latency.PACED]
    for result in (unpaced, paced):
        assert len(result.latencies_us) == 16 * batch
        assert min(result.latencies_us) > 0, "a frame done before it was submitted"
        assert result.error_us < 1000
        assert result.frames_per_s > 0
    # Paced, frames 0..3 of each batch wait 3, 2, 1, 0 intervals for the batch to fill (a
    # submission may slip a little behind its deadline while the host reads a hand-off).
    p50, p99 = latency.percentiles(paced.latencies_us)
    assert p50 >= latency.INTERVAL_US
    assert p99 >= 0.9 * (batch - 1) * latency.INTERVAL_US
    assert paced.frames_per_s <= 1.05e6 / latency.INTERVAL_US


def test_floor_through_the_package(rig: Rig) -> None:
    floor = handoff_floor.package(rig, 50)
    assert isinstance(floor, handoff_floor.Floor), floor
    assert 0 < floor.round_trip_us < 100_000


def _raw_program() -> str | None:
    named = os.environ.get(raw_pipeline.PROGRAM_VARIABLE)
    built = REPO / "build" / "ctest" / "benchmarks" / "raw_vulkan_pipeline"  # scripts/gpu-test
    return named or (str(built) if built.is_file() else None)


def test_raw_program_batched_and_ping_pong(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    program = _raw_program()
    if program is None:
        pytest.skip(f"set {raw_pipeline.PROGRAM_VARIABLE} or build with "
                    "CUDA_INTEROP_BUILD_BENCHMARKS (scripts/gpu-test does)")
    monkeypatch.setenv(raw_pipeline.PROGRAM_VARIABLE, program)
    results = raw_pipeline.run(raw_pipeline.arguments(
        rig.env.device.uuid.hex(), 24, [FRAME], (1, 4), ping_pong=50), timeout=120)
    assert not isinstance(results, str), results
    assert sorted(results.batched) == [(FRAME, 1), (FRAME, 4)]
    assert all(us > 0 for us in results.batched.values())
    assert results.ping_pong is not None and results.ping_pong > 0
    single = raw_pipeline.run(raw_pipeline.arguments(rig.env.device.uuid.hex(), 24, [FRAME]))
    assert not isinstance(single, str), single
    assert list(single.single) == [FRAME] and not single.batched
