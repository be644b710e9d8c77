# SPDX-License-Identifier: Apache-2.0
"""Streams from any framework become a cudaStream_t."""

from __future__ import annotations

from typing import Any

import pytest

from cuda_interop._stream import stream_handle


class TorchLike:
    cuda_stream = 0x1234


class CupyLike:
    ptr = 0x5678


class CudaPythonLike:
    def __cuda_stream__(self) -> tuple[int, int]:
        return (0, 0x9ABC)


@pytest.mark.parametrize(("stream", "handle"), [
    (None, 0), (0, 0), (42, 42), (TorchLike(), 0x1234), (CupyLike(), 0x5678),
    (CudaPythonLike(), 0x9ABC),
])
def test_accepted_streams(stream: Any, handle: int) -> None:
    assert stream_handle(stream) == handle


@pytest.mark.parametrize("stream", ["0", 1.5, True, object()])
def test_other_objects_are_type_errors(stream: Any) -> None:
    with pytest.raises(TypeError):
        stream_handle(stream)


def test_negative_handle_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        stream_handle(-1)
