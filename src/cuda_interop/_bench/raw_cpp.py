# SPDX-License-Identifier: Apache-2.0
"""The raw C++ baseline: ``benchmarks/raw_overhead.cpp``, built on the fly and run as a child.

The child inherits the file descriptors to import, so it needs nothing but the CUDA runtime.
``CUDA_INTEROP_RAW_OVERHEAD`` may name a prebuilt executable (e.g. from the CMake option
``CUDA_INTEROP_BUILD_BENCHMARKS``); otherwise the source is compiled with ``$CXX`` (or ``c++``)
against a CUDA toolkit (``$CUDA_HOME``, ``$CUDA_PATH``, ``/usr/local/cuda``) or the
``nvidia-cuda-runtime-cu12`` (or cu13) wheel.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

SOURCE_NAME = "raw_overhead.cpp"
EXECUTABLE_VARIABLE = "CUDA_INTEROP_RAW_OVERHEAD"
_STATIC_RUNTIME = "libcudart_static.a"
_LIBRARY_DIRS = ("lib64", "lib", "targets/x86_64-linux/lib", "targets/sbsa-linux/lib")


def find_source(explicit: Path | None = None) -> Path | None:
    """The C++ source: `explicit`, else ``benchmarks/`` under the working directory or the
    source checkout this package was imported from."""
    candidates = [] if explicit is None else [Path(explicit)]
    candidates.append(Path.cwd() / "benchmarks" / SOURCE_NAME)
    parents = Path(__file__).resolve().parents
    if len(parents) > 3:  # src/cuda_interop/_bench/raw_cpp.py in a checkout
        candidates.append(parents[3] / "benchmarks" / SOURCE_NAME)
    return next((path for path in candidates if path.is_file()), None)


def _cuda_roots() -> Iterator[Path]:
    for variable in ("CUDA_HOME", "CUDA_PATH"):
        value = os.environ.get(variable)
        if value:
            yield Path(value)
    yield Path("/usr/local/cuda")
    try:  # the runtime wheels the build uses: cu12 (nvidia/cuda_runtime), else cu13
        nvidia = importlib.import_module("nvidia")
    except ImportError:
        return
    for folder in getattr(nvidia, "__path__", []):
        yield Path(folder) / "cuda_runtime"
        yield Path(folder) / "cu13"


def _cuda_paths() -> tuple[Path, Path] | None:
    """(include dir, dir holding the static runtime) of the first usable CUDA installation."""
    for root in _cuda_roots():
        include = root / "include"
        if not (include / "cuda_runtime_api.h").is_file():
            continue
        for name in _LIBRARY_DIRS:
            if (root / name / _STATIC_RUNTIME).is_file():
                return include, root / name
    return None


def executable(source: Path | None, workdir: Path) -> Path | str:
    """A runnable baseline, or why there is none."""
    prebuilt = os.environ.get(EXECUTABLE_VARIABLE)
    if prebuilt:
        path = Path(prebuilt)
        return path if path.is_file() else f"{EXECUTABLE_VARIABLE}={prebuilt} does not exist"
    if sys.platform == "win32":
        return "the C++ baseline imports file descriptors: Linux only"
    if source is None:
        return f"benchmarks/{SOURCE_NAME} not found (run from the repository root)"
    compiler = os.environ.get("CXX") or shutil.which("c++") or shutil.which("g++")
    if compiler is None:
        return "no C++ compiler (set CXX)"
    paths = _cuda_paths()
    if paths is None:
        return f"no CUDA headers and {_STATIC_RUNTIME} (set CUDA_HOME)"
    include, libdir = paths
    output = workdir / "raw_overhead"
    command = [compiler, "-O2", "-std=c++17", f"-I{include}", str(source), "-o", str(output),
               f"-L{libdir}", "-lcudart_static", "-ldl", "-lpthread", "-lrt"]
    try:
        subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)
    except subprocess.CalledProcessError as error:
        return f"compiling {source.name} failed: {_tail(error.stderr)}"
    except (OSError, subprocess.SubprocessError) as error:
        return f"compiling {source.name} failed: {error}"
    return output


def _tail(text: str | None, lines: int = 3) -> str:
    return " / ".join((text or "").strip().splitlines()[-lines:]) or "no output"


def parse_output(text: str) -> dict[str, float]:
    """``{"import": µs, ...}`` from the child's ``<operation> <µs>`` lines."""
    results: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                results[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return results


def measure(program: Path, memory_fd: int, size: int, semaphore_fd: int | None, device: int,
            warmup: int, iterations: int) -> dict[str, float] | str:
    """Run the baseline on inherited descriptors: medians in µs, or why it failed."""
    arguments = ["--memory-fd", str(memory_fd), "--size", str(size), "--device", str(device),
                 "--warmup", str(warmup), "--iterations", str(iterations)]
    descriptors: Sequence[int] = [memory_fd]
    if semaphore_fd is not None:
        arguments += ["--semaphore-fd", str(semaphore_fd)]
        descriptors = [memory_fd, semaphore_fd]
    try:
        result = subprocess.run([str(program), *arguments], pass_fds=tuple(descriptors),
                                capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as error:
        return f"running {program.name} failed: {error}"
    if result.returncode != 0:
        return f"{program.name} exited with {result.returncode}: {_tail(result.stderr)}"
    return parse_output(result.stdout)


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """Where the executable is built (removed afterwards)."""
    return tempfile.TemporaryDirectory(prefix="cuda-interop-bench-")
