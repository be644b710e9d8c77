# SPDX-License-Identifier: Apache-2.0
"""``dir()`` of each public module lists what the module offers, not what it imported."""

from __future__ import annotations

import importlib

import pytest

MODULES = ("cuda_interop", "cuda_interop.vulkan", "cuda_interop.ipc", "cuda_interop.d3d12",
           "cuda_interop.build_info")
IMPORTED_FOR_OWN_USE = {"Any", "Iterable", "dataclasses", "TYPE_CHECKING", "Union", "NamedTuple",
                        "annotations", "integer", "flag", "seconds", "instance", "Owner"}


@pytest.mark.parametrize("name", MODULES)
def test_dir_is_all_plus_dunders_and_public_submodules(name: str) -> None:
    module = importlib.import_module(name)
    listed = dir(module)
    assert listed == sorted(listed)
    assert set(module.__all__) <= set(listed)
    for entry in listed:
        if entry in module.__all__ or (entry.startswith("__") and entry.endswith("__")):
            continue
        value = getattr(module, entry)
        assert type(value).__name__ == "module" and value.__name__ == f"{name}.{entry}", entry
    assert not IMPORTED_FOR_OWN_USE & set(listed), IMPORTED_FOR_OWN_USE & set(listed)
    assert not [entry for entry in listed if entry.startswith("_") and not entry.endswith("__")]


def test_the_package_lists_its_imported_submodules() -> None:
    import cuda_interop
    from cuda_interop import ipc  # noqa: F401  (imported so that it is listed)

    assert "ipc" in dir(cuda_interop)
    assert "__version__" in dir(cuda_interop)
    assert "_core" not in dir(cuda_interop)


def test_every_name_in_all_exists() -> None:
    for name in MODULES:
        module = importlib.import_module(name)
        for entry in module.__all__:
            assert hasattr(module, entry), f"{name}.{entry}"
