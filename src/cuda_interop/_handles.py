# SPDX-License-Identifier: Apache-2.0
"""Checks on the OS handles users pass in, before any CUDA call."""

from __future__ import annotations

import os
import sys
from typing import Callable, TypeVar, Union

HandleOrName = Union[int, str]
Imported = TypeVar("Imported")
MAX_NAME_LENGTH = 260  # MAX_PATH, as CUDA and CreateSharedHandle accept


def check_fd(fd: int) -> int:
    if isinstance(fd, bool) or not isinstance(fd, int):
        raise TypeError(f"fd must be an int, got {type(fd).__name__}")
    if fd < 0:
        raise ValueError(f"fd must be >= 0, got {fd}")
    return fd


def check_size(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, int):
        raise TypeError(f"size must be an int, got {type(size).__name__}")
    if size <= 0:
        raise ValueError(f"size must be > 0 (the allocation size the producer reports), got {size}")
    return size


def check_handle(handle: int) -> int:
    if isinstance(handle, bool) or not isinstance(handle, int):
        raise TypeError(f"handle must be an int, got {type(handle).__name__}")
    if handle <= 0:
        raise ValueError(f"handle must be a valid (non-zero) Windows handle, got {handle}")
    return handle


def check_name(name: str) -> str:
    if not name:
        raise ValueError("name must not be empty")
    if "\0" in name:
        raise ValueError("name must not contain NUL")
    if len(name.encode("utf-16-le")) // 2 > MAX_NAME_LENGTH:
        raise ValueError(f"name is longer than {MAX_NAME_LENGTH} UTF-16 characters")
    return name


def split_handle_or_name(handle_or_name: HandleOrName) -> tuple[int | None, str | None]:
    """An int is an NT handle, a str the name of a named handle."""
    if isinstance(handle_or_name, str):
        return None, check_name(handle_or_name)
    if isinstance(handle_or_name, int) and not isinstance(handle_or_name, bool):
        return check_handle(handle_or_name), None
    raise TypeError(
        f"expected an NT handle (int) or a handle name (str), got {type(handle_or_name).__name__}"
    )


def close_win32_handle(handle: int) -> None:
    """CloseHandle(handle); OSError on failure. Windows only."""
    if sys.platform != "win32":
        raise OSError("Win32 handles exist only on Windows")
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    if not kernel32.CloseHandle(ctypes.c_void_p(handle)):
        raise ctypes.WinError(ctypes.get_last_error())


def close_os_handle(handle: int) -> None:
    """Close a file descriptor (POSIX) or an NT handle (Windows)."""
    if sys.platform == "win32":
        close_win32_handle(handle)
    else:
        os.close(handle)


def import_exported(handle: int, import_: Callable[[int], Imported]) -> Imported:
    """Import a handle that was just exported for this import, with ``take_ownership=True``.

    A successful import owns the handle; after a failed one it is still ours, so it is closed
    here before the error propagates.
    """
    try:
        return import_(handle)
    except BaseException:
        close_os_handle(handle)
        raise
