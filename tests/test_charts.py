"""Charts: the SVG drawing itself, and the value freed by role as a real build shows it.

The drawing is read back as XML (as a screen reader or WeasyPrint reads it), and
the built pages and PDFs as a user would: expectations come from the catalog's
figures, not from numbers written here.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import BASE, build_tree, run

from sopgen.text.barchart import Bar, bar_chart
from sopgen.text.charts import BACKGROUND, NON_TEXT_CONTRAST, WARNING, Scale, contrast, lines, visible
from sopgen.text.linechart import Point, Target, line_chart
from sopgen.text.filters import Money, Withheld
from sopgen.core.loader import load
from sopgen.site.pagecheck import neutralise
from sopgen.text.views import value_freed_chart
from sopgen.core.svgcheck import svg_problem

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = "Cleaner </text><script>alert(1)</script> & \"Sons\" 'Ltd' <b>"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def rects(root: ET.Element) -> list[dict[str, str]]:
    return [dict(r.attrib) for r in root.iter("{http://www.w3.org/2000/svg}rect")]


def axis(root: ET.Element) -> float:
    xs = {float(line.get("x1", "nan")) for line in root.iter("{http://www.w3.org/2000/svg}line")}
    assert len(xs) == 1, xs  # one zero axis, drawn beside every bar
    return xs.pop()


def chart(*bars: Bar, color: str = "#1b5e7a") -> str:
    return str(bar_chart(list(bars), ident="test-chart", title="Value freed a week, by role",
                         summary="What delegating frees", color=color))


# -- the drawing ------------------------------------------------------------------------------

def test_a_chart_is_a_named_described_picture_that_scales() -> None:
    root = parse(chart(Bar("Bookkeeper", "$800–$900", 800, 900), Bar("Webmaster", "$300", 300)))
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert re.fullmatch(r"0 0 640 \d+(\.\d+)?", root.get("viewBox", ""))
    title, desc = root.find("s:title", NS), root.find("s:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Value freed a week, by role"
    # the description states every figure in words
    assert desc.text == "What delegating frees: Bookkeeper: $800–$900; Webmaster: $300."
    # and the figures are written on the picture too, for print
    assert texts(root) == ["Value freed a week, by role", "Bookkeeper", "$800–$900", "Webmaster", "$300"]


def test_a_range_is_a_solid_bar_to_its_low_end_and_a_lighter_one_to_its_high_end() -> None:
    root = parse(chart(Bar("Bookkeeper", "$800–$900", 800, 900), Bar("Webmaster", "$900", 900)))
    zero = axis(root)
    solid, light, exact = rects(root)
    assert float(solid["x"]) == zero and light["fill"] != solid["fill"] and light["stroke"] == solid["fill"]
    scale = (float(exact["width"])) / 900  # the exact bar, 0 → 900
    assert float(solid["width"]) == pytest.approx(800 * scale, abs=0.02)
    assert float(light["x"]) == pytest.approx(zero + 800 * scale, abs=0.02)
    assert float(light["x"]) + float(light["width"]) == pytest.approx(zero + 900 * scale, abs=0.02)
    assert contrast(light["fill"], BACKGROUND) < contrast(solid["fill"], BACKGROUND)  # lighter


def test_a_negative_figure_is_a_warning_bar_left_of_the_zero_axis_labelled_on_its_side() -> None:
    root = parse(chart(Bar("Bookkeeper", "$300", 300), Bar("Consultant", "−$80", -80, note="costs more than it frees")))
    zero = axis(root)
    positive, negative = rects(root)
    assert float(positive["x"]) == zero
    assert negative["fill"] == WARNING
    assert float(negative["x"]) + float(negative["width"]) == pytest.approx(zero)
    assert float(negative["width"]) == pytest.approx(float(positive["width"]) * 80 / 300, abs=0.02)
    label = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text and t.text.startswith("−$80")][0]
    assert label.get("text-anchor") == "end" and float(label.get("x", "0")) < float(negative["x"])
    assert label.get("fill") == WARNING
    assert float(label.get("x", "0")) - len(label.text or "") * 0.65 * 14 >= 0  # room was kept for it
    # the warning is in words too, after the role's name (not only a colour)
    note = root.find(".//s:tspan", NS)
    assert note is not None and note.text == "(costs more than it frees)" and note.get("fill") == WARNING
    assert "Consultant (costs more than it frees)" in texts(root)
    assert "Consultant: −$80 (costs more than it frees)" in (root.find("s:desc", NS).text or "")  # type: ignore[union-attr]


def test_a_range_across_zero_is_lighter_on_both_sides_of_the_axis() -> None:
    root = parse(chart(Bar("Consultant", "−$20–$40", -20, 40)))
    zero = axis(root)
    below, above = rects(root)
    assert float(below["x"]) + float(below["width"]) == pytest.approx(zero) and below["stroke"] == WARNING
    assert float(above["x"]) == pytest.approx(zero) and above["stroke"] != WARNING
    assert float(above["width"]) == pytest.approx(2 * float(below["width"]), abs=0.02)


def test_a_note_goes_on_a_line_of_its_own_when_the_label_leaves_no_room() -> None:
    long = "Junior partner with a long title about what the partner does"
    root = parse(chart(Bar("Clerk", "−$5–$10", -5, 10, note="may cost more than it frees"),
                       Bar(long, "−$5–$10", -5, 10, note="may cost more than it frees")))
    assert texts(root)[1:] == ["Clerk (may cost more than it frees)", "−$5–$10",
                               long, "(may cost more than it frees)", "−$5–$10"]


def test_a_row_without_a_figure_is_words_and_no_bar() -> None:
    root = parse(chart(Bar("Bookkeeper", "$300", 300), Bar("Cleaner", "frees nothing"), Bar("Clerk", "unknown: no rate")))
    assert len(rects(root)) == 1
    assert texts(root)[-4:] == ["Cleaner", "frees nothing", "Clerk", "unknown: no rate"]


@pytest.mark.parametrize("title", [HOSTILE, "A & B <Partners>", "Quote \" and ' apostrophe", "{{ x }} ]]> <!-- c"])
def test_every_text_of_a_chart_is_escaped(title: str, tmp_path: Path) -> None:
    svg = chart(Bar(title, f"{title} $1", 1))
    root = parse(svg)  # well-formed XML: nothing of the title became markup
    assert [e.tag.split("}")[1] for e in root.iter()] == ["svg", "title", "desc", "text", "text", "line", "rect", "text"]
    assert title in texts(root) and f"{title} $1" in texts(root)
    assert title in (root.find("s:desc", NS).text or "")  # type: ignore[union-attr]
    # sopgen's own checks find nothing to take out or refuse
    assert neutralise(svg) == (svg, [])
    (tmp_path / "chart.svg").write_text(svg, encoding="utf-8")
    assert svg_problem(tmp_path / "chart.svg") is None


def test_a_brand_colour_too_light_to_see_is_darkened_and_a_dark_one_kept() -> None:
    assert contrast("#ffec3d", BACKGROUND) < NON_TEXT_CONTRAST  # Material's yellow, on white
    darker = visible("#ffec3d")
    assert contrast(darker, BACKGROUND) >= NON_TEXT_CONTRAST
    assert visible("#1b5e7a") == "#1b5e7a"
    root = parse(chart(Bar("Bookkeeper", "$300", 300), color="#ffec3d"))
    assert rects(root)[0]["fill"] == darker


def test_long_labels_wrap_and_a_scale_maps_linearly() -> None:
    wrapped = lines("word " * 100, 300)
    assert len(wrapped) == 2 and wrapped[-1].endswith("…") and not wrapped[0].endswith("…")
    assert all(len(line) * 0.65 * 14 <= 300 for line in wrapped)
    assert lines("short", 300) == ["short"]
    scale = Scale(-50, 150, 100, 500)
    assert (scale(-50), scale(0), scale(150)) == (100, 200, 500)
    assert Scale(0, 0, 10, 20)(0) == 10


# -- the line of results against a target ------------------------------------------------------

def results(*points: Point, target: Target = Target(90, None, "at least 90%"),
            deadline: "tuple[date, str] | None" = (date(2026, 6, 30), "day 30"), title: str = "Requests handled") -> str:
    return str(line_chart(list(points), ident="test-results", title=title, summary="Results", target=target,
                          deadline=deadline, color="#1b5e7a"))


def _points(root: ET.Element) -> list[tuple[float, float, str]]:
    """Each point as (x, y, kind): a dot ("met") or a cross ("missed"); not the cross of the key."""
    out = [(float(c.get("cx", "")), float(c.get("cy", "")), "met") for c in root.iter(f"{{{NS['s']}}}circle")]
    for path in root.iter(f"{{{NS['s']}}}path"):
        if "sopgen-chart-key" in (path.get("class") or ""):
            continue
        xs = [float(v) for v in re.findall(r"[-\d.]+", path.get("d", ""))]
        out.append(((xs[0] + xs[2]) / 2, (xs[1] + xs[3]) / 2, "missed"))
    return sorted(out)


def test_results_are_points_in_date_order_placed_in_proportion_to_time() -> None:
    # given out of order, one gap twice as long as the other
    svg = results(Point(date(2026, 9, 1), 93, "93%", True), Point(date(2026, 7, 1), 86, "86%", False),
                  Point(date(2026, 10, 2), 97, "97%", True), deadline=None)
    root = parse(svg)
    (x1, y1, k1), (x2, y2, k2), (x3, y3, k3) = _points(root)
    assert (k1, k2, k3) == ("missed", "met", "met")
    # x in proportion to days: 62 days, then 31
    assert (x2 - x1) / (x3 - x2) == pytest.approx(62 / 31, rel=1e-3)
    # y: higher value higher up (smaller y), in proportion to value
    assert y1 > y2 > y3 and (y1 - y2) / (y2 - y3) == pytest.approx(7 / 4, rel=1e-2)
    # the line joins them in date order
    line = root.find("s:polyline", NS)
    assert line is not None
    joined = [tuple(float(v) for v in xy.split(",")) for xy in (line.get("points") or "").split()]
    assert joined == [(x, y) for x, y, _ in _points(root)]
    # every figure is written, the missed one said in words, and every day on the time axis
    shown = texts(root)
    assert "86% (misses the target)" in shown and "93%" in shown and "97%" in shown
    assert ["2026-07-01", "2026-09-01", "2026-10-02"] == [t for t in shown if re.fullmatch(r"\d{4}-\d\d-\d\d", t)]
    missed = next(t for t in root.iter(f"{{{NS['s']}}}text") if t.text == "86% (misses the target)")
    assert missed.get("fill") == WARNING
    desc = root.find("s:desc", NS).text  # type: ignore[union-attr]
    assert desc == ("Results: target at least 90%. Results: 2026-07-01: 86% (misses the target); "
                    "2026-09-01: 93%; 2026-10-02: 97%.")
    assert shown[2] == "misses the target"  # the key says what a cross means
    assert root.get("role") == "img" and root.get("aria-labelledby") == "test-results-title test-results-desc"


def test_results_close_in_time_keep_their_labels_apart_and_the_key_says_what_a_cross_means() -> None:
    weekly = [Point(date(2026, 7, 1) + timedelta(days=7 * i), v, f"{v}%", v >= 90)
              for i, v in enumerate([80, 85, 91, 88, 92, 95, 96, 97])]
    root = parse(results(*weekly, deadline=None))
    assert [k for _, _, k in _points(root)] == ["missed", "missed", "met", "missed", "met", "met", "met", "met"]
    shown = texts(root)
    assert shown[1:3] == ["target: at least 90%", "misses the target"]  # in words, beside a cross
    assert not any("(misses the target)" in t for t in shown)  # too long to fit between its neighbours
    assert [t for t in shown if t.endswith("%") and not t.startswith("target")] == [p.label for p in weekly]
    # no two labels of points overlap, nor two days under the axis (they take two rows)
    labels = [t for t in root.iter(f"{{{NS['s']}}}text") if (t.text or "").endswith("%") and t.get("text-anchor")]
    spans = sorted((float(t.get("x", "")) - len(t.text or "") * 0.65 * 14 / 2,
                    float(t.get("x", "")) + len(t.text or "") * 0.65 * 14 / 2) for t in labels)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    days = [t for t in root.iter(f"{{{NS['s']}}}text") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]
    assert len({t.get("y") for t in days}) == 2
    for y in {t.get("y") for t in days}:
        xs = sorted(float(t.get("x", "")) for t in days if t.get("y") == y)
        assert all(b - a >= 10 * 0.65 * 14 for a, b in zip(xs, xs[1:]))


def _band(root: ET.Element) -> tuple[float, float]:
    [rect] = [r for r in rects(root) if r.get("class") == "sopgen-chart-band" and r.get("stroke") is None]  # not the key
    return float(rect["y"]), float(rect["y"]) + float(rect["height"])


@pytest.mark.parametrize("target, words", [
    (Target(90, None, "at least 90%"), "target: at least 90%"),
    (Target(None, 2, "at most 2 days"), "target: at most 2 days"),
    (Target(90, 95, "90% to 95%"), "target: 90% to 95%"),
])
def test_the_target_is_a_shaded_band_from_min_max_or_both_named_in_words(target: Target, words: str) -> None:
    root = parse(results(Point(date(2026, 7, 1), 1, "1", None), Point(date(2026, 8, 1), 100, "100", None),
                         target=target, deadline=None))
    assert words in texts(root)
    (_, y_low, _), (_, y_high, _) = sorted(_points(root), key=lambda p: -p[1])  # value 1 lowest, 100 highest
    bounds = sorted(float(line.get("y1", "")) for line in root.iter(f"{{{NS['s']}}}line")
                    if line.get("stroke-dasharray") and line.get("y1") == line.get("y2"))
    top, bottom = _band(root)
    scale = Scale(1, 100, y_low, y_high)
    if target.low is not None and target.high is not None:
        assert bounds == pytest.approx(sorted([scale(target.low), scale(target.high)]), abs=0.02)
        assert (top, bottom) == pytest.approx((scale(target.high), scale(target.low)), abs=0.02)
    elif target.low is not None:  # at least: from min up to the top of the plot
        assert bounds == pytest.approx([scale(target.low)], abs=0.02) and bottom == pytest.approx(scale(target.low), abs=0.02)
        assert top < y_high
    else:  # at most: from the bottom of the plot up to max
        assert bounds == pytest.approx([scale(target.high)], abs=0.02) and top == pytest.approx(scale(target.high), abs=0.02)
        assert bottom > y_low


def test_the_deadline_is_a_vertical_line_at_its_date_labelled_with_it() -> None:
    root = parse(results(Point(date(2026, 6, 1), 80, "80%", False), Point(date(2026, 8, 1), 95, "95%", True),
                         deadline=(date(2026, 6, 30), "day 30")))
    (x1, _, _), (x2, _, _) = _points(root)
    vertical = [line for line in root.iter(f"{{{NS['s']}}}line") if line.get("x1") == line.get("x2")]
    assert len(vertical) == 1
    assert float(vertical[0].get("x1", "")) == pytest.approx(x1 + (x2 - x1) * 29 / 61, rel=1e-3)
    assert "by day 30: 2026-06-30" in texts(root)
    assert "by day 30 (2026-06-30)" in (root.find("s:desc", NS).text or "")  # type: ignore[union-attr]


def test_one_result_is_a_single_labelled_point_with_its_target() -> None:
    root = parse(results(Point(date(2026, 7, 31), 99.95, "99.95%", True), target=Target(99.9, None, "at least 99.9%"),
                         deadline=None))
    assert root.find("s:polyline", NS) is None
    [(x, _, kind)] = _points(root)
    assert kind == "met" and x == pytest.approx(640 / 2, abs=1)  # alone, in the middle of its time
    assert {"99.95%", "target: at least 99.9%", "2026-07-31"} <= set(texts(root))
    assert "Result: 2026-07-31: 99.95%." in (root.find("s:desc", NS).text or "")  # type: ignore[union-attr]


@pytest.mark.parametrize("text", [HOSTILE, "A & B <Partners>", "{{ x }} ]]> <!-- c"])
def test_every_text_of_a_line_chart_is_escaped(text: str, tmp_path: Path) -> None:
    svg = results(Point(date(2026, 7, 1), 1, f"1{text}", False), Point(date(2026, 8, 1), 2, "2", True), title=text,
                  target=Target(2, None, f"at least 2{text}"), deadline=(date(2026, 7, 15), text))
    root = parse(svg)
    assert "script" not in {e.tag.split("}")[1] for e in root.iter()}
    shown = texts(root)
    assert text in shown and f"target: at least 2{text}" in shown
    assert f"1{text}" in shown or f"1{text} (misses the target)" in shown  # the figure alone when too long
    assert f"by {text}: 2026-07-15" in shown
    assert neutralise(svg) == (svg, [])
    (tmp_path / "chart.svg").write_text(svg, encoding="utf-8")
    assert svg_problem(tmp_path / "chart.svg") is None


# -- the value freed by role, through a real build -------------------------------------------

def _business(tmp_path: Path, *, publish_money: bool = True, title: str = "Cleaner") -> Path:
    """Four delegated roles: a range, one that costs more than it frees, one that frees nothing,
    one without a rate; the owner's brand colour is a yellow too light to see on white."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    task = "title: {t}\nrole: {r}\npurpose: P.\nfrequency: weekly\nduration: {d}\nsteps: [{{do: x}}]\n"
    return build_tree(project, {
        "sops/organization.yml": (f"name: Chart Test\nowner: owner\ncurrency: USD\ncolor: \"#ffec3d\"\n"
                                  f"publish_money: {str(publish_money).lower()}\n"),
        "sops/roles/consultant.yml": "title: Senior consultant\nsummary: Advises.\nreports_to: owner\nrate: 300\n",
        "sops/roles/cleaner.yml": (f"title: '{title.replace(chr(39), chr(39) * 2)}'\nsummary: Cleans.\n"
                                   "reports_to: owner\nrate: 15\nfrees_owner: false\n"),
        "sops/roles/clerk.yml": "title: Clerk\nsummary: Files.\nreports_to: owner\n",
        "sops/tasks/advise.yml": task.format(t="Advise a client", r="consultant", d="2h"),
        "sops/tasks/clean.yml": task.format(t="Clean the office", r="cleaner", d="1h"),
        "sops/tasks/file.yml": task.format(t="File the post", r="clerk", d="1h"),
    })


def _chart_in(html: str) -> str:
    found = re.findall(r'<svg[^>]*class="sopgen-chart".*?</svg>', html, re.DOTALL)
    assert len(found) == 1, f"{len(found)} charts"
    return found[0]


def test_the_delegation_page_draws_one_row_per_role_from_the_catalogs_figures(tmp_path: Path) -> None:
    project = _business(tmp_path)
    result = run(project, "build", "--no-pdf", "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    assert "removed from the page" not in result.output
    html = (project / "site/delegation/index.html").read_text(encoding="utf-8")
    svg = _chart_in(html)

    catalog = load(project)
    money = Money("USD")
    roles = {r.id: r for r in catalog.roles.values()}
    # the page carries the SVG exactly as drawn: Markdown and the HTML check left it whole
    assert svg == str(value_freed_chart(catalog, money, "#ffec3d"))
    root = parse(svg)
    shown = texts(root)
    delegated = [r for r in catalog.ordered_roles if not r.is_owner]
    assert shown[0] == "Value freed a week, by role"
    assert len(shown[1::2]) == len(delegated)  # a row for every role but the owner, in order
    assert all(line.startswith(role.title) for line, role in zip(shown[1::2], delegated))
    bookkeeper, consultant = roles["bookkeeper"].value_freed, roles["consultant"].value_freed
    assert not bookkeeper.exact and consultant.high < 0  # the cases this test is about
    labels = dict(zip(shown[1::2], shown[2::2]))
    assert labels == {
        "Bookkeeper": money(bookkeeper),
        "Senior consultant (costs more than it frees)": money(consultant),
        "Cleaner": "frees nothing: the owner would not do this work",
        "Clerk": "unknown: no rate",
    }
    assert re.fullmatch(r"\$[\d,]+–\$[\d,]+", labels["Bookkeeper"])  # "$870–$978", as the table says it
    # bars for the two with figures: the range in two parts, the loss in the warning colour
    fills = [r.get("fill") for r in rects(root)]
    assert len(fills) == 3 and fills[2] == WARNING and contrast(fills[0] or "", BACKGROUND) >= NON_TEXT_CONTRAST
    desc = root.find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert "Senior consultant: " + money(consultant) + " (costs more than it frees)" in desc
    assert all(f"{title}: {label}" in desc for title, label in labels.items() if "(" not in title)


def test_a_hostile_role_title_is_text_in_the_chart_of_a_built_page(tmp_path: Path) -> None:
    project = _business(tmp_path, title=HOSTILE)
    result = run(project, "build", "--no-pdf", "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    html = (project / "site/delegation/index.html").read_text(encoding="utf-8")
    root = parse(_chart_in(html))
    assert HOSTILE in texts(root)
    assert "<script>alert(1)" not in html


def test_no_chart_on_the_site_without_money_but_the_owners_report_has_it(tmp_path: Path) -> None:
    from pypdf import PdfReader

    project = _business(tmp_path, publish_money=False)
    result = run(project, "build", "--pdf", "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    site = project / "site"
    assert not (site / "delegation").exists()
    for file in (p for p in site.rglob("*") if p.is_file()):
        if file.suffix == ".pdf":
            text = " ".join(page.extract_text() or "" for page in PdfReader(file).pages)
        else:
            text = file.read_bytes().decode("utf-8", errors="replace")
        assert "sopgen-chart\"" not in text and "Value freed a week" not in text, file
    # a template that asks anyway draws nothing: bar lengths would tell the amounts
    assert value_freed_chart(load(project), Withheld("USD"), "#1b5e7a") == ""

    result = run(project, "report", "-o", str(tmp_path / "private/owner.pdf"))
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(tmp_path / "private/owner.pdf").pages)
    catalog = load(project)
    money = Money("USD")
    assert "Value freed a week, by role" in text
    for role in catalog.ordered_roles:
        if role.is_owner:
            continue
        assert role.title in text
    assert money(catalog.roles["bookkeeper"].value_freed) in text
    assert "Senior consultant (costs more than it frees)" in text
    assert money(catalog.roles["consultant"].value_freed) in text
    assert "frees nothing: the owner would not do this work" in text and "unknown: no rate" in text


def test_the_business_handbook_has_the_chart_when_money_is_published(tmp_path: Path) -> None:
    from pypdf import PdfReader

    project = _business(tmp_path)
    result = run(project, "build", "--pdf", "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() or "" for page in PdfReader(project / "site/pdf/handbook.pdf").pages)
    bookkeeper = load(project).roles["bookkeeper"].value_freed
    assert "Value freed a week, by role" in text and Money("USD")(bookkeeper) in text


def test_no_chart_when_no_figure_is_known(tmp_path: Path) -> None:
    project = _business(tmp_path)
    build_tree(project, {"sops/roles/owner.yml": "title: Owner\nsummary: Runs the business.\n"})
    assert value_freed_chart(load(project), Money("USD"), "#1b5e7a") == ""
