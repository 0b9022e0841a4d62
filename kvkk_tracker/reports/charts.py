"""Small server-side SVG charts: a bar chart and a line chart, accessible and printable.

Each chart is an <svg role="img"> with a <title> and a <desc> that screen readers announce; the
page puts a data table beside it, so nothing depends on JavaScript or on seeing the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: no data for that label (a gap in a line)
    text: str = ""  # what the value reads as (tooltip), e.g. "87 %"


def _nice_max(value: float) -> float:
    """Round the axis maximum up to 1, 2 or 5 times a power of ten."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _frame(chart_id: str, title: str, desc: str, body: list[str], y_max: float,
           y_suffix: str) -> Markup:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [f'<svg class="chart" id="{escape(chart_id)}" role="img" '
             f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>']
    for i in range(5):  # four gridlines and the baseline
        value = y_max * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" '
                     f'y2="{_fmt(y)}" stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text class="axis" x="{LEFT - 4}" y="{_fmt(y + 4)}" text-anchor="end" '
                     f'font-size="11">{escape(_fmt(value))}{escape(y_suffix)}</text>')
    parts.extend(body)
    parts.append("</svg>")
    # Every piece of text above went through escape(); the rest is our own markup.
    return Markup("".join(parts))  # noqa: S704


def _x_labels(points: list[Point], slot: float) -> list[str]:
    every = max(1, -(-len(points) // 12))  # at most ~12 labels under the axis
    return [f'<text class="axis" x="{_fmt(LEFT + slot * (i + 0.5))}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" font-size="11">{escape(p.label)}</text>'
            for i, p in enumerate(points) if i % every == 0]


def bar_chart(chart_id: str, title: str, desc: str, points: list[Point],
              y_suffix: str = "") -> Markup:
    """Return a vertical bar chart of counts: four whole-number steps up the axis."""
    y_max = 4 * _nice_max(max((p.value or 0 for p in points), default=0) / 4)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(points))
    body = []
    for i, point in enumerate(points):
        height = plot_h * (point.value or 0) / y_max
        x, y = LEFT + slot * i + slot * 0.15, TOP + plot_h - height
        body.append(f'<rect class="bar" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(slot * 0.7)}" '
                    f'height="{_fmt(height)}" fill="#1f5f8b"><title>{escape(point.label)}: '
                    f'{escape(point.text or _fmt(point.value or 0))}</title></rect>')
    return _frame(chart_id, title, desc, body + _x_labels(points, slot), y_max, y_suffix)


def line_chart(chart_id: str, title: str, desc: str, points: list[Point], y_max: float = 100,
               y_suffix: str = "") -> Markup:
    """Return a line chart; a point without a value breaks the line and gets no marker."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(points))
    body, run = [], []
    for i, point in enumerate(points + [Point("", None)]):
        if point.value is None:
            if len(run) > 1:
                body.append(f'<polyline class="line" fill="none" stroke="#1f5f8b" '
                            f'stroke-width="2" points="{" ".join(run)}"/>')
            run = []
            continue
        x = LEFT + slot * (i + 0.5)
        y = TOP + plot_h - plot_h * min(point.value, y_max) / y_max
        run.append(f"{_fmt(x)},{_fmt(y)}")
        body.append(f'<circle class="marker" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.5" '
                    f'fill="#1f5f8b"><title>{escape(point.label)}: '
                    f'{escape(point.text or _fmt(point.value))}</title></circle>')
    return _frame(chart_id, title, desc, body + _x_labels(points, slot), y_max, y_suffix)
