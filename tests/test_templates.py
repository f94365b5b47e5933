"""`sopgen templates list/explain/eject`, and the documented context of every template."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from jinja2 import meta, nodes

from click.testing import CliRunner

from conftest import REPO, run
from sopgen.cli.main import main
from sopgen.text.templating import default_templates, environment
from sopgen.core.errors import TemplateExists
from sopgen.cli.templates import default_names, eject, explain, listing


def test_list_marks_the_overridden_templates(base_project: Path) -> None:
    (base_project / "templates").mkdir()
    (base_project / "templates/role.md.j2").write_text('{% extends "default:role.md.j2" %}\n')
    result = run(base_project, "templates", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "role.md.j2  (overridden by templates/role.md.j2)" in lines
    assert "sop.md.j2" in lines and "pdf/handbook.typ" in lines and "new/task.yml.j2" in lines
    assert len(lines) == len(default_names())


def test_explain_shows_the_search_path_and_the_winner(base_project: Path) -> None:
    before = run(base_project, "templates", "explain", "sop.md.j2").output.splitlines()
    assert before[0].startswith("1.   absent: ")
    assert before[0].endswith("templates/sop.md.j2  (no templates/ folder in the project)")
    assert before[1].startswith("2. → used: ") and before[1].endswith(
        "sop.md.j2  (also reachable as default:sop.md.j2)")
    assert run(base_project, "templates", "eject", "sop.md.j2").exit_code == 0
    after = run(base_project, "templates", "explain", "default:sop.md.j2").output.splitlines()
    assert after[0].startswith("1. → used: ") and after[0].endswith("templates/sop.md.j2")
    assert after[1].startswith("2.   found: ")


def test_eject_copies_the_default_and_the_build_uses_it(base_project: Path, tmp_path: Path) -> None:
    result = run(base_project, "templates", "eject", "pdf/handbook.typ")
    assert result.exit_code == 0 and result.output == "created templates/pdf/handbook.typ\n"
    copy = base_project / "templates/pdf/handbook.typ"
    assert copy.read_bytes() == (default_templates() / "pdf/handbook.typ").read_bytes()
    copy.write_text(copy.read_text().replace("#cover(data,", "Ejected and adapted.\n#cover(data,"))
    assert run(base_project, "pdf", "--role", "bookkeeper", "-o", str(tmp_path)).exit_code == 0
    from pypdf import PdfReader

    assert "Ejected and adapted." in PdfReader(tmp_path / "bookkeeper.pdf").pages[0].extract_text()

    assert run(base_project, "templates", "eject", "sop.md.j2").exit_code == 0
    sop = base_project / "templates/sop.md.j2"
    sop.write_text(sop.read_text() + "\nEjected and adapted.\n")
    from datetime import date

    from sopgen.core.loader import load
    from sopgen.site.pages import render

    site = render(load(base_project), environment(base_project), today=date(2026, 11, 25))
    assert site.pages["sops/send-invoices.md"].markdown.rstrip().endswith("Ejected and adapted.")


def test_eject_refuses_to_overwrite_without_force(base_project: Path) -> None:
    assert run(base_project, "templates", "eject", "sop.md.j2").exit_code == 0
    mine = base_project / "templates/sop.md.j2"
    mine.write_text("mine\n")
    again = run(base_project, "templates", "eject", "sop.md.j2")
    assert again.exit_code == 1
    assert again.output == "Error: templates/sop.md.j2 already exists (use --force to replace it with the default)\n"
    assert mine.read_text() == "mine\n"
    assert run(base_project, "templates", "eject", "sop.md.j2", "--force").exit_code == 0
    assert mine.read_text() != "mine\n"


@pytest.mark.parametrize("command", ["eject", "explain"])
def test_unknown_name_is_an_error_with_a_suggestion(base_project: Path, command: str) -> None:
    result = run(base_project, "templates", command, "sop.md")
    assert result.exit_code == 1
    assert result.output == "Error: no template 'sop.md' — did you mean 'sop.md.j2'?\n"
    assert not (base_project / "templates").exists()


def test_init_templates_cannot_be_ejected(base_project: Path) -> None:
    result = run(base_project, "templates", "eject", "init/mkdocs.yml.j2")
    assert result.exit_code == 1 and "cannot be overridden" in result.output


# -- the documented context ------------------------------------------------------------

README = (REPO / "README.md").read_text(encoding="utf-8")


def _table(header: str) -> list[list[str]]:
    """The rows of the README table under ``header``, as lists of cells."""
    block = README[README.index(header):].split("\n\n", 1)[0].splitlines()[2:]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in block]


def _names(cell: str) -> set[str]:
    return set(re.findall(r"`([A-Za-z_][\w-]*)", cell))  # `money(range, per=1)` names money


def documented(template: str) -> set[str]:
    """The names README.md says ``template`` receives."""
    rows = [r for r in _table("| template | also receives |") if any(
        fnmatch.fnmatch(template, pattern) for pattern in re.findall(r"`([^`]+)`", r[0]))]
    assert len(rows) == 1, f"{template} has no row (or several) in README.md's 'What templates receive'"
    own = rows[0][1]
    if own.startswith("only:"):
        return _names(own)
    shared = set()
    for name, meaning in _table("| name | what it is |"):
        if template.endswith(".md.j2") or not meaning.startswith("pages only"):
            shared |= _names(name)
    return shared | _names(own)


def used(template: str) -> set[str]:
    """Names ``template`` takes from its context: undeclared, not Jinja's globals, not its own imports."""
    env = environment(None, filters={"yaml_scalar": str, "markdown": str})
    tree = env.parse((default_templates() / template).read_text(encoding="utf-8"))
    imported = {n.target for n in tree.find_all(nodes.Import)}  # seen as undeclared inside blocks
    return meta.find_undeclared_variables(tree) - set(env.globals) - imported


@pytest.mark.parametrize("template", [name for name in default_names() if name.endswith(".j2")])
def test_every_name_a_template_uses_is_documented(template: str) -> None:
    missing = used(template) - documented(template)
    assert not missing, f"{template} uses {sorted(missing)}: document them in README.md, 'What templates receive'"


def pdf_data_keys(template: str) -> set[str]:
    """The data keys a PDF template reads: ``data.x``, and ``c.x``, ``s.x``… of the parts of it."""
    source = (default_templates() / template).read_text(encoding="utf-8")
    source = re.sub(r'//[^\n]*|"[^"\n]*"', "", source)  # comments and strings ("data.json")
    return set(re.findall(r"\b(?:data|c|s|t|r|p|q|a|x|u|b|ch|row|cell|phase|group|person|sop|chapter|mark)"
                          r"\.([a-z_]+)\b", source)) - {"at", "len", "map", "slice", "join", "first", "last",
                                                     "flatten", "filter", "enumerate", "rev", "sum"}


@pytest.mark.parametrize("template", [name for name in default_names() if name.endswith(".typ")])
def test_every_data_key_a_pdf_template_reads_is_documented(template: str) -> None:
    section = README[README.index("### PDF templates"):README.index("## Hosting the handbook")]
    missing = {key for key in pdf_data_keys(template) if f"`{key}`" not in section}
    assert not missing, f"{template} reads {sorted(missing)}: document them in README.md, 'PDF templates'"


def test_the_check_sees_a_name_that_is_not_documented() -> None:
    env = environment(None)
    tree = env.parse("{{ secret_sauce }} {{ role.title }}")
    assert meta.find_undeclared_variables(tree) - documented("role.md.j2") == {"secret_sauce"}


def test_sopgens_own_folder_is_not_an_override_of_itself() -> None:
    """In sopgen's repository the example project's templates/ is the default folder."""
    assert all("overridden" not in line for line in listing(REPO))
    (only,) = explain(REPO, "sop.md.j2")
    assert only.wins and "sopgen's own default folder" in only.note
    with pytest.raises(TemplateExists, match="edit templates/sop.md.j2 there"):
        eject(REPO, "sop.md.j2", force=True)


def _keys(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], int, int]]:
    """Every key of a composed YAML document: its path, the line of the key and the last line of its value."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = loc + (key.value,)
            last = value.end_mark.line - (1 if value.end_mark.column == 0 else 0)
            yield here, key.start_mark.line, max(last, key.start_mark.line)
            yield from _keys(value, here)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _keys(item, loc + (i,))


def starter_files(tmp_path: Path) -> dict[Path, type]:
    from sopgen.core.model import Organization, Role, Task

    project = tmp_path / "acme"
    assert CliRunner().invoke(main, ["init", str(project)]).exit_code == 0
    assert run(project, "new", "role", "bookkeeper").exit_code == 0
    assert run(project, "new", "task", "send-invoices", "--role", "bookkeeper").exit_code == 0
    return {path: Organization if path.name == "organization.yml" else Role if path.parent.name == "roles" else Task
            for path in sorted((project / "sops").rglob("*.yml"))}


def test_the_starter_files_mark_every_markdown_field_md(tmp_path: Path) -> None:
    """The files of `sopgen init` and `sopgen new` say "Fields marked (md) take Markdown": the first
    occurrence of each Markdown field (by the model, so the marks cannot drift from it) carries "(md)" on
    its lines, no other field does, and a file with Markdown fields says what the mark means."""
    from sopgen.core.walk import is_markdown, model_at

    checked = set()
    for path, model in starter_files(tmp_path).items():
        lines = path.read_text(encoding="utf-8").splitlines()
        keys = list(_keys(yaml.compose("\n".join(lines))))
        markdown_lines = {n for loc, first, last in keys if is_markdown(model, loc) for n in range(first, last + 1)}
        seen = set()
        for loc, first, last in keys:
            shape = tuple(p for p in loc if not isinstance(p, int))
            where = f"{path.name}:{first + 1}: {'.'.join(shape)}"
            if not is_markdown(model, loc):
                assert first in markdown_lines or "(md)" not in lines[first], f"{where} is not Markdown but marked (md)"
            elif (field := (model_at(model, shape[:-1]), shape[-1])) not in seen:  # a sub-step's do is a step's do
                assert any("(md)" in line for line in lines[first:last + 1]), f"{where} is Markdown: mark it (md)"
                seen.add(field)
                checked.add((model.__name__, shape))
        if seen:
            assert "Fields marked (md) take Markdown" in path.read_text(encoding="utf-8"), path.name
    assert {("Task", ("purpose",)), ("Task", ("steps", "do")), ("Role", ("summary",)),
            ("Role", ("tools", "purpose"))} <= checked
