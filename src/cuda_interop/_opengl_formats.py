# SPDX-License-Identifier: Apache-2.0
"""GL sized internal formats: their names, and the one that matches a shared image."""

from __future__ import annotations

from typing import Any, NamedTuple


class GlFormat(NamedTuple):
    """A GL sized internal format and what CUDA sees of it (channels, bits, kind)."""

    name: str
    value: int
    channels: int
    bits: int
    kind: str  # "unsigned", "signed" or "float", as cuda_interop.ArrayFormat names it


def _table() -> dict[str, GlFormat]:
    rows = [
        ("R8", 0x8229, 1, 8, "unsigned"), ("RG8", 0x822B, 2, 8, "unsigned"),
        ("RGBA8", 0x8058, 4, 8, "unsigned"), ("R8_SNORM", 0x8F94, 1, 8, "signed"),
        ("RG8_SNORM", 0x8F95, 2, 8, "signed"), ("RGBA8_SNORM", 0x8F97, 4, 8, "signed"),
        ("R8UI", 0x8232, 1, 8, "unsigned"), ("RG8UI", 0x8238, 2, 8, "unsigned"),
        ("RGBA8UI", 0x8D7C, 4, 8, "unsigned"), ("R8I", 0x8231, 1, 8, "signed"),
        ("RG8I", 0x8237, 2, 8, "signed"), ("RGBA8I", 0x8D8E, 4, 8, "signed"),
        ("R16", 0x822A, 1, 16, "unsigned"), ("RG16", 0x822C, 2, 16, "unsigned"),
        ("RGBA16", 0x805B, 4, 16, "unsigned"), ("R16_SNORM", 0x8F98, 1, 16, "signed"),
        ("RG16_SNORM", 0x8F99, 2, 16, "signed"), ("RGBA16_SNORM", 0x8F9B, 4, 16, "signed"),
        ("R16UI", 0x8234, 1, 16, "unsigned"), ("RG16UI", 0x823A, 2, 16, "unsigned"),
        ("RGBA16UI", 0x8D76, 4, 16, "unsigned"), ("R16I", 0x8233, 1, 16, "signed"),
        ("RG16I", 0x8239, 2, 16, "signed"), ("RGBA16I", 0x8D88, 4, 16, "signed"),
        ("R16F", 0x822D, 1, 16, "float"), ("RG16F", 0x822F, 2, 16, "float"),
        ("RGBA16F", 0x881A, 4, 16, "float"),
        ("R32UI", 0x8236, 1, 32, "unsigned"), ("RG32UI", 0x823C, 2, 32, "unsigned"),
        ("RGBA32UI", 0x8D70, 4, 32, "unsigned"), ("R32I", 0x8235, 1, 32, "signed"),
        ("RG32I", 0x823B, 2, 32, "signed"), ("RGBA32I", 0x8D82, 4, 32, "signed"),
        ("R32F", 0x822E, 1, 32, "float"), ("RG32F", 0x8230, 2, 32, "float"),
        ("RGBA32F", 0x8814, 4, 32, "float"),
    ]
    return {row[0]: GlFormat(*row) for row in rows}


FORMATS = _table()
_BY_VALUE = {fmt.value: fmt for fmt in FORMATS.values()}

# Vulkan format names (as vulkan.Image.format gives them) and the GL format with the same bytes.
# B8G8R8A8_UNORM has no sized GL twin: GL sees it as RGBA8 (swizzle .bgra in shaders).
_VULKAN = {
    "R8_UNORM": "R8", "R8_SNORM": "R8_SNORM", "R8_UINT": "R8UI", "R8_SINT": "R8I",
    "R8G8_UNORM": "RG8", "R8G8_UINT": "RG8UI", "R8G8_SINT": "RG8I",
    "R8G8B8A8_UNORM": "RGBA8", "R8G8B8A8_SNORM": "RGBA8_SNORM", "R8G8B8A8_UINT": "RGBA8UI",
    "R8G8B8A8_SINT": "RGBA8I", "B8G8R8A8_UNORM": "RGBA8",
    "R16_UNORM": "R16", "R16_UINT": "R16UI", "R16_SINT": "R16I", "R16_SFLOAT": "R16F",
    "R16G16_UINT": "RG16UI", "R16G16_SINT": "RG16I", "R16G16_SFLOAT": "RG16F",
    "R16G16B16A16_UNORM": "RGBA16", "R16G16B16A16_UINT": "RGBA16UI",
    "R16G16B16A16_SINT": "RGBA16I", "R16G16B16A16_SFLOAT": "RGBA16F",
    "R32_UINT": "R32UI", "R32_SINT": "R32I", "R32_SFLOAT": "R32F",
    "R32G32_UINT": "RG32UI", "R32G32_SINT": "RG32I", "R32G32_SFLOAT": "RG32F",
    "R32G32B32A32_UINT": "RGBA32UI", "R32G32B32A32_SINT": "RGBA32I",
    "R32G32B32A32_SFLOAT": "RGBA32F",
}

# What a layout (channels, bits, kind) is when nothing names the format: normalized 8/16-bit
# integers (what renderers draw into), integer 32-bit, floats as floats.
_DEFAULT = {
    (1, 8, "unsigned"): "R8", (2, 8, "unsigned"): "RG8", (4, 8, "unsigned"): "RGBA8",
    (1, 8, "signed"): "R8_SNORM", (2, 8, "signed"): "RG8_SNORM", (4, 8, "signed"): "RGBA8_SNORM",
    (1, 16, "unsigned"): "R16", (2, 16, "unsigned"): "RG16", (4, 16, "unsigned"): "RGBA16",
    (1, 16, "signed"): "R16_SNORM", (2, 16, "signed"): "RG16_SNORM",
    (4, 16, "signed"): "RGBA16_SNORM",
    (1, 16, "float"): "R16F", (2, 16, "float"): "RG16F", (4, 16, "float"): "RGBA16F",
    (1, 32, "unsigned"): "R32UI", (2, 32, "unsigned"): "RG32UI", (4, 32, "unsigned"): "RGBA32UI",
    (1, 32, "signed"): "R32I", (2, 32, "signed"): "RG32I", (4, 32, "signed"): "RGBA32I",
    (1, 32, "float"): "R32F", (2, 32, "float"): "RG32F", (4, 32, "float"): "RGBA32F",
}


def gl_format(value: Any, name: str = "internal_format") -> GlFormat:
    """A format given by name ("RGBA8", "GL_RGBA16F", any case), GL enum value, or Vulkan name
    ("R8G8B8A8_UNORM"); TypeError or ValueError naming `name` otherwise."""
    if isinstance(value, str):
        key = value.upper()
        key = key[3:] if key.startswith("GL_") else key
        key = key[10:] if key.startswith("VK_FORMAT_") else key
        key = _VULKAN.get(key, key)
        if key in FORMATS:
            return FORMATS[key]
        raise ValueError(f"{name} {value!r} is not a format GL imports here; accepted: "
                         f"{', '.join(FORMATS)} (or a Vulkan name such as R8G8B8A8_UNORM)")
    if isinstance(value, bool) or (not isinstance(value, int) and not hasattr(value, "__index__")):
        raise TypeError(f"{name} must be a format name (str) or a GL enum (int), got "
                        f"{type(value).__name__}")
    number = int(value.__index__())
    if number in _BY_VALUE:
        return _BY_VALUE[number]
    raise ValueError(f"{name} {number:#x} is not one of the sized formats GL imports here")


def format_of_layout(channels: int, bits: int, kind: str) -> GlFormat:
    """The GL format for a shared image's layout (ValueError when GL has none)."""
    key = (channels, bits, kind)
    if key not in _DEFAULT:
        raise ValueError(f"no GL format has {channels} channel(s) of {bits}-bit {kind} values")
    return FORMATS[_DEFAULT[key]]
