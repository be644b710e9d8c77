# SPDX-License-Identifier: Apache-2.0
"""Element types of views, without a GPU: names and dtypes in, DLPack type codes out.

Views are made over host memory (``_core._host_span``: a span on "device -1" that DLPack exports
as kDLCPU, whose copies are memcpy), so the capsule a view hands out can be read back here through
ctypes: its DLTensor's dtype code, bits and lanes, shape, strides and device.
"""

from __future__ import annotations

import ctypes
import importlib.util
import sys
from typing import Any

import numpy as np
import pytest

from cuda_interop import _core
from cuda_interop._dlpack import BufferView
from cuda_interop._dlpack_dtypes import NAMES, TYPES, element_type

# The DLPack 1.1 type codes (dlpack.h, DLDataTypeCode), by the names views take.
EXPECTED = {
    "bool": (6, 8), "int8": (0, 8), "int16": (0, 16), "int32": (0, 32), "int64": (0, 64),
    "uint8": (1, 8), "uint16": (1, 16), "uint32": (1, 32), "uint64": (1, 64),
    "float16": (2, 16), "float32": (2, 32), "float64": (2, 64),
    "complex64": (5, 64), "complex128": (5, 128), "bfloat16": (4, 16),
    "float8_e3m4": (7, 8), "float8_e4m3": (8, 8), "float8_e4m3b11fnuz": (9, 8),
    "float8_e4m3fn": (10, 8), "float8_e4m3fnuz": (11, 8), "float8_e5m2": (12, 8),
    "float8_e5m2fnuz": (13, 8), "float8_e8m0fnu": (14, 8),
}
HAS_ML_DTYPES = importlib.util.find_spec("ml_dtypes") is not None


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device_type", ctypes.c_int32),
                ("device_id", ctypes.c_int32), ("ndim", ctypes.c_int32), ("dtype", DLDataType),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32),
                ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p),
                ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]


def read_capsule(capsule: Any) -> dict[str, Any]:
    """The fields of a versioned DLPack capsule's tensor (the capsule stays unconsumed)."""
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    managed = DLManagedTensorVersioned.from_address(get(capsule, b"dltensor_versioned"))
    tensor = managed.dl_tensor
    return {"version": (managed.major, managed.minor), "data": tensor.data,
            "device": (tensor.device_type, tensor.device_id),
            "dtype": (tensor.dtype.code, tensor.dtype.bits, tensor.dtype.lanes),
            "shape": tuple(tensor.shape[i] for i in range(tensor.ndim)),
            "strides": tuple(tensor.strides[i] for i in range(tensor.ndim)),
            "byte_offset": tensor.byte_offset}


@pytest.fixture
def span() -> Any:
    native = _core._host_span(1 << 16)
    yield native
    native.close()


def test_the_table_is_dlpack_1_1() -> None:
    assert {name: (t.code, t.bits) for name, t in TYPES.items()} == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_name_reaches_the_capsule(span: Any, name: str) -> None:
    code, bits = EXPECTED[name]
    view = BufferView(span, name, (2, 3), 64)
    assert view.dtype_name == name and view.dlpack_dtype == (code, bits, 1)
    assert view.nbytes == 6 * bits // 8
    fields = read_capsule(view.__dlpack__(max_version=(1, 3)))
    assert fields == {"version": (1, 1), "data": span.ptr + 64, "device": (1, 0),
                      "dtype": (code, bits, 1), "shape": (2, 3), "strides": (3, 1),
                      "byte_offset": 0}


@pytest.mark.parametrize("dtype, name", [
    (np.float32, "float32"), (np.dtype("<i2"), "int16"), ("f8", "float64"), ("?", "bool"),
    (bool, "bool"), (int, "int64"), (float, "float64"), (complex, "complex128"),
    (np.complex64, "complex64"), (np.uint64, "uint64"), (np.intc, "int32"), ("u1", "uint8"),
])
def test_numpy_dtypes_and_spellings(dtype: object, name: str) -> None:
    assert element_type(dtype).name == name


@pytest.mark.skipif(not HAS_ML_DTYPES, reason="ml_dtypes is not installed")
@pytest.mark.parametrize("name", [n for n in EXPECTED if n.startswith(("bfloat", "float8"))])
def test_ml_dtypes_by_type_and_dtype(name: str) -> None:
    import ml_dtypes

    scalar_type = getattr(ml_dtypes, name, None)
    if scalar_type is None:
        pytest.skip(f"ml_dtypes {ml_dtypes.__version__} has no {name}")
    # float8_e5m2 is numpy kind "f" with itemsize 1: found by its name, not as a float.
    assert element_type(scalar_type).name == name
    assert element_type(np.dtype(scalar_type)).name == name


def test_torch_dtypes_by_name() -> None:
    torch = pytest.importorskip("torch")
    assert element_type(torch.bfloat16).name == "bfloat16"
    assert element_type(torch.float32).name == "float32"
    assert element_type(torch.bool).name == "bool"
    if hasattr(torch, "float8_e4m3fn"):
        assert element_type(torch.float8_e4m3fn).name == "float8_e4m3fn"
        assert element_type(torch.float8_e5m2).name == "float8_e5m2"


@pytest.mark.parametrize("name", ["bfloat", "float8", "float8_e4m3fnn", "no", "", "BFLOAT16",
                                  "torch.bfloat16"])
def test_unknown_names_are_value_errors_listing_the_names(name: str) -> None:
    with pytest.raises(ValueError, match="bfloat16, float8_e3m4") as error:
        element_type(name)
    assert repr(name) in str(error.value)


@pytest.mark.parametrize("name", ["float4_e2m1fn", "float6_e2m3fn", "float6_e3m2fn", "int4",
                                  "uint4", "int2", "float4_e2m1fn_x2"])
def test_sub_byte_names_are_refused_with_the_reason(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} is a [0-9]-bit type.*whole-byte"):
        element_type(name)


@pytest.mark.skipif(not HAS_ML_DTYPES, reason="ml_dtypes is not installed")
def test_sub_byte_ml_dtypes_are_refused() -> None:
    import ml_dtypes

    with pytest.raises(TypeError, match="int4 is a 4-bit type"):
        element_type(ml_dtypes.int4)


@pytest.mark.parametrize("dtype", [None, 1.5, -1, 2**64, object(), np.dtype(object),
                                   np.dtype("S4"), np.dtype([("a", "f4")]), np.dtype(">f4"),
                                   np.longdouble, np.dtype("datetime64[s]"), [1, 2]])
def test_other_objects_are_type_errors(dtype: object) -> None:
    if dtype is np.longdouble and np.dtype(np.longdouble).itemsize == 8:
        pytest.skip("long double is float64 on this platform")
    with pytest.raises(TypeError, match="dtype"):
        element_type(dtype)


@pytest.mark.parametrize("name", [">f4", "S4", "O", "M8[s]"])
def test_numpy_strings_views_cannot_hold_are_value_errors(name: str) -> None:
    with pytest.raises(ValueError, match="dtype"):
        element_type(name)


def test_names_are_listed_once() -> None:
    assert NAMES.split(", ") == list(EXPECTED)


def test_view_checks_use_the_element_size(span: Any) -> None:
    view = BufferView(span, "bfloat16", None, 0)
    assert view.shape == ((1 << 16) // 2,)
    with pytest.raises(ValueError, match="aligned for bfloat16"):
        BufferView(span, "bfloat16", (4,), 1)
    with pytest.raises(ValueError, match="needs"):
        BufferView(span, "complex128", (1 << 13,), 16)
    BufferView(span, "float8_e4m3fn", (3,), 1)  # one byte: any offset


def test_cuda_array_interface_has_no_typestr_for_bfloat16_and_fp8(span: Any) -> None:
    for name in ("bfloat16", "float8_e4m3fn", "float8_e5m2"):
        view = BufferView(span, name, (4,), 0)
        with pytest.raises(AttributeError, match=f"{name}.*DLPack"):
            view.__cuda_array_interface__  # noqa: B018
        assert not hasattr(view, "__cuda_array_interface__")
    for name, typestr in (("bool", "|b1"), ("complex64", "<c8"), ("uint16", "<u2")):
        if sys.byteorder == "little" or typestr[0] == "|":
            interface = BufferView(span, name, (4,), 0).__cuda_array_interface__
            assert interface["typestr"] == typestr


@pytest.mark.skipif(not HAS_ML_DTYPES, reason="ml_dtypes is not installed")
def test_host_copies_go_through_ml_dtypes(span: Any) -> None:
    import ml_dtypes

    view = BufferView(span, "bfloat16", (2, 2), 128)
    assert view.dtype == np.dtype(ml_dtypes.bfloat16)
    values = np.array([[1.5, -2], [3.25, 1e10]], ml_dtypes.bfloat16)
    view.copy_from_host(values)
    got = view.copy_to_host()
    assert got.dtype == values.dtype and got.shape == (2, 2)
    np.testing.assert_array_equal(got.view(np.uint16), values.view(np.uint16))
    # The same bits, read as raw uint16, and bytes around the view untouched.
    raw = BufferView(span, "uint16", (8,), 124).copy_to_host()
    assert raw[0] == raw[1] == 0 and raw[-1] == 0 and raw[-2] == 0
    np.testing.assert_array_equal(raw[2:6], values.view(np.uint16).ravel())
    fp8 = BufferView(span, ml_dtypes.float8_e4m3fn, (3,), 7)
    fp8.copy_from_host(np.array([0.5, -1, 448], ml_dtypes.float8_e4m3fn))
    assert fp8.copy_to_host().astype(np.float32).tolist() == [0.5, -1, 448]


def test_host_copies_without_ml_dtypes(span: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ml_dtypes", None)  # import ml_dtypes now fails
    view = BufferView(span, "bfloat16", (4,), 0)
    assert view.dtype == "bfloat16"
    with pytest.raises(TypeError, match="bfloat16 view has no numpy dtype without ml_dtypes.*"
                                        r"uint16"):
        view.copy_to_host()
    bits = np.array([0x3FC0, 0x4000, 0xC040, 0], np.uint16)  # 1.5, 2, -3, 0
    view.copy_from_host(bits)
    np.testing.assert_array_equal(view.copy_to_host(np.empty(4, np.uint16)), bits)


@pytest.mark.parametrize("out, match", [
    (np.empty(3, np.uint16), "must hold 8 bytes"), (np.empty(2, np.uint32), "2-byte items"),
    (np.empty((4, 2), np.uint16)[:, 0], "C-contiguous"), ([0, 0, 0, 0], "numpy array"),
])
def test_host_copy_arguments_are_checked(span: Any, out: Any, match: str) -> None:
    view = BufferView(span, "float16", (4,), 0)
    with pytest.raises((ValueError, TypeError), match=match):
        view.copy_to_host(out)


def test_read_only_out_is_refused(span: Any) -> None:
    out = np.empty(4, np.float16)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="writable"):
        BufferView(span, "float16", (4,), 0).copy_to_host(out)


def test_numpy_reads_a_host_view_through_dlpack(span: Any) -> None:
    view = BufferView(span, "int32", (2, 4), 256)
    view.copy_from_host(np.arange(8, dtype=np.int32).reshape(2, 4))
    array = np.from_dlpack(view)
    assert array.ctypes.data == view.ptr and array.strides == (16, 4)
    np.testing.assert_array_equal(array, np.arange(8).reshape(2, 4))


@pytest.mark.parametrize("shape, error", [
    ((1.5,), TypeError), (("2",), TypeError), ((None,), TypeError), ((2**64,), ValueError),
    ((-1,), ValueError), ((2**40, 2**40), ValueError), ("no", TypeError), (True, TypeError),
])
def test_shapes_are_checked(span: Any, shape: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"shape|needs"):
        BufferView(span, "uint8", shape, 0)


def test_shape_extents_may_be_numpy_ints_or_one_int(span: Any) -> None:
    assert BufferView(span, "uint8", (np.int64(2), np.uint8(3)), 0).shape == (2, 3)
    assert BufferView(span, "float32", 7, 0).shape == (7,)
    assert BufferView(span, "float32", [], 0).shape == ()
