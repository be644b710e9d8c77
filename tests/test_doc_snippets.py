# SPDX-License-Identifier: Apache-2.0
"""Every ```python block of README.md and docs/**/*.md runs.

A block runs on its own, in a fresh process, unless an HTML comment right before it (invisible on
the rendered page) says otherwise. Its first line is ``snippet:`` and words; the lines after it,
if any, are setup code run before the block (what the reader brings: a handle, a socket):

    <!-- snippet: gpu torch continues
    fd = make_fd()
    -->

``gpu``: needs a CUDA GPU (runs under the ``gpu`` marker); ``windows``: needs Windows (and a
GPU); ``continues``: runs after the page's previous block, in the same process (a page that
builds one program step by step); ``torch``, ``cupy``: skipped where that package is missing;
``sketch``: a loop shown in part (it names the reader's renderer), compiled and checked for
undefined names with its setup but not run.
Blocks with no comment need neither a GPU nor Windows and run in CI.

Everywhere, every block (the GPU and Windows ones too) is compiled with its setup and the blocks
it continues, and may use no name that none of them defines: a snippet that cannot run is found
on the CPU machine. docs/frame-loop.md is taken as ``gpu`` throughout.
"""

from __future__ import annotations

import builtins
import re
import subprocess
import symtable
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLAGS = {"gpu", "windows", "continues", "torch", "cupy", "sketch"}
PACKAGES = ("torch", "cupy")
ALL_GPU = {"docs/frame-loop.md"}  # every block there needs a GPU, marked or not
TIMEOUT = 300  # seconds per snippet (first CUDA and Vulkan initialisation included)

_BLOCK = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.S | re.M)


def _comment(before: str) -> str | None:
    """The body of the ``<!-- snippet: ... -->`` comment right before a block, if any."""
    before = before.rstrip()
    if not before.endswith("-->"):
        return None
    body = before[before.rfind("<!--") + 4:-3].strip()
    return body[len("snippet:"):] if body.startswith("snippet:") else None


@dataclass(frozen=True)
class Snippet:
    page: str
    line: int
    code: str
    flags: frozenset[str]
    setup: str
    previous: Snippet | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"

    def program(self) -> str:
        """The setup and code of the blocks this one continues, then its own."""
        parts = [] if self.previous is None or "continues" not in self.flags \
            else [self.previous.program()]
        parts += [self.setup, self.code]
        return "\n".join(part for part in parts if part.strip())

    def needs(self) -> set[str]:
        flags = set(self.flags)
        if self.previous is not None and "continues" in self.flags:
            flags |= self.previous.needs()
        if self.page in ALL_GPU:
            flags.add("gpu")
        return flags - {"continues"}


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def snippets() -> list[Snippet]:
    found: list[Snippet] = []
    for path in _pages():
        text = path.read_text(encoding="utf-8")
        page = path.relative_to(ROOT).as_posix()
        previous = None
        for match in _BLOCK.finditer(text):
            comment = _comment(text[:match.start()])
            words, setup = "", ""
            if comment is not None:
                words, _, setup = comment.partition("\n")
            snippet = Snippet(page, text.count("\n", 0, match.start()) + 1, match.group(1),
                              frozenset(words.split()), setup.strip("\n"), previous)
            found.append(snippet)
            previous = snippet
    return found


if not (ROOT / "README.md").is_file():  # tests run from a copy, against an installed wheel
    pytest.skip("the documentation is not beside the tests", allow_module_level=True)
SNIPPETS = snippets()


def _undefined_names(source: str) -> set[str]:
    """Names the program reads but never binds (at module level or in a function's scope)."""
    top = symtable.symtable(source, "<snippet>", "exec")
    bound = {symbol.get_name() for symbol in top.get_symbols()
             if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()}
    known = bound | set(dir(builtins)) | {"__name__", "__file__"}
    missing: set[str] = set()

    def visit(table: symtable.SymbolTable) -> None:
        for symbol in table.get_symbols():
            name = symbol.get_name()
            reads_global = table is top or symbol.is_global() or (
                symbol.is_free() is False and symbol.is_referenced() and not symbol.is_local())
            if symbol.is_referenced() and reads_global and name not in known:
                missing.add(name)
        for child in table.get_children():
            visit(child)

    visit(top)
    return missing


def _check(snippet: Snippet) -> None:
    program = snippet.program()
    compile(program, snippet.id, "exec")
    missing = _undefined_names(program)
    assert not missing, f"{snippet.id} uses names it never defines: {sorted(missing)}"


def _static_param(snippet: Snippet) -> object:
    return pytest.param(snippet, id=snippet.id)


def _run_param(snippet: Snippet) -> object:
    needs = snippet.needs()
    marks = [getattr(pytest.mark, flag) for flag in ("gpu", "windows") if flag in needs]
    if "windows" in needs and "gpu" not in needs:
        marks.append(pytest.mark.gpu)
    return pytest.param(snippet, id=snippet.id, marks=marks)


def test_snippets_were_found() -> None:
    pages = {snippet.page for snippet in SNIPPETS}
    assert {"README.md", "docs/guide.md", "docs/frame-loop.md"} <= pages
    assert len(SNIPPETS) >= 24


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_snippet_flags_are_known(snippet: Snippet) -> None:
    assert snippet.flags <= FLAGS, f"{snippet.id}: unknown words {sorted(snippet.flags - FLAGS)}"
    if "continues" in snippet.flags:
        assert snippet.previous is not None, f"{snippet.id} continues nothing"


@pytest.mark.parametrize("snippet", [_static_param(s) for s in SNIPPETS])
def test_snippet_compiles_and_defines_what_it_uses(snippet: Snippet) -> None:
    _check(snippet)


@pytest.mark.parametrize("snippet",
                         [_run_param(s) for s in SNIPPETS if "sketch" not in s.flags])
def test_snippet_runs(snippet: Snippet) -> None:
    for package in PACKAGES:
        if package in snippet.needs():
            pytest.importorskip(package)
    result = subprocess.run([sys.executable, "-c", snippet.program()], capture_output=True,
                            text=True, timeout=TIMEOUT, cwd=ROOT, check=False)
    assert result.returncode == 0, (
        f"{snippet.id} failed:\n{snippet.program()}\n--- stdout\n{result.stdout}\n"
        f"--- stderr\n{result.stderr}")


def test_the_undefined_name_check_can_fail() -> None:
    assert _undefined_names("for image in frames:\n    print(image)\n") == {"frames"}
    assert _undefined_names("import os\ndef f():\n    return os.sep + g\n") == {"g"}
    assert not _undefined_names("x = 1\ndef f(y):\n    return x + y\n")
