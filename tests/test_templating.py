"""Template overrides: a project's templates/NAME shadows the default and can extend it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import run
from sopgen.core.errors import TemplateFailed
from sopgen.core.loader import load
from sopgen.print.handbook import handbook
from sopgen.site.pages import render
from sopgen.text.templating import default_templates, environment, search_path
from sopgen.text.views import REVIEW_SECTIONS, review_groups


def rendered(project: Path) -> dict[str, str]:
    site = render(load(project), environment(project), today=date(2026, 11, 25))
    return {path: page.markdown for path, page in site.pages.items()}


def test_defaults_are_found() -> None:
    for name in ["home", "role", "onboarding", "checklists", "sop", "tools", "delegation", "reviews"]:
        assert (default_templates() / f"{name}.md.j2").is_file()


def test_override_extends_the_default(base_project: Path) -> None:
    (base_project / "templates").mkdir()
    (base_project / "templates/sop.md.j2").write_text(
        '{% extends "default:sop.md.j2" %}\n'
        "{% block footer %}\n---\nQuestions? Ask {{ organization.name|text }} in the ops channel.\n{% endblock %}\n")
    pages = rendered(base_project)
    sop = pages["sops/send-invoices.md"]
    assert sop.startswith("# Send client invoices\n")
    assert "## Steps" in sop
    assert sop.rstrip().endswith("Questions? Ask Base Consulting in the ops channel.")
    assert "Questions?" not in pages["roles/bookkeeper/index.md"]


def test_override_replaces_a_block(base_project: Path) -> None:
    (base_project / "templates").mkdir()
    (base_project / "templates/sop.md.j2").write_text(
        '{% extends "default:sop.md.j2" %}\n{% block quiz %}{% endblock %}\n')
    sop = rendered(base_project)["sops/send-invoices.md"]
    assert "When do invoices go out?" not in sop
    assert "## Steps" in sop


def test_override_replaces_the_whole_page(base_project: Path) -> None:
    (base_project / "templates").mkdir()
    (base_project / "templates/tools.md.j2").write_text("# Our tools\n\n{% for t in tools %}- {{ t.name|text }}\n{% endfor %}")
    assert rendered(base_project)["tools.md"] == "# Our tools\n\n- QuickBooks Online\n"


def test_search_path_is_most_specific_first(base_project: Path) -> None:
    assert search_path(base_project) == [default_templates()]
    (base_project / "templates").mkdir()
    assert search_path(base_project) == [base_project / "templates", default_templates()]


def test_sop_text_is_never_a_template(base_project: Path) -> None:
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("- do: Send the invoices.",
                                             "- do: 'Send {{ 7*7 }} invoices {% raw %} now'"))
    sop = rendered(base_project)["sops/send-invoices.md"]
    assert "Send {{ 7*7 }} invoices {% raw %} now" in sop
    assert "49" not in sop


def test_undefined_names_fail_loudly(base_project: Path) -> None:
    (base_project / "templates").mkdir()
    (base_project / "templates/tools.md.j2").write_text("# Tools\n\n{{ no_such_thing }}\n")
    with pytest.raises(TemplateFailed, match=r"^templates/tools.md.j2:3: 'no_such_thing' is undefined"):
        rendered(base_project)


def test_template_errors_stop_the_build_cleanly(base_project: Path) -> None:
    (base_project / "templates").mkdir()
    (base_project / "templates/sop.md.j2").write_text("# {{ task.title|text }\n")
    result = run(base_project, "build", "-d", str(base_project / "out"))
    assert result.exit_code == 1
    assert "error: sopgen: templates/sop.md.j2:1: unexpected '}'" in result.output
    assert "Error: the build failed; the previous site was left as it was" in result.output
    assert "Traceback" not in result.output
    assert not (base_project / "out").exists()


def test_compiled_templates_are_cached_and_an_edit_is_seen(base_project: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (base_project / "templates").mkdir()
    override = base_project / "templates/tools.md.j2"
    override.write_text("# Tools, first version\n")
    assert rendered(base_project)["tools.md"] == "# Tools, first version\n"
    cached = list((tmp_path / "cache/sopgen/templates").iterdir())
    assert len(cached) >= 9  # every page template, compiled once
    override.write_text("# Tools, second version\n")
    assert rendered(base_project)["tools.md"] == "# Tools, second version\n"


def test_an_unwritable_cache_folder_does_not_stop_a_build(base_project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert rendered(base_project)["tools.md"].startswith("# ")


def test_the_reviews_page_and_the_pdf_show_the_same_sections_in_the_same_order(base_project: Path) -> None:
    """One list (text.views.REVIEW_SECTIONS) gives the reviews page its sections and the PDFs' Reviews
    chapter its own: the same titles, in the same order, with the same SOPs in each."""
    today = date(2026, 11, 25)
    page = rendered(base_project)["reviews.md"]
    on_page = re.findall(r"^## (.+) \((\d+)\)$", page, re.M)
    data, _files = handbook(load(base_project), role=None, today=today, version="v1")
    (chapter,) = [c for c in data["chapters"] if c["kind"] == "reviews"]
    in_pdf = [(section["title"], str(len(section["sops"]))) for section in chapter["sections"]]
    assert on_page == in_pdf
    assert [title for title, _count in on_page] == [section.title for section in REVIEW_SECTIONS]
    in_force = [task for task in load(base_project).tasks.values() if task.status != "retired"]
    assert sum(int(count) for _title, count in on_page) == len(in_force) > 0


def test_a_reviews_template_receives_the_sections_to_show(base_project: Path) -> None:
    """``review_sections`` is in the template context (README.md, "What templates receive"): an
    overriding reviews page shows the sections the PDFs show, without a list of its own."""
    (base_project / "templates").mkdir()
    (base_project / "templates/reviews.md.j2").write_text(
        "# Reviews\n{% for s in review_sections %}{{ s.key }}: {{ s.title }} ({{ s.kind }}), "
        "{{ reviews[s.key]|length }}\n{% endfor %}")
    page = rendered(base_project)["reviews.md"]
    groups = review_groups(load(base_project), date(2026, 11, 25))
    assert page.splitlines()[1:] == [f"{s.key}: {s.title} ({s.kind}), {len(groups[s.key])}" for s in REVIEW_SECTIONS]
    assert page.splitlines()[1].startswith("overdue: Overdue (danger), ")


def test_compiled_templates_kept_by_an_earlier_release_with_other_filters_are_not_reused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache of compiled templates outlives an upgrade of sopgen: a template compiled when a
    filter did not take the template's context must be compiled again once it does (the code
    Jinja compiles calls the filter with the context, or without it)."""
    import jinja2

    from sopgen.text.templating import bytecode_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    loader = jinja2.DictLoader({"page.md.j2": "{{ 'x'|shout }}"})

    def shout(value: str) -> str:
        return value.upper() + "!"

    @jinja2.pass_context
    def shout_here(context: jinja2.runtime.Context, value: str) -> str:
        return f"{value.upper()}! on {context.get('page_path')}"

    for shouting, expected in ((shout, "X!"), (shout_here, "X! on index.md"), (shout, "X!")):
        env = jinja2.Environment(loader=loader, bytecode_cache=bytecode_cache())
        env.filters["shout"] = shouting
        assert env.get_template("page.md.j2").render(page_path="index.md") == expected
    assert len(list((tmp_path / "cache/sopgen/templates").iterdir())) == 1  # one file per template


# -- the interface language in a project's own templates (README.md, "Languages") ---------------

def _german(project: Path) -> Path:
    organization = project / "sops/organization.yml"
    organization.write_text(organization.read_text(encoding="utf-8") + "language: de\n", encoding="utf-8")
    return project


def rendered_in(project: Path) -> dict[str, str]:
    """The pages in the organization's language, as a build renders them."""
    from sopgen.text.i18n import language

    catalog = load(project)
    site = render(catalog, environment(project, lang=language(catalog.organization.language)), today=date(2026, 11, 25))
    return {path: page.markdown for path, page in site.pages.items()}


def test_a_template_without_trans_tags_still_renders_in_another_language(base_project: Path) -> None:
    (_german(base_project) / "templates").mkdir()
    (base_project / "templates/tools.md.j2").write_text("# Our tools\n\nAsk {{ organization.name|text }}.\n")
    pages = rendered_in(base_project)
    assert pages["tools.md"] == "# Our tools\n\nAsk Base Consulting.\n"
    assert "## Schritte" in pages["sops/send-invoices.md"]  # the others are sopgen's, in German


def test_a_projects_template_speaks_the_language_through_gettext(base_project: Path) -> None:
    (_german(base_project) / "templates").mkdir()
    (base_project / "templates/sop.md.j2").write_text(
        '{% extends "default:sop.md.j2" %}\n'
        '{% block footer %}\n{{ _("Steps") }} · {{ _("Our own words") }} · {% trans n=3 %}{{ n }} of us{% endtrans %}'
        ' · {{ ngettext("%(num)s task", "%(num)s tasks", 2) }} · {{ today|isodate }}\n{% endblock %}\n')
    sop = rendered_in(base_project)["sops/send-invoices.md"]
    # sopgen's message in German; a message no catalog has, and a plural, as written
    assert sop.rstrip().endswith("Schritte · Our own words · 3 of us · 2 tasks · 25. November 2026")


def test_an_unknown_language_code_renders_in_english(base_project: Path) -> None:
    from sopgen.text.i18n import language

    site = render(load(base_project), environment(base_project, lang=language("sv")), today=date(2026, 11, 25))
    assert "## Steps" in site.pages["sops/send-invoices.md"].markdown


def test_a_template_cannot_reach_the_catalogs_themselves(base_project: Path) -> None:
    (base_project / "templates").mkdir()
    (base_project / "templates/tools.md.j2").write_text("{{ lang.translations.install() }}\n")
    with pytest.raises(TemplateFailed, match="templates/tools.md.j2:1: .*install"):
        rendered(base_project)
    assert lang_said(base_project) == "en"


def lang_said(project: Path) -> str:
    (project / "templates/tools.md.j2").write_text("{{ lang.code }} {{ lang.date(today) }}\n")
    return rendered(project)["tools.md"].split()[0]
