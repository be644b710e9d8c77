# SPDX-License-Identifier: Apache-2.0
"""Plots of a `cuda-interop bench --json` run for docs/performance.md (needs matplotlib).

    python benchmarks/plot.py bench.json docs/images

Writes bandwidth.png (imported ÷ cudaMalloc bandwidth by size, one line per memory and kernel)
and frames.png (µs per frame by frame size for the pipelined loop, kernels alone and the host
round trip).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _number(cell: str) -> float:
    return float(cell.replace(",", "").rstrip("x"))


def _section(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(s for s in document["sections"] if s["title"].startswith(prefix))


def main() -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    document = json.loads(Path(sys.argv[1]).read_text())
    folder = Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)

    zero_copy = _section(document, "Zero copy")
    sizes: list[str] = []
    lines: dict[str, list[float]] = {}
    for size, kernel, memory, _, ratio, _ in zero_copy["rows"]:
        if memory == "cudaMalloc":
            continue
        if size not in sizes:
            sizes.append(size)
        lines.setdefault(f"{memory}, {kernel.split(' (')[0]}", []).append(_number(ratio))
    figure, axes = plt.subplots(figsize=(8, 4.5))
    for label, ratios in lines.items():
        axes.plot(sizes[:len(ratios)], ratios, marker="o", label=label)
    axes.axhline(0.98, color="grey", linestyle="--", linewidth=1, label="target 0.98")
    axes.set_xlabel("buffer size")
    axes.set_ylabel("bandwidth ÷ cudaMalloc")
    axes.set_title("Zero copy: imported memory against cudaMalloc")
    axes.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(folder / "bandwidth.png", dpi=120)

    frames = _section(document, "Pipelined frame loop")
    labels = [row[0].split(" (")[0] for row in frames["rows"]]
    figure, axes = plt.subplots(figsize=(8, 4.5))
    for header, name in (("ring µs", "FrameRing loop"), ("raw C++ µs", "raw C++ loop"),
                         ("two processes µs", "FrameSender → FrameReceiver (two processes)"),
                         ("kernel only µs", "kernels alone"), ("via host µs", "via host")):
        if header not in frames["headers"]:
            continue
        column = frames["headers"].index(header)
        values = [row[column] for row in frames["rows"]]
        if all(value != "n/a" for value in values):
            axes.plot(labels, [_number(value) for value in values], marker="o", label=name)
    axes.set_yscale("log")
    axes.set_ylabel("µs per frame (log)")
    axes.set_title("Frame hand-off per frame")
    axes.legend()
    figure.tight_layout()
    figure.savefig(folder / "frames.png", dpi=120)
    print(f"wrote {folder / 'bandwidth.png'} and {folder / 'frames.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
