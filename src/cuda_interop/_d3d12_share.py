# SPDX-License-Identifier: Apache-2.0
"""What every shared Direct3D 12 object has: its device, ``share()``, and the import of a shared
handle or name into CUDA."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

import numpy as np
import numpy.typing as npt

from ._d3d12_native import close_handle
from ._handles import import_exported
from ._lifecycle import Owner

if TYPE_CHECKING:
    from ._d3d12_device import Device
    from ._device import Device as CudaDevice

_Imported = TypeVar("_Imported")


def import_shared(share: Callable[[str], int], name: str | None,
                  by_handle: Callable[[int], _Imported],
                  by_name: Callable[[str], _Imported]) -> _Imported:
    if name is None:
        return import_exported(share(""), by_handle)  # take_ownership=True: closed once imported
    # A name exists only while a handle to it is open: keep ours until CUDA has imported.
    handle = share(name)
    try:
        return by_name(name)
    finally:
        close_handle(handle)


def byte_view(data: npt.ArrayLike | bytes | bytearray | memoryview) -> memoryview:
    """The bytes of `data` (bytes-like or any array, made C-contiguous) as a flat view."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return memoryview(data).cast("B")
    return np.ascontiguousarray(data).data.cast("B")


class Child(Owner[Any]):
    __slots__ = ("_device",)

    def __init__(self, native: Any, device: Device) -> None:
        super().__init__(native)
        self._device = device

    def _cuda_device(self, device: CudaDevice | int | None) -> CudaDevice | int | None:
        return device if device is not None else self._device.cuda_device

    def share(self, name: str | None = None) -> int:
        """``CreateSharedHandle(..., GENERIC_ALL, name)``: a new NT handle the caller must close
        (:func:`close_handle`). OSError naming ``CreateSharedHandle`` when the runtime refuses."""
        return int(self._live().share(name or ""))

    @property
    def native_handle(self) -> int:
        """The COM pointer (borrowed)."""
        return int(self._live().native_handle)
