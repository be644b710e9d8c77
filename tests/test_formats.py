# SPDX-License-Identifier: Apache-2.0
"""Array formats from numpy dtypes and Vulkan/DXGI names."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cuda_interop as ci


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
