# SPDX-License-Identifier: Apache-2.0
"""Element types of views: every whole-byte DLPack type, named as a string or given as a numpy,
``ml_dtypes`` or PyTorch dtype.

numpy has no bfloat16 or 8-bit floats; ``ml_dtypes`` (what JAX uses) adds them to numpy. Views
take them by name without it, and use it, where installed, for host copies. Sub-byte types
(DLPack's 6- and 4-bit floats, ``ml_dtypes``' int4 and friends) are refused: DLPack packs them
several to a byte, which a view of whole elements cannot describe.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import numpy as np

# DLPack DLDataTypeCode values (dlpack.h, DLPack 1.1).
INT, UINT, FLOAT, BFLOAT, COMPLEX, BOOL = 0, 1, 2, 4, 5, 6
FLOAT8_CODES = {"float8_e3m4": 7, "float8_e4m3": 8, "float8_e4m3b11fnuz": 9, "float8_e4m3fn": 10,
                "float8_e4m3fnuz": 11, "float8_e5m2": 12, "float8_e5m2fnuz": 13,
                "float8_e8m0fnu": 14}
# Types narrower than a byte: known, and refused with the reason.
SUB_BYTE = {"float6_e2m3fn": 6, "float6_e3m2fn": 6, "float4_e2m1fn": 4, "float4_e2m1fn_x2": 4,
            "int4": 4, "uint4": 4, "int2": 2, "uint2": 2, "int1": 1, "uint1": 1}


class ElementType(NamedTuple):
    """One element of a view: its name, DLPack type code and width in bits."""

    name: str
    code: int
    bits: int

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return self.bits // 8

    @property
    def typestr(self) -> str | None:
        """The ``__cuda_array_interface__`` typestr, or None where the interface has none (it
        speaks numpy's type letters: no bfloat16 or 8-bit floats)."""
        if self.code in (INT, UINT, FLOAT, COMPLEX, BOOL):
            return np.dtype(self.name).str
        return None

    def host_dtype(self) -> np.dtype[Any] | None:
        """The numpy dtype of host copies: numpy's own, else ``ml_dtypes``' where installed,
        else None."""
        if self.typestr is not None:
            return np.dtype(self.name)
        try:
            ml_dtypes = importlib.import_module("ml_dtypes")
        except ImportError:
            return None
        found = getattr(ml_dtypes, self.name, None)
        return None if found is None else np.dtype(found)


def _table() -> dict[str, ElementType]:
    table = {"bool": ElementType("bool", BOOL, 8)}
    for prefix, code in (("int", INT), ("uint", UINT)):
        for bits in (8, 16, 32, 64):
            table[f"{prefix}{bits}"] = ElementType(f"{prefix}{bits}", code, bits)
    for bits in (16, 32, 64):
        table[f"float{bits}"] = ElementType(f"float{bits}", FLOAT, bits)
    for bits in (64, 128):
        table[f"complex{bits}"] = ElementType(f"complex{bits}", COMPLEX, bits)
    table["bfloat16"] = ElementType("bfloat16", BFLOAT, 16)
    for name, code in FLOAT8_CODES.items():
        table[name] = ElementType(name, code, 8)
    return table


TYPES = _table()
NAMES = ", ".join(TYPES)


def _sub_byte(name: str, error: type[Exception]) -> Exception:
    return error(f"dtype {name} is a {SUB_BYTE[name]}-bit type: DLPack packs it several to a byte, "
                 "and a view holds whole-byte elements; view the bytes (uint8) and unpack them")


def _named(name: str, what: str, error: type[Exception]) -> ElementType:
    found = TYPES.get(name)
    if found is not None:
        return found
    if name in SUB_BYTE:
        raise _sub_byte(name, error)
    raise error(f"dtype {what} cannot be exported through DLPack; views take {NAMES}")


def _torch_dtype_name(dtype: object) -> str | None:
    """``bfloat16`` for ``torch.bfloat16`` (without importing torch), else None."""
    kind = type(dtype)
    if kind.__module__ == "torch" and kind.__name__ == "dtype":
        return str(dtype).rpartition(".")[2]
    return None


def element_type(dtype: object) -> ElementType:
    """The element type of `dtype`: a name (``"bfloat16"``, ``"float8_e4m3fn"``, ``"float32"``,
    or anything ``numpy.dtype`` reads), a numpy or ``ml_dtypes`` dtype or scalar type, or a
    ``torch.dtype``.

    Raises
    ------
    ValueError
        For a name that is not a whole-byte DLPack type (the message lists those that are).
    TypeError
        For None, a dtype that DLPack cannot hold (structured, object, non-native byte order,
        float128, sub-byte), or anything else.
    """
    if isinstance(dtype, str):
        if dtype in TYPES or dtype in SUB_BYTE:
            return _named(dtype, dtype, ValueError)
        try:
            resolved = np.dtype(dtype)
        except TypeError:
            raise ValueError(f"unknown dtype {dtype!r}; views take {NAMES}") from None
        return _of_numpy(resolved, ValueError)
    if dtype is None:
        raise TypeError(f"dtype must be a dtype or one of the names {NAMES}, got None")
    torch_name = _torch_dtype_name(dtype)
    if torch_name is not None:
        return _named(torch_name, f"torch.{torch_name}", TypeError)
    try:
        resolved = np.dtype(dtype)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise TypeError(f"dtype must be a dtype or one of the names {NAMES}, got "
                        f"{dtype!r}") from None
    return _of_numpy(resolved, TypeError)


def _of_numpy(resolved: np.dtype[Any], error: type[Exception]) -> ElementType:
    if resolved.type.__module__ == "ml_dtypes":  # bfloat16, float8_*, int4, ...: by name
        return _named(resolved.name, resolved.name, error)
    if not resolved.isnative:
        raise error(f"dtype {resolved.str}: DLPack holds native byte order only")
    if resolved.kind in "biufc" and resolved.fields is None and resolved.name in TYPES:
        return TYPES[resolved.name]
    raise error(f"dtype {resolved} cannot be exported through DLPack; views take {NAMES}")
