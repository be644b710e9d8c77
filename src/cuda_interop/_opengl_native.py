# SPDX-License-Identifier: Apache-2.0
"""The OpenGL producer's native module, ``_opengl``, or a stand-in where it was not built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._native import load

_module, REASON = load("cuda_interop._opengl", lambda error: (
    f"cuda_interop.opengl is not available ({error}): this build of cuda-interop has no OpenGL "
    "producer; rebuild it from source"))

if TYPE_CHECKING:
    from . import _opengl as _opengl
else:
    _opengl = _module
