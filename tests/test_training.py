"""Training status from real git histories: who must re-learn after which commit, what is overdue.

Each test builds a repository from the base project (one commit on 2026-01-05: every file at
version 1) and a training record, then commits the change under test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import build_tree, run
from sopgen.history.log import attach, read_history
from sopgen.core.loader import load
from sopgen.history.steps import StepHistory
from sopgen.core.training import PersonStatus, due_date, person_status
from test_history_git import TASK, commit, edit, git, project

ANN = """
    name: Ann Lee
    role: bookkeeper
    started: 2026-01-05
    trained:
      - sop: send-invoices
        on: 2026-01-06
    """


def status_of(root: Path, person: str = "ann", *, today: date = date(2026, 2, 1)) -> PersonStatus:
    catalog = load(root)
    attach(catalog, read_history(root))
    return person_status(catalog.people[person], today=today, changes=StepHistory(root))


def state(status: PersonStatus, task: str) -> str:
    return next(s.state for s in status.sops if s.task.id == task)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = project(tmp_path / "repo")
    build_tree(root, {"sops/people/ann.yml": ANN})
    commit(root, "Ann's training record", date="2026-01-06T17:00:00+00:00")
    return root


def test_signed_off_on_the_version_in_force_is_current(repo: Path) -> None:
    sop = next(s for s in status_of(repo).sops if s.task.id == "send-invoices")
    assert (sop.state, sop.learned, sop.version) == ("current", 1, 1)


def test_a_step_change_after_the_sign_off_asks_to_re_learn_it_naming_the_steps(repo: Path) -> None:
    edit(repo / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(repo, "Invoices go by email", date="2026-01-10T09:00:00+00:00")
    sop = next(s for s in status_of(repo).sops if s.task.id == "send-invoices")
    assert sop.state == "relearn" and sop.since == 2 and sop.learned == 1
    [change] = sop.changes
    assert change.subject == "Invoices go by email" and change.day == date(2026, 1, 10)
    [step] = change.steps
    assert (step.kind, step.number, step.old, step.new) == ("reworded", "3", "Send the invoices.",
                                                            "Send the invoices by email.")
    assert [s.task.id for s in status_of(repo).failing] == ["send-invoices"]


@pytest.mark.parametrize("trailer", ["Retrain: no", "retrain: NO", "RETRAIN:no"])
def test_a_commit_with_the_trailer_retrain_no_asks_nobody(repo: Path, trailer: str) -> None:
    edit(repo / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(repo, f"Typo in a step\n\nOnly the wording.\n\n{trailer}\n", date="2026-01-10T09:00:00+00:00")
    assert state(status_of(repo), "send-invoices") == "current"


def test_retrain_no_in_the_body_but_not_as_a_trailer_still_counts(repo: Path) -> None:
    edit(repo / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(repo, "Steps changed\n\nRetrain: no\n\nThe last paragraph is no trailer block, this is.",
           date="2026-01-10T09:00:00+00:00")
    assert state(status_of(repo), "send-invoices") == "relearn"


def test_a_later_step_change_counts_even_after_a_retrain_no_commit(repo: Path) -> None:
    edit(repo / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(repo, "Wording\n\nRetrain: no", date="2026-01-10T09:00:00+00:00")
    edit(repo / TASK, "Export the week's billable hours.", "Export the billable hours of the week from Harvest.")
    commit(repo, "Hours come from Harvest", date="2026-01-12T09:00:00+00:00")
    sop = next(s for s in status_of(repo).sops if s.task.id == "send-invoices")
    assert sop.state == "relearn" and sop.since == 3 and [c.version for c in sop.changes] == [3]


def test_a_purpose_only_edit_asks_nobody(repo: Path) -> None:
    edit(repo / TASK, "Clients pay on time", "Clients pay sooner")
    commit(repo, "Purpose reworded", date="2026-01-10T09:00:00+00:00")
    status = status_of(repo)
    assert state(status, "send-invoices") == "current"
    assert next(s for s in status.sops if s.task.id == "send-invoices").version == 2


def test_a_sign_off_after_the_change_is_current(repo: Path) -> None:
    edit(repo / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(repo, "Invoices go by email", date="2026-01-10T09:00:00+00:00")
    edit(repo / "sops/people/ann.yml", "    on: 2026-01-06\n", "    on: 2026-01-06\n  - sop: send-invoices\n    on: 2026-01-11\n")
    sop = next(s for s in status_of(repo).sops if s.task.id == "send-invoices")
    assert (sop.state, sop.learned) == ("current", 2)


def test_a_version_pinned_before_a_step_change_must_be_re_learnt(repo: Path) -> None:
    edit(repo / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(repo, "Invoices go by email", date="2026-01-10T09:00:00+00:00")
    # signed off after the change by date, but on the version before it
    edit(repo / "sops/people/ann.yml", "    on: 2026-01-06\n", "    on: 2026-01-11\n    version: 1\n")
    assert state(status_of(repo), "send-invoices") == "relearn"


def test_renaming_the_sop_file_keeps_the_record_and_its_versions(repo: Path) -> None:
    git(repo, "mv", TASK, "sops/tasks/bill-clients.yml")
    for rel in ("sops/roles/bookkeeper.yml", "sops/tasks/reconcile-bank.yml", "sops/people/ann.yml"):
        edit(repo / rel, "send-invoices", "bill-clients")
    commit(repo, "Send invoices is now Bill clients", date="2026-01-10T09:00:00+00:00")
    sop = next(s for s in status_of(repo).sops if s.task.id == "bill-clients")
    assert (sop.state, sop.learned, sop.version) == ("current", 1, 2)
    edit(repo / "sops/tasks/bill-clients.yml", "Send the invoices.", "Send the invoices by email.")
    commit(repo, "Invoices go by email", date="2026-01-12T09:00:00+00:00")
    sop = next(s for s in status_of(repo).sops if s.task.id == "bill-clients")
    assert (sop.state, sop.since) == ("relearn", 3)


def test_an_sop_of_a_past_phase_not_signed_off_is_overdue(repo: Path) -> None:
    # the base bookkeeper learns send-invoices in "Week 1": due 7 days after 2026-01-05
    edit(repo / "sops/people/ann.yml", "trained:\n  - sop: send-invoices\n    on: 2026-01-06\n", "")
    assert state(status_of(repo, today=date(2026, 1, 12)), "send-invoices") == "due"
    late = status_of(repo, today=date(2026, 1, 13))
    sop = next(s for s in late.sops if s.task.id == "send-invoices")
    assert (sop.state, sop.due, sop.phase) == ("overdue", date(2026, 1, 12), "Week 1")
    assert state(late, "reconcile-bank") == "open"  # in no phase: to learn, never overdue
    assert [s.task.id for s in late.failing] == ["send-invoices"]


def test_a_version_the_sop_never_had_is_an_error(repo: Path) -> None:
    edit(repo / "sops/people/ann.yml", "    on: 2026-01-06\n", "    on: 2026-01-06\n    version: 3\n")
    result = run(repo, "validate")
    assert result.exit_code == 1
    assert ("sops/people/ann.yml:7:14: trained[0].version: 'send-invoices' never had version 3: its versions "
            "are 1 to 1") in result.output


@pytest.mark.parametrize(("name", "due"), [
    ("Day 1", date(2026, 1, 5)), ("day 30", date(2026, 2, 3)), ("Week 1", date(2026, 1, 12)),
    ("Week 2", date(2026, 1, 19)), ("Month 1", date(2026, 2, 5)), ("Month 2", date(2026, 3, 5)),
    ("First week", None), ("Day one", None), ("", None), (None, None),
])
def test_due_dates_from_the_start(name: str | None, due: date | None) -> None:
    assert due_date(name, date(2026, 1, 5)) == due


def test_a_month_from_the_31st_ends_with_the_shorter_month() -> None:
    assert due_date("Month 1", date(2026, 1, 31)) == date(2026, 2, 28)


def test_benchmark_deadlines_and_results(repo: Path) -> None:
    build_tree(repo, {"sops/roles/bookkeeper.yml": (repo / "sops/roles/bookkeeper.yml").read_text() + (
        "benchmarks:\n  - objective: Invoices out within 2 business days\n    by: day 30\n    min: 95\n"
        "    unit: '%'\n  - objective: Books closed by the 5th\n")})
    edit(repo / "sops/people/ann.yml", "trained:", "results:\n  - benchmark: invoices-out-within-2-business-days\n"
         "    on: 2026-02-01\n    value: 90\n  - benchmark: invoices-out-within-2-business-days\n"
         "    on: 2026-02-20\n    value: 97\ntrained:")
    marks = {b.key: b for b in status_of(repo).benchmarks}
    invoices = marks["invoices-out-within-2-business-days"]
    assert invoices.deadline == date(2026, 2, 3) and invoices.latest.value == 97 and invoices.met is True
    books = marks["books-closed-by-the-5th"]
    assert books.deadline is None and books.latest is None and books.met is None


def test_people_who_left_are_not_listed(repo: Path) -> None:
    from sopgen.core.training import team_status

    build_tree(repo, {"sops/people/bo.yml": "name: Bo\nrole: bookkeeper\nstarted: 2026-01-05\nstatus: left\n"})
    catalog = load(repo)
    attach(catalog, read_history(repo))
    assert [s.person.id for s in team_status(list(catalog.people.values()), today=date(2026, 2, 1),
                                            changes=StepHistory(repo))] == ["ann"]


def test_a_shallow_clone_does_not_call_a_pinned_version_unknown(repo: Path, tmp_path: Path) -> None:
    edit(repo / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(repo, "Invoices go by email", date="2026-01-10T09:00:00+00:00")
    edit(repo / "sops/people/ann.yml", "    on: 2026-01-06\n", "    on: 2026-01-06\n    version: 2\n")
    commit(repo, "Ann signed off on v2", date="2026-01-11T09:00:00+00:00")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    assert run(shallow, "validate").exit_code == 0  # one commit present: version 2 is beyond what it counts
    edit(repo / "sops/people/ann.yml", "    version: 2\n", "    version: 3\n")
    assert run(repo, "validate").exit_code == 1  # the full history knows there is no version 3


def test_re_learning_in_a_folder_git_would_quote_and_another_time_zone(tmp_path: Path) -> None:
    """The class beside: an accented project and sources folder, a commit made at +14:00."""
    root = project(tmp_path / "Bäckerei Müller", sops_dir="procédures")
    build_tree(root, {"procédures/people/ann.yml": "name: Ann Lee\nrole: bookkeeper\nstarted: 2026-01-05\n"
                                                    "trained:\n  - sop: send-invoices\n    on: 2026-01-06\n"})
    commit(root, "Training records", date="2026-01-06T17:00:00+00:00")
    edit(root / "procédures/tasks/send-invoices.yml", "Send the invoices.", "Send the invoices by email.")
    commit(root, "Invoices go by email", date="2026-01-10T09:00:00+14:00")  # 2026-01-09 in UTC
    result = run(root, "train", "status", "--today", "2026-01-11")
    assert "must re-learn Send client invoices (send-invoices): signed off on v1 (2026-01-06), now v2" in result.output
    assert 'v2, 2026-01-10' in result.output
    assert 'Step 3 reworded: "Send the invoices." → "Send the invoices by email."' in result.output
