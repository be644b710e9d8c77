# SPDX-License-Identifier: Apache-2.0
"""slangpy (PyPI ``slangpy``) on its Vulkan backend, for the comparison tables: opened once, on
first use, on the benchmarked GPU, or the reason it cannot be.

slangpy is imported by name at run time only: the package does not depend on it.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

from .._device import Device


def describe_error(error: BaseException) -> str:
    """The exception's type and message on one line."""
    text = " ".join(str(error).split())  # slangpy's messages carry the C++ source line
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class SlangpyDevice:
    """A slangpy Vulkan device with CUDA interop on the benchmarked GPU, or why there is none.

    Attributes
    ----------
    module:
        The ``slangpy`` module once it imported, else None.
    version:
        slangpy's version, or ``"none"``.
    """

    def __init__(self) -> None:
        self.module: Any | None = None
        self.version = "none"
        self._device: Any | None = None
        self._problem: str | None = None
        self._opened = False

    def open(self, device: Device, torch: Any) -> Any | str:
        """slangpy's ``Device`` for `device` (the first call opens it), or why it is unusable.

        PyTorch's CUDA state is initialised first; slangpy's CUDA side retains the device's
        primary context, the one torch and the package work in, so their streams and memory mix.
        """
        if not self._opened:
            self._opened = True
            try:
                self._device = self._open(device, torch)
            except Exception as error:  # any failure of a third-party library: a reason
                self._problem = f"slangpy {self.version} could not open a device: " \
                                f"{describe_error(error)}"
        if self._device is None:
            return self._problem or "slangpy is unavailable"
        return self._device

    def _open(self, device: Device, torch: Any) -> Any | None:
        try:
            spy = importlib.import_module("slangpy")
        except Exception as error:  # missing, or a wheel that does not load here
            self._problem = f"slangpy is not importable ({describe_error(error)})"
            return None
        self.module = spy
        self.version = str(getattr(spy, "__version__", "?"))
        torch.zeros(1, device=f"cuda:{device.ordinal}")
        uuid = list(device.uuid)  # Vulkan's deviceUUID, which slangpy calls the adapter's LUID
        adapters = spy.Device.enumerate_adapters(type=spy.DeviceType.vulkan)
        if not any(list(adapter.luid) == uuid for adapter in adapters):
            names = ", ".join(adapter.name for adapter in adapters) or "none"
            self._problem = (f"slangpy {self.version} has no Vulkan adapter for CUDA device "
                             f"{device.ordinal} (adapters: {names})")
            return None
        opened = spy.Device(type=spy.DeviceType.vulkan, enable_cuda_interop=True,
                            enable_hot_reload=False, adapter_luid=uuid)
        if not opened.supports_cuda_interop:
            opened.close()
            self._problem = f"slangpy {self.version}: the Vulkan device has no CUDA interop"
            return None
        return opened

    @property
    def description(self) -> str:
        """slangpy's version and adapter, or why it is unusable (after :meth:`open`)."""
        if self._device is None:
            return self._problem or "not opened"
        return f"slangpy {self.version}, {self._device.info.adapter_name}"

    def close(self) -> None:
        if self._device is not None:
            device, self._device = self._device, None
            with contextlib.suppress(Exception):  # closing it must not fail the run
                device.close()
