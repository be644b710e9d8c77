# SPDX-License-Identifier: Apache-2.0
"""The command line: ``cuda-interop info``, ``selftest``, ``--version`` and ``--help``."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import GPU_SKIP_REASON

import cuda_interop
from cuda_interop import _core, build_info


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
def test_selftest_without_gpu_says_why_and_fails() -> None:
    result = run("selftest")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
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


@pytest.mark.gpu
def test_selftest_on_a_device_that_does_not_exist_says_so() -> None:
    result = run("selftest", "--device", "4096")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "there is no CUDA device 4096" in result.stderr


@pytest.mark.gpu
def test_selftest_passes_on_a_gpu() -> None:
    result = run("selftest")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout
