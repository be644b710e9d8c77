# SPDX-License-Identifier: Apache-2.0
"""What Python decides about the values users pass: their Python types. Ranges, sizes and
handle kinds are checked once, in the C++ core, with the same message from every entry point."""

from __future__ import annotations

from typing import Any, Union

from . import _core

HandleOrName = Union[int, str]

_INT64 = 1 << 63


def integer(value: Any, name: str) -> int:
    """`value` as a signed 64-bit int (numpy integers and ``__index__`` objects are accepted).

    TypeError for bool, float, str, None and other non-integers; ValueError beyond 64 bits.
    """
    if type(value) is int and -_INT64 <= value < _INT64:  # the common case, without a call
        return value
    return int(_core.integer(value, name))


def semaphore_value(value: Any, name: str = "value") -> int:
    """A semaphore value, fence value or key: an int in [0, 2**64)."""
    if type(value) is int and 0 <= value < 2**64:  # the common case, without a call
        return value
    return int(_core.semaphore_value(value, name))


def seconds(value: Any, name: str = "timeout") -> float | None:
    """A wait limit in seconds (int or float), or None for none; TypeError otherwise. Its range
    (not negative, not NaN) is checked where it is used."""
    if value is None:
        return None
    if isinstance(value, bool) or (not isinstance(value, (int, float)) and \
            not hasattr(value, "__float__")):
        raise TypeError(f"{name} must be a number of seconds or None, got {type(value).__name__}")
    return float(value)


def flag(value: Any, name: str) -> bool:
    """`value` as a bool: True, False (or numpy bools); TypeError for anything else ("no", 1)."""
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool_":  # numpy.bool_
        return bool(value)
    raise TypeError(f"{name} must be a bool, got {type(value).__name__}")


def handle_or_name(value: Any) -> HandleOrName:
    """An int is a handle (fd, NT or KMT handle), a str the name of a named NT handle."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or (not isinstance(value, int) and not hasattr(value, "__index__")):
        raise TypeError(
            f"expected an NT handle (int) or a handle name (str), got {type(value).__name__}")
    return integer(value, "handle")
