"""Server-drawn SVG charts: the geometry of horizontal bar charts and of labels in boxes.

Templates draw what this computes (`includes/admin_bar_chart.html`, `includes/admin_graph.html`),
so texts are translated and escaped like every other page text. A bar chart is a list of rows;
each row has a label above it and one bar per series, with the value written after the bar and
named in words ("Before: 5"), so nothing is told by colour alone:

    Forms
    ██████████████████████  Before: 5
    ████  After: 1

Sizes are SVG user units (the viewBox scales them); text widths are estimated (a CJK character
is one em wide, other characters about half), as no font is at hand on the server.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

FONT = 15  # px, in user units
LINE = 20  # line height of row labels


@dataclass(frozen=True, slots=True)
class Series:
    """One bar of a row: which series (`before`, `after`, ... a CSS class), its value, its text."""

    name: str
    value: float
    text: str


@dataclass(frozen=True, slots=True)
class Bar:
    series: str
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float
    text_x: float  # where the value's text starts
    text_y: float


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # a stable name of the row (for tests and styling), e.g. "forms"
    label: str
    label_y: float  # baseline of the label's first line
    label_lines: tuple[str, ...]
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    width: float
    height: float
    rows: tuple[Row, ...]


def text_width(text: str, size: float = FONT) -> float:
    """Estimated width of `text` at `size`: wide (CJK) characters 1 em, others 0.55 em."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.55 for ch in text)


def wrap(text: str, width: float, size: float = FONT, max_lines: int = 3) -> tuple[str, ...]:
    """`text` in lines no wider than `width` (by estimate), broken at spaces where there are any,
    else between characters (Chinese); the last line ends with "…" when the text did not fit."""
    words = text.split(" ") if " " in text.strip() else list(text)
    joiner = " " if " " in text.strip() else ""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current}{joiner}{word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return tuple(lines) or ("",)


def bar_chart(
    rows: Sequence[tuple[str, str, Sequence[Series]]],
    width: float = 420,
    bar_height: float = 20,
    shared_scale: bool = True,
) -> BarChart:
    """Rows of (key, label, bars). With `shared_scale` every bar is measured against the largest
    value of the chart; without it, against the largest of its row (for rows in different units,
    such as forms and working days). Room is left after the longest bar for its text."""
    values = [s.value for _, _, bars in rows for s in bars]
    biggest = max(values, default=0.0)
    text_room = max((text_width(s.text) for _, _, bars in rows for s in bars), default=0.0) + 8
    longest = max(width - text_room - 2, 40.0)
    y = 4.0
    laid: list[Row] = []
    for key, label, bars in rows:
        lines = wrap(label, width, max_lines=2)
        label_y = y + FONT
        y += LINE * len(lines) + 4
        scale_top = biggest if shared_scale else max((s.value for s in bars), default=0.0)
        drawn = []
        for series in bars:
            length = longest * series.value / scale_top if scale_top > 0 else 0.0
            drawn.append(
                Bar(
                    series.name,
                    series.value,
                    series.text,
                    1,
                    y,
                    max(length, 0.0),
                    bar_height,
                    1 + max(length, 0.0) + 6,
                    y + bar_height / 2 + FONT * 0.35,
                )
            )
            y += bar_height + 4
        laid.append(Row(key, label, label_y, lines, tuple(drawn)))
        y += 12
    return BarChart(width, y, tuple(laid))
