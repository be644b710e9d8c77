# SPDX-License-Identifier: Apache-2.0
"""Every public name of the package has a docstring (the API reference is generated from them).

Walks ``__all__`` of the public modules and, for each class, the public methods, properties and
nested classes its own classes in ``cuda_interop`` define. Data (constants, enum members) is left
out: their documentation lives in the source, beside the assignment.
"""

from __future__ import annotations

import importlib
import inspect
import re
import typing
from collections.abc import Iterator
from typing import Any

import pytest

MODULES = ("cuda_interop", "cuda_interop.vulkan", "cuda_interop.d3d12", "cuda_interop.ipc",
           "cuda_interop.opengl")

# Members pybind11 gives every enumeration.
ENUM_INTERNALS = frozenset({"name", "value"})

# A pybind11 signature line ("name(self: T, x: int) -> None") or the header of its overloads.
_SIGNATURE = re.compile(r"^\s*(\d+\.\s*)?[A-Za-z_][\w.]*\(.*\)(\s*->\s*.+)?\s*$")


def _text(doc: str | None) -> str:
    """A docstring without the signature lines pybind11 puts before it."""
    lines = [line for line in (doc or "").splitlines()
             if not _SIGNATURE.match(line) and line.strip() != "Overloaded function."]
    return "\n".join(lines).strip()


def _documented(obj: Any, inherited: Any = None) -> bool:
    doc = obj.__doc__ if not isinstance(obj, (staticmethod, classmethod)) else obj.__func__.__doc__
    if not _text(doc):
        return False
    # A class that defines no docstring of its own shows that of a builtin base (object, tuple...).
    return inherited is None or doc != inherited


def _is_pybind_enum(cls: type) -> bool:
    return "__members__" in vars(cls) or hasattr(cls, "__entries")


def _members(cls: type) -> Iterator[tuple[str, Any]]:
    """The public methods, properties and classes that `cls` and its bases in the package define."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("cuda_interop"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if type(value) is cls or (name in ENUM_INTERNALS and _is_pybind_enum(cls)):
                continue  # enum members and pybind11 enum internals
            if isinstance(value, (property, staticmethod, classmethod, type)) or callable(value) \
                    or type(value).__name__ in {"cached_property", "pybind11_static_property"}:
                yield name, value


def _public() -> Iterator[tuple[str, Any, Any]]:
    """(qualified name, object, what a missing docstring would show instead) of each public name."""
    done: set[int] = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if id(obj) in done or typing.get_origin(obj) is not None \
                    or not (inspect.isclass(obj) or callable(obj)):
                continue  # constants and type aliases are documented beside their assignment
            done.add(id(obj))
            qualified = f"{module_name}.{name}"
            if not inspect.isclass(obj):
                yield qualified, obj, None
                continue
            builtin_bases = [base for base in obj.__mro__[1:]
                             if not base.__module__.startswith("cuda_interop")]
            yield qualified, obj, builtin_bases[0].__doc__ if builtin_bases else None
            for member, value in _members(obj):
                yield f"{qualified}.{member}", value, None


def undocumented() -> list[str]:
    """Qualified names of the public names without a docstring."""
    return [name for name, obj, inherited in _public() if not _documented(obj, inherited)]


def test_every_public_name_has_a_docstring() -> None:
    missing = undocumented()
    assert not missing, "public names without a docstring:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("doc", ["", None, "f(self: X) -> int", "f(self: X) -> int\n"])
def test_signature_alone_is_no_docstring(doc: str | None) -> None:
    assert _text(doc) == ""


# -- How the API reference renders them (mkdocs.yml, scripts/build-docs) -----------------------
ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module_name", [
    "cuda_interop", "cuda_interop.d3d12", "cuda_interop.ipc", "cuda_interop.build_info",
    pytest.param("cuda_interop.vulkan", marks=pytest.mark.xfail(
        strict=True, reason="vulkan.py's module docstring: move its >>> example under an "
                            "'Examples' heading"))])
def test_module_examples_are_in_an_examples_section(module_name: str) -> None:
    """numpy-style docstrings render ``>>>`` lines as code only in an Examples section;
    elsewhere Markdown reads them as three nested quotes around one line."""
    doc = importlib.import_module(module_name).__doc__ or ""
    lines = doc.splitlines()
    section = None
    for index, line in enumerate(lines):
        if index + 1 < len(lines) and set(lines[index + 1].strip()) == {"-"}:
            section = line.strip()
        if line.lstrip().startswith(">>>"):
            assert section == "Examples", f"{module_name}: {line.strip()!r} outside Examples"


@pytest.mark.skipif(not (ROOT / "mkdocs.yml").is_file(), reason="the docs are not beside the tests")
def test_the_reference_hides_private_names_and_puts_all_first() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'filters: ["!^_"]' in config  # no dunders, no private names
    assert "members_order: [__all__, source]" in config
    import cuda_interop

    assert cuda_interop.__all__[0] == "ExternalMemory"  # the page opens with the main class


if __name__ == "__main__":
    print("\n".join(undocumented()))
