"""One escaping module (sopgen.core.escape): each output has one rule, the outputs that do the same
job share it, and no other module spells a rule of its own."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import markdown
import pytest

from sopgen.core import escape
from sopgen.core.escape import html_text, markdown_text, readable_markdown
from sopgen.core.markdown import EXTENSIONS
from sopgen.site.navigation import nav_title
from sopgen.text.filters import FILTERS

PACKAGE = Path(escape.__file__).resolve().parent.parent

HOSTILE_TITLE = "Tom & \"Jerry's\"   <b>Plan</b>\n#1"


def test_a_navigation_title_and_a_quiz_text_are_escaped_by_one_rule() -> None:
    """Both are an HTML element's text on one line: the navigation's title (themes insert it as HTML)
    and a quiz's question (the ``html`` filter). They had two rules (quotes kept in one, made entities
    in the other); the one rule makes ``& < >`` entities and keeps quotes as written."""
    expected = "Tom &amp; \"Jerry's\" &lt;b&gt;Plan&lt;/b&gt; #1"
    assert html_text(HOSTILE_TITLE) == expected
    assert nav_title(HOSTILE_TITLE) == expected
    assert FILTERS["html"](HOSTILE_TITLE) == expected


@pytest.mark.parametrize("title", ["Call line #", "Ticket ##", "Pay #3 now #", "#", "Review # ", "Item#"])
def test_a_title_ending_in_a_hash_keeps_it_in_a_report_heading(title: str) -> None:
    """Markdown drops a heading's closing ``#`` run (``## Call #`` is the heading "Call"): the report's
    rule escapes it, as the site's rule already does."""
    for rule in (readable_markdown, markdown_text):
        html = markdown.markdown(f"## {rule(title)}", extensions=list(EXTENSIONS),
                                 extension_configs={k: dict(v) for k, v in EXTENSIONS.items()})
        heading = re.sub(r"<a class=\"headerlink\".*?</a>", "", re.search(r"<h2[^>]*>(.*)</h2>", html).group(1))
        assert heading == " ".join(title.split()), (rule.__name__, html)


def test_the_report_rule_keeps_plain_sentences_as_written() -> None:
    """The ``sopgen changes`` report is read as it is printed: what cannot start markup stays bare."""
    sentence = "Send the invoices (monthly) by 5 p.m. & file them: 100% done! {ask Ann}"
    assert readable_markdown(sentence) == sentence


def test_every_rule_is_in_the_table_of_the_module_docstring() -> None:
    public = {name for name, value in vars(escape).items()
              if inspect.isfunction(value) and value.__module__ == escape.__name__ and not name.startswith("_")}
    documented = set(re.findall(r"^``(\w+)``  ", escape.__doc__, re.M))
    assert documented == public


# Calls that escape text for an output; where they may stand, and why.
ALLOWED = {
    "core/escape.py": "the rules",
    "site/pagecheck.py": "the page check re-serialises HTML it parsed (see core/escape.py)",
}


def _escaping_calls(tree: ast.AST) -> list[str]:
    found = []
    names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node.module == "markupsafe" for alias in node.names if alias.name == "escape"}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            found.append(f"{node.lineno}: markupsafe.escape")
        elif isinstance(func, ast.Attribute) and func.attr == "escape" and isinstance(func.value, ast.Name) \
                and func.value.id in ("html", "markupsafe"):
            found.append(f"{node.lineno}: {func.value.id}.escape")
        elif isinstance(func, ast.Attribute) and func.attr == "replace" and node.args \
                and isinstance(node.args[0], ast.Constant) and node.args[0].value in ("<", ">", "&", "|", '"', "#"):
            found.append(f"{node.lineno}: .replace({node.args[0].value!r}, …)")
    return found


def test_no_module_spells_an_escaping_rule_of_its_own() -> None:
    """A rule spelled twice drifts (the review found six with different rules): every module calls
    core.escape instead of html.escape, markupsafe.escape or a ``.replace("<", …)`` of its own."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        calls = _escaping_calls(ast.parse(path.read_text(encoding="utf-8")))
        if calls and rel not in ALLOWED:
            found[rel] = calls
    assert not found


def test_the_check_finds_a_rule_spelled_elsewhere() -> None:
    tree = ast.parse('import html\nfrom markupsafe import escape as e\nx = html.escape(t)\ny = e(t)\n'
                     'z = t.replace("|", "&#124;")\n')
    assert _escaping_calls(tree) == ["3: html.escape", "4: markupsafe.escape", "5: .replace('|', …)"]


@pytest.mark.parametrize("text", ['Spore test: weekly', "Order the week's supplies", 'Say "hi" #1', "a\\b\tc\nd",
                                  "ñandú — 東京", "- not a list", "yes", "", "  spaced  "])
def test_a_yaml_string_reads_back_as_written(text: str) -> None:
    """The one rule for double-quoted YAML (the files init writes, the fixes messages show)."""
    import yaml

    assert yaml.safe_load(f"title: {escape.yaml_string(text)}\n") == {"title": text}
