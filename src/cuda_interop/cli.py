# SPDX-License-Identifier: Apache-2.0
"""The ``cuda-interop`` command: ``info``, ``selftest`` and ``bench``."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence

from . import _core
from ._device import devices

_MEMORY_TYPES = {
    "linux": ["OPAQUE_FD"],
    "win32": ["OPAQUE_WIN32", "OPAQUE_WIN32_KMT", "D3D12_HEAP", "D3D12_RESOURCE",
              "D3D11_RESOURCE", "D3D11_RESOURCE_KMT"],
}
_SEMAPHORE_TYPES = {
    "linux": ["OPAQUE_FD", "TIMELINE_SEMAPHORE_FD"],
    "win32": ["OPAQUE_WIN32", "OPAQUE_WIN32_KMT", "D3D12_FENCE", "D3D11_FENCE", "KEYED_MUTEX",
              "KEYED_MUTEX_KMT", "TIMELINE_SEMAPHORE_WIN32"],
}


def _version(number: int) -> str:
    return f"{number // 1000}.{number % 1000 // 10}" if number else "none"


def _platform() -> str:
    return "win32" if sys.platform == "win32" else "linux"


def info() -> int:
    """Print devices, versions, handle types and producers; exit 0 even without a GPU."""
    print("cuda-interop", __import__("cuda_interop").__version__)
    print(f"CUDA driver:  {_version(_core.driver_version())}")
    print(f"CUDA runtime: {_version(_core.runtime_version())} (static)")
    try:
        found = devices()
    except _core.CudaError as error:
        print(f"CUDA devices: unavailable ({error})")
        found = []
    if not found:
        print("CUDA devices: none (no NVIDIA GPU or no usable driver)")
    for device in found:
        major, minor = device.compute_capability
        print(f"  [{device.ordinal}] {device.name}  sm_{major}{minor}  "
              f"{device.total_memory / 2**30:.1f} GiB  PCI {device.pci_bus_id}")
        print(f"      UUID GPU-{uuid.UUID(bytes=device.uuid)}")
        if device.luid is not None:
            print(f"      LUID {device.luid.hex()}  node mask {device.node_mask:#x}")
    platform = _platform()
    print(f"Memory handle types here:    {', '.join(_MEMORY_TYPES[platform])}")
    print(f"Semaphore handle types here: {', '.join(_SEMAPHORE_TYPES[platform])}")
    for line in _producer_lines(found):
        print(line)
    return 0


def _producer_lines(found: Sequence[object]) -> list[str]:
    from . import producers

    return producers.describe(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cuda-interop", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="CUDA devices, versions, handle types and producers")
    selftest = commands.add_parser("selftest", help="run the whole interop loop on this GPU")
    selftest.add_argument("--device", type=int, default=0, help="CUDA device ordinal")
    bench = commands.add_parser("bench", help="run the benchmarks (see docs/performance.md)")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    if args.command == "info":
        return info()
    if args.command == "selftest":
        from .selftest import run

        return run(args.device)
    from .bench import run as run_bench

    return int(run_bench(quick=args.quick))
