# SPDX-License-Identifier: Apache-2.0
"""The slangpy comparison tables of ``cuda-interop bench`` say why they are skipped, and never
raise, where slangpy, PyTorch or a device is missing (no GPU needed)."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from cuda_interop._bench import slangpy_compare
from cuda_interop._bench.rig import Rig
from cuda_interop._bench.settings import Settings
from cuda_interop._bench.slangpy_device import SlangpyDevice
from cuda_interop._bench.vulkan_device import VulkanDevice

NO_TORCH = types.SimpleNamespace(zeros=lambda *args, **kwargs: None)


def fake_device(uuid: bytes = bytes(16)) -> Any:
    return types.SimpleNamespace(ordinal=0, uuid=uuid)


def rig(vulkan: VulkanDevice | None = None) -> Rig:
    env: Any = types.SimpleNamespace(device=fake_device())
    return Rig(Settings.for_mode(True), env, None, "none", vulkan or VulkanDevice(
        None, "unavailable: test"), None)


def test_missing_slangpy_is_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "slangpy", None)  # import fails
    device = SlangpyDevice()
    problem = device.open(fake_device(), NO_TORCH)
    assert isinstance(problem, str)
    assert problem.startswith("slangpy is not importable")
    assert device.open(fake_device(), NO_TORCH) == problem  # tried once
    device.close()


def test_no_adapter_for_the_device_is_a_reason() -> None:
    pytest.importorskip("slangpy")
    device = SlangpyDevice()
    problem = device.open(fake_device(bytes(16)), NO_TORCH)  # no adapter has a zero UUID
    assert isinstance(problem, str)
    assert "has no Vulkan adapter for CUDA device 0" in problem
    device.close()


def test_a_failing_device_is_a_reason() -> None:
    spy = pytest.importorskip("slangpy")
    adapters = spy.Device.enumerate_adapters(type=spy.DeviceType.vulkan)
    if not adapters:
        pytest.skip("slangpy sees no Vulkan adapter here")
    device = SlangpyDevice()
    # The adapter's own UUID: the device opens, or the reason it does not is reported.
    result = device.open(fake_device(bytes(adapters[0].luid)), NO_TORCH)
    assert not isinstance(result, str) or result.startswith(f"slangpy {device.version}")
    device.close()


@pytest.mark.parametrize("table", [slangpy_compare.views, slangpy_compare.frame_loop])
def test_tables_skip_with_the_reason(monkeypatch: pytest.MonkeyPatch, table: Any) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    section = table(rig())
    assert not section.rows and not section.failed
    assert len(section.notes) == 1 and section.notes[0].startswith("skipped: ")
    assert section.as_dict()["title"].startswith("Compared with slangpy")


def test_slangpy_errors_are_named() -> None:
    def broken() -> None:
        raise RuntimeError("Failed to create device!\n/project/src/device.cpp:122")

    with pytest.raises(slangpy_compare.SlangpyFailed,
                       match=r"^copy: RuntimeError: Failed to create device! /project"):
        slangpy_compare._slangpy("copy", broken)
