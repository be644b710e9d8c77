# SPDX-License-Identifier: Apache-2.0
"""The command line: ``cuda-interop info``, ``selftest``, ``--version`` and ``--help``."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import GPU_SKIP_REASON

import cuda_interop
from cuda_interop import _core, build_info
from cuda_interop.cli import EXIT_CANNOT_RUN


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cuda_interop", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_info_exits_zero_and_reports_runtime_and_devices() -> None:
    result = run("info")
    assert result.returncode == 0, result.stderr
    assert re.search(r"CUDA runtime: 1[23]\.\d+ \(static\), minimum driver: 5\d\d\.", result.stdout)
    assert "Memory handle types here:" in result.stdout
    if GPU_SKIP_REASON:
        assert "CUDA devices: none" in result.stdout
    else:
        assert "UUID GPU-" in result.stdout


@pytest.mark.skipif(GPU_SKIP_REASON is None, reason="checks behaviour without a GPU")
def test_selftest_without_gpu_says_why_and_exits_cannot_run() -> None:
    result = run("selftest")
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_CANNOT_RUN == 77, output
    assert "cannot run: no usable CUDA driver/GPU" in output
    assert "Traceback" not in output
    if _core.driver_version() == 0:  # no driver at all: the runtime's "insufficient" is no reason
        assert "no NVIDIA driver was found" in output
        assert "insufficient" not in output


@pytest.mark.parametrize("device", ["99999999999", "-1", "zero"])
def test_selftest_rejects_a_device_that_is_no_ordinal(device: str) -> None:
    result = run("selftest", "--device", device)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "argument --device:" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_names_the_runtime_and_the_minimum_driver() -> None:
    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"cuda-interop {cuda_interop.__version__} (CUDA runtime ")
    assert f"minimum driver {build_info.minimum_driver}" in result.stdout


def test_help_is_plain_text() -> None:
    for args in (("--help",), ("selftest", "--help"), ("info", "--help")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert "``" not in result.stdout, result.stdout


@pytest.mark.skipif(GPU_SKIP_REASON is None, reason="checks behaviour without a GPU")
def test_bench_without_gpu_exits_with_the_same_code_as_selftest() -> None:
    result = run("bench", "--quick")
    assert result.returncode == EXIT_CANNOT_RUN, result.stdout + result.stderr
    assert "cannot run" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_help_documents_the_exit_codes() -> None:
    for args in (("--help",), ("selftest", "--help"), ("bench", "--help")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        text = " ".join(result.stdout.split())
        assert f"{EXIT_CANNOT_RUN} cannot run on this machine" in text, result.stdout


def test_info_json_is_one_object_with_what_info_prints() -> None:
    result = run("info", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["version"] == cuda_interop.__version__
    assert report["runtime"]["version"] == build_info.runtime_version
    assert report["runtime"]["minimum_driver"] == build_info.minimum_driver
    assert report["driver"]["version"] == _core.driver_version()
    assert isinstance(report["devices"], list)
    assert "OPAQUE_FD" in report["memory_handle_types"] or sys.platform == "win32"
    assert all(isinstance(line, str) for line in report["producers"])
    if GPU_SKIP_REASON is None:
        assert report["devices"][0]["uuid"].startswith("GPU-")
        assert {"ordinal", "name", "pci_bus_id", "total_memory"} <= set(report["devices"][0])
    else:
        assert report["devices"] == []


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell pipeline")
@pytest.mark.parametrize("command", ["info", "info --json", "--help"])
def test_a_reader_that_stops_early_is_no_error(command: str) -> None:
    """`cuda-interop info | head -1`: the closed pipe ends the output quietly with exit 0."""
    script = f"{sys.executable} -m cuda_interop {command} | head -c 1 >/dev/null; " \
             "echo ${PIPESTATUS[0]}"
    # A slow reader: head exits before info has written everything.
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.stdout.strip() == "0", result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


@pytest.mark.parametrize("args", [["info"], ["info", "--json"], ["--help"], ["--version"]])
def test_main_exits_zero_when_stdout_is_a_closed_pipe(args: list[str]) -> None:
    """The same with a pipe closed before the first byte, so that the handler is seen whatever
    the pipe's buffer would hold."""
    code = ("import os, sys\n"
            "r, w = os.pipe(); os.close(r); os.dup2(w, 1); os.close(w)\n"
            "from cuda_interop.cli import main\n"
            f"sys.exit(main({args!r}))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


@pytest.mark.gpu
def test_selftest_on_a_device_that_does_not_exist_says_so() -> None:
    result = run("selftest", "--device", "4096")
    assert result.returncode == EXIT_CANNOT_RUN, result.stdout + result.stderr
    assert "there is no CUDA device 4096" in result.stderr


@pytest.mark.gpu
def test_selftest_passes_on_a_gpu() -> None:
    result = run("selftest")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout
