"""Fuzzing: mutated projects end in success or in located problems, never in a traceback.

Hypothesis takes the small valid project of tests/corpus/_base and breaks its
files the way people and attackers do: it deletes, retypes and renames keys,
puts random text (unicode, control characters, YAML's own syntax) where a
value was, duplicates lines (so keys), truncates files and inserts random
bytes. Each example runs the core in memory (load, validate and, when there
are no errors, render every page) and checks that:

* nothing but sopgen's own errors escapes;
* every problem reads ``sops/<file>:<line>:<col>: [field: ]message`` with a
  real line and column (the field is empty only for what concerns the file
  as a whole, such as a YAML syntax error);
* a project that validates renders.

The runs are derandomized (the same examples on every machine, no example
database), so a CI failure can be reproduced; together the tests below run
2,000 examples.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import BASE
from sopgen.core.errors import Problem, SopgenError
from sopgen.core.loader import load
from sopgen.site.pages import render
from sopgen.text.templating import environment
from sopgen.core.validate import errors_in, validate
from sopgen.core.yamlsource import load_bytes

TODAY = date(2026, 11, 25)
SOURCES = sorted(p.relative_to(BASE).as_posix() for p in (BASE / "sops").rglob("*.yml"))
ORIGINAL = {rel: (BASE / rel).read_text(encoding="utf-8") for rel in SOURCES}
ENV = environment(None)  # the base project has no template overrides; compile the defaults once
FIELD_NAMES = ["title", "role", "purpose", "steps", "do", "tools", "name", "url", "summary", "quiz", "answer",
               "choices", "onboarding", "tasks", "rate", "min", "max", "reviewed", "duration", "image", "video",
               "prerequisites", "owner", "currency", "review_every", "allow_html", "reports_to", "<<"]

FUZZ = settings(max_examples=1000, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- values ---------------------------------------------------------------------------------

nasty_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),  # any unicode, control characters too
        st.sampled_from(list(":-?[]{},&*!|>'\"%@`#~\\<") + ["\t", "\n", "\r", "\x00", "\u2028", "\ufeff"]),
    ),
    max_size=40,
)
special_text = st.sampled_from([
    "", " ", "~", "null", "no", "yes", "on", "true", "False", "0", "-1", "007", "1e400", ".nan", "-.inf", "0x1F",
    "2026-13-45", "2026-02-30", "1:30", "45m", "0m", "99999999999 months", "1h90m", "as-needed", "retired",
    "send-invoices", "owner", "bookkeeper", "Send_Invoices", "../mkdocs.yml", "media/../../x.png",
    "/etc/passwd", "media/\x00.png", "javascript:alert(1)", "<script>alert(1)</script>", "{{ 7*7 }}", "[x](javascript:alert(1))",
    "*a", "&a x", "!!python/object/apply:os.system ['true']", "<<", "USD", "usd", "- a\n- b", "a: b",
])
scalars = st.one_of(nasty_text, special_text, st.integers(), st.floats(), st.booleans(), st.none())


def values(depth: int = 2) -> st.SearchStrategy[Any]:
    if depth == 0:
        return scalars
    inner = values(depth - 1)
    return st.one_of(scalars, st.lists(inner, max_size=3),
                     st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), nasty_text), inner, max_size=3))


# -- mutations ------------------------------------------------------------------------------

def _places(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in ``data`` a mutation can aim at."""
    out = [loc]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _places(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _places(value, loc + (i,))
    return out


def _parent(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_data(draw: st.DrawFn, text: str) -> str:
    """The file with its data changed: a key deleted or renamed, a value retyped or replaced."""
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _places(data) if p]
        if not places:
            data = draw(values())
            break
        loc = draw(st.sampled_from(places))
        parent, last = _parent(data, loc), loc[-1]
        action = draw(st.sampled_from(["delete", "retype", "rename", "add"]))
        if action == "delete":
            del parent[last]
        elif action == "retype":
            parent[last] = draw(values())
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.one_of(st.sampled_from(FIELD_NAMES), nasty_text))] = parent.pop(last)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.one_of(st.sampled_from(FIELD_NAMES), nasty_text))] = draw(values())
        elif action == "add":
            parent.append(draw(values()))
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> bytes:
    """The file with its text changed: lines duplicated or replaced, truncated, random bytes inserted."""
    raw = text.encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        lines = raw.split(b"\n")
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        action = draw(st.sampled_from(["duplicate-line", "replace-line", "truncate", "insert-bytes", "scalar"]))
        if action == "duplicate-line":  # a key given twice, or a list item more
            lines.insert(at, lines[at])
        elif action == "replace-line":
            lines[at] = draw(nasty_text).encode("utf-8", "surrogatepass")
        elif action == "scalar" and b": " in lines[at]:
            key = lines[at].split(b": ", 1)[0]
            lines[at] = key + b": " + draw(st.one_of(nasty_text, special_text)).encode("utf-8", "surrogatepass")
        raw = b"\n".join(lines)
        if action == "truncate":
            raw = raw[:draw(st.integers(0, len(raw)))]
        elif action == "insert-bytes":
            pos = draw(st.integers(0, len(raw)))
            raw = raw[:pos] + draw(st.binary(min_size=1, max_size=8)) + raw[pos:]
    return raw


@st.composite
def hostile_text_values(draw: st.DrawFn, text: str) -> str:
    """The file with some of its text values replaced by random text: the shape stays valid, so pages render."""
    data = yaml.safe_load(text)
    texts = [p for p in _places(data) if p and isinstance(_parent(data, p)[p[-1]], str)]
    for loc in draw(st.lists(st.sampled_from(texts), min_size=1, max_size=4)):
        _parent(data, loc)[loc[-1]] = draw(st.one_of(nasty_text, special_text))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def mutated_project(draw: st.DrawFn) -> dict[str, bytes]:
    """One to three source files of the base project, each mutated; or one deleted."""
    files = {rel: text.encode("utf-8") for rel, text in ORIGINAL.items()}
    for rel in draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True)):
        how = draw(st.sampled_from(["data", "text", "delete"]))
        if how == "data":
            files[rel] = draw(mutated_data(ORIGINAL[rel])).encode("utf-8")
        elif how == "text":
            files[rel] = draw(mutated_text(ORIGINAL[rel]))
        else:
            del files[rel]
    return files


# -- the checks -------------------------------------------------------------------------------

def assert_located(problem: Problem) -> None:
    shown = str(problem)
    assert re.match(r"^sops/[^/]+(/[^/]+)?\.yml$", problem.path), shown
    assert problem.line >= 1 and problem.col >= 1, shown
    assert shown.startswith(f"{problem.path}:{problem.line}:{problem.col}: "), shown
    assert problem.message.strip(), shown
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in shown), f"unprintable: {shown!r}"
    assert "Traceback" not in shown and "pydantic" not in shown.lower() and "object at 0x" not in shown, shown


def check_project(files: dict[str, bytes]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sopgen-fuzz-"))
    try:
        shutil.copyfile(BASE / "mkdocs.yml", folder / "mkdocs.yml")
        for rel, raw in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(raw)
        (folder / "sops/media").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BASE / "sops/media/screen.svg", folder / "sops/media/screen.svg")
        try:
            catalog = load(folder)
            problems = validate(catalog, today=TODAY)
            for problem in problems:
                assert_located(problem)
            if not errors_in(problems):
                site = render(catalog, ENV, today=TODAY)
                assert site.pages
                event("valid: rendered")
            else:
                event("invalid: located problems")
        except SopgenError as exc:  # sopgen's own family, said plainly
            assert str(exc).strip() and "Traceback" not in str(exc)
            event(f"sopgen error: {type(exc).__name__}")
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(mutated_project())
def test_mutated_projects_fail_cleanly(files: dict[str, bytes]) -> None:
    check_project(files)


@settings(FUZZ, max_examples=500)
@given(st.sampled_from(SOURCES), st.data())
def test_random_text_values_render_or_fail_cleanly(rel: str, data: st.DataObject) -> None:
    files = {name: text.encode("utf-8") for name, text in ORIGINAL.items()}
    files[rel] = data.draw(hostile_text_values(ORIGINAL[rel])).encode("utf-8")
    check_project(files)


@settings(FUZZ, max_examples=500)
@given(st.sampled_from(SOURCES), st.data())
def test_random_bytes_in_one_file_fail_cleanly(rel: str, data: st.DataObject) -> None:
    raw = data.draw(st.one_of(st.binary(max_size=200), mutated_text(ORIGINAL[rel])))
    doc, problems = load_bytes(raw, rel)
    assert doc is not None or problems  # a file that cannot be read says why
    for problem in problems:
        assert_located(problem)
