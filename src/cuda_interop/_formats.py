# SPDX-License-Identifier: Apache-2.0
"""Channel formats of CUDA arrays, from numpy dtypes or Vulkan/DXGI format names."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from . import _core


class ArrayFormat(NamedTuple):
    """An array element: `channels` channels of numpy `dtype`."""

    dtype: np.dtype[np.generic]
    channels: int

    @property
    def kind(self) -> _core.ChannelKind:
        return _KINDS[self.dtype.kind]

    @property
    def bits(self) -> int:
        return self.dtype.itemsize * 8


_KINDS = {"i": _core.ChannelKind.SIGNED, "u": _core.ChannelKind.UNSIGNED,
          "f": _core.ChannelKind.FLOAT}

# Graphics formats CUDA arrays can alias: (channel dtype, channel count). UNORM/SNORM formats are
# stored as integers; read them through a texture with normalized_float=True to get [0, 1].
_NAMED = {
    "R8_UNORM": ("u1", 1), "R8_UINT": ("u1", 1), "R8_SNORM": ("i1", 1), "R8_SINT": ("i1", 1),
    "R8G8_UNORM": ("u1", 2), "R8G8_UINT": ("u1", 2), "R8G8_SINT": ("i1", 2),
    "R8G8B8A8_UNORM": ("u1", 4), "R8G8B8A8_UINT": ("u1", 4), "R8G8B8A8_SNORM": ("i1", 4),
    "R8G8B8A8_SINT": ("i1", 4), "B8G8R8A8_UNORM": ("u1", 4),
    "R16_UNORM": ("u2", 1), "R16_UINT": ("u2", 1), "R16_SINT": ("i2", 1), "R16_SFLOAT": ("f2", 1),
    "R16G16_UINT": ("u2", 2), "R16G16_SINT": ("i2", 2), "R16G16_SFLOAT": ("f2", 2),
    "R16G16B16A16_UNORM": ("u2", 4), "R16G16B16A16_UINT": ("u2", 4),
    "R16G16B16A16_SINT": ("i2", 4), "R16G16B16A16_SFLOAT": ("f2", 4),
    "R32_UINT": ("u4", 1), "R32_SINT": ("i4", 1), "R32_SFLOAT": ("f4", 1),
    "R32G32_UINT": ("u4", 2), "R32G32_SINT": ("i4", 2), "R32G32_SFLOAT": ("f4", 2),
    "R32G32B32A32_UINT": ("u4", 4), "R32G32B32A32_SINT": ("i4", 4),
    "R32G32B32A32_SFLOAT": ("f4", 4),
}
_DXGI_SUFFIX = {"SFLOAT": "FLOAT"}


def _named(name: str) -> ArrayFormat | None:
    key = name.upper().removeprefix("VK_FORMAT_").removeprefix("DXGI_FORMAT_")
    if key in _NAMED:
        dtype, channels = _NAMED[key]
        return ArrayFormat(np.dtype(dtype), channels)
    for vulkan_name, (dtype, channels) in _NAMED.items():  # DXGI spells SFLOAT as FLOAT
        head, _, suffix = vulkan_name.rpartition("_")
        if f"{head}_{_DXGI_SUFFIX.get(suffix, suffix)}" == key:
            return ArrayFormat(np.dtype(dtype), channels)
    return None


def array_format(dtype: npt.DTypeLike | str, channels: int | None = None) -> ArrayFormat:
    """Resolve a numpy dtype (+ channel count) or a Vulkan/DXGI format name."""
    if isinstance(dtype, str):
        named = _named(dtype)
        if named is not None:
            if channels not in (None, named.channels):
                raise ValueError(f"{dtype} has {named.channels} channel(s), not {channels}")
            return named
    resolved = np.dtype(dtype)
    if resolved.kind not in _KINDS or resolved.itemsize not in (1, 2, 4):
        raise ValueError(f"CUDA arrays hold 8/16/32-bit ints or 16/32-bit floats, not {resolved}")
    if resolved.kind == "f" and resolved.itemsize == 1:
        raise ValueError("there is no 8-bit float channel")
    count = 1 if channels is None else channels
    if count not in (1, 2, 4):
        raise ValueError(f"channels must be 1, 2 or 4, got {count}")
    return ArrayFormat(resolved, count)
