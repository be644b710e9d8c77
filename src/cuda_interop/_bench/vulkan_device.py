# SPDX-License-Identifier: Apache-2.0
"""The Vulkan producer, when this build has it and a Vulkan device is the CUDA device."""

from __future__ import annotations

import sys
from typing import Any

from .._device import Device


class VulkanDevice:
    """A Vulkan context on the benchmarked GPU, or the reason there is none.

    Attributes
    ----------
    context:
        A ``cuda_interop.vulkan.Context`` or None.
    description:
        The Vulkan device and driver, or why Vulkan is unavailable.
    """

    def __init__(self, context: Any | None, description: str) -> None:
        self.context = context
        self.description = description

    @classmethod
    def open(cls, device: Device) -> VulkanDevice:
        try:
            from .. import vulkan
        except ImportError as error:
            return cls(None, f"unavailable: {error}")
        try:
            context = vulkan.Context(device)
        except Exception as error:  # no loader, no driver, no matching device
            return cls(None, f"unavailable: {type(error).__name__}: {error}")
        physical = context.physical_device
        return cls(context, f"{physical.name}, {physical.driver_name} {physical.driver_info}, "
                            f"Vulkan {physical.api_version}")

    @property
    def timeline_semaphores(self) -> str | None:
        """None when exportable timeline semaphores work, else why not."""
        if self.context is None:
            return f"Vulkan {self.description}"
        features = self.context.features
        exportable = (features.external_semaphore_win32 if sys.platform == "win32"
                      else features.external_semaphore_fd)
        if not (features.timeline_semaphore and exportable):
            return "the Vulkan device cannot export timeline semaphores"
        return None

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None
