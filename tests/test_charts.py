"""Charts: the SVG drawing itself, and the value freed by role as a real build shows it.

The drawing is read back as XML (as a screen reader or WeasyPrint reads it), and
the built pages and PDFs as a user would: expectations come from the catalog's
figures, not from numbers written here.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import BASE, build_tree, run

from sopgen.charts import (BACKGROUND, NON_TEXT_CONTRAST, WARNING, Bar, Scale, bar_chart, contrast, lines,
                           visible)
from sopgen.filters import Money, Withheld
from sopgen.loader import load
from sopgen.pagecheck import neutralise
from sopgen.render import value_freed_chart
from sopgen.svgcheck import svg_problem

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
