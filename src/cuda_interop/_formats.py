# SPDX-License-Identifier: Apache-2.0
"""Channel formats of CUDA arrays, from numpy dtypes or Vulkan/DXGI format names.

The named formats are the core's pixel-format table (``_core.pixel_formats()``). UNORM/SNORM
formats are stored as integers; read them through a texture with ``normalized_float=True`` to get
[0, 1].
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ._core import ChannelKind, PixelFormat, find_pixel_format
from ._handles import integer


class ArrayFormat(NamedTuple):
    """An array element: `channels` channels of numpy `dtype`."""

    dtype: np.dtype[np.generic]
    channels: int

    @property
    def kind(self) -> ChannelKind:
        """The CUDA channel kind of `dtype`: SIGNED, UNSIGNED or FLOAT."""
        return _KINDS[self.dtype.kind]

    @property
    def bits(self) -> int:
        """Bits per channel (8, 16 or 32), not per element."""
        return self.dtype.itemsize * 8

    @classmethod
    def of(cls, pixel_format: PixelFormat) -> ArrayFormat:
        """The element of a row of the pixel-format table."""
        return cls(np.dtype(pixel_format.component), int(pixel_format.channels))


_KINDS = {"i": ChannelKind.SIGNED, "u": ChannelKind.UNSIGNED,
          "f": ChannelKind.FLOAT}


def array_format(dtype: npt.DTypeLike | str, channels: int | None = None) -> ArrayFormat:
    """Resolve a numpy dtype (+ channel count) or a Vulkan/DXGI format name."""
    if isinstance(dtype, str):
        named = find_pixel_format(dtype)
        if named is not None:
            if channels not in (None, named.channels):
                raise ValueError(f"{dtype} has {named.channels} channel(s), not channels="
                                 f"{channels!r}")
            return ArrayFormat.of(named)
    if dtype is None:
        raise TypeError("dtype must be a numpy dtype or a format name, got None")
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a numpy dtype or a format name, got {dtype!r}") from None
    if resolved.kind not in _KINDS or resolved.itemsize not in (1, 2, 4):
        raise ValueError(f"dtype: CUDA arrays hold 8/16/32-bit ints or 16/32-bit floats, not "
                         f"{resolved}")
    if resolved.kind == "f" and resolved.itemsize == 1:
        raise ValueError("there is no 8-bit float channel")
    count = 1 if channels is None else integer(channels, "channels")
    if count not in (1, 2, 4):
        raise ValueError(f"channels must be 1, 2 or 4, got {count}")
    return ArrayFormat(resolved, count)


def level_shape(fmt: ArrayFormat, extent: tuple[int, int, int], layers: int = 1,
                level: int = 0) -> tuple[int, ...]:
    """Host array shape of mip `level` of an image: ``([depth or layers,] height, width[,
    channels])``.

    `extent` is level 0's (width, height, depth); the image is 3D when depth > 1, an array when
    `layers` > 1. One-channel formats have no channel dimension, on every producer.
    """
    width, height, depth = (max(1, size >> level) for size in extent)
    dims = [depth] if extent[2] > 1 else ([layers] if layers > 1 else [])
    dims += [height, width]
    if fmt.channels > 1:
        dims.append(fmt.channels)
    return tuple(dims)


def format_of(kind: ChannelKind, bits: int, channels: int) -> ArrayFormat:
    """The ArrayFormat of a CUDA channel description (e.g. an ImageLayout's)."""
    letter = {ChannelKind.SIGNED: "i", ChannelKind.UNSIGNED: "u",
              ChannelKind.FLOAT: "f"}[kind]
    return ArrayFormat(np.dtype(f"{letter}{int(bits) // 8}"), int(channels))
