#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run the benchmarks from a checkout: ``python benchmarks/run.py [--quick] [--device N]``.

The same as ``cuda-interop bench`` (the measurements live in the installed package, in
``cuda_interop._bench``), with the raw C++ baseline taken from this folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the cuda-interop benchmarks (Markdown).")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about 30 s)")
    parser.add_argument("--device", type=int, default=0, help="CUDA device ordinal")
    args = parser.parse_args(argv)
    try:
        from cuda_interop.bench import run
    except ImportError as error:
        print(f"cuda_interop is not importable ({error}); install it first: pip install .",
              file=sys.stderr)
        return 2
    command = " ".join(["python benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    return run(quick=args.quick, command=command, device=args.device,
               cpp_source=Path(__file__).resolve().with_name("raw_overhead.cpp"))


if __name__ == "__main__":
    sys.exit(main())
