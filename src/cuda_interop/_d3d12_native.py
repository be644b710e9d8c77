# SPDX-License-Identifier: Apache-2.0
"""The Direct3D 12 producer's native module, ``_d3d12``, or a stand-in where it cannot load, and
its two free functions."""

from __future__ import annotations

import sys
from typing import Any

from ._native import load

# No stubs of _d3d12 can be generated off Windows: the Python classes are its typed description.
_d3d12: Any
_d3d12, REASON = load("cuda_interop._d3d12", lambda error: (
    "Direct3D 12 is Windows-only; cuda_interop.d3d12 needs the Windows build of cuda-interop"
    if sys.platform != "win32"
    else f"cuda_interop._d3d12 could not be loaded ({error}); is d3d12.dll present?"))


def hresult_name(hresult: int) -> str:
    """Symbolic name of a well-known HRESULT (``"E_NOTIMPL"``), else ``""``.

    Takes the unsigned value or ``OSError.errno`` of a Direct3D 12 error (the same bits, signed).
    """
    return str(_d3d12.hresult_name(hresult))


def close_handle(handle: int) -> None:
    """``CloseHandle`` on an NT handle returned by ``share()``; ``OSError`` on failure."""
    _d3d12.close_handle(handle)
