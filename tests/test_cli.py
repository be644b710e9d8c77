# SPDX-License-Identifier: Apache-2.0
"""The command line: ``cuda-interop info`` and ``selftest``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GPU_SKIP_REASON


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cuda_interop", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_info_exits_zero_and_reports_runtime_and_devices() -> None:
    result = run("info")
    assert result.returncode == 0, result.stderr
    assert "CUDA runtime: 13." in result.stdout
    assert "Memory handle types here:" in result.stdout
    if GPU_SKIP_REASON:
        assert "CUDA devices: none" in result.stdout
    else:
        assert "UUID GPU-" in result.stdout


@pytest.mark.skipif(GPU_SKIP_REASON is None, reason="checks behaviour without a GPU")
def test_selftest_without_gpu_says_why_and_fails() -> None:
    result = run("selftest")
    assert result.returncode != 0
    assert "cannot run" in result.stdout + result.stderr


@pytest.mark.gpu
def test_selftest_passes_on_a_gpu() -> None:
    result = run("selftest")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout
