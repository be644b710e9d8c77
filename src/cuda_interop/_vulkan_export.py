# SPDX-License-Identifier: Apache-2.0
"""What every exportable Vulkan object shares: its OS-handle export."""

from __future__ import annotations

import sys
from typing import Any

from ._core import NotSupportedError
from ._lifecycle import Owner

WINDOWS = sys.platform == "win32"


class Exporter(Owner[Any]):
    """A Vulkan object that exports new OS handles for CUDA to import."""

    __slots__ = ()

    def export_fd(self) -> int:
        """A new opaque file descriptor on every call; the caller closes it (``os.close``)."""
        if WINDOWS:
            raise NotSupportedError("file descriptors are a POSIX export; use export_win32()")
        return int(self._live().export_fd())

    def export_win32(self) -> int:
        """A new NT handle on every call (Windows); the caller closes it."""
        return int(self._live().export_win32())
