"""The form's data laid over a file's YAML reads back as that data, whatever text the form holds."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE
from sopgen.core.yamlsource import load_text
from sopgen.site.editor.merge import merged

FILE = (BASE / "sops/tasks/send-invoices.yml").read_text(encoding="utf-8")
OLD: Any = load_text(FILE, "x.yml")[0].data  # type: ignore[union-attr]

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, step=texts, sub=texts, tools=st.lists(texts, max_size=3), answer=st.integers(0, 1))
def test_any_text_reads_back_as_written(title: str, step: str, sub: str, tools: list[str], answer: int) -> None:
    data = dict(OLD, title=title, tools=tools)
    data["steps"] = [dict(OLD["steps"][0], do=step), dict(OLD["steps"][1], steps=[{"do": sub}]), OLD["steps"][2]]
    data["quiz"] = [dict(OLD["quiz"][0], answer=answer)]
    text = merged(FILE, OLD, data)
    doc, problems = load_text(text, "x.yml")
    assert doc is not None, (text, problems)
    assert doc.data == {k: v for k, v in data.items() if v != [] or k in OLD}, text


SPECIAL = ["007", "1e3", "true", "no", "null", "~", "2024-01-01", "1:30", "0x1F", ".5", "-", "- a", "#x", "a #b",
           "a: b", "[a]", "{a}", "*x", "&x", "!x", "%x", "@x", "`x", "|", ">", "a,b", " a", "a ", '"', "'", ".inf",
           "+1", "0o7", "?0", ":0", "Spore test: weekly", "Order the week's supplies", "Submit claims #1 priority",
           "A, Nobody, just call", "\x1b", "\x85", "a\u2028b", "line\n  indented\n", "tab\tin it", "\ttab first"]


def test_text_that_means_something_else_in_yaml_reads_back_as_text() -> None:
    for value in SPECIAL:
        data = dict(OLD, title=value, tools=[value, value])
        data["steps"] = [dict(OLD["steps"][0], do=value), *OLD["steps"][1:]]
        doc, problems = load_text(merged(FILE, OLD, data), "x.yml")
        assert doc is not None, (value, problems)
        assert (doc.data["title"], doc.data["tools"], doc.data["steps"][0]["do"]) == (value, [value, value], value)


def test_a_step_edited_and_moved_keeps_its_comments() -> None:
    """Steps reordered in the form and one of the moved steps reworded: the reworded step is the old one
    it shares its other fields with (its picture here), so its comment moves with it."""
    from test_editor_server import COMMENTED

    old: Any = load_text(COMMENTED, "x.yml")[0].data  # type: ignore[union-attr]
    data = dict(old)
    data["steps"] = [old["steps"][1], dict(old["steps"][0], do="Export the hours from the timesheet."), old["steps"][2]]
    text = merged(COMMENTED, old, data)
    assert load_text(text, "x.yml")[0].data == data  # type: ignore[union-attr]
    assert "image: media/screen.svg   # the export screen" in text
    assert "- do: Check the rate.   # from the contract" in text
    assert text.index("Create one invoice per client.") < text.index("Export the hours from the timesheet.")


EXAMPLE = sorted((BASE.parent.parent.parent / "sops").glob("*/*.yml"))


@pytest.mark.parametrize("file", EXAMPLE, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_a_changed_field_changes_its_line_only(file: Path) -> None:
    """The rest of the file stays as its author wrote it: long texts wrapped over lines, indentation, quotes."""
    text = file.read_text(encoding="utf-8")
    old: Any = load_text(text, file.name)[0].data  # type: ignore[union-attr]
    key = next(k for k in ("title", "name") if k in old)
    new = dict(old, **{key: "A new title: written in the form"})
    after = merged(text, old, new)
    assert load_text(after, file.name)[0].data == new  # type: ignore[union-attr]
    removed = [line for line in difflib.ndiff(text.splitlines(), after.splitlines()) if line[:1] in "-+"]
    assert len(removed) == 2 and removed[0].startswith(f"- {key}:"), "\n".join(removed)
