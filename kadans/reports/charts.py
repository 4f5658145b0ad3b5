"""Server-rendered SVG charts: the geometry is computed here, the template only draws it. Every chart
stands next to a table with the same numbers, so nothing is only readable as a picture."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal

from kadans.reports.tables import COUNT

PALETTE = ["#3b82f6", "#16a34a", "#f59e0b", "#dc2626", "#8b5cf6", "#0ea5e9", "#64748b", "#ec4899"]
WIDTH = 480


@dataclasses.dataclass(frozen=True)
class HBar:
    label: str
    value: int | Decimal
    y: int
    width: float
    value_x: float


def hbar_chart(items: list[tuple[str, int | Decimal]], *, title: str, kind: str = COUNT, color: str = PALETTE[0]):
    """Horizontal bars, one per item (a representative, a type), longest for the largest value."""
    row, gap, label_width, value_width = 20, 6, 150, 80
    room = WIDTH - label_width - value_width
    top = max((v for _, v in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        width = max(float(value) / float(top) * room, 1 if value else 0)
        bars.append(HBar(label, value, i * (row + gap), width, label_width + width + 4))
    return {
        "title": title, "kind": kind, "color": color, "bars": bars, "width": WIDTH, "row": row,
        "label_x": label_width - 6, "bar_x": label_width, "height": max(len(items) * (row + gap), row),
    }


@dataclasses.dataclass(frozen=True)
class Series:
    name: str
    values: list[int | Decimal]
    color: str = ""


@dataclasses.dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


def column_chart(categories: list[str], series: list[Series], *, title: str, kind: str = COUNT):
    """Columns over time (months, weeks), each stacked by series (action types, done and open)."""
    height, top_pad, bottom, left = 200, 12, 22, 48
    plot_width, plot_height = WIDTH - left - 8, height - top_pad - bottom
    n = max(len(categories), 1)
    step = plot_width / n
    bar = max(step * 0.7, 1)
    colours = [s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    legend = [{"name": s.name, "color": c} for s, c in zip(series, colours, strict=True)]
    totals = [sum((s.values[i] for s in series), 0) for i in range(len(categories))]
    top = _nice_ceiling(max(totals, default=0))
    segments, labels = [], []
    # show at most 12 category labels so that they never overlap
    every = math.ceil(n / 12)
    for i, category in enumerate(categories):
        x = left + i * step + (step - bar) / 2
        y = top_pad + plot_height
        for s, colour in zip(series, colours, strict=True):
            value = s.values[i]
            if not value:
                continue
            h = float(value) / top * plot_height
            y -= h
            segments.append(Segment(x, y, bar, h, colour, f"{category} · {s.name}: {value}"))
        if i % every == 0:
            labels.append({"x": x + bar / 2, "text": category})
    return {
        "title": title, "kind": kind, "width": WIDTH, "height": height, "left": left,
        "baseline": top_pad + plot_height, "top_y": top_pad, "top": top, "segments": segments,
        "labels": labels, "label_y": height - 6,
        "legend": legend if len(series) > 1 else [],
    }


def _nice_ceiling(value) -> int:
    """The axis maximum: 1, 2 or 5 times a power of ten, at least the largest value."""
    value = float(value)
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * power:
            return int(factor * power) if factor * power >= 1 else 1
    return int(10 * power)
