"""The catalog: relations and the delegation arithmetic of README.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import build_tree

from sopgen.core.durations import Duration
from sopgen.core.loader import load
from sopgen.core.money import Range
from sopgen.core.validate import validate

SEED = {
    "mkdocs.yml": "site_name: Seed\n",
    "sops/organization.yml": "name: Seed Consulting\nowner: owner\n",
    "sops/roles/owner.yml": "title: Owner\nsummary: Advises clients.\nrate: 250\n",
    "sops/roles/bookkeeper.yml": """
        title: Bookkeeper
        summary: Books.
        reports_to: owner
        rate: {min: 25, max: 50}
        onboarding:
          - phase: Week 1
            tasks: [send-client-invoices]
    """,
    "sops/tasks/send-client-invoices.yml": """
        title: Send client invoices
        role: bookkeeper
        purpose: Get paid.
        frequency: weekly
        duration: 4h
        maintainer: owner
        reviewed: 2026-01-31
        steps: [{do: Send them.}]
    """,
}


@pytest.fixture
def seed(tmp_path: Path):
    return load(build_tree(tmp_path, SEED))


def test_seed_invoicing_arithmetic(seed) -> None:
    task = seed.tasks["send-client-invoices"]
    assert task.weekly_hours == 4
    assert task.owner_cost == Range(1000, 1000)
    assert task.delegate_cost == Range(100, 200)
    assert task.value_freed == Range(800, 900)
    totals = seed.delegation_totals()
    assert totals["value_freed"] == Range(800, 900)
    assert seed.roles["bookkeeper"].value_freed == Range(800, 900)


def test_relations_are_resolved(seed) -> None:
    task = seed.tasks["send-client-invoices"]
    bookkeeper, owner = seed.roles["bookkeeper"], seed.roles["owner"]
    assert task.role is bookkeeper and task.maintainer is owner and task.owner is owner
    assert bookkeeper.tasks == [task]
    assert bookkeeper.reports_to is owner and owner.reports == [bookkeeper]
    assert bookkeeper.chain() == [owner]
    assert bookkeeper.onboarding[0].tasks == [task]
    assert seed.owner is owner and owner.is_owner
    assert [r.id for r in seed.ordered_roles] == ["owner", "bookkeeper"]
    assert task.title == "Send client invoices" and task.data.role == "bookkeeper"


def test_next_review_and_state(seed) -> None:
    task = seed.tasks["send-client-invoices"]
    assert task.next_review == date(2026, 7, 31)  # six months, the organization's default
    assert task.review_state(date(2026, 6, 1)) == "current"
    assert task.review_state(date(2026, 7, 15)) == "due-soon"
    assert task.review_state(date(2026, 8, 1)) == "overdue"


@pytest.mark.parametrize("frequency,duration,hours", [
    ("daily", "30m", 2.5),
    ("weekly", "1h30m", 1.5),
    ("monthly", "4h", 4 * 12 / 52),
    ("quarterly", "2h", 2 * 4 / 52),
    ("yearly", "2 days", 16 / 52),
    ("as-needed", "1h", 0),
])
def test_weekly_hours_from_frequency(tmp_path: Path, frequency: str, duration: str, hours: float) -> None:
    files = dict(SEED)
    files["sops/tasks/send-client-invoices.yml"] = (
        f"title: T\nrole: bookkeeper\npurpose: P\nfrequency: {frequency}\nduration: {duration}\nsteps: [{{do: x}}]\n")
    task = load(build_tree(tmp_path, files)).tasks["send-client-invoices"]
    assert task.weekly_hours == pytest.approx(hours)


def test_hours_per_week_overrides_and_as_needed(tmp_path: Path) -> None:
    files = dict(SEED)
    files["sops/tasks/send-client-invoices.yml"] = (
        "title: T\nrole: bookkeeper\npurpose: P\nfrequency: as-needed\nhours_per_week: 3\nsteps: [{do: x}]\n")
    task = load(build_tree(tmp_path, files)).tasks["send-client-invoices"]
    assert task.weekly_hours == 3 and task.value_freed == Range(750 - 150, 750 - 75)


def test_owner_tasks_free_nothing(tmp_path: Path) -> None:
    files = dict(SEED)
    files["sops/tasks/send-client-invoices.yml"] = (
        "title: T\nrole: owner\npurpose: P\nfrequency: weekly\nduration: 2h\nsteps: [{do: x}]\n")
    catalog = load(build_tree(tmp_path, files))
    task = catalog.tasks["send-client-invoices"]
    assert task.owner_cost == Range(500, 500)
    assert task.delegate_cost is None and task.value_freed is None
    assert catalog.delegation_totals()["value_freed"] is None


def test_a_task_the_owner_would_not_do_on_a_role_that_frees_her(tmp_path: Path) -> None:
    # the bookkeeper frees the owner, but filing the shoebox of receipts is no work she would do
    files = dict(SEED)
    files["sops/tasks/file-receipts.yml"] = (
        "title: File receipts\nrole: bookkeeper\npurpose: P\nfrees_owner: false\n"
        "frequency: weekly\nduration: 2h\nsteps: [{do: x}]\n")
    catalog = load(build_tree(tmp_path, files))
    filing, bookkeeper = catalog.tasks["file-receipts"], catalog.roles["bookkeeper"]
    assert not filing.frees_owner and catalog.tasks["send-client-invoices"].frees_owner
    assert filing.owner_cost is None and filing.value_freed is None and filing.delegate_cost == Range(50, 100)
    assert bookkeeper.weekly_hours == 6 and not bookkeeper.frees_nothing
    assert bookkeeper.owner_cost == Range(1000, 1000) and bookkeeper.delegate_cost == Range(150, 300)
    assert bookkeeper.value_freed == Range(800, 900)
    totals = catalog.delegation_totals()
    assert totals["tasks"] == [catalog.tasks["send-client-invoices"]] and totals["weekly_hours"] == 4
    assert (totals["owner_cost"], totals["delegate_cost"], totals["value_freed"]) == (
        Range(1000, 1000), Range(100, 200), Range(800, 900))
    assert totals["not_freeing"] == {"tasks": [filing], "weekly_hours": 2, "delegate_cost": Range(50, 100)}
    assert totals["unpriced"] == [] and totals["unpriced_roles"] == []


def test_a_missing_rate_leaves_a_task_out_of_every_total_alike(tmp_path: Path) -> None:
    files = dict(SEED)
    files["sops/roles/assistant.yml"] = "title: Assistant\nsummary: Helps.\n"
    files["sops/tasks/book.yml"] = ("title: Book\nrole: assistant\npurpose: P\n"
                                    "frequency: weekly\nduration: 1h\nsteps: [{do: x}]\n")
    catalog = load(build_tree(tmp_path, files))
    book = catalog.tasks["book"]
    assert book.owner_cost == Range(250, 250) and book.delegate_cost is None and book.value_freed is None
    totals = catalog.delegation_totals()
    # the owner's cost of the unpriced task is not in the total: every column is over the same tasks
    assert totals["weekly_hours"] == 4 and totals["owner_cost"] == Range(1000, 1000)
    assert totals["unpriced"] == [book] and totals["unpriced_roles"] == [catalog.roles["assistant"]]
    warnings = [p for p in validate(catalog) if p.rule == "no-rate"]
    assert [(p.path, p.severity) for p in warnings] == [("sops/roles/assistant.yml", "warning")]


def test_retired_tasks_do_not_count(tmp_path: Path) -> None:
    files = dict(SEED)
    files["sops/tasks/old.yml"] = (
        "title: Old\nrole: bookkeeper\npurpose: P\nstatus: retired\nfrequency: daily\nduration: 1h\nsteps: [{do: x}]\n")
    catalog = load(build_tree(tmp_path, files))
    assert catalog.roles["bookkeeper"].weekly_hours == 4
    assert catalog.delegation_totals()["value_freed"] == Range(800, 900)


def test_the_example_project_is_valid() -> None:
    repo = Path(__file__).parent.parent
    catalog = load(repo)
    problems = validate(catalog, today=date(2026, 11, 25))
    assert [str(p) for p in problems if p.severity == "error"] == []
    invoicing = catalog.tasks["send-client-invoices"]
    assert (invoicing.weekly_hours, invoicing.owner_cost, invoicing.delegate_cost, invoicing.value_freed) == (
        4, Range(1000, 1000), Range(100, 200), Range(800, 900))
    assert len(catalog.tasks) >= 12


@pytest.mark.parametrize("text,hours", [("45m", 0.75), ("4h", 4), ("1h30m", 1.5), ("1.5h", 1.5),
                                        ("3 days", 24), ("1 week", 40), ("2 weeks", 80)])
def test_durations(text: str, hours: float) -> None:
    assert Duration.parse(text).hours == pytest.approx(hours)


@pytest.mark.parametrize("text", ["4 hrs", "h", "1:30", "-2h", "2 fortnights", ""])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        Duration.parse(text)


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert Duration.parse("1 month").after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert Duration.parse("6 months").after(date(2026, 8, 15)) == date(2027, 2, 15)


def test_a_yaml_file_sopgen_does_not_read_is_a_warning_not_silence(base_project: Path) -> None:
    from conftest import run
    build_tree(base_project, {"sops/tasks/archive/old-invoicing.yml": "title: Old\n"})
    result = run(base_project, "validate")
    assert result.exit_code == 0, result.output  # a warning: the build still goes ahead
    assert ("sops/tasks/archive/old-invoicing.yml: warning: not read: only the files directly in sops/tasks/ "
            "are read, not those in subfolders; move it to sops/tasks/old-invoicing.yml") in result.output
    assert run(base_project, "validate", "--strict").exit_code == 1
    # images, translations and hidden folders (.github, editor settings) are not sources
    build_tree(base_project, {"sops/tasks/archive/old-invoicing.yml": None, "sops/media/data.yml": "a: 1\n",
                              "sops/locale/notes.yml": "a: 1\n", "sops/.vscode/settings.yml": "a: 1\n"})
    result = run(base_project, "validate", "--strict")
    assert result.exit_code == 0 and "no problems" in result.output, result.output
