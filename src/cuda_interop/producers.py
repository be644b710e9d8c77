# SPDX-License-Identifier: Apache-2.0
"""Which native producers this build has, and which device each matches (for ``info``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def describe(cuda_devices: Sequence[Any]) -> list[str]:
    """Lines describing the Vulkan, Direct3D 12 and OpenGL producers."""
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
