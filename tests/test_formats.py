# SPDX-License-Identifier: Apache-2.0
"""Array formats from numpy dtypes and Vulkan/DXGI names."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cuda_interop as ci
from cuda_interop import _core
from cuda_interop._formats import level_shape


@pytest.mark.parametrize(("name", "dtype", "channels"), [
    ("R8G8B8A8_UNORM", np.uint8, 4), ("VK_FORMAT_R32_SFLOAT", np.float32, 1),
    ("DXGI_FORMAT_R32G32B32A32_FLOAT", np.float32, 4), ("r16g16_sint", np.int16, 2),
    ("DXGI_FORMAT_R16G16B16A16_FLOAT", np.float16, 4),
])
def test_named_formats(name: str, dtype: type, channels: int) -> None:
    fmt = ci.array_format(name)
    assert fmt.dtype == np.dtype(dtype)
    assert fmt.channels == channels


def test_named_format_rejects_other_channel_count() -> None:
    with pytest.raises(ValueError, match="4 channel"):
        ci.array_format("R8G8B8A8_UNORM", 1)


@given(st.sampled_from(["i1", "u1", "i2", "u2", "f2", "i4", "u4", "f4"]),
       st.sampled_from([1, 2, 4]))
def test_supported_dtypes_map_to_cuda_kinds(dtype: str, channels: int) -> None:
    fmt = ci.array_format(dtype, channels)
    assert fmt.bits == np.dtype(dtype).itemsize * 8
    expected = {"i": ci.ChannelKind.SIGNED, "u": ci.ChannelKind.UNSIGNED, "f": ci.ChannelKind.FLOAT}
    assert fmt.kind == expected[np.dtype(dtype).kind]


@pytest.mark.parametrize(("dtype", "channels"), [("f8", 1), ("i8", 1), ("u1", 3), ("c8", 1),
                                                 ("bool", 1)])
def test_unsupported_formats_are_value_errors(dtype: str, channels: int) -> None:
    with pytest.raises(ValueError):
        ci.array_format(dtype, channels)


# -- The pixel-format table ------------------------------------------------------------------
ROWS = _core.pixel_formats()


def test_named_formats_are_the_table() -> None:
    for row in ROWS:
        fmt = ci.array_format(row.name)
        assert fmt.dtype == np.dtype(row.component) and fmt.channels == row.channels
        assert fmt.kind == row.kind and fmt.bits == row.bits
        assert fmt.dtype.itemsize * fmt.channels == row.texel_size
        if row.dxgi_format:
            assert ci.array_format(f"DXGI_FORMAT_{row.dxgi_name}") == fmt
        assert ci.array_format(f"vk_format_{row.name.lower()}") == fmt


def test_d3d12_formats_are_the_tables_dxgi_values() -> None:
    from cuda_interop import d3d12

    expected = {row.dxgi_name: row.dxgi_format for row in ROWS if row.dxgi_format}
    assert {member.name: int(member) for member in d3d12.Format} == expected
    assert d3d12.Format.R32_FLOAT == _core.pixel_format("R32_SFLOAT").dxgi_format == 41


def test_unknown_names_list_the_accepted_ones() -> None:
    with pytest.raises(ValueError, match="accepted: R8_UNORM, "):
        _core.pixel_format("B5G6R5_UNORM_PACK16")
    assert _core.find_pixel_format("B5G6R5_UNORM_PACK16") is None
    with pytest.raises(ValueError):
        _core.pixel_format_from_dxgi(29)  # R8G8B8A8_UNORM_SRGB


# -- One host shape rule for every producer --------------------------------------------------
def _vulkan_image(row: Any, width: int, height: int, levels: int) -> Any:
    from cuda_interop import vulkan

    native = SimpleNamespace(
        format=row.name, width=width, height=height, depth=1, layers=1, levels=levels,
        level_extent=lambda level: (max(1, width >> level), max(1, height >> level), 1))
    return vulkan.Image(native)


def _d3d12_texture(row: Any, width: int, height: int, levels: int,
                   monkeypatch: pytest.MonkeyPatch) -> Any:
    from cuda_interop import _d3d12_resources, d3d12

    def download_texture(native: Any, level: int, array_slice: int) -> bytes:
        return bytes(max(1, height >> level) * max(1, width >> level) * row.texel_size)

    monkeypatch.setattr(_d3d12_resources, "_d3d12", SimpleNamespace(
        download_texture=download_texture))
    native = SimpleNamespace(format=row.dxgi_format, width=width, height=height,
                             mip_levels=levels, array_size=1)
    return d3d12.Texture2D(native, None)


@pytest.mark.parametrize("row", [row for row in ROWS if row.channels == 1],
                         ids=lambda row: row.name)
def test_one_channel_formats_have_one_shape_on_every_producer(
        row: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    image = _vulkan_image(row, 20, 12, levels=3)
    texture = _d3d12_texture(row, 20, 12, levels=3, monkeypatch=monkeypatch)
    for level, expected in enumerate([(12, 20), (6, 10), (3, 5)]):
        assert image.level_shape(level) == expected
        assert texture.level_shape(level) == expected
        assert texture.download(level).shape == expected
        assert texture.download(level).dtype == np.dtype(row.component)


@pytest.mark.parametrize(("extent", "layers", "level", "shape"), [
    ((64, 48, 1), 1, 0, (48, 64, 4)), ((64, 48, 1), 3, 1, (3, 24, 32, 4)),
    ((16, 8, 4), 1, 1, (2, 4, 8, 4)), ((16, 8, 4), 1, 3, (1, 1, 2, 4)),
])
def test_level_shape_puts_depth_or_layers_first(extent: tuple[int, int, int], layers: int,
                                                level: int, shape: tuple[int, ...]) -> None:
    assert level_shape(ci.array_format("R8G8B8A8_UNORM"), extent, layers, level) == shape
    assert level_shape(ci.array_format("R32_SFLOAT"), extent, layers, level) == shape[:-1]
