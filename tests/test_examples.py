# SPDX-License-Identifier: Apache-2.0
"""The examples run: each in its own process, with a timeout, exits 0 and prints its success line.

Running them needs what they use (a CUDA GPU with a Vulkan driver and PyTorch or CuPy; Direct3D
12 on Windows), so those tests carry the `gpu` / `windows` markers. Everywhere, the examples are
checked to be documented, listed in docs/examples.md, and to exit with status 77
(``cli.EXIT_CANNOT_RUN``) and a reason when what they need is missing.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cuda_interop import d3d12, opengl, vulkan
from cuda_interop.cli import EXIT_CANNOT_RUN

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TIMEOUT = 300  # seconds per example, first-time kernel compilation included

# What each example needs beyond cuda_interop: Python packages, and the producer.
NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "ipc_frames_to_torch": (("torch",), "vulkan"),
    "vulkan_compute_and_cuda": (("cupy",), "vulkan"),
    "texture_kernel": (("cupy",), "vulkan"),
    "d3d12_seed": ((), "d3d12"),
    "opengl_render_to_torch": (("torch", "moderngl"), "opengl"),
    "opengl_show_tensor": (("torch", "moderngl"), "opengl"),
}


def _run(*command: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"}, check=False)


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, str(EXAMPLES / f"{name}.py"), *args)


def _require(name: str) -> None:
    """Skip, with the reason, when something `name` needs is not here."""
    packages, producer = NEEDS[name]
    for package in packages:
        pytest.importorskip(package)
    if producer == "vulkan" and not vulkan.available:
        pytest.skip(vulkan.unavailable_reason or "the Vulkan producer was not built")
    if producer == "opengl" and not opengl.available:
        pytest.skip(opengl.unavailable_reason or "the OpenGL producer was not built")
    if producer == "d3d12" and not d3d12.available:
        pytest.skip(d3d12.unavailable_reason or "Direct3D 12 is unavailable")


def _check_ok(name: str, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"{name} exited with {result.returncode}\n--- stdout\n{result.stdout}\n"
        f"--- stderr\n{result.stderr}")
    assert f"{name}: OK" in result.stdout, result.stdout


# -- Everywhere --------------------------------------------------------------------------------
def test_every_example_is_known_documented_and_listed() -> None:
    found = sorted(path.stem for path in EXAMPLES.glob("*.py"))
    assert found == sorted(NEEDS), "add new examples to NEEDS and to a test below"
    listing = (ROOT / "docs" / "examples.md").read_text(encoding="utf-8")
    for name in found:
        source = (EXAMPLES / f"{name}.py").read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(source, filename=f"{name}.py"))
        assert docstring, f"{name}.py has no docstring"
        assert f"python examples/{name}.py" in docstring, f"{name}.py does not say how to run it"
        assert f"{name}: OK" in docstring, f"{name}.py does not name its success line"
        assert f"examples/{name}.py" in listing, f"docs/examples.md does not list {name}.py"


@pytest.mark.parametrize("name", [n for n, (packages, _) in NEEDS.items() if packages])
def test_a_missing_package_exits_77_with_the_reason(name: str) -> None:
    """With its package hidden, an example says what is missing and exits 77 (before touching
    the GPU, so this runs everywhere)."""
    package = NEEDS[name][0][0]
    path = EXAMPLES / f"{name}.py"
    code = (f"import runpy, sys; sys.modules[{package!r}] = None; sys.argv = [{str(path)!r}]; "
            f"runpy.run_path({str(path)!r}, run_name='__main__')")
    result = _run(sys.executable, "-c", code, timeout=60)
    assert result.returncode == EXIT_CANNOT_RUN, result.stdout + result.stderr
    assert package in result.stderr.lower(), result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="Direct3D 12 is available on Windows")
def test_d3d12_seed_says_it_needs_windows() -> None:
    result = run_example("d3d12_seed")
    assert result.returncode == EXIT_CANNOT_RUN, result.stdout + result.stderr
    assert "Direct3D 12" in result.stderr and "Windows" in result.stderr


# -- On a GPU ------------------------------------------------------------------------------------
@pytest.mark.gpu
@pytest.mark.skipif(sys.platform == "win32", reason="cuda_interop.ipc is POSIX-only")
def test_ipc_frames_to_torch() -> None:
    _require("ipc_frames_to_torch")
    result = run_example("ipc_frames_to_torch", "--frames", "48", "--slots", "3")
    _check_ok("ipc_frames_to_torch", result)
    assert "consumer: 48 frames checked" in result.stdout


@pytest.mark.gpu
@pytest.mark.skipif(sys.platform == "win32", reason="cuda_interop.ipc is POSIX-only")
def test_ipc_frames_to_torch_with_one_slot() -> None:
    """One slot: the renderer and the consumer take turns on the same buffer."""
    _require("ipc_frames_to_torch")
    _check_ok("ipc_frames_to_torch", run_example("ipc_frames_to_torch", "--frames", "8",
                                                 "--slots", "1"))


@pytest.mark.gpu
def test_vulkan_compute_and_cuda() -> None:
    _require("vulkan_compute_and_cuda")
    _check_ok("vulkan_compute_and_cuda", run_example("vulkan_compute_and_cuda"))


@pytest.mark.gpu
def test_texture_kernel() -> None:
    _require("texture_kernel")
    _check_ok("texture_kernel", run_example("texture_kernel"))


@pytest.mark.windows
@pytest.mark.gpu
def test_d3d12_seed() -> None:
    _require("d3d12_seed")
    _check_ok("d3d12_seed", run_example("d3d12_seed"))


@pytest.mark.gpu
def test_opengl_render_to_torch() -> None:
    _require("opengl_render_to_torch")
    _check_ok("opengl_render_to_torch", run_example("opengl_render_to_torch", "--frames", "60"))


@pytest.mark.gpu
def test_opengl_show_tensor() -> None:
    _require("opengl_show_tensor")
    _check_ok("opengl_show_tensor", run_example("opengl_show_tensor"))
