"""Frequencies beyond the named ones: ``every <n> weeks|months`` and ``<n> times a week|month``,
their weekly hours (README.md, "The delegation arithmetic"), how pages and PDFs name them, the
fixes suggested for what authors write instead, and the JSON Schema editors check them with.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import build_tree, run
from test_schema import check

from sopgen.core.loader import load
from sopgen.print.handbook import handbook
from sopgen.site.pages import render
from sopgen.text.templating import environment

TODAY = date(2026, 11, 25)


def set_frequency(project: Path, frequency: str, task: str = "send-invoices") -> Path:
    path = project / "sops" / "tasks" / f"{task}.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("frequency: weekly", f"frequency: {frequency}"), encoding="utf-8")
    return project


# -- the arithmetic --------------------------------------------------------------------------

@pytest.mark.parametrize(("frequency", "runs"), [
    ("every 2 weeks", Fraction(1, 2)),
    ("every 4 weeks", Fraction(1, 4)),
    ("every 2 months", Fraction(12, 104)),
    ("every 6 months", Fraction(12, 312)),
    ("3 times a week", Fraction(3)),
    ("2 times a month", Fraction(24, 52)),
    ("every  2   weeks", Fraction(1, 2)),  # spacing is tidied
])
def test_weekly_hours_of_each_new_form(base_project: Path, frequency: str, runs: Fraction) -> None:
    task = load(set_frequency(base_project, frequency)).tasks["send-invoices"]  # 4h a run
    assert task.exact_hours == runs * 4
    assert task.weekly_hours == pytest.approx(float(runs * 4))


def test_money_follows_the_runs_a_week(base_project: Path) -> None:
    # 4 h every 2 weeks is 2 h a week: the owner's 2 h at 250, a bookkeeper's at 25-50
    task = load(set_frequency(base_project, "every 2 weeks")).tasks["send-invoices"]
    assert (task.owner_cost.low, task.owner_cost.high) == (500, 500)
    assert (task.delegate_cost.low, task.delegate_cost.high) == (50, 100)
    assert (task.value_freed.low, task.value_freed.high) == (400, 450)


# -- how they are shown -------------------------------------------------------------------------

def test_pages_name_the_new_forms_in_words(base_project: Path) -> None:
    set_frequency(base_project, "every 2 weeks")
    catalog = load(base_project)
    site = render(catalog, environment(base_project), today=TODAY)
    sop = site.pages["sops/send-invoices.md"].markdown
    assert "- **Frequency:** Every 2 weeks" in sop
    assert 'data-sopgen-period="week:2"' in sop  # its ticks last two weeks
    role = site.pages["roles/bookkeeper/index.md"].markdown
    assert "| Every 2 weeks | 4 h | 2 h |" in role
    assert "## Every 2 weeks" in site.pages["roles/bookkeeper/checklists.md"].markdown
    assert "— every 2 weeks, 4 h a run" in site.pages["roles/bookkeeper/onboarding.md"].markdown


def test_pdfs_name_the_new_forms_in_words(base_project: Path) -> None:
    set_frequency(base_project, "3 times a week")
    catalog = load(base_project)
    data, _files = handbook(catalog, role=catalog.roles["bookkeeper"], today=TODAY, version="v1")
    manual = next(c for c in data["chapters"] if c["kind"] == "manual")
    assert {p["frequency"] for p in manual["procedures"]} == {"3 times a week", "Monthly"}
    checklists = next(c for c in data["chapters"] if c["kind"] == "checklists")
    assert [g["title"] for g in checklists["groups"]] == ["3 times a week", "Monthly"]
    sop = next(c for c in data["chapters"] if c["kind"] == "sop" and "send" in c["label"])
    assert ["Frequency", "3 times a week"] in sop["facts"]


@pytest.mark.parametrize(("frequency", "before_monthly"), [("every 4 weeks", True), ("every 6 weeks", False)])
def test_checklist_groups_come_by_runs_a_week(base_project: Path, frequency: str, before_monthly: bool) -> None:
    # reconcile-bank is monthly (12/52 runs a week): every 4 weeks (1/4) runs more often, every 6 weeks (1/6) less
    set_frequency(base_project, frequency)
    page = render(load(base_project), environment(base_project), today=TODAY).pages[
        "roles/bookkeeper/checklists.md"].markdown
    assert (page.index(f"## {frequency.capitalize()}") < page.index("## Monthly")) is before_monthly


# -- what authors write instead -----------------------------------------------------------------

@pytest.mark.parametrize(("written", "message"), [
    ("biweekly", "'biweekly' is said both for once every 2 weeks and for 2 times a week: "
                 "write 'every 2 weeks' or '2 times a week'"),
    ("bi-weekly", "write 'every 2 weeks' or '2 times a week'"),
    ("bimonthly", "'bimonthly' is said both for once every 2 months and for 2 times a month: "
                  "write 'every 2 months' or '2 times a month'"),
    ("fortnightly", "'fortnightly' is not a frequency — did you mean 'every 2 weeks'?"),
    ("semiannually", "did you mean 'every 6 months'?"),
    ("twice a year", "did you mean 'every 6 months'?"),
    ("twice a week", "did you mean '2 times a week'?"),
    ("twice weekly", "did you mean '2 times a week'?"),
    ("3x per week", "did you mean '3 times a week'?"),
    ("once a month", "did you mean 'monthly'?"),
    ("every week", "did you mean 'weekly'?"),
    ("every other week", "did you mean 'every 2 weeks'?"),
    ("Every 2 Weeks", "did you mean 'every 2 weeks'?"),
    ("every 2 week", "did you mean 'every 2 weeks'?"),
    ("annually", "did you mean 'yearly'?"),
    ("Weekly", "did you mean 'weekly'?"),
    ("as needed", "did you mean 'as-needed'?"),
    ("every 2 years", "did you mean 'every 24 months'?"),
    ("2 times a day", "did you mean '10 times a week'?"),
    ("sometimes", "'sometimes' is not a frequency: write daily, weekly, monthly, quarterly, yearly, "
                  "as-needed, every <n> weeks, every <n> months, <n> times a week or <n> times a month"),
    ("every 0 weeks", "'every 0 weeks' never runs: the number must be 1 or more "
                      "(write as-needed for a task with no schedule)"),
    ("0 times a month", "'0 times a month' never runs"),
    ("every 1 weeks", "'every 1 weeks' is 'weekly': write weekly"),
    ("1 times a month", "'1 times a month' is 'monthly': write monthly"),
    ("every 9999 weeks", "'every 9999 weeks' is too long: at most every 5,218 weeks (100 years)"),
    ("5000 times a week", "'5000 times a week' is too many: at most 1,000 times a week"),
    ("true", "expected a frequency, got true"),
])
def test_a_frequency_not_written_as_the_format_says_is_a_located_error_with_the_fix(
        base_project: Path, written: str, message: str) -> None:
    result = run(set_frequency(base_project, written), "validate")
    assert result.exit_code == 1, result.output
    located = [line for line in result.output.splitlines()
               if line.startswith("sops/tasks/send-invoices.yml:4:12: frequency: ")]
    assert len(located) == 1, result.output
    assert message in located[0]
    assert "Traceback" not in result.output


def test_biweekly_no_longer_suggests_weekly(base_project: Path) -> None:
    result = run(set_frequency(base_project, "biweekly"), "validate")
    assert "'weekly'" not in result.output


# -- the JSON Schema ----------------------------------------------------------------------------

@pytest.mark.parametrize(("frequency", "valid"), [
    ("weekly", True), ("every 2 weeks", True), ("every 12 months", True), ("3 times a week", True),
    ("2 times a month", True), ("fortnightly", False), ("every 0 weeks", False), ("every 1 weeks", False),
    ("twice a week", False), ("2 times a day", False),
])
def test_editors_check_frequencies_with_the_schema(base_project: Path, frequency: str, valid: bool) -> None:
    set_frequency(base_project, f'"{frequency}"')
    assert run(base_project, "schema", "--write").exit_code == 0
    result = check(base_project, "task", [base_project / "sops" / "tasks" / "send-invoices.yml"])
    assert (result.returncode == 0) is valid, result.stdout + result.stderr


def test_schema_describes_the_forms() -> None:
    from sopgen.core.schema import json_schema

    frequency = json_schema("task")["properties"]["frequency"]
    assert "every <n> weeks" in frequency["description"]


def test_a_new_form_builds_a_valid_project(tmp_path: Path) -> None:
    project = build_tree(tmp_path / "p", {
        "mkdocs.yml": "site_name: Clinic\nplugins: [sopgen]\n",
        "sops/roles/desk.yml": "title: Desk\nsummary: The desk.\nrate: 20\n",
        "sops/tasks/clean.yml": "title: Clean\nrole: desk\npurpose: Clean.\nfrequency: every 2 weeks\n"
                                "duration: 1h\nsteps:\n  - do: Clean.\n",
    })
    result = run(project, "validate", "--strict")
    assert result.exit_code == 0, result.output
