# SPDX-License-Identifier: Apache-2.0
"""What Python decides about the values users pass: their Python types. Ranges, sizes and
handle kinds are checked once, in the C++ core, with the same message from every entry point."""

from __future__ import annotations

from typing import Any, Union

import numpy as np

import cuda_interop._core as _core

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


def _is_bool(value: Any) -> bool:
    """True for bool and numpy's bool (``numpy.bool_``, named ``numpy.bool`` since numpy 2)."""
    kind = type(value)
    return kind is bool or (kind.__module__ == "numpy" and kind.__name__ in ("bool_", "bool"))


def number_of_seconds(value: Any, name: str = "timeout") -> float | None:
    """A number of seconds as a float, or None: TypeError for other types, ValueError naming
    `name` for an int beyond a float (``10**400``, never "int too large to convert to float").
    The range is the caller's: :func:`seconds`, or ipc's finite ``> 0``."""
    if value is None:
        return None
    if _is_bool(value) or (not isinstance(value, (int, float)) and \
            not hasattr(value, "__float__")):
        raise TypeError(f"{name} must be a number of seconds or None, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int (or Fraction) beyond a float
        raise ValueError(f"{name} must be a number of seconds a float can hold (or None), got "
                         f"{_abbreviated(value)}") from None
    except (TypeError, ValueError) as error:  # a __float__ that fails
        raise TypeError(f"{name} must be a number of seconds or None, got "
                        f"{type(value).__name__} ({error})") from None


def seconds(value: Any, name: str = "timeout") -> float | None:
    """A wait limit in seconds, or None for none: :func:`number_of_seconds`, and ValueError for
    NaN and negative numbers. Infinity is no limit (as None)."""
    limit = number_of_seconds(value, name)
    if limit is not None and not limit >= 0:  # NaN too
        raise ValueError(f"{name} must be >= 0 seconds (or None)")
    return limit


def _abbreviated(value: Any) -> str:
    """`value` for a message: a huge int by its size, not its digits."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an int of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def flag(value: Any, name: str) -> bool:
    """`value` as a bool: True, False (or numpy bools); TypeError for anything else ("no", 1)."""
    if _is_bool(value):
        return bool(value)
    raise TypeError(f"{name} must be a bool, got {type(value).__name__}")


def instance(value: Any, kind: type, name: str, what: str | None = None) -> Any:
    """`value` if it is a `kind`; TypeError "<name> must be a <what>, got <type>" otherwise."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {what or kind.__name__}, got {type(value).__name__}")
    return value


def host_source(data: Any, name: str = "data") -> memoryview:
    """The bytes of host data to copy: a bytes-like object, or an array of numbers (made
    C-contiguous). TypeError naming `name` for None, str, objects and object arrays."""
    if isinstance(data, memoryview) and not data.c_contiguous:
        raise ValueError(f"{name} must be C-contiguous (a strided memoryview is not)")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return memoryview(data).cast("B") if isinstance(data, memoryview) else memoryview(data)
    if data is None or isinstance(data, str):
        raise TypeError(f"{name} must be bytes or an array of numbers, got "
                        f"{type(data).__name__}")
    array = np.ascontiguousarray(data)
    if array.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be bytes or an array of numbers, got "
                        f"{type(data).__name__} of {array.dtype}")
    return memoryview(array)  # type: ignore[arg-type]


def host_target(out: Any, name: str = "out") -> memoryview:
    """A writable, C-contiguous host array to copy into; TypeError or ValueError naming `name`."""
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(out).__name__}")
    if not out.flags.c_contiguous:
        raise ValueError(f"{name} must be C-contiguous")
    if not out.flags.writeable:
        raise ValueError(f"{name} must be writable (it is read-only)")
    return memoryview(out)  # type: ignore[arg-type]


def handle_or_name(value: Any) -> HandleOrName:
    """An int is a handle (fd, NT or KMT handle), a str the name of a named NT handle (UTF-16:
    ValueError for a lone surrogate, which no Win32 name holds)."""
    if isinstance(value, str):
        try:
            value.encode("utf-16-le")
        except UnicodeEncodeError:
            raise ValueError(f"name {_abbreviated(value)} is not valid Unicode text (it holds a "
                             "lone surrogate)") from None
        return value
    if isinstance(value, bool) or (not isinstance(value, int) and not hasattr(value, "__index__")):
        raise TypeError(
            f"expected an NT handle (int) or a handle name (str), got {type(value).__name__}")
    return integer(value, "handle")
