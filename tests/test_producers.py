# SPDX-License-Identifier: Apache-2.0
"""Both producers import everywhere and say whether they can be used: ``available``,
``unavailable_reason``, and NotSupportedError naming what is missing on use."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import pytest

PRODUCERS = ["vulkan", "d3d12"]


@pytest.mark.parametrize("name", PRODUCERS)
def test_producer_imports_and_reports_availability(name: str) -> None:
    module = importlib.import_module(f"cuda_interop.{name}")
    assert {"available", "unavailable_reason", "NotSupportedError"} <= set(module.__all__)
    assert isinstance(module.available, bool)
    assert (module.unavailable_reason is None) == module.available


@pytest.mark.parametrize(("name", "use", "missing"), [
    ("vulkan", "vulkan.Context(physical_device_index=0)", "libvulkan-dev"),
    ("vulkan", "vulkan.physical_devices()", "libvulkan-dev"),
    ("d3d12", "d3d12.Device(adapter_index=0)", "d3d12"),
    ("d3d12", "d3d12.adapters()", "d3d12"),
])
def test_producer_without_its_native_module_imports_and_refuses_use(name: str, use: str,
                                                                    missing: str) -> None:
    code = f"""
        import sys
        sys.modules["cuda_interop._{name}"] = None  # as if the module had not been built
        from cuda_interop import NotSupportedError, cli, {name}
        assert {name}.available is False
        print("REASON:", {name}.unavailable_reason)
        try:
            {use}
        except NotSupportedError as error:
            print("NOT-SUPPORTED:", error)
        print("\\n".join(cli._producer_lines([])))
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "NOT-SUPPORTED:" in result.stdout, result.stdout
    reason = result.stdout.split("REASON:")[1].splitlines()[0]
    assert missing in reason
    assert f"NOT-SUPPORTED: {reason.strip()}" in result.stdout
    assert "producer: unavailable" in result.stdout
