# SPDX-License-Identifier: Apache-2.0
"""What the installed distribution carries: the Apache-2.0 LICENSE (PEP 639), the trove
classifiers of every supported Python, the project URLs. Run against the installed wheel
(``scripts/wheel-check`` runs the suite against the wheel it built), so it checks the wheel."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def metadata() -> importlib.metadata.PackageMetadata:
    return importlib.metadata.metadata("cuda-interop")


def test_the_wheel_carries_the_license_file(metadata: importlib.metadata.PackageMetadata) -> None:
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    files = importlib.metadata.files("cuda-interop") or []
    license_files = [f for f in files if f.name == "LICENSE" and "dist-info" in str(f)]
    assert license_files, "no LICENSE in the installed distribution"
    text = license_files[0].read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text  # the full text, not a notice


def test_the_repository_license_is_the_one_shipped() -> None:
    source = ROOT / "LICENSE"
    if not source.exists():
        pytest.skip("tests run outside the source tree")
    files = importlib.metadata.files("cuda-interop") or []
    shipped = next(f for f in files if f.name == "LICENSE" and "dist-info" in str(f))
    assert shipped.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_classifiers_name_every_supported_python_and_a_status(
        metadata: importlib.metadata.PackageMetadata) -> None:
    classifiers = metadata.get_all("Classifier") or []
    for minor in range(9, 15):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    assert metadata["Requires-Python"] == ">=3.9"
    assert sys.version_info >= (3, 9)


def test_project_urls_and_extras(metadata: importlib.metadata.PackageMetadata) -> None:
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Source", "Issues", "Changelog"} <= set(urls)
    requires = metadata.get_all("Requires-Dist") or []
    # CuPy for CUDA 12 runs on every driver since CUDA 12.0, as this package does.
    assert any(r.startswith("cupy-cuda12x") and 'extra == "cupy"' in r for r in requires)
    assert not any(r.startswith("cupy-cuda13x") for r in requires)
    assert any(r.startswith("build") and 'extra == "dev"' in r for r in requires)
