# SPDX-License-Identifier: Apache-2.0
"""The ``cuda-interop`` command: ``info``, ``selftest`` and ``bench``.

Exit codes, the same for every command and for ``examples/*.py``: 0 success, 1 a check or
benchmark failed, 2 a wrong command line, 77 (:data:`EXIT_CANNOT_RUN`) it cannot run on this
machine (no NVIDIA driver, no CUDA device, the device asked for does not exist, a package it needs
is missing): 77 is what ctest, automake and meson read as "skipped".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Sequence
from typing import Any

from . import _core
from ._device import EXIT_CANNOT_RUN, devices

"""The exit code of a command or example that cannot run here (no usable GPU or driver, a
missing package): what ctest (SKIP_RETURN_CODE), automake and meson read as "skipped"."""

_DESCRIPTION = ("Zero-copy import of Vulkan and Direct3D memory and semaphores into CUDA: "
                "devices and versions (info), the whole interop loop on this GPU (selftest), "
                "benchmarks (bench).")
_EPILOG = ("exit codes: 0 success; 1 a check or benchmark failed; 2 a wrong command line; "
           f"{EXIT_CANNOT_RUN} cannot run on this machine (no NVIDIA driver or GPU, no such "
           "device)")
_INT_MAX = 2**31 - 1  # CUDA device ordinals are C ints

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


def info(as_json: bool = False) -> int:
    """Print devices, versions, handle types and producers (as JSON with `as_json`); exit 0 even
    without a GPU."""
    report = _info_report()
    if as_json:
        print(json.dumps(report, indent=2))
        return 0
    print("cuda-interop", report["version"])
    print(f"CUDA driver:  {report['driver']['cuda'] or 'none'}")
    print(f"CUDA runtime: {report['runtime']['cuda']} (static), "
          f"minimum driver: {report['runtime']['minimum_driver']}")
    if report["driver"]["too_old"]:
        print(f"  the driver (CUDA {report['driver']['cuda']}) is older than this build needs: "
              f"update the NVIDIA driver to {report['runtime']['minimum_driver']} or newer")
    if report["devices_error"]:
        print(f"CUDA devices: unavailable ({report['devices_error']})")
    found = report["devices"]
    if not found:
        print("CUDA devices: none (no NVIDIA GPU or no usable driver)")
    for device in found:
        print(f"  [{device['ordinal']}] {device['name']}  sm_{device['compute_capability']}  "
              f"{device['total_memory'] / 2**30:.1f} GiB  PCI {device['pci_bus_id']}")
        print(f"      UUID {device['uuid']}")
        if device["luid"] is not None:
            print(f"      LUID {device['luid']}  node mask {device['node_mask']:#x}")
    print(f"Memory handle types here:    {', '.join(report['memory_handle_types'])}")
    print(f"Semaphore handle types here: {', '.join(report['semaphore_handle_types'])}")
    for line in report["producers"]:
        print(line)
    return 0


def _info_report() -> dict[str, Any]:
    """What ``info`` prints, as plain data (``info --json`` writes it)."""
    from . import build_info

    driver = _core.driver_version()
    found: list[Any] = []
    devices_error = None
    try:
        found = devices()
    except (_core.CudaError, _core.NotSupportedError) as error:
        devices_error = str(error)
    platform = _platform()
    return {
        "version": __import__("cuda_interop").__version__,
        "driver": {
            "version": driver,
            "cuda": _version(driver) if driver else None,
            "too_old": bool(driver) and driver // 1000 < build_info.runtime_version // 1000,
        },
        "runtime": {"version": build_info.runtime_version, "cuda": build_info.runtime,
                    "linked": "static", "minimum_driver": build_info.minimum_driver},
        "devices": [_device_report(device) for device in found],
        "devices_error": devices_error,
        "memory_handle_types": _MEMORY_TYPES[platform],
        "semaphore_handle_types": _SEMAPHORE_TYPES[platform],
        "producers": _producer_lines(found),
    }


def _device_report(device: Any) -> dict[str, Any]:
    major, minor = device.compute_capability
    luid = device.luid
    return {
        "ordinal": device.ordinal,
        "name": device.name,
        "uuid": f"GPU-{uuid.UUID(bytes=device.uuid)}",
        "luid": None if luid is None else luid.hex(),
        "node_mask": device.node_mask,
        "compute_capability": f"{major}{minor}",
        "total_memory": device.total_memory,
        "pci_bus_id": device.pci_bus_id,
    }


def _producer_lines(cuda_devices: Sequence[Any]) -> list[str]:
    """Which native producers this build has, and which CUDA device each of their devices is."""
    return _vulkan_lines(cuda_devices) + _d3d12_lines(cuda_devices) + _opengl_lines()


def _vulkan_lines(cuda_devices: Sequence[Any]) -> list[str]:
    from . import vulkan

    if not vulkan.available:
        return [f"Vulkan producer: unavailable ({vulkan.unavailable_reason})"]
    try:
        physical = vulkan.physical_devices()
    except Exception as error:
        return [f"Vulkan producer: built, but no Vulkan ({error})"]
    lines = [f"Vulkan producer: {len(physical)} physical device(s)"]
    for device in physical:
        match = [d.ordinal for d in cuda_devices if d.uuid == device.uuid]
        matched = f"matches CUDA device {match[0]}" if match else "no CUDA device"
        lines.append(f"  {device.name}: {matched}")
    return lines


def _d3d12_lines(cuda_devices: Sequence[Any]) -> list[str]:
    from . import d3d12

    if not d3d12.available:
        return [f"Direct3D 12 producer: unavailable ({d3d12.unavailable_reason})"]
    lines = ["Direct3D 12 producer: available"]
    for adapter in d3d12.adapters():
        match = [d.ordinal for d in cuda_devices if d.luid == adapter.luid]
        matched = f"matches CUDA device {match[0]}" if match else "no CUDA device"
        lines.append(f"  {adapter.description}: {matched}")
    return lines


def _opengl_lines() -> list[str]:
    from . import opengl

    if not opengl.available:
        return [f"OpenGL producer: unavailable ({opengl.unavailable_reason})"]
    return ["OpenGL producer: available (works with the application's current GL context)"]


def _version_line() -> str:
    from . import build_info

    return (f"cuda-interop {__import__('cuda_interop').__version__} (CUDA runtime "
            f"{build_info.runtime}, static; minimum driver {build_info.minimum_driver})")


def _device_ordinal(text: str) -> int:
    try:
        ordinal = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a device ordinal: {text!r}") from None
    if not 0 <= ordinal <= _INT_MAX:
        raise argparse.ArgumentTypeError(
            f"{ordinal} is no CUDA device ordinal (0, 1, ...; see `cuda-interop info`)")
    return ordinal


def _no_gpu_reason(ordinal: int) -> str | None:
    """Why CUDA device `ordinal` cannot be used here, in words; None when it can."""
    from . import build_info

    driver = _core.driver_version()
    if driver == 0:
        return ("no usable CUDA driver/GPU: no NVIDIA driver was found (libcuda could not be "
                "loaded)")
    if driver // 1000 < build_info.runtime_version // 1000:
        return (f"no usable CUDA driver/GPU: the NVIDIA driver supports CUDA {_version(driver)}, "
                f"this build needs driver {build_info.minimum_driver} or newer")
    try:
        count = _core.device_count()
    except (_core.CudaError, _core.NotSupportedError) as error:
        return f"no usable CUDA driver/GPU: {error}"
    if count == 0:
        return "no usable CUDA driver/GPU: the NVIDIA driver sees no CUDA device"
    if ordinal >= count:
        return (f"there is no CUDA device {ordinal}: this machine has {count} "
                f"(ordinals 0 to {count - 1})")
    return None


def selftest(ordinal: int) -> int:
    """Run the self-test on CUDA device `ordinal`; exit :data:`EXIT_CANNOT_RUN` with the reason
    where it cannot run."""
    reason = _no_gpu_reason(ordinal)
    if reason is not None:
        print(f"selftest cannot run: {reason}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    from .selftest import run

    return run(ordinal)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default ``sys.argv[1:]``); returns the exit code.

    A reader that stops early (``cuda-interop info | head -1``) is no error: the output that no
    one reads is dropped and the exit code is the command's.
    """
    try:
        try:
            return _run(argv)
        finally:  # also after argparse's SystemExit (--help, --version)
            sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes stdout at exit: point stdout at
        # /dev/null so that the exit is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 0


def _run(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="cuda-interop", description=_DESCRIPTION,
                                     epilog=_EPILOG)
    parser.add_argument("--version", action="version", version=_version_line())
    commands = parser.add_subparsers(dest="command", required=True)
    info_parser = commands.add_parser("info", help="CUDA devices, versions, handle types and "
                                      "producers", epilog="exits 0, with or without a GPU")
    info_parser.add_argument("--json", action="store_true",
                             help="print the same as one JSON object")
    selftest_parser = commands.add_parser("selftest", help="run the whole interop loop on this GPU",
                                          epilog=_EPILOG)
    selftest_parser.add_argument("--device", type=_device_ordinal, default=0,
                                 help="CUDA device ordinal (default 0)")
    bench = commands.add_parser("bench", help="run the benchmarks (see docs/performance.md)",
                                epilog=_EPILOG)
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--json", metavar="PATH", help="also write every table as JSON there")
    bench.add_argument("--only", metavar="WORDS", default="",
                       help="comma-separated words: run just the benchmarks whose names contain "
                            "one (e.g. submission,pipelined)")
    args = parser.parse_args(argv)
    if args.command == "info":
        return info(as_json=args.json)
    if args.command == "selftest":
        return selftest(args.device)
    from .bench import run as run_bench

    only = [word.strip() for word in args.only.split(",") if word.strip()]
    return int(run_bench(quick=args.quick, json_path=args.json, only=only))
