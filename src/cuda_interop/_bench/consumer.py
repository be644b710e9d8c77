# SPDX-License-Identifier: Apache-2.0
"""CUDA's side of one hand-off of a frame ring, shared by every frame-loop benchmark."""

from __future__ import annotations

from typing import Any

from .arrays import DeviceArrays


def copy_out(ring: Any, arrays: DeviceArrays, wrapped: dict[int, Any], out: Any) -> None:
    """Read the next slot of `ring` (``FrameRing`` or ``FrameReceiver``), copy it into `out` on
    the arrays' stream (one copy of all the slot's frames), release it. Each slot's view is
    wrapped once (`wrapped` remembers them by the view's identity: the ring makes its views
    once)."""
    view = ring.read(arrays.stream, timeout=10)
    array = wrapped.get(id(view))
    if array is None:
        array = wrapped[id(view)] = arrays.wrap(view)
    arrays.copy(out, array)
    ring.release(arrays.stream)
