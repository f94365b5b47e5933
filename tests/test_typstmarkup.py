"""Markdown fields as Typst markup (sopgen/print/markup.py), typeset by Typst and read back.

Every case is compiled by the typst package, in one document per batch (a case
per page), and checked twice: the text a reader gets out of the PDF (pypdf),
and the content Typst built (``typst.query`` of a ``metadata`` holding the
evaluated markup) for what the text alone cannot say: that a list is a list, a
heading is not outlined, a hostile string stayed text.
"""

from __future__ import annotations

import base64
import io
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional
from xml.etree.ElementTree import Element, SubElement

import pypdf
import pytest
import typst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopgen.core.escape import typst_markup, typst_string
from sopgen.print.markup import MAX_NESTING, Converter

# what the templates pass in the eval scope, reduced to text a test can read
PREAMBLE = """\
#set page(width: 18cm, height: auto, margin: 1cm)
#set par(justify: false)
#set text(hyphenate: false)
#let admonition(kind, title, body) = block[ADMONITION #kind | #title | #body]
#let figure-image(path, alt) = box[IMAGE #path | #alt]
#let scope = (admonition: admonition, figure-image: figure-image)
#block[]<sop-send-client-invoices>
"""
CASE = """\
#pagebreak()
#metadata(eval({markup}, mode: "markup", scope: scope))<case>
#eval({markup}, mode: "markup", scope: scope)
"""
PROPERTY = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@dataclass
class Shown:
    """One case as typeset: the reader's text (whitespace made single spaces) and Typst's content."""

    markup: str
    text: str
    tree: Any

    def find(self, func: str) -> list[dict[str, Any]]:
        return list(_find(self.tree, func))


def typeset(markups: list[str]) -> list[Shown]:
    """Compile ``markups`` (each evaluated as the templates do) in one PDF, a page each."""
    source = PREAMBLE + "".join(CASE.format(markup=typst_string(m)) for m in markups)
    with tempfile.TemporaryDirectory() as folder:
        main = Path(folder) / "main.typ"
        main.write_text(source, encoding="utf-8")
        compiler = typst.Compiler(str(main), root=folder, ignore_system_fonts=True)
        pdf = compiler.compile()
        trees = json.loads(compiler.query("<case>", field="value"))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages[1:]
    assert len(pages) == len(markups) == len(trees)
    return [Shown(m, " ".join((page.extract_text() or "").split()), tree)
            for m, page, tree in zip(markups, pages, trees)]


def _find(node: Any, func: str) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("func") == func:
            yield node
        for value in node.values():
            yield from _find(value, func)
    elif isinstance(node, list):
        for value in node:
            yield from _find(value, func)


def plain(node: Any) -> str:
    """The text of Typst content, with any element but text, spaces and escapes named in ‹›."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    func = node["func"]
    if func in ("text", "symbol"):
        return node["text"]
    if func == "space":
        return " "
    if func == "sequence":
        return "".join(plain(child) for child in node["children"])
    return f"‹{func}›"


def label_or_url(href: str) -> Optional[str]:
    if href.startswith("../sops/"):
        return "sop-" + href.split("/")[-1].removesuffix(".md")
    return href if href.startswith(("http:", "https:", "mailto:")) else None


def media(src: str) -> Optional[str]:
    return "/sops/" + src if src.startswith("media/") else None


CONVERT = Converter(link=label_or_url, image=media)
CONVERT_HTML = Converter(link=label_or_url, image=media, allow_html=True)

CASES: dict[str, tuple[str, Converter]] = {
    "emphasis": ("Send *every* invoice **today**, ***both***, intra*word*s.", CONVERT),
    "after a call": ("**a**;b, `c`(d), *e*.f, **g**[h], *i*.len(), ![x](media/x.png)(y)", CONVERT),
    "code span": ('Type `#read("/etc/passwd")` then `*a* [b]` and `&amp; <i>`, ``a `tick` across\nlines``.',
                  CONVERT),
    "fenced code": ('```python\nprint("#x", \'$y$\')\n    indented = ["]"]\n```', CONVERT),
    "indented code": ("Before:\n\n    <b>x</b> & y\n    #eval(1)\n\nAfter.", CONVERT),
    "code in a list": ("1. Run:\n\n    ```sh\n    echo \"*done*\"\n    ```\n\n2. Check.", CONVERT),
    "links": ("[the portal](https://bank.example/?a=1&b=2), [the SOP](../sops/send-client-invoices.md), "
              "[a page](notes.md), <https://x.example/a_b>, <ana@example.com>, [](https://e.example) and "
              "[a reference][r].\n\n[r]: https://r.example/?a=1&copy=2", CONVERT),
    "images": ('![The "Send" button](media/send.png) and ![](media/chart.png "Monthly chart") and '
               "![gone](https://tracker.example/p.png) and ![](other/x.png) and ![](media/plain.png) and "
               "![Tom &amp; Jerry&copy=](media/t.png)", CONVERT),
    "unordered list": ("- first\n- second\n    - nested *one*\n    - nested two\n- third", CONVERT),
    "ordered list": ("3. third\n4. fourth\n5. fifth", CONVERT),
    "loose list": ("1. one\n\n    more of one\n\n2. two", CONVERT),
    "task list": ("- [ ] open the bank portal\n- [x] download the statement\n- [X] file it", CONVERT),
    "table": ("| Who | What | Hours |\n|:----|:----:|------:|\n| Ana | *invoices* | 4 |\n| Bo | `#x` |  |",
              CONVERT),
    "blockquote": ("> The client is *always* told.\n>\n> Second paragraph.", CONVERT),
    "admonition": ('!!! warning "Check the total"\n    Never send an invoice **twice**.', CONVERT),
    "admonition alias": ("!!! hint\n    Use the template.", CONVERT),
    "admonition untitled": ('!!! note ""\n    No title here.', CONVERT),
    "details": ('??? tip "More about *refunds*"\n    Refunds go through the portal.\n\n'
                "???+ danger\n    Open one.", CONVERT),
    "headings": ("# First\n\nText.\n\n## Second {#custom .wide}\n\n###### Sixth", CONVERT),
    "rule": ("Above\n\n---\n\nBelow", CONVERT),
    "line break": ("Line one  \nline two", CONVERT),
    "attributes": ("A paragraph.\n{: .lead title=x }\n\n![Chart](media/c.png){ width=300 }", CONVERT),
    "entities": ("&amp; &copy; &#35;1 &lt;b&gt; &nbsp;x AT&T", CONVERT),
    "line starts": ("Step one\n- not a list\n+ nor this\n= nor a heading\n/ term: nor a term\n"
                    "1984. a year\n// no comment\n/* nor this", CONVERT),
    "backslash escapes": ("\\*not emphasis\\* \\# \\[x\\] \\`y\\` 1\\. z", CONVERT),
    "hostile inline": ('Run #read("/etc/passwd") and #eval("1") ] \\ <x> @x $x$ ~ --- \'q\' "q" '
                       "#let a = 1 and #{1+1} and \\u{41}.", CONVERT),
    "raw html escaped": ("Some <b>bold</b> text\n\n<div>A block</div>", CONVERT),
    "raw html allowed": ("Some <b>bold</b> <span class=\"x\">text</span>\n\n"
                         "<p>Para one</p><p>Para <i>two</i></p>\n\n"
                         "<script>alert('x')</script>\n\n<!-- a comment -->\n\n"
                         '<img src="https://tracker.example/p.png" alt="pixel">\n\nEnd.', CONVERT_HTML),
    "md in html": ('<div markdown>\n*inside* a div\n\n- item\n</div>', CONVERT_HTML),
    "deep quotes": ("> " * 30 + "deep *down*", CONVERT),
    "deep lists": ("".join("    " * i + f"- level {i}\n" for i in range(40)), CONVERT),
    "deep code": ("> " * 10 + "deep\n" + "> " * 10 + "\n" + "> " * 10 + "```\n" + "> " * 10 + "#code\n" + "> " * 10
                  + "```\n" + "> " * 10 + "\n" + "> " * 10 + "`span` after", CONVERT),
    "deep admonitions": ("".join("    " * i + f'!!! note "N{i}"\n' for i in range(40)) + "    " * 40 + "end\n",
                         CONVERT),
    "empty": ("", CONVERT),
    "blank": ("  \n\n  ", CONVERT),
}


@pytest.fixture(scope="module")
def shown() -> dict[str, Shown]:
    names = list(CASES)
    markups = [CASES[name][1](CASES[name][0]) for name in names]
    return dict(zip(names, typeset(markups)))


def test_emphasis(shown: dict[str, Shown]) -> None:
    case = shown["emphasis"]
    assert case.text == "Send every invoice today, both, intrawords."
    assert [plain(e["body"]) for e in case.find("emph")] == ["every", "both", "word"]
    assert [plain(e["body"]) for e in case.find("strong")] == ["today", "‹emph›"]


def test_text_after_a_call_stays_text(shown: dict[str, Shown]) -> None:
    # a call in markup goes on with what touches it ('.f', '(d)', '[h]'): each call is ended with ';'
    assert shown["after a call"].text == "a;b, c(d), e.f, g[h], i.len(), IMAGE /sops/media/x.png | x(y)"


def test_code_span_is_raw_text(shown: dict[str, Shown]) -> None:
    case = shown["code span"]
    assert case.text == 'Type #read("/etc/passwd") then *a* [b] and &amp; <i>, a `tick` across lines.'
    assert [e["text"] for e in case.find("raw")] == ['#read("/etc/passwd")', "*a* [b]", "&amp; <i>",
                                                     "a `tick` across lines"]


def test_fenced_code_keeps_its_lines_and_language(shown: dict[str, Shown]) -> None:
    [raw] = shown["fenced code"].find("raw")
    assert raw["block"] is True and raw["lang"] == "python"
    assert raw["text"] == 'print("#x", \'$y$\')\n    indented = ["]"]'


def test_indented_code(shown: dict[str, Shown]) -> None:
    case = shown["indented code"]
    [raw] = case.find("raw")
    assert raw["block"] is True and raw["text"] == "<b>x</b> & y\n#eval(1)"
    assert case.text == "Before: <b>x</b> & y #eval(1) After."


def test_code_block_in_a_list_item(shown: dict[str, Shown]) -> None:
    case = shown["code in a list"]
    [enum] = case.find("enum")
    assert len(enum["children"]) == 2
    [raw] = case.find("raw")
    assert raw["text"] == 'echo "*done*"' and raw["lang"] == "sh"
    assert case.text == '1. Run: echo "*done*" 2. Check.'


def test_links(shown: dict[str, Shown]) -> None:
    case = shown["links"]
    dests = [(e["dest"], plain(e["body"]) if "body" in e else None) for e in case.find("link")]
    assert dests == [
        ("https://bank.example/?a=1&b=2", "the portal"),
        ("<sop-send-client-invoices>", "the SOP"),
        ("https://x.example/a_b", "https://x.example/a_b"),
        ("mailto:ana@example.com", "ana@example.com"),
        ("https://e.example", "https://e.example"),
        ("https://r.example/?a=1&copy=2", "a reference"),
    ]
    assert case.text == ("the portal, the SOP, a page, https://x.example/a_b, ana@example.com, "
                         "https://e.example and a reference.")


def test_images_have_alt_text_and_only_project_files(shown: dict[str, Shown]) -> None:
    case = shown["images"]
    assert case.text == ('IMAGE /sops/media/send.png | The "Send" button and '
                         "IMAGE /sops/media/chart.png | Monthly chart and gone and and "
                         "IMAGE /sops/media/plain.png | plain.png and IMAGE /sops/media/t.png | Tom & Jerry&copy=")
    assert case.markup.count("#figure-image(") == 4
    assert "tracker" not in case.markup


def test_unordered_and_nested_lists(shown: dict[str, Shown]) -> None:
    case = shown["unordered list"]
    outer, inner = case.find("list")
    assert len(outer["children"]) == 3 and len(inner["children"]) == 2
    assert plain(inner["children"][0]["body"]) == "nested ‹emph›"
    assert case.text == "• first • second ‣ nested one ‣ nested two • third"


def test_ordered_list_numbers_as_on_the_site(shown: dict[str, Shown]) -> None:
    # the site's Markdown (no sane_lists) numbers every list from 1, whatever its first number
    assert shown["ordered list"].text == "1. third 2. fourth 3. fifth"


def test_ordered_list_keeps_a_start_the_parse_gives() -> None:
    field = Element("div")
    ol = SubElement(field, "ol", start="3")
    for text in ("third", "fourth"):
        SubElement(ol, "li").text = text
    [case] = typeset([CONVERT.blocks(field)])
    [enum] = case.find("enum")
    assert enum["start"] == 3
    assert case.text == "3. third 4. fourth"


def test_loose_list_is_not_tight(shown: dict[str, Shown]) -> None:
    case = shown["loose list"]
    [enum] = case.find("enum")
    assert enum["tight"] is False
    assert case.text == "1. one more of one 2. two"


def test_task_list_shows_boxes(shown: dict[str, Shown]) -> None:
    case = shown["task list"]
    assert case.text == "☐ open the bank portal ☑ download the statement ☑ file it"


def test_table_with_alignment(shown: dict[str, Shown]) -> None:
    case = shown["table"]
    [table] = case.find("table")
    assert len(table["columns"]) == 3
    assert table["align"] == ["left", "center", "right"]
    [header] = case.find("header")
    assert len(header["children"]) == 3
    assert len(case.find("cell")) == 9
    assert case.text == "Who What Hours Ana invoices 4 Bo #x"


def test_blockquote(shown: dict[str, Shown]) -> None:
    case = shown["blockquote"]
    [quote] = case.find("quote")
    assert quote["block"] is True
    assert case.text == "The client is always told. Second paragraph."


def test_admonition(shown: dict[str, Shown]) -> None:
    assert shown["admonition"].text == "ADMONITION warning | Check the total | Never send an invoice twice."
    assert shown["admonition alias"].text == "ADMONITION tip | Hint | Use the template."
    assert shown["admonition untitled"].text == "ADMONITION note | | No title here."
    assert '#admonition("note", none, ' in shown["admonition untitled"].markup


def test_details_are_admonitions_shown_open(shown: dict[str, Shown]) -> None:
    case = shown["details"]
    assert case.text == ("ADMONITION tip | More about refunds | Refunds go through the portal. "
                         "ADMONITION danger | Danger | Open one.")


def test_headings_are_neither_outlined_nor_bookmarked(shown: dict[str, Shown]) -> None:
    case = shown["headings"]
    headings = [(h["level"], plain(h["body"]), h["outlined"], h["bookmarked"]) for h in case.find("heading")]
    assert headings == [(3, "First", False, False), (4, "Second", False, False), (5, "Sixth", False, False)]
    assert case.text == "First Text. Second Sixth"


def test_heading_levels_start_at_the_fields_and_never_skip() -> None:
    # PDF/UA-1 (and Typst with it) refuses a heading more than one level below the one before
    def levels(text: str, level: int) -> list[int]:
        return [int(n) for n in re.findall(r"#heading\(level: (\d+),", CONVERT(text, heading_level=level))]

    assert levels("# Top", 1) == [1]
    assert levels("### Sub", 2) == [2]
    assert levels("# A\n\n### C\n\n###### F\n\n## B\n\n# A2", 3) == [3, 4, 5, 4, 3]
    assert levels("#### a\n\n## b\n\n### c", 3) == [3, 3, 4]
    assert levels("!!! note\n    # In a box\n\n    ### Deeper", 2) == [2, 3]


def test_every_construct_typesets_as_tagged_pdf_ua_1(tmp_path: Path) -> None:
    # what the handbook asks of Typst: PDF/UA-1, so headings in order and every image with alt text
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    media = tmp_path / "sops" / "media"
    media.mkdir(parents=True)
    for name in ("send", "chart", "plain", "t", "x", "c"):
        (media / f"{name}.png").write_bytes(png)
    source = ['#set document(title: "Handbook")',
              "#let admonition(kind, title, body) = block[#strong[#kind #title] #body]",
              "#let figure-image(path, alt) = image(path, alt: alt, width: 1cm)",
              "#let scope = (admonition: admonition, figure-image: figure-image)",
              "= Procedures", "#block[]<sop-send-client-invoices>"]
    for name, (text, convert) in CASES.items():
        source += [f"== {typst_markup(name)}", f'#eval({typst_string(convert(text, heading_level=3))}, mode: "markup", scope: scope)']
    (tmp_path / "main.typ").write_text("\n".join(source), encoding="utf-8")
    pdf = typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path), ignore_system_fonts=True,
                        pdf_standards=["ua-1"])
    assert pdf.startswith(b"%PDF")


def test_rule_and_line_break(shown: dict[str, Shown]) -> None:
    assert shown["rule"].text == "Above Below"
    assert len(shown["rule"].find("line")) == 1
    assert shown["line break"].text == "Line one line two"
    assert len(shown["line break"].find("linebreak")) == 1


def test_attributes_are_ignored(shown: dict[str, Shown]) -> None:
    assert shown["attributes"].text == "A paragraph. IMAGE /sops/media/c.png | Chart"


def test_entities_become_characters(shown: dict[str, Shown]) -> None:
    assert shown["entities"].text == "& © #1 <b> x AT&T"


def test_line_starts_stay_text(shown: dict[str, Shown]) -> None:
    case = shown["line starts"]
    assert plain(case.tree) == ("Step one - not a list + nor this = nor a heading / term: nor a term "
                                "1984. a year // no comment /* nor this")


def test_markdown_escapes_show_the_character(shown: dict[str, Shown]) -> None:
    assert plain(shown["backslash escapes"].tree) == "*not emphasis* # [x] `y` 1. z"


def test_hostile_markdown_text_stays_text(shown: dict[str, Shown]) -> None:
    case = shown["hostile inline"]
    assert plain(case.tree) == ('Run #read("/etc/passwd") and #eval("1") ] \\ <x> @x $x$ ~ --- \'q\' "q" '
                                "#let a = 1 and #{1+1} and \\u{41}.")
    assert "root:" not in case.text


def test_raw_html_shows_as_written_unless_allowed(shown: dict[str, Shown]) -> None:
    assert shown["raw html escaped"].text == "Some <b>bold</b> text <div>A block</div>"


def test_allowed_raw_html_shows_its_text_only(shown: dict[str, Shown]) -> None:
    case = shown["raw html allowed"]
    assert case.text == "Some bold text Para one Para two End."
    for leak in ("\x02", "\x03", "wzxhzdk", "klzzwxh", "alert", "comment", "pixel", "tracker"):
        assert leak not in case.markup


def test_markdown_in_html_shows_its_content(shown: dict[str, Shown]) -> None:
    case = shown["md in html"]
    assert case.text == "inside a div • item"
    assert len(case.find("emph")) == 1


def test_deep_nesting_still_typesets_every_word(shown: dict[str, Shown]) -> None:
    # Typst refuses some twenty nested quotes or thirty nested lists: deeper than six, text only
    assert shown["deep quotes"].text == "deep down"
    assert len(shown["deep quotes"].find("quote")) == MAX_NESTING
    assert re.findall(r"level (\d+)", shown["deep lists"].text) == [str(i) for i in range(40)]
    assert len(shown["deep lists"].find("list")) == MAX_NESTING
    assert shown["deep code"].text == "deep #code span after"
    assert [raw["text"] for raw in shown["deep code"].find("raw")] == ["#code"]
    assert shown["deep admonitions"].text.endswith("N38 N39 end")
    assert all(f"N{i} " in shown["deep admonitions"].text for i in range(40))


def test_nothing_gives_nothing(shown: dict[str, Shown]) -> None:
    assert shown["empty"].markup == shown["blank"].markup == ""


# -- typst_markup and typst_string ---------------------------------------------------------

HOSTILE = [
    '#read("/etc/passwd")', '#eval("1")', "]", "[", "\\", "<x>", "@x", "$x$", "// c", "/* c", "*/", "= h",
    "- l", "+ l", "1. x", "/ term: d", "~", "---", "--", "...", "-?", "-1", "'", '"', "`", "```raw```",
    "#let x = 1", "#{1+1}", "\\u{41}", "*strong*", "_emph_", "https://x.example/a", "a\n\n= h\n- l",
    "#set page(width: 1cm)", "#import \"x.typ\": *", "\\\n", "x\\", "#", "#x.y", "trailing #",
]


def show_strings(texts: list[str]) -> tuple[list[str], list[str]]:
    """Each of ``texts`` escaped and shown as markup, and quoted and read back in code mode."""
    source = "".join(f"#metadata(eval({typst_string(typst_markup(t))}, mode: \"markup\"))<markup>\n"
                     f"#metadata({typst_string(t)})<string>\n" for t in texts)
    with tempfile.TemporaryDirectory() as folder:
        main = Path(folder) / "main.typ"
        main.write_text(source, encoding="utf-8")
        compiler = typst.Compiler(str(main), root=folder, ignore_system_fonts=True)
        markup = [plain(tree) for tree in json.loads(compiler.query("<markup>", field="value"))]
        strings = json.loads(compiler.query("<string>", field="value"))
    return markup, strings


def normalised(text: str) -> str:
    """What markup shows of ``text``: spaces and line breaks as one space, no control characters."""
    text = re.sub("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]", "", text)
    return re.sub("[ \t\n\r\x0b\x0c\x85\u2028\u2029]+", " ", text)


def test_hostile_strings_show_as_text() -> None:
    markup, strings = show_strings(HOSTILE)
    assert markup == [normalised(t) for t in HOSTILE]
    assert strings == HOSTILE


def test_hostile_strings_in_a_pdf_read_as_written() -> None:
    shown = typeset([typst_markup(t) for t in HOSTILE])
    assert [case.text for case in shown] == [" ".join(t.split()) for t in HOSTILE]


typst_text = st.lists(st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list("\\#*_`$<>@=-+/~[]\"'.:;()\n\t{}\r\x00\u2028") + [
        "//", "/*", "*/", "---", "...", "-?", "1.", "\\u{41}", "#let", "#read(", "https://"]),
)).map("".join)


@PROPERTY
@given(st.lists(typst_text, min_size=1, max_size=30))
def test_any_text_shows_exactly(texts: list[str]) -> None:
    markup, strings = show_strings(texts)
    assert markup == [normalised(t) for t in texts]
    assert strings == texts


markdown_text = st.lists(st.one_of(
    st.sampled_from(list("ab #*_`[]()!<>-+=/\\\n:.&;|~$@'\"{}1\t") + [
        "\n\n", "\n    ", "\n        ", "    ", "  \n", "```", "```python\n", "\n```\n", "~~~", "***", "___", "---",
        "===", "!!! note", '!!! warning "t"', "??? tip", "???+ note", "- [ ] ", "- [x] ", "1. ", "* ", "+ ", "> ", "# ",
        "## ", "| a | b |", "| --- | :-: |", "|---|", "&amp;", "&#35;", "&#x27;", "&bogus;", "<b>", "</b>", "<br>",
        "<!--", "-->", "<p>", "</p>", "<div markdown>", "</div>", "<details markdown>", "<summary>S</summary>",
        "</details>", "<span markdown>", "</span>", '<img src="x" alt="y">', "{: .c }", "{ #id .c }",
        "[a](http://x)", "[l](../sops/send-client-invoices.md)", "[l](javascript:alert(1))", "![i](media/x.png)",
        "<https://x.y/a>", "<a@b.c>", '#read("x")', "[^1]", "\x02wzxhzdk:0\x03", "\x02amp\x03"]),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
), max_size=40).map("".join)


@PROPERTY
@given(st.lists(markdown_text, min_size=1, max_size=20), st.booleans())
def test_any_markdown_compiles_without_leaking(texts: list[str], allow_html: bool) -> None:
    convert = CONVERT_HTML if allow_html else CONVERT
    markups = [convert(t) for t in texts]
    for text, m in zip(texts, markups):  # Python-Markdown's placeholders never show
        assert "\x02" not in m and "\x03" not in m
        assert all(word in text for word in ("wzxhzdk", "klzzwxh") if word in m)
    typeset(markups)  # Typst accepts every one


def test_the_converter_imports_no_engine_and_does_no_io() -> None:
    """The converter's modules (and the escaping rules it uses) import Python-Markdown, the site's
    extension set and each other: no Typst, no file, no program."""
    import ast

    import sopgen.core.escape
    import sopgen.print.markdowntree
    import sopgen.print.markup
    import sopgen.print.typstblocks

    allowed = {"__future__", "html", "html.parser", "json", "posixpath", "re", "typing", "xml.etree.ElementTree", "markdown",
               "markdown.treeprocessors", "markdown.util", "pymdownx.superfences", "core.markdown", "markupsafe",
               "core.escape", "markdowntree", "typstblocks"}
    for module in (sopgen.print.markup, sopgen.print.markdowntree, sopgen.print.typstblocks, sopgen.core.escape):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert imported <= allowed, (module.__name__, imported - allowed)


plain_text = st.lists(st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    st.sampled_from([" ", "-", "+", "=", "1.", "2)", "---", "  ", ".", ":", "'", '"', "(", ")", "%", "/", "?", "@",
                     "$", "—", "…", "1. a", " 12. b", "\t"]),
), max_size=30).map("".join)


@PROPERTY
@given(plain_text)
def test_plain_text_skips_the_parse_and_says_the_same(text: str) -> None:
    """Text with nothing Markdown would change takes the short way, and gets what the parse gives."""
    from sopgen.print.markup import _PLAIN

    if _PLAIN.fullmatch(text):
        assert CONVERT(text) == CONVERT.parsed(text), "the short way differs from the parse"


def test_the_short_way_is_taken_for_a_plain_sentence_only() -> None:
    from sopgen.print.markup import _PLAIN

    assert _PLAIN.fullmatch("Check hours against each engagement letter (and the cap): 1.5 h, 50% max.")
    for text in ["- item", "1. first", "    code", "a *b*", "[x](y)", "a & b", "---", "x\ny", "snake_case", "a <b>"]:
        assert not _PLAIN.fullmatch(text), text
