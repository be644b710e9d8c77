# SPDX-License-Identifier: Apache-2.0
"""How much each benchmark measures: the full run and the quick one."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Settings:
    """Sizes, warm-up and repetition counts for one run.

    Parameters
    ----------
    quick:
        Fewer repetitions (about a quarter of the time); the same sizes, so the tables match.
    """

    quick: bool
    bandwidth_sizes: tuple[int, ...]
    bandwidth_warmup: int
    bandwidth_repeats: int
    overhead_size: int
    overhead_warmup: int
    overhead_iterations: int
    frame_sizes: tuple[tuple[str, int, int], ...]
    frame_warmup: int
    frame_count: int

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        return cls(
            quick=quick,
            bandwidth_sizes=(64 * MiB, 256 * MiB, 1 * GiB, 4 * GiB),
            bandwidth_warmup=2 if quick else 3,
            bandwidth_repeats=7 if quick else 25,
            # The smallest allocation granule: what is left is the per-call cost.
            overhead_size=2 * MiB,
            overhead_warmup=10 if quick else 30,
            overhead_iterations=100 if quick else 500,
            frame_sizes=(("1080p", 1920, 1080), ("4K", 3840, 2160)),
            frame_warmup=3 if quick else 10,
            frame_count=20 if quick else 100,
        )


def format_size(nbytes: int) -> str:
    """``256 MiB``, ``1 GiB``, ``8.3 MB``-style sizes for table cells."""
    if nbytes % GiB == 0:
        return f"{nbytes // GiB} GiB"
    if nbytes % MiB == 0:
        return f"{nbytes // MiB} MiB"
    return f"{nbytes / 1e6:.1f} MB"
