# SPDX-License-Identifier: Apache-2.0
"""The stubs as a user's type checker reads them: code that uses the documented attributes of the
errors type-checks under ``mypy --strict``, and code that misuses them does not."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

USER_SCRIPT = textwrap.dedent('''
    import cuda_interop as ci
    from cuda_interop import ipc, vulkan


    def describe(error: ci.CudaError) -> str:
        code: int = error.code
        name: str = error.name
        call: str = error.call
        return f"{call}: {name} ({code})"


    def vulkan_result(error: vulkan.VulkanError) -> tuple[int, str, str]:
        return error.result, error.result_name, error.call


    def classify(error: Exception) -> str:
        if isinstance(error, ci.CudaError):
            return describe(error)
        if isinstance(error, ci.Error):  # every error of the package
            return str(error)
        return "other"


    base: type[ci.Error] = ipc.PeerLostError
    runtime: type[RuntimeError] = ci.CudaError
''')


def _mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy")
    script = tmp_path / "user.py"
    script.write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
         str(tmp_path / "cache"), str(script)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False)


def test_user_code_using_error_attributes_passes_mypy_strict(tmp_path: Path) -> None:
    result = _mypy(tmp_path, USER_SCRIPT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_sees_the_attribute_types(tmp_path: Path) -> None:
    """The check can fail: a wrong type for `code` is reported."""
    result = _mypy(tmp_path, "import cuda_interop as ci\n"
                             "def f(e: ci.CudaError) -> str:\n    return e.code\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Incompatible return value type (got "int", expected "str")' in result.stdout
