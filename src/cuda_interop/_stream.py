# SPDX-License-Identifier: Apache-2.0
"""Accepting any framework's CUDA stream."""

from __future__ import annotations

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
    if isinstance(stream, bool):
        raise TypeError("stream must not be a bool")
    if isinstance(stream, int):
        if stream < 0:
            raise ValueError(f"stream handle must be >= 0, got {stream}")
        return stream
    protocol = getattr(stream, "__cuda_stream__", None)
    if protocol is not None:
        value = protocol() if callable(protocol) else protocol
        return stream_handle(value[1])
    for attribute in ("cuda_stream", "ptr"):
        value = getattr(stream, attribute, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return stream_handle(value)
    raise TypeError(
        f"cannot get a CUDA stream from {type(stream).__name__}: pass None, an int, or an "
        "object with __cuda_stream__, .cuda_stream or .ptr"
    )
