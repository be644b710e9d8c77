# SPDX-License-Identifier: Apache-2.0
"""Direct3D 12 flags and formats, with the Windows SDK's values."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from ._core import pixel_format_from_dxgi, pixel_formats
from ._formats import ArrayFormat


class HeapFlags(enum.IntFlag):
    """``D3D12_HEAP_FLAGS``; ``SHARED`` is always added."""

    NONE = 0x0
    SHARED = 0x1
    DENY_BUFFERS = 0x4
    ALLOW_DISPLAY = 0x8
    DENY_RT_DS_TEXTURES = 0x40
    DENY_NON_RT_DS_TEXTURES = 0x80
    ALLOW_ONLY_BUFFERS = 0xC0
    ALLOW_ONLY_NON_RT_DS_TEXTURES = 0x44
    ALLOW_ONLY_RT_DS_TEXTURES = 0x84


class ResourceFlags(enum.IntFlag):
    """``D3D12_RESOURCE_FLAGS``."""

    NONE = 0x0
    ALLOW_RENDER_TARGET = 0x1
    ALLOW_DEPTH_STENCIL = 0x2
    ALLOW_UNORDERED_ACCESS = 0x4
    DENY_SHADER_RESOURCE = 0x8
    ALLOW_CROSS_ADAPTER = 0x10
    ALLOW_SIMULTANEOUS_ACCESS = 0x20


if TYPE_CHECKING:  # the members are the table's rows, known at run time only
    class _FormatMeta(enum.EnumMeta):
        def __getattr__(cls, name: str) -> Format: ...

    class Format(enum.IntEnum, metaclass=_FormatMeta):
        """The ``DXGI_FORMAT`` values CUDA can map as arrays, named as DXGI names them
        (``R32_FLOAT``); any other value may be passed as int. Built from the pixel-format table."""
else:
    Format = enum.IntEnum("Format", [(row.dxgi_name, row.dxgi_format)
                                     for row in pixel_formats() if row.dxgi_format],
                          module="cuda_interop.d3d12")
    Format.__doc__ = """The ``DXGI_FORMAT`` values CUDA can map as arrays, named as DXGI names them
    (``R32_FLOAT``); any other value may be passed as int. Built from the pixel-format table."""


def array_format_of(dxgi_format: int) -> ArrayFormat | None:
    """CUDA's element for a ``DXGI_FORMAT`` value, or None when it has none here."""
    if dxgi_format not in Format._value2member_map_:
        return None
    return ArrayFormat.of(pixel_format_from_dxgi(dxgi_format))
