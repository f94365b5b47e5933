"""Translated content at the data level (README.md, "Translating the handbook"): what a text is,
Babel's update of a catalog, and a catalog applied to the project with its stale texts marked."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

from conftest import REPO, build_tree
from i18nhelp import edit, fill, messages, po_of, update
from sopgen.core import model
from sopgen.core.fields import Id, Text
from sopgen.core.loader import load
from sopgen.core.pofile import read
from sopgen.core.translatable import NOT_TRANSLATED, source_texts, template
from sopgen.core.translation import Stale, translate
from sopgen.core.walk import _unwrap, prose_fields, prose_values

# -- what a text is -----------------------------------------------------------------------

TRANSLATED = {
    "Role": {"title", "summary", "engagement", "responsibilities", "skills"},
    "Tool": {"purpose", "access"},
    "Training": {"method"},
    "Recording": {"title"},
    "Phase": {"phase", "goals"},
    "Benchmark": {"objective", "measure", "target", "by", "unit"},
    "Task": {"title", "purpose", "trigger", "checklist", "done_when"},
    "Step": {"do", "details", "why", "tip", "warning"},
    "QuizQuestion": {"question", "choices"},
    "Organization": set(),
}
"""The fields whose values a translator translates, as README.md lists them."""


def _is_string(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Literal:
        return all(isinstance(a, str) for a in get_args(annotation))
    if origin is not None:
        return any(_is_string(a) for a in get_args(annotation) if a is not type(None))
    return annotation is str


def _models(root: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    seen.add(root)
    for info in root.model_fields.values():
        for arg in [info.annotation, *typing.get_args(info.annotation)]:
            inner = _unwrap(arg)
            if inner is not None and inner not in seen:
                _models(inner, seen)
    return seen


def test_every_string_field_is_translated_or_listed_as_not() -> None:
    """A field of text added to the format is translated without a word elsewhere; any other
    string field (an id, an address, a path) must be listed in NOT_TRANSLATED, with why."""
    models: set[type[BaseModel]] = set()
    for kind in (model.Organization, model.Role, model.Task):
        _models(kind, models)
    translated: dict[str, set[str]] = {}
    for cls in models:
        kinds = dict(prose_fields(cls))
        for name, info in cls.model_fields.items():
            if not _is_string(info.annotation):
                continue
            listed = (cls, name) in NOT_TRANSLATED
            text = kinds.get(name) in ("text", "markdown")
            assert listed or text, f"{cls.__name__}.{name} is a string that is neither text nor in NOT_TRANSLATED"
            if text and not listed:
                translated.setdefault(cls.__name__, set()).add(name)
    assert {k: v for k, v in translated.items() if v} == {k: v for k, v in TRANSLATED.items() if v}
    for cls, name in NOT_TRANSLATED:
        assert name in cls.model_fields, (cls, name)


def test_a_text_field_added_to_a_model_is_found_by_the_walk() -> None:
    class Extra(model.Model):
        note: Text
        code: Id
        notes: list[Text] = []

    found = list(prose_values(Extra(note="Say hello", code="x", notes=["One", "Two"])))
    assert found == [(("note",), "Say hello", False), (("notes", 0), "One", False), (("notes", 1), "Two", False)]


def test_the_texts_of_a_project_with_their_files_and_lines(base_project: Path) -> None:
    catalog = load(base_project)
    texts = source_texts(catalog)
    send = [t for t in texts if t.context == "tasks/send-invoices"]
    assert [(t.text, t.line, t.field) for t in send] == [
        ("Send client invoices", 1, "title"),
        ("Clients pay on time when invoices go out on time.", 3, "purpose (Markdown)"),
        ("Export the week's billable hours.", 8, "steps[0].do (Markdown)"),
        ("Create one invoice per client.", 10, "steps[1].do (Markdown)"),
        ("Check the rate.", 12, "steps[1].steps[0].do (Markdown)"),
        ("Check the terms.", 13, "steps[1].steps[1].do (Markdown)"),
        ("Send the invoices.", 14, "steps[2].do (Markdown)"),
        ("When do invoices go out?", 16, "quiz[0].question"),
        ("Friday", 17, "quiz[0].choices[0]"),
        ("Monday", 17, "quiz[0].choices[1]"),
    ]
    assert {t.path for t in send} == {"sops/tasks/send-invoices.yml"}
    # ids, paths, tool names, durations and the business's name are no texts
    everything = {t.text for t in texts}
    assert not everything & {"bookkeeper", "media/screen.svg", "QuickBooks Online", "4h", "weekly", "Base Consulting"}
    assert {t.context for t in texts} == {"roles/bookkeeper", "roles/owner", "tasks/reconcile-bank", "tasks/send-invoices"}


def test_a_text_written_twice_in_a_file_is_one_entry_with_both_places(base_project: Path) -> None:
    edit(base_project / "sops/tasks/send-invoices.yml", "      - do: Check the terms.", "      - do: Check the rate.")
    entries = template(source_texts(load(base_project)))
    message = entries.get("Check the rate.", "tasks/send-invoices")
    assert message.locations == [("sops/tasks/send-invoices.yml", 12), ("sops/tasks/send-invoices.yml", 13)]
    assert message.auto_comments == ["steps[1].steps[0].do (Markdown)", "steps[1].steps[1].do (Markdown)"]


# -- a catalog applied ----------------------------------------------------------------------

def _example(tmp_path: Path) -> Path:
    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.rmtree(project / "sops" / "locale", ignore_errors=True)
    return project


def _pairs(source: Any, translated: Any, loc: tuple = ()) -> typing.Iterator[tuple[tuple, Any, Any]]:
    if isinstance(source, dict):
        assert source.keys() == translated.keys(), loc
        for key in source:
            yield from _pairs(source[key], translated[key], loc + (key,))
    elif isinstance(source, list):
        assert len(source) == len(translated), loc
        for i, (a, b) in enumerate(zip(source, translated)):
            yield from _pairs(a, b, loc + (i,))
    else:
        yield loc, source, translated


def test_a_translated_project_changes_every_text_and_nothing_else(tmp_path: Path) -> None:
    project = _example(tmp_path)
    update(project, "es")
    fill(project)
    catalog = load(project)
    result = translate(catalog, read(project, project / "sops", "es").messages, "es")
    assert result.stale == {}
    out = result.catalog
    texts = {(t.context, t.loc) for t in source_texts(catalog)}
    assert len(texts) > 500
    for table, context in (("roles", "roles/"), ("tasks", "tasks/")):
        source_entries, translated_entries = getattr(catalog, table), getattr(out, table)
        assert list(source_entries) == list(translated_entries)
        for ident, entry in source_entries.items():
            done = translated_entries[ident]
            assert done.source is entry.source
            for loc, before, after in _pairs(entry.data.model_dump(), done.data.model_dump()):
                if (context + ident, loc) in texts:
                    assert after == f"ES: {before}" and type(after) is str, (ident, loc)
                elif loc[-1] == "id" and "benchmarks" in loc and before is None:
                    # results name a benchmark by the slug of its source objective, in every language
                    benchmark = entry.data.benchmarks[loc[1]] if loc[0] == "benchmarks" else None
                    assert after == benchmark.key, (ident, loc)
                else:
                    assert after == before, (ident, loc)
    # links between entries are made again, on the translated entries
    task = out.tasks["triage-inbox"]
    assert task.role is out.roles["virtual-assistant"] and task.role.title == "ES: Virtual Assistant"
    assert out.roles["virtual-assistant"].onboarding[0].tasks == [task]
    assert out.organization == catalog.organization  # nothing of organization.yml is translated
    assert [p.id for p in out.people.values()] == [p.id for p in catalog.people.values()]
    assert [t.key for t in task.benchmarks] == [t.key for t in catalog.tasks["triage-inbox"].benchmarks]


def test_stale_texts_keep_the_source_marked_and_are_counted_per_file(base_project: Path) -> None:
    update(base_project, "es")
    fill(base_project, only=lambda context, text: text != "Check the terms.")
    edit(base_project / "sops/tasks/send-invoices.yml", "Send the invoices.", "Send the invoices by email.")
    update(base_project, "es")
    catalog = load(base_project)
    result = translate(catalog, read(base_project, base_project / "sops", "es").messages, "es")
    steps = result.catalog.tasks["send-invoices"].steps
    missing, fuzzy = steps[1].steps[1].do, steps[2].do
    assert isinstance(missing, Stale) and missing == "Check the terms." and missing.reason == "missing"
    assert missing.translation is None
    assert isinstance(fuzzy, Stale) and fuzzy == "Send the invoices by email." and fuzzy.reason == "fuzzy"
    assert fuzzy.translation == "ES: Send the invoices."
    assert steps[0].do == "ES: Export the week's billable hours." and not isinstance(steps[0].do, Stale)
    assert result.stale == {"tasks/send-invoices": 2}
    assert result.stale_in(result.catalog.tasks["send-invoices"]) == 2
    assert result.stale_in(result.catalog.tasks["reconcile-bank"]) == 0


def test_a_stale_text_keeps_its_mark_when_copied_or_pickled() -> None:
    import copy
    import pickle

    text = Stale("Send the invoices.", "fuzzy", "Envía las facturas.")
    for again in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert isinstance(again, Stale) and again == text
        assert (again.reason, again.translation) == ("fuzzy", "Envía las facturas.")


def test_without_a_catalog_every_text_is_stale(base_project: Path) -> None:
    catalog = load(base_project)
    result = translate(catalog, None, "es")
    assert result.catalog.tasks["reconcile-bank"].title == Stale("Reconcile the bank account", "missing")
    assert result.stale["tasks/reconcile-bank"] == 3


# -- Babel's update ------------------------------------------------------------------------

def test_a_step_changed_a_little_is_fuzzy_with_its_old_translation_and_previous_text(base_project: Path) -> None:
    update(base_project, "es")
    fill(base_project)
    edit(base_project / "sops/tasks/send-invoices.yml", "Create one invoice per client.",
         "Create one invoice per client and project.")
    update(base_project, "es")
    text = po_of(base_project).read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid "Create one invoice per client."\nmsgctxt "tasks/send-invoices"\n'
            'msgid "Create one invoice per client and project."\nmsgstr "ES: Create one invoice per client."\n') in text
    fuzzy = [m for m in messages(base_project) if m.fuzzy]
    assert [(m.context, m.id) for m in fuzzy] == [("tasks/send-invoices", "Create one invoice per client and project.")]
    assert "#~" not in text  # the old text lives on as the previous text, not as an obsolete entry
    # a second update changes nothing, the previous text included (Babel alone would drop it)
    update(base_project, "es")
    assert po_of(base_project).read_text(encoding="utf-8") == text


def test_a_step_rewritten_entirely_is_new_and_its_old_entry_obsolete(base_project: Path) -> None:
    update(base_project, "es")
    fill(base_project)
    edit(base_project / "sops/tasks/reconcile-bank.yml", "Match each transaction.",
         "Download the statement from the bank's portal as CSV.")
    update(base_project, "es")
    found = messages(base_project)
    new = found.get("Download the statement from the bank's portal as CSV.", "tasks/reconcile-bank")
    assert new.string == "" and not new.fuzzy
    assert [(m.context, m.id, m.string) for m in found.obsolete.values()] == [
        ("tasks/reconcile-bank", "Match each transaction.", "ES: Match each transaction.")]
    assert '#~ msgctxt "tasks/reconcile-bank"\n#~ msgid "Match each transaction."\n' in po_of(base_project).read_text()


def test_the_same_text_in_two_files_is_two_entries(base_project: Path) -> None:
    edit(base_project / "sops/tasks/reconcile-bank.yml", "Match each transaction.", "Check the rate.")
    update(base_project, "es")
    fill(base_project, only=lambda context, text: context == "tasks/send-invoices")
    found = messages(base_project)
    assert found.get("Check the rate.", "tasks/send-invoices").string == "ES: Check the rate."
    assert found.get("Check the rate.", "tasks/reconcile-bank").string == ""


def test_update_keeps_comments_and_header_and_follows_the_sources_order(base_project: Path) -> None:
    update(base_project, "es")
    po = po_of(base_project)
    text = po.read_text(encoding="utf-8")
    assert '"Language: es\\n"' in text and '"Plural-Forms: nplurals=' in text
    text = text.replace("Last-Translator: FULL NAME <EMAIL@ADDRESS>", "Last-Translator: Ana Souza <ana@example.com>")
    text = text.replace('msgctxt "tasks/send-invoices"\nmsgid "Check the rate."',
                        '# Ana: "tarifa", not "precio"\nmsgctxt "tasks/send-invoices"\nmsgid "Check the rate."')
    po.write_text(text, encoding="utf-8")
    edit(base_project / "sops/tasks/send-invoices.yml", "  - do: Send the invoices.",
         "  - do: Send the invoices.\n  - do: File a copy of each invoice.")
    update(base_project, "es")
    after = po.read_text(encoding="utf-8")
    assert "Last-Translator: Ana Souza <ana@example.com>" in after and '# Ana: "tarifa", not "precio"\n' in after
    order = [m.id for m in messages(base_project) if m.context == "tasks/send-invoices"]
    assert order.index("Send the invoices.") + 1 == order.index("File a copy of each invoice.")
    assert order.index("File a copy of each invoice.") < order.index("When do invoices go out?")
    assert "python-format" not in after


def test_two_languages_each_their_own_catalog(base_project: Path) -> None:
    build_tree(base_project, {"sops/organization.yml": "name: Base Consulting\nowner: owner\ntranslations: [es, pt-BR]\n"})
    output = update(base_project)
    assert "sops/locale/es.po" in output and "sops/locale/pt-BR.po" in output
    fill(base_project, "pt-BR", translate=lambda text: f"PT: {text}")
    assert '"Language: pt_BR\\n"' in po_of(base_project, "pt-BR").read_text()
    catalog = load(base_project)
    pt = translate(catalog, read(base_project, base_project / "sops", "pt-BR").messages, "pt-BR")
    es = translate(catalog, read(base_project, base_project / "sops", "es").messages, "es")
    assert pt.catalog.tasks["send-invoices"].title == "PT: Send client invoices" and pt.stale == {}
    assert isinstance(es.catalog.tasks["send-invoices"].title, Stale)


@pytest.mark.parametrize("ends", ["\r\n", "\n"])
def test_a_catalog_with_windows_line_ends_is_read_and_kept_so(tmp_path: Path, base_project: Path, ends: str) -> None:
    project = tmp_path / "Manual de operación" / "proyecto"
    shutil.copytree(base_project, project)
    update(project, "es")
    fill(project)
    po = po_of(project)
    po.write_bytes(po.read_bytes().replace(b"\n", ends.encode()))
    catalog = load(project)
    result = translate(catalog, read(project, project / "sops", "es").messages, "es")
    assert result.stale == {} and result.catalog.tasks["send-invoices"].steps[2].do == "ES: Send the invoices."
    edit(project / "sops/tasks/send-invoices.yml", "Send the invoices.", "Send the invoices today.")
    update(project, "es")
    data = po.read_bytes()
    assert data.count(b"\r\n") == (data.count(b"\n") if ends == "\r\n" else 0)
    assert "#| msgid \"Send the invoices.\"" in data.decode()


def test_the_previous_text_of_a_long_step_is_written_as_gettext_reads_it(base_project: Path) -> None:
    """Babel rewraps a previous text of several lines into lines no PO reader takes; sopgen writes
    it as msgmerge does, reads it back, and a second update changes nothing."""
    import shutil as which
    import subprocess

    long = ("Export the week's billable hours from Harvest as a CSV file, one row per client and "
            "project, with the rates the contract gives.")
    edit(base_project / "sops/tasks/send-invoices.yml", "Export the week's billable hours.", long)
    update(base_project, "es")
    fill(base_project)
    edit(base_project / "sops/tasks/send-invoices.yml", long, long.replace("a CSV file", "a spreadsheet"))
    update(base_project, "es")
    text = po_of(base_project).read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid ""\n#| "Export the week\'s billable hours from Harvest as a CSV file, one row "\n'
            '#| "per client and project, with the rates the contract gives."\nmsgctxt "tasks/send-invoices"\n') in text
    update(base_project, "es")
    assert po_of(base_project).read_text(encoding="utf-8") == text
    [fuzzy] = [m for m in read(base_project, base_project / "sops", "es").messages if m.fuzzy]
    assert fuzzy.previous_id == [long]
    if which.which("msgfmt"):  # GNU gettext, where installed, reads the file as it is
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_of(base_project))],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_the_examples_spanish_catalog_is_current_with_one_step_stale(tmp_path: Path) -> None:
    """sops/locale/es.po translates the virtual assistant's role and SOPs; one step changed after
    its translation, so exactly that entry is stale (fuzzy), and the catalog is up to date."""
    from sopgen.core.validate import validate

    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    assert list(load(project).organization.translations) == ["es"]  # the example publishes it
    before = po_of(project).read_bytes()
    assert "unchanged: sops/locale/es.po" in update(project)
    assert po_of(project).read_bytes() == before
    catalog = load(project)
    result = translate(catalog, read(project, project / "sops", "es").messages, "es")
    assistant = {"roles/virtual-assistant"} | {f"tasks/{t.id}" for t in catalog.roles["virtual-assistant"].tasks}
    assert len(assistant) == 6
    assert {c: n for c, n in result.stale.items() if c in assistant} == {"tasks/manage-owner-calendar": 1}
    step = result.catalog.tasks["manage-owner-calendar"].steps[0].do
    assert isinstance(step, Stale) and step.reason == "fuzzy" and step.translation.startswith("Abre la semana")
    assert result.catalog.tasks["triage-inbox"].title == "Clasificar la bandeja de entrada de la dueña"
    assert result.catalog.roles["virtual-assistant"].onboarding[0].phase == "Día 1"
    assert [p for p in validate(catalog) if p.path.endswith(".po")] == []


def test_a_new_text_much_like_a_translated_one_elsewhere_starts_fuzzy_with_it(base_project: Path) -> None:
    """Babel's fuzzy matching looks at every translated text, whatever its file: a new SOP that
    repeats another's step almost word for word starts with that translation as a fuzzy suggestion,
    and the step it came from keeps its own translation."""
    update(base_project, "es")
    fill(base_project)
    build_tree(base_project, {"sops/tasks/pay-bills.yml": """
        title: Pay the bills
        role: bookkeeper
        purpose: Suppliers are paid on time.
        steps:
          - do: Check the rates.
    """})
    update(base_project, "es")
    found = read(base_project, base_project / "sops", "es").messages
    suggested = found.get("Check the rates.", "tasks/pay-bills")
    assert suggested.fuzzy and suggested.string == "ES: Check the rate." and suggested.previous_id == ["Check the rate."]
    assert found.get("Check the rate.", "tasks/send-invoices").string == "ES: Check the rate."
    assert not found.get("Check the rate.", "tasks/send-invoices").fuzzy
    assert found.get("Pay the bills", "tasks/pay-bills").string == ""
