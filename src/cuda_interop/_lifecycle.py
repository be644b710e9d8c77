# SPDX-License-Identifier: Apache-2.0
"""The lifecycle every owning object shares: idempotent close(), closed, ``with``; and the OS-handle
export of the owners whose native object makes new handles (Vulkan buffers, images, semaphores)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar

from ._core import ClosedError, NotSupportedError

Native = TypeVar("Native")
Self = TypeVar("Self", bound="Owner[Any]")


class Owner(Generic[Native]):
    """Holds one native owner object; ``close()`` drops it, later use raises ClosedError."""

    __slots__ = ("__weakref__", "_native")

    def __init__(self, native: Native) -> None:
        self._native: Native | None = native

    def _live(self) -> Native:
        # getattr: an object made with __new__ alone (never initialised) reads as closed
        native: Native | None = getattr(self, "_native", None)
        if native is None:
            raise ClosedError(f"{type(self).__name__} is closed")
        return native

    def close(self) -> None:
        """Release this object's reference; idempotent. Others that share it keep it alive.

        The native object is dropped, not closed in place: a call still running on it in another
        thread holds its own reference, so it finishes first and the native object is released
        after it: ``close()`` racing a call never frees what that call is using.
        """
        self._native = None

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called."""
        return getattr(self, "_native", None) is None

    def __enter__(self: Self) -> Self:
        self._live()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> Literal[False]:
        self.close()
        return False


class Exporter(Owner[Any]):
    """An owner whose native object exports new OS handles for CUDA to import."""

    __slots__ = ()

    def export_fd(self) -> int:
        """A new opaque file descriptor on every call; the caller closes it (``os.close``)."""
        if sys.platform == "win32":
            raise NotSupportedError("file descriptors are a POSIX export; use export_win32()")
        return int(self._live().export_fd())

    def export_win32(self) -> int:
        """A new NT handle on every call (Windows); the caller closes it."""
        return int(self._live().export_win32())
