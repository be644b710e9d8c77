# SPDX-License-Identifier: Apache-2.0
"""The batched frame-loop and latency benchmarks on any machine: their pure helpers (hand-off
counts, bounds, verdicts, percentiles, clock mapping, the raw program's output and arguments, the
producer's ring specs, the frames' content), and their tables skipping with a reason where
there is no CUDA (the loops import into CUDA: they run on the GPU, in
tests/test_bench_batched_gpu.py)."""

from __future__ import annotations

import math
import shutil
import stat
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cuda_interop import bench
from cuda_interop._bench import (
    frame_batches,
    frame_content,
    frame_producer,
    handoff_floor,
    latency,
    raw_pipeline,
)
from cuda_interop._bench.frame_batches import Row
from cuda_interop._bench.random_bytes import random_bytes
from cuda_interop._bench.report import NOT_MEASURED
from cuda_interop._bench.rig import Rig
from cuda_interop._bench.settings import Settings
from cuda_interop._bench.vulkan_device import VulkanDevice

REPO = Path(__file__).resolve().parents[1]
P1080 = 1920 * 1080 * 4


def rig(vulkan: VulkanDevice | None = None, arrays: Any = None) -> Rig:
    env: Any = types.SimpleNamespace(device=types.SimpleNamespace(ordinal=0, uuid=bytes(16)))
    return Rig(Settings.for_mode(True), env, arrays, "no arrays: test",
               vulkan or VulkanDevice(None, "unavailable: test"), None)


# -- hand-offs, bounds, verdicts ------------------------------------------------------------

@pytest.mark.parametrize(("frames", "batch", "expected"),
                         [(500, 1, 500), (500, 2, 250), (500, 8, 62), (500, 16, 31),
                          (100, 8, 24), (100, 16, 24), (1, 1, 24)])
def test_handoffs_share_the_frames_and_never_drop_below_the_minimum(
        frames: int, batch: int, expected: int) -> None:
    assert frame_batches.handoffs(frames, batch) == expected


@pytest.mark.parametrize(("frames", "batch"), [(0, 1), (100, 0), (-5, 2), (10, -1)])
def test_handoffs_refuse_nonpositive_counts(frames: int, batch: int) -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        frame_batches.handoffs(frames, batch)


@pytest.mark.skipif(not (REPO / "benchmarks").is_dir(),
                    reason="the benchmarks are not beside the tests")
def test_the_minimum_matches_the_raw_program() -> None:
    source = (REPO / "benchmarks" / "raw_vulkan_pipeline.cpp").read_text()
    assert f"constexpr int min_handoffs = {frame_batches.MIN_HANDOFFS};" in source


def test_bound_shares_the_floor_among_the_batch() -> None:
    assert frame_batches.bound_us(15.5, 320.0, 1) == pytest.approx(335.5)
    assert frame_batches.bound_us(15.5, 320.0, 8) == pytest.approx(55.5)
    assert frame_batches.bound_us(50.0, 320.0, 16) == pytest.approx(70.0)


def test_frame_formats_cover_both_sizes_and_pixels() -> None:
    formats = frame_batches.frame_formats(Settings.for_mode(True))
    assert formats == [("1080p RGBA8", P1080), ("1080p RGBA16F", 2 * P1080),
                       ("4K RGBA8", 4 * P1080), ("4K RGBA16F", 8 * P1080)]
    assert frame_batches.frame_formats(Settings.for_mode(False)) == formats


def test_a_row_renders_every_column() -> None:
    row = Row("1080p RGBA8", P1080, 8, ring_us=40.0, raw_us=38.0, two_us=41.0, kernel_us=15.0)
    cells = row.cells(320.0)
    assert len(cells) == len(frame_batches.HEADERS)
    assert cells[:3] == ["1080p RGBA8 (8.3 MB)", "8", "40.0"]
    assert cells[4] == "1.053"  # ring ÷ raw C++
    assert cells[8:] == ["55.0", "yes"]
    assert row.within(100.0) == "no"  # 15 + 100 / 8 = 27.5 < 40
    assert row.within(None) == NOT_MEASURED
    empty = Row("4K RGBA8", 4 * P1080, 1).cells(None)
    assert empty[2:] == [NOT_MEASURED] * 8


def test_verdicts_name_each_target_met_or_not() -> None:
    rows = [Row("1080p RGBA8", P1080, 8, ring_us=42.0, raw_us=40.0, kernel_us=25.0),
            Row("4K RGBA8", 4 * P1080, 1, ring_us=250.0, raw_us=200.0, kernel_us=50.0)]
    notes = frame_batches.verdicts(rows, 160.0)
    assert notes[0] == "Target 1080p RGBA8, k = 8: ≤ 50 µs per frame: 42.0 (met)."
    assert notes[1] == "Target ring ÷ raw C++ ≤ 1.1: worst 1.250 (4K RGBA8, k = 1) (NOT met)."
    assert notes[2] == "Bound kernel only + floor ÷ k: outside: 4K RGBA8 k = 1"
    rows[0].ring_us = 60.0
    assert "60.0 (NOT met)" in frame_batches.verdicts(rows, 400.0)[0]
    assert frame_batches.verdicts(rows, 400.0)[2].endswith("every row within.")
    assert frame_batches.verdicts([], None) == []


# -- latency helpers --------------------------------------------------------------------------

def test_percentiles_interpolate_between_ranks() -> None:
    values = list(range(1, 101))  # 1 .. 100
    assert latency.percentiles(values) == pytest.approx([50.5, 99.01])
    assert latency.percentiles([7.0]) == [7.0, 7.0]
    assert latency.percentiles([3.0, 1.0, 2.0], [0, 100]) == [1.0, 3.0]


def test_percentiles_refuse_no_values_and_bad_points() -> None:
    with pytest.raises(ValueError, match="no measurements"):
        latency.percentiles([])
    for points in ([101.0], [-1.0], [50.0, math.inf]):
        with pytest.raises(ValueError, match=r"in \[0, 100\]"):
            latency.percentiles([1.0], points)


def test_clock_map_follows_the_anchors() -> None:
    mapping = latency.ClockMap(1_000_000.0, 1_000_000.0 + 2e9 * 1.0001, 2000.0)
    assert mapping.rate == pytest.approx(1.0001)
    assert mapping.host_ns(0.0) == 1_000_000.0
    assert mapping.host_ns(1000.0) == pytest.approx(1_000_000.0 + 1e9 * 1.0001)


def test_clock_map_distrusts_an_impossible_rate() -> None:
    assert latency.ClockMap(0.0, 3e9, 1000.0).rate == 1.0  # host says 3 s, GPU says 1 s
    assert latency.ClockMap(0.0, 1e6, 0.0).rate == 1.0  # no span: nothing to rate
    assert latency.ClockMap(5.0, 1e6, 0.0).host_ns(0.002) == pytest.approx(2005.0)


def test_frame_latencies_count_from_each_frames_own_submission() -> None:
    # Two hand-offs of 3 frames, submitted 1 ms apart, done at 10 ms and 13 ms.
    submitted = [0.0, 1e6, 2e6, 3e6, 4e6, 5e6]
    done = [10e6, 13e6]
    assert latency.frame_latencies_us(submitted, done, 3) == [
        10_000.0, 9_000.0, 8_000.0, 10_000.0, 9_000.0, 8_000.0]
    assert latency.frame_latencies_us([0.0], [250e3], 1) == [250.0]


def test_frame_latencies_refuse_a_mismatch() -> None:
    with pytest.raises(ValueError, match="do not make 2 hand-offs of 4"):
        latency.frame_latencies_us([0.0] * 7, [1.0, 2.0], 4)


# -- the raw program --------------------------------------------------------------------------

def test_raw_output_is_parsed_by_shape() -> None:
    results = raw_pipeline.parse(
        "ping-pong 321.500\n8294400 155.700\n8294400 8 40.250\n33177600 16 60.000\n"
        "garbage line here too\nnot-a-number x\n\n8294400 1 x\n")
    assert results.ping_pong == 321.5
    assert results.single == {8294400: 155.7}
    assert results.batched == {(8294400, 8): 40.25, (33177600, 16): 60.0}
    assert raw_pipeline.parse("").ping_pong is None


def test_raw_arguments() -> None:
    assert raw_pipeline.arguments("ab" * 16, 500, [10, 20]) == [
        "--uuid", "ab" * 16, "--frames", "500", "10", "20"]
    assert raw_pipeline.arguments("00", 100, [10], (1, 8), ping_pong=1000) == [
        "--uuid", "00", "--frames", "100", "--batch", "1,8", "--ping-pong", "1000", "10"]


def test_raw_run_says_why_it_did_not(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(raw_pipeline.PROGRAM_VARIABLE, raising=False)
    assert raw_pipeline.run([]) == f"set {raw_pipeline.PROGRAM_VARIABLE} to the built " \
                                   "raw_vulkan_pipeline"
    monkeypatch.setenv(raw_pipeline.PROGRAM_VARIABLE, str(tmp_path / "missing"))
    assert isinstance(raw_pipeline.run([]), str)
    failing = _script(tmp_path / "failing", "echo 'error: vkCreateInstance (-9)' >&2; exit 1")
    monkeypatch.setenv(raw_pipeline.PROGRAM_VARIABLE, str(failing))
    assert raw_pipeline.run([]) == "raw_vulkan_pipeline failed: error: vkCreateInstance (-9)"


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for the program")
def test_raw_run_hands_over_the_arguments(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    echo = _script(tmp_path / "echo", 'echo "ping-pong 300"; echo "$5 $4 12.5"')
    monkeypatch.setenv(raw_pipeline.PROGRAM_VARIABLE, str(echo))
    results = raw_pipeline.run(["--uuid", "00", "--batch", "8", "4096"])
    assert not isinstance(results, str)
    assert results.ping_pong == 300.0
    assert results.batched == {(4096, 8): 12.5}


def _script(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_floor_from_raw_results() -> None:
    assert handoff_floor.from_raw("no program") is None
    assert handoff_floor.from_raw(raw_pipeline.RawResults()) is None
    floor = handoff_floor.from_raw(raw_pipeline.RawResults(ping_pong=318.25))
    assert floor == handoff_floor.Floor(318.25, handoff_floor.RAW)
    assert floor.describe() == "318.2 µs per no-work round trip (raw C++)"


@pytest.mark.skipif(shutil.which("g++") is None or
                    not Path("/usr/local/cuda/include/cuda_runtime_api.h").is_file() or
                    not Path("/usr/include/vulkan/vulkan.h").is_file(),
                    reason="needs g++, the CUDA headers in /usr/local/cuda and Vulkan headers")
@pytest.mark.skipif(not (REPO / "benchmarks").is_dir(),
                    reason="the benchmarks are not beside the tests")
def test_raw_program_compiles_without_warnings() -> None:
    subprocess.run(["g++", "-std=c++17", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic",
                    "-Wshadow", "-Werror", "-I/usr/local/cuda/include",
                    str(REPO / "benchmarks" / "raw_vulkan_pipeline.cpp")],
                   check=True, capture_output=True, timeout=120)


# -- the producer process and the frames' content ---------------------------------------------

def test_ring_specs_round_trip() -> None:
    spec = frame_producer.RingSpec.parse("7:8:96")
    assert spec == frame_producer.RingSpec(7, 8, 96)
    assert str(spec) == "7:8:96"


@pytest.mark.parametrize("text", ["7:8", "7:8:96:1", "x:8:96", "7:0:96", "7:8:0", "-1:8:96",
                                  "", "7::96", "7:1.5:96"])
def test_bad_ring_specs_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        frame_producer.RingSpec.parse(text)


def test_the_producer_without_rings_prints_its_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert frame_producer.main(["0", "4096"]) == 2
    assert "usage: frame_producer DEVICE FRAME_NBYTES FD:BATCH:HANDOFFS" in capsys.readouterr().err


@pytest.mark.parametrize("count", [1, 8, 4096, 10_000])
def test_random_bytes_of_any_length_begin_alike(count: int) -> None:
    # expected_head relies on it: the head of a frame is drawn without drawing the frame.
    assert np.array_equal(random_bytes(count, seed=3), random_bytes(20_000, seed=3)[:count])


def test_frames_carry_their_index() -> None:
    for index in (0, 1, 15, 2**40 + 3):
        data = frame_content.frame(10_000, index)
        assert int(data[:8].view("<u8")[0]) == index
        assert np.array_equal(frame_content.expected_head(10_000, index), data[:4096])
    assert not np.array_equal(frame_content.frame(10_000, 1), frame_content.frame(10_000, 2))
    assert frame_content.expected_head(100, 3).size == 100


def test_uploaded_frames_lie_back_to_back() -> None:
    written = bytearray(3 * 5000)

    class Buffer:  # stands in for a Vulkan buffer's upload only (host bytes, no device)
        def upload(self, data: Any, offset: int = 0) -> None:
            written[offset:offset + len(data)] = bytes(data)

    frame_content.upload_frames(Buffer(), 5000, 3)
    for index in range(3):
        assert bytes(written[index * 5000:(index + 1) * 5000]) == \
            frame_content.frame(5000, index).tobytes()


# -- the tables without CUDA ------------------------------------------------------------------

@pytest.mark.parametrize("table", [frame_batches.run, latency.run])
def test_tables_without_arrays_are_skipped_with_the_reason(table: Any) -> None:
    section = table(rig())
    assert not section.failed and not section.rows
    assert section.notes == ["skipped: no arrays: test"]
    assert section.markdown().startswith("### ")


@pytest.mark.parametrize("table", [frame_batches.run, latency.run])
def test_tables_without_vulkan_are_skipped_with_the_reason(table: Any) -> None:
    section = table(rig(arrays=object()))
    assert section.notes == ["skipped: Vulkan unavailable: test"]


def test_floor_through_the_package_says_why_not_without_cuda() -> None:
    assert handoff_floor.package(rig(), 10) == "no arrays: test"
    assert handoff_floor.package(rig(arrays=object()), 10) == "Vulkan unavailable: test"


def test_tables_on_lavapipe_need_cuda() -> None:
    """On a machine with Vulkan (lavapipe) and no CUDA the tables cannot import into CUDA: the
    bench has no arrays there and says so; the loops themselves run only on the GPU."""
    from cuda_interop import vulkan

    if not vulkan.available:
        pytest.skip(f"no Vulkan producer in this build: {vulkan.unavailable_reason}")
    try:
        context = vulkan.Context(physical_device_index=0)
    except Exception as error:
        pytest.skip(f"no Vulkan device: {error}")
    with context:
        section = frame_batches.run(rig(VulkanDevice(context, "lavapipe")))
    assert section.notes == ["skipped: no arrays: test"]


def test_only_words_select_the_new_tables() -> None:
    names = [name.lower() for name, _ in bench.BENCHMARKS]
    assert [name for name in names if "batched" in name] == ["batched frame loop"]
    assert [name for name in names if "latency" in name] == ["frame latency"]
