# SPDX-License-Identifier: Apache-2.0
"""Accepting any framework's CUDA stream."""

from __future__ import annotations

import operator
from typing import Any

StreamLike = Any
"""None (the legacy default stream), an int handle, or an object with ``__cuda_stream__``,
``.cuda_stream`` (PyTorch) or ``.ptr`` (CuPy)."""


def stream_handle(stream: Any) -> int:
    """The cudaStream_t of `stream` as an int.

    Accepts None (the legacy default stream, 0), an int, or an object exposing
    ``__cuda_stream__`` (CUDA Python's protocol: ``(version, handle)``), ``.cuda_stream``
    (PyTorch) or ``.ptr`` (CuPy).
    """
    if stream is None:
        return 0
    if isinstance(stream, bool) or type(stream).__name__ in ("bool_", "bool"):
        raise TypeError("stream must not be a bool")
    if isinstance(stream, int) or hasattr(stream, "__index__"):
        value = operator.index(stream)
        if not 0 <= value < 2**64:
            raise ValueError(f"stream handle must be in [0, 2**64), got {value}")
        return value
    protocol = getattr(stream, "__cuda_stream__", None)
    if protocol is not None:
        pair = protocol() if callable(protocol) else protocol
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"stream.__cuda_stream__ must give (version, handle), got {pair!r}")
        return stream_handle(pair[1])
    for attribute in ("cuda_stream", "ptr"):
        handle = getattr(stream, attribute, None)
        if isinstance(handle, int) and not isinstance(handle, bool):
            return stream_handle(handle)
    raise TypeError(
        f"cannot get a CUDA stream from {type(stream).__name__}: pass None, an int, or an "
        "object with __cuda_stream__, .cuda_stream or .ptr"
    )
