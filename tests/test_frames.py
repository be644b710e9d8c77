# SPDX-License-Identifier: Apache-2.0
"""The frames layer on any machine: the schedule of hand-offs, and what a ring refuses before it
makes anything (the loop itself: test_frames_gpu)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cuda_interop import _core, frames, ipc, vulkan


def test_the_schedule_orders_writes_reads_and_releases() -> None:
    schedule = _core.FrameSchedule(2, 4, 100)
    assert (schedule.slots, schedule.batch, schedule.frame_nbytes, schedule.slot_nbytes) == (
        2, 4, 100, 400)
    assert [schedule.begin_write() for _ in range(3)] == [(1, 0, 0, 1), (2, 1, 0, 2),
                                                           (3, 0, 1, 3)]
    assert schedule.next_write_waits_for == 2
    assert schedule.begin_read() == (1, 0, False)
    assert schedule.begin_read() == (1, 0, True)  # not released: the same hand-off
    assert schedule.release() == 1
    with pytest.raises(ValueError, match=r"release\(\) needs a read\(\) first: hand-off 2"):
        schedule.release()
    assert schedule.released == 1


@pytest.mark.parametrize(("args", "error", "match"), [
    ((0, 1, 1), ValueError, "slots must be > 0, got 0"),
    ((65, 1, 1), ValueError, "slots must be within 1..64, got 65"),
    ((1, 0, 1), ValueError, "batch must be > 0, got 0"),
    ((1, 1, -5), ValueError, "nbytes must be > 0, got -5"),
    ((1, 1, 2**64), ValueError, "nbytes must fit in 64 bits"),
    ((1, 2, 2**62), ValueError, r"batch \* nbytes must fit in 63 bits"),
    ((1.5, 1, 1), TypeError, "slots must be an int, got float"),
    ((1, True, 1), TypeError, "batch must be an int, got bool"),
    ((1, 1, "1"), TypeError, "nbytes must be an int, got str"),
    ((np.int64(2), np.int32(1), np.uint16(4)), None, ""),
])
def test_the_schedule_checks_its_sizes_by_name(args: tuple[Any, ...], error: Any,
                                               match: str) -> None:
    if error is None:
        assert _core.FrameSchedule(*args).slot_nbytes == 4
        return
    with pytest.raises(error, match=match):
        _core.FrameSchedule(*args)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({}, TypeError, "pass nbytes, or shape and dtype"),
    ({"nbytes": 64, "shape": (4, 4), "dtype": "uint8"}, TypeError, "not both"),
    ({"shape": (4, 4)}, TypeError, "pass shape and dtype together"),
    ({"dtype": "uint8"}, TypeError, "pass shape and dtype together"),
    ({"shape": "44", "dtype": "uint8"}, TypeError, "shape must be a sequence of ints"),
    ({"shape": (4, 0), "dtype": "uint8"}, ValueError, "shape must have extents > 0"),
    ({"shape": (4, 1.5), "dtype": "uint8"}, TypeError, "shape must be an int"),
    ({"shape": (4, 4), "dtype": "object"}, TypeError, "dtype must be a numeric dtype"),
    ({"shape": (4, 4), "dtype": "no such"}, TypeError, "is not understood"),
    ({"nbytes": 0}, ValueError, "nbytes must be > 0"),
    ({"nbytes": 64, "slots": 0}, ValueError, "slots must be > 0"),
    ({"nbytes": 64, "batch": 2000}, ValueError, "batch must be within 1..1024"),
    ({"nbytes": 64, "convert": "torch"}, TypeError, "convert must be callable"),
])
def test_a_ring_checks_its_layout_before_it_makes_anything(kwargs: dict[str, Any],
                                                           error: Any, match: str) -> None:
    with pytest.raises(error, match=match):
        frames.FrameRing(object(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("producer", [None, 5, "ctx", object()])
def test_a_ring_needs_a_producer(producer: Any) -> None:
    with pytest.raises(TypeError, match=r"producer must offer create_frame_buffer\(\)"):
        frames.FrameRing(producer, 64)


def test_the_frame_layer_knows_no_producer() -> None:
    """frames and the frame channel import no producer: any producer plugs in."""
    import ast
    import pathlib

    package = pathlib.Path(frames.__file__).parent
    for name in ("frames.py", "_frame_channel.py", "ipc.py", "_ipc_shares.py", "_ipc_wire.py"):
        tree = ast.parse((package / name).read_text())
        imported = {node.module for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module}
        assert not {m for m in imported if "vulkan" in m or "d3d12" in m}, name


def test_vulkan_frame_ring_is_the_frames_ring() -> None:
    assert issubclass(vulkan.FrameRing, frames.FrameRing)
    assert vulkan.FrameSlot is frames.FrameSlot
    assert ipc.FrameSender.begin_write.__doc__
