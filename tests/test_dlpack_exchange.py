# SPDX-License-Identifier: Apache-2.0
"""Hand-offs through a framework's DLPack C exchange API, without a GPU.

Views of host memory (``_core._host_span``, exported as kDLCPU) go to a CPU build of PyTorch
through ``torch.Tensor.__dlpack_c_exchange_api__`` (PyTorch >= 2.10), and to exchange tables
written here with ctypes, which fail in each way the DLPack header allows: the tensor is then
deleted exactly once. ``_core._host_spans_alive()`` counts the host allocations still held, so
a tensor or managed tensor that leaks (or is freed early) shows.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from cuda_interop import _core, _handoff
from cuda_interop._dlpack import BufferView

MANAGED_TO_OBJECT = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p,
                                     ctypes.POINTER(ctypes.c_void_p))
DELETER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


@pytest.fixture
def span() -> Iterator[Any]:
    before = _core._host_spans_alive()
    native = _core._host_span(1 << 16)
    yield native
    native.close()
    gc.collect()
    assert _core._host_spans_alive() == before, "a hand-off kept or lost the memory"


def _torch_with_exchange_api() -> Any:
    torch = pytest.importorskip("torch")
    if getattr(torch.Tensor, "__dlpack_c_exchange_api__", None) is None:
        pytest.skip(f"PyTorch {torch.__version__} has no DLPack C exchange API (>= 2.10 has)")
    return torch


# -- PyTorch ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["uint8", "int32", "float32", "float16", "bool", "complex64",
                                  "bfloat16", "float8_e4m3fn", "float8_e5m2"])
def test_torch_tensor_is_the_view(span: Any, name: str) -> None:
    torch = _torch_with_exchange_api()
    if not hasattr(torch, name):
        pytest.skip(f"PyTorch {torch.__version__} has no {name}")
    view = BufferView(span, name, (3, 5), 512)
    bits = np.random.default_rng(7).integers(0, 2, view.nbytes, dtype=np.uint8)
    if name != "bool":
        bits = np.random.default_rng(7).integers(0, 256, view.nbytes, dtype=np.uint8)
    BufferView(span, "uint8", (view.nbytes,), 512).copy_from_host(bits)
    tensor = view.to_torch()
    assert _handoff.ROUTES[torch.Tensor].api is not None, "the C exchange API was not used"
    assert type(tensor) is torch.Tensor and tensor.dtype == getattr(torch, name)
    assert tensor.data_ptr() == view.ptr
    assert tuple(tensor.shape) == (3, 5) and tensor.stride() == (5, 1)
    assert tensor.device == torch.device("cpu")
    raw = tensor.view(torch.uint8).numpy().reshape(-1)  # the same bytes, not a conversion
    np.testing.assert_array_equal(raw, bits)
    again = view.to(torch.Tensor)
    assert again.data_ptr() == view.ptr and again.dtype == tensor.dtype


def test_torch_writes_through_the_tensor(span: Any) -> None:
    torch = _torch_with_exchange_api()
    view = BufferView(span, "bfloat16", (4,), 0)
    view.to_torch().copy_(torch.tensor([1.5, -2.0, 3.0, 0.25]))
    bits = BufferView(span, "uint16", (4,), 0).copy_to_host()
    assert bits.tolist() == [0x3FC0, 0xC000, 0x4040, 0x3E80]


def test_nothing_dangles(span: Any) -> None:
    _torch_with_exchange_api()
    alive = _core._host_spans_alive()
    own = span.share()
    view = BufferView(own, "float32", (16,), 0)
    own.close()
    view.copy_from_host(np.arange(16, dtype=np.float32))
    tensor = view.to_torch()
    del view
    gc.collect()
    span.close()  # every owner but the tensor is gone
    assert _core._host_spans_alive() == alive
    assert float(tensor.sum()) == sum(range(16))
    del tensor
    gc.collect()
    assert _core._host_spans_alive() == alive - 1


def test_repeated_hand_offs_do_not_leak(span: Any) -> None:
    torch = _torch_with_exchange_api()
    view = BufferView(span, "uint8", (1024,), 0)
    view.to_torch()
    references = sys.getrefcount(view), sys.getrefcount(torch.Tensor)
    tensors = [view.to_torch() for _ in range(1000)]
    own = [torch.empty(1) for _ in range(3)]  # references a tensor torch made has, counted alike
    assert {sys.getrefcount(t) for t in tensors} == {sys.getrefcount(t) for t in own}
    del tensors, own
    for _ in range(10000):
        view.to_torch()
    assert (sys.getrefcount(view), sys.getrefcount(torch.Tensor)) == references
    span.close()
    del view
    gc.collect()  # the fixture checks the memory was let go


def test_torch_version_of_the_table() -> None:
    torch = _torch_with_exchange_api()
    major, minor = _core.dlpack_exchange_api_version(torch.Tensor.__dlpack_c_exchange_api__)
    assert major == 1 and minor >= 2


# -- Types without the C exchange API: their library's from_dlpack --------------------------
def test_numpy_goes_through_from_dlpack(span: Any) -> None:
    view = BufferView(span, "int16", (2, 3), 64)
    view.copy_from_host(np.arange(6, dtype=np.int16).reshape(2, 3))
    array = view.to(np.ndarray)
    assert isinstance(array, np.ndarray) and array.ctypes.data == view.ptr
    np.testing.assert_array_equal(array, np.arange(6).reshape(2, 3))
    assert "no __dlpack_c_exchange_api__" in _handoff.route(np.ndarray).reason


@pytest.mark.parametrize("array_type", [None, "torch", 1, np.float32(1), [1], {}, int,
                                        BufferView])
def test_what_is_not_an_array_type_is_a_type_error(span: Any, array_type: Any) -> None:
    with pytest.raises(TypeError, match="array"):
        BufferView(span, "uint8", (4,), 0).to(array_type)


# -- Exchange tables made here: every failure the header allows ----------------------------
class Header(ctypes.Structure):
    pass


Header._fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32),
                   ("prev_api", ctypes.POINTER(Header))]


class Table(ctypes.Structure):
    _fields_ = [("header", Header), ("allocator", ctypes.c_void_p),
                ("from_object", ctypes.c_void_p), ("to_object", MANAGED_TO_OBJECT),
                ("dltensor_from_object", ctypes.c_void_p), ("current_stream", ctypes.c_void_p)]


def _capsule(table: Any, name: bytes = b"dlpack_exchange_api") -> Any:
    """A capsule pointing into `table` (which the caller keeps alive)."""
    new = ctypes.pythonapi.PyCapsule_New
    new.restype, new.argtypes = ctypes.py_object, [ctypes.c_void_p, ctypes.c_char_p,
                                                   ctypes.c_void_p]
    return new(ctypes.addressof(table), name, None)


def _delete(managed: int) -> None:
    """Call a DLManagedTensorVersioned's deleter (at offset 16: after version and manager_ctx)."""
    DELETER(ctypes.c_void_p.from_address(managed + 16).value)(managed)


def _table(to_object: Any, major: int = 1, minor: int = 3, prev: Any = None) -> Any:
    table = Table()
    table.header.major, table.header.minor = major, minor
    if prev is not None:
        table.header.prev_api = ctypes.pointer(prev.header)
    table.to_object = MANAGED_TO_OBJECT(to_object)
    return table


def test_a_consumer_that_fails_before_owning_leaves_the_tensor_to_us(span: Any) -> None:
    calls = []

    def refuse(managed: int, out: Any) -> int:
        calls.append(managed)
        return -1  # without deleting it, and without a Python error

    table = _table(refuse)
    view = BufferView(span, "uint8", (8,), 0)
    with pytest.raises(RuntimeError, match="failed without an error"):
        view._exported().to(_capsule(table))
    assert len(calls) == 1


def test_a_consumer_that_fails_after_owning_deletes_once(span: Any) -> None:
    def delete_then_fail(managed: int, out: Any) -> int:
        _delete(managed)
        return -1

    table = _table(delete_then_fail)
    view = BufferView(span, "uint8", (8,), 0)
    for _ in range(3):  # a second delete would be a double free
        with pytest.raises(RuntimeError):
            view._exported().to(_capsule(table))


def test_a_consumer_that_succeeds_owns_the_tensor(span: Any) -> None:
    owned: list[int] = []
    made = object()

    def accept(managed: int, out: Any) -> int:
        owned.append(managed)
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(made))
        out[0] = id(made)
        return 0

    table = _table(accept)
    view = BufferView(span, "float32", (2,), 0)
    references = sys.getrefcount(made)
    assert view._exported().to(_capsule(table)) is made
    assert sys.getrefcount(made) == references
    assert len(owned) == 1
    alive = _core._host_spans_alive()
    span.close()
    del view
    gc.collect()
    assert _core._host_spans_alive() == alive  # the managed tensor we own still holds it
    _delete(owned[0])
    assert _core._host_spans_alive() == alive - 1


def test_a_newer_major_version_walks_to_version_1() -> None:
    def never(managed: int, out: Any) -> int:
        raise AssertionError("not called")

    old = _table(never, 1, 2)
    new = _table(never, 2, 0, prev=old)
    assert _core.dlpack_exchange_api_version(_capsule(new)) == (1, 2)
    alone = _table(never, 2, 0)  # kept alive: the capsule points into it
    with pytest.raises(TypeError, match=r"version 2\.0.*no major version 1"):
        _core.dlpack_exchange_api_version(_capsule(alone))


def test_a_table_without_the_import_function_is_refused() -> None:
    table = Table()
    table.header.major, table.header.minor = 1, 3
    with pytest.raises(TypeError, match="imports tensors"):
        _core.dlpack_exchange_api_version(_capsule(table))


def test_a_capsule_of_another_name_is_refused() -> None:
    table = _table(lambda managed, out: -1)
    with pytest.raises(ValueError):
        _core.dlpack_exchange_api_version(_capsule(table, b"something_else"))
    with pytest.raises((TypeError, ValueError)):
        _core.dlpack_exchange_api_version(42)


def test_an_unusable_table_falls_back_to_from_dlpack(span: Any) -> None:
    table = _table(lambda managed, out: -1, 2, 0)

    class Fake(np.ndarray):
        __module__ = "numpy"  # numpy.from_dlpack is the way in
        __dlpack_c_exchange_api__ = _capsule(table)

    view = BufferView(span, "uint8", (4,), 0)
    array = view.to(Fake)
    assert isinstance(array, np.ndarray) and array.ctypes.data == view.ptr
    assert "unusable" in _handoff.route(Fake).reason


def test_from_dlpack_is_found_in_the_library_or_its_dlpack_module(
        span: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # JAX keeps it in jax.dlpack: a package laid out the same way, made here.
    package = tmp_path / "layeredlib"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "dlpack.py").write_text("def from_dlpack(source):\n    return ('made', source)\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    class Array:
        __module__ = "layeredlib.core"

    view = BufferView(span, "uint8", (4,), 0)
    assert view.to(Array) == ("made", view)
    flat = tmp_path / "flatlib.py"
    flat.write_text("def from_dlpack(source):\n    return ('flat', source)\n")

    class Other:
        __module__ = "flatlib"

    assert view.to(Other) == ("flat", view)
    del view
