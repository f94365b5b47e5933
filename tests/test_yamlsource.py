"""One test per YAML rule of README.md ("YAML rules"), on the loader alone."""

from __future__ import annotations

import time

import pytest

from sopgen.core import yamlsource
from sopgen.core.yamlsource import MAX_FILE_BYTES, load_bytes, load_file, load_text
from sopgen.core.yamlvalues import MAX_DEPTH, MAX_VALUES


def load_ok(text: str):
    doc, problems = load_text(text, "f.yml")
    assert problems == [], problems
    assert doc is not None
    return doc


@pytest.mark.parametrize("word", ["no", "No", "yes", "on", "off", "y", "n", "NO"])
def test_only_true_and_false_are_booleans(word: str) -> None:
    assert load_ok(f"title: {word}\n").data == {"title": word}


def test_true_and_false_are_booleans() -> None:
    assert load_ok("a: true\nb: false\n").data == {"a": True, "b": False}


def test_dates_and_sexagesimals_stay_text() -> None:
    data = load_ok("reviewed: 2026-01-15\nduration: 1:30\n").data
    assert data == {"reviewed": "2026-01-15", "duration": "1:30"}


def test_numbers_remember_how_they_were_written() -> None:
    data = load_ok("a: 1.10\nb: 007\n").data
    assert data["a"] == 1.1 and data["a"].raw == "1.10"
    assert data["b"] == 7 and data["b"].raw == "007"


def test_duplicate_key_names_both_lines() -> None:
    doc, problems = load_text("title: A\nrole: x\ntitle: B\n", "f.yml")
    assert [str(p) for p in problems] == [
        "f.yml:3:1: title: duplicate key 'title': given at line 1 and again at line 3; keep only one"
    ]


def test_duplicate_key_in_nested_mapping() -> None:
    _, problems = load_text("steps:\n  - do: a\n    do: b\n", "f.yml")
    assert [(p.line, p.col, p.field) for p in problems] == [(3, 5, "steps[0].do")]


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!!set {a, b}",
    "!!binary aGk=",
    "!custom x",
])
def test_tags_that_build_objects_are_refused(tag: str) -> None:
    _, problems = load_text(f"title: {tag}\n", "f.yml")
    assert len(problems) == 1
    assert problems[0].field == "title"
    assert "is not allowed" in problems[0].message


def test_standard_tags_are_fine() -> None:
    assert load_ok("a: !!str 12\nb: !!int '7'\n").data == {"a": "12", "b": 7}


def test_anchors_and_aliases_are_allowed() -> None:
    data = load_ok("base: &tools [Gmail, Calendar]\nother: *tools\nm: &m {x: 1}\nn:\n  <<: *m\n  y: 2\n").data
    assert data["other"] == ["Gmail", "Calendar"]
    assert data["n"] == {"x": 1, "y": 2}


def billion_laughs(levels: int) -> str:
    lines = ["l0: &l0 [lol]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast() -> None:
    start = time.perf_counter()
    doc, problems = load_text(billion_laughs(10), "f.yml")
    elapsed = time.perf_counter() - start
    assert doc is None
    assert len(problems) == 1
    assert f"more than {MAX_VALUES:,} values through anchors and aliases" in problems[0].message
    assert elapsed < 1.0


def test_recursive_alias_is_refused() -> None:
    doc, problems = load_text("a: &x [1, *x]\n", "f.yml")
    assert doc is None and "cycle" in problems[0].message


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_utf8_with_or_without_bom_and_crlf(prefix: bytes, newline: bytes) -> None:
    raw = prefix + newline.join([b"title: Caf\xc3\xa9 \xe2\x80\x94 r\xc3\xa9sum\xc3\xa9", b"role: x", b"steps:", b"  - do: a", b""])
    doc, problems = load_bytes(raw, "f.yml")
    assert problems == []
    assert doc.data["title"] == "Café — résumé"
    assert doc.mark(("steps", 0, "do")).line == 4


def test_invalid_utf8_names_the_file_and_place() -> None:
    doc, problems = load_bytes(b"title: ok\nrole: caf\xe9\n", "sops/tasks/x.yml")
    assert doc is None
    assert str(problems[0]) == "sops/tasks/x.yml:2:10: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8 in your editor"


def test_every_value_keeps_its_line_and_column() -> None:
    doc = load_ok("title: T\nsteps:\n  - do: first\n    steps:\n      - do: nested\n")
    assert doc.mark(("steps", 0, "steps", 0, "do")) .line == 5
    assert doc.mark(("steps", 0, "steps", 0, "do")).col == 13
    assert doc.mark(("steps", 0, "steps", 0, "do"), key=True).col == 9
    # a place that does not exist falls back to its closest parent
    assert doc.mark(("steps", 0, "missing")).line == 3


def test_syntax_error_is_located() -> None:
    _, problems = load_text("a: [1, 2\nb: 3\n", "f.yml")
    # at the '[' that is never closed, not at line 2 where the parser gave up
    assert (problems[0].line, problems[0].col) == (1, 4) and problems[0].message.startswith("invalid YAML:")
    # a mistake no explainer knows keeps the parser's words, still located
    _, problems = load_text("a: b\n--- x\n", "f.yml")
    assert problems[0].line == 2 and problems[0].message.startswith("invalid YAML:")


def test_empty_file_is_an_empty_mapping() -> None:
    assert load_ok("").data == {}
    assert load_ok("# only a comment\n").data == {}


def test_deep_nesting_is_refused() -> None:
    doc, problems = load_text("a: " + "[" * 150 + "]" * 150 + "\n", "f.yml")
    assert doc is None and "nest more than" in problems[0].message


@pytest.mark.parametrize("text", [
    "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "a: " + "[" * 1_000_000,  # unclosed, and deeper than libyaml's composer can recurse
    "a: " + "{a: " * 300_000,
    "- " * 50_000 + "x\n",
], ids=["flow-10k", "flow-1M-unclosed", "mapping-300k", "block-50k"])
def test_very_deep_nesting_is_a_located_error_not_a_crash(text: str) -> None:
    start = time.perf_counter()
    doc, problems = load_text(text, "f.yml")
    assert doc is None
    assert [(p.line, p.message) for p in problems] == [(1, f"values nest more than {MAX_DEPTH} levels deep")]
    assert problems[0].col > MAX_DEPTH  # at the bracket that went one level too deep
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 999, 1_000, 1_001, 4_000, 25_000])
@pytest.mark.parametrize("shape", ["flow", "block", "flow-mapping"])
def test_the_same_message_and_column_whichever_parser_limit_fires_first(shape: str, depth: int) -> None:
    # libyaml 0.2.5 nests until its recursion crashes; the libyaml of PyYAML 6.0.4 stops at
    # 1,000 levels with its own message. Neither may show: the level where sopgen's limit is
    # passed is reported, at the bracket or dash that opened it.
    text, col = {
        "flow": ("a: " + "[" * depth + "]" * depth + "\n", 3 + MAX_DEPTH),
        "block": ("- " * depth + "x\n", 2 * MAX_DEPTH + 1),
        "flow-mapping": ("a: " + "{a: " * depth + "}" * depth + "\n", 4 + 4 * (MAX_DEPTH - 1)),
    }[shape]
    expected = [("f.yml", 1, col, f"values nest more than {MAX_DEPTH} levels deep")]
    doc, problems = load_text(text, "f.yml")
    assert doc is None
    assert [(p.path, p.line, p.col, p.message) for p in problems] == expected
    # and PyYAML's Python parser, used where PyYAML has no libyaml, finds the same place
    pure = yamlsource._too_deep(text, "f.yml", yamlsource._PureParser)
    assert pure is not None and (pure.path, pure.line, pure.col, pure.message) == expected[0]


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    assert load_ok("a: " + "[" * depth + "x" + "]" * depth + "\n").data["a"] is not None


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path) -> None:
    big = tmp_path / "big.yml"
    big.write_bytes(b"title: x\n" + b"# padding\n" * (MAX_FILE_BYTES // 10))
    doc, problems = load_file(big, "sops/tasks/big.yml")
    assert doc is None
    assert [str(p) for p in problems] == [
        f"sops/tasks/big.yml:1:1: the file is larger than {MAX_FILE_BYTES:,} bytes, the most sopgen reads; "
        "split it into several roles or tasks"]


def test_a_file_just_under_the_size_limit_is_read() -> None:
    raw = b"title: x\n" + b"#" * (MAX_FILE_BYTES - 10) + b"\n"
    assert len(raw) <= MAX_FILE_BYTES
    doc, problems = load_bytes(raw, "f.yml")
    assert problems == [] and doc.data == {"title": "x"}
