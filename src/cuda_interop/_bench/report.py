# SPDX-License-Identifier: Apache-2.0
"""Results as Markdown, ready to paste into docs/performance.md."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

NOT_MEASURED = "n/a"


@dataclass
class Section:
    """One benchmark's result: a title, what it measures, a table, and notes (skips, caveats)."""

    title: str
    method: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: bool = False

    def add_row(self, *cells: str) -> None:
        if self.headers and len(cells) != len(self.headers):
            raise ValueError(f"row has {len(cells)} cells, the table {len(self.headers)} columns")
        self.rows.append(list(cells))

    def as_dict(self) -> dict[str, object]:
        """The section as plain data, for ``--json``."""
        return {"title": self.title, "method": self.method, "headers": self.headers,
                "rows": self.rows, "notes": self.notes, "failed": self.failed}

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", self.method, ""]
        if self.rows:
            lines += [markdown_table(self.headers, self.rows), ""]
        lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines).rstrip() + "\n"


def _is_number(cell: str) -> bool:
    text = cell.replace(",", "").rstrip("x").strip()
    if text == NOT_MEASURED:
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table: numeric columns right-aligned, text columns left-aligned."""
    columns = list(zip(headers, *rows))
    widths = [max(3, *(len(str(cell)) for cell in column)) for column in columns]
    numeric = [bool(rows) and all(_is_number(str(cell)) for cell in column[1:])
               for column in columns]

    def line(cells: Sequence[str]) -> str:
        padded = [str(cell).rjust(w) if right else str(cell).ljust(w)
                  for cell, w, right in zip(cells, widths, numeric)]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w - 1) + ":" if right else "-" * w for w, right in zip(widths, numeric)]
    return "\n".join([line(headers), "| " + " | ".join(rule) + " |", *(line(r) for r in rows)])


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("no measurements")
    return float(statistics.median(values))


def number(value: float | None, digits: int = 1) -> str:
    """A table cell: `value` with `digits` decimals, or n/a."""
    return NOT_MEASURED if value is None else f"{value:,.{digits}f}"


def ratio(numerator: float | None, denominator: float | None) -> str:
    """numerator ÷ denominator with three decimals, or n/a when either is missing or zero."""
    if numerator is None or denominator is None or denominator == 0:
        return NOT_MEASURED
    return f"{numerator / denominator:.3f}"
