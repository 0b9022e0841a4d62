"""The hand-written SVG charts: accessible names, escaped text, bars and broken lines."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kvkk_tracker.reports.charts import Point, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, not untrusted input


def test_a_bar_chart_is_an_image_with_a_title_a_description_and_one_bar_per_point():
    points = [Point("01.2025", 3), Point("02.2025", 0), Point("03.2025", 7)]
    svg = parse(bar_chart("c1", "Başvurular", "Aylara göre", points))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-t c1-d"
    assert svg.find(f"{SVG}title").text == "Başvurular"
    assert svg.find(f"{SVG}desc").text == "Aylara göre"
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 3
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    # 7 rounds up to an axis of 8 in four whole steps: 0 2 4 6 8.
    assert [t.text for t in svg.findall(f"{SVG}text")][:5] == ["0", "2", "4", "6", "8"]


def test_text_in_a_chart_is_escaped():
    markup = str(bar_chart("c2", "<script>x</script>", 'a "quoted" & desc',
                           [Point("<b>", 1)]))
    assert "<script>" not in markup and "<b>" not in markup
    parse(markup)  # still well-formed


def test_a_line_breaks_where_a_month_has_no_value():
    points = [Point("a", 50), Point("b", 100), Point("c", None), Point("d", 0),
              Point("e", 25)]
    svg = parse(line_chart("c3", "Rate", "desc", points, y_suffix="%"))
    lines = svg.findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    assert len(svg.findall(f"{SVG}circle")) == 4
    assert re.search(r">100%<", str(line_chart("c4", "t", "d", points, y_suffix="%")))
