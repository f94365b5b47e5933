"""`sopgen train status|record|result` as a user runs them, on real git histories."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_tree, run
from sopgen.core.loader import load
from test_history_git import TASK, commit, edit, project

COMMENTED = """\
# Ann's training record. Keep it honest.
name: Ann Lee   # as on her contract
role: bookkeeper
started: 2026-01-05
trainer: bo

trained:
  - sop: reconcile-bank   # shadowed twice first
    on: 2026-01-06
    note: "quick learner"

  # results come at the end of each month
results:
  - {benchmark: invoices-on-time, on: 2026-01-31, value: 90}
"""
BO = "name: Bo Ray\nrole: owner\nstarted: 2025-01-01\n"
BENCHMARKS = ("benchmarks:\n  - objective: Invoices out within 2 business days\n    id: invoices-on-time\n"
              "    min: 95\n    unit: '%'\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = project(tmp_path / "repo")
    build_tree(root, {
        "sops/people/ann.yml": "name: Ann Lee\nrole: bookkeeper\nstarted: 2026-01-05\ntrained:\n"
                               "  - sop: send-invoices\n    on: 2026-01-06\n",
        "sops/people/bo.yml": BO,
    })
    commit(root, "Training records", date="2026-01-06T17:00:00+00:00")
    edit(root / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(root, "Invoices go by email", date="2026-01-10T09:00:00+00:00")
    return root


def test_status_names_who_must_re_learn_what_and_the_steps(repo: Path) -> None:
    result = run(repo, "train", "status", "--today", "2026-01-11")
    assert result.exit_code == 0, result.output
    assert "Ann Lee (ann), Bookkeeper, started 2026-01-05" in result.output
    assert ("must re-learn Send client invoices (send-invoices): signed off on v1 (2026-01-06), now v2"
            in result.output)
    assert '"Invoices go by email":' in result.output
    assert 'Step 3 reworded: "Send the invoices." → "Send the invoices by email."' in result.output
    assert "to learn Reconcile the bank account (reconcile-bank)" in result.output


def test_check_fails_naming_who_and_what(repo: Path) -> None:
    result = run(repo, "train", "status", "--check", "--today", "2026-01-11")
    assert result.exit_code == 1
    assert "✗ 1 person must re-learn or is overdue: ann (re-learn send-invoices)" in result.output
    assert "Traceback" not in result.output


def test_check_passes_once_signed_off_again_and_record_keeps_the_file(repo: Path) -> None:
    recorded = run(repo, "train", "record", "ann", "send-invoices", "--on", "2026-01-11", "--by", "bo")
    assert recorded.exit_code == 0, recorded.output
    assert "ann signed off on send-invoices on 2026-01-11 by bo" in recorded.output
    assert (repo / "sops/people/ann.yml").read_text().endswith(
        "  - sop: send-invoices\n    on: 2026-01-11\n    by: bo\n")
    result = run(repo, "train", "status", "--check", "--today", "2026-01-11")
    assert result.exit_code == 0, result.output
    assert "must re-learn Send" not in result.output and "nobody must re-learn" in result.output


def test_not_yet_due_never_fails_the_check_but_overdue_does(repo: Path) -> None:
    build_tree(repo, {"sops/people/cy.yml": "name: Cy\nrole: bookkeeper\nstarted: 2026-01-08\n"})
    run(repo, "train", "record", "ann", "send-invoices", "--on", "2026-01-11")
    due = run(repo, "train", "status", "cy", "--check", "--today", "2026-01-15")
    assert due.exit_code == 0, due.output
    assert "✓ nobody must re-learn an SOP or is overdue on one" in due.output
    listed = run(repo, "train", "status", "cy", "--today", "2026-01-15")
    assert "to learn Send client invoices (send-invoices): Week 1, due 2026-01-15" in listed.output
    late = run(repo, "train", "status", "cy", "--check", "--today", "2026-01-16")
    assert late.exit_code == 1
    assert "overdue Send client invoices (send-invoices): Week 1, due 2026-01-15" in late.output
    assert "cy (overdue on send-invoices)" in late.output


def test_record_keeps_comments_and_layout(repo: Path) -> None:
    build_tree(repo, {"sops/roles/bookkeeper.yml": (repo / "sops/roles/bookkeeper.yml").read_text() + BENCHMARKS,
                      "sops/people/ann.yml": COMMENTED})
    assert run(repo, "train", "record", "ann", "send-invoices", "--on", "2026-01-11").exit_code == 0
    assert run(repo, "train", "result", "ann", "invoices-on-time", "97.5", "--on", "2026-02-28").exit_code == 0
    text = (repo / "sops/people/ann.yml").read_text()
    assert text == COMMENTED.replace(
        '    note: "quick learner"\n',
        '    note: "quick learner"\n  - sop: send-invoices\n    on: 2026-01-11\n    by: bo\n',
    ) + "  - {benchmark: invoices-on-time, on: 2026-02-28, value: 97.5}\n"
    person = load(repo).people["ann"]
    assert [r.sop for r in person.trained] == ["reconcile-bank", "send-invoices"]
    assert [r.value for r in person.results] == [90, 97.5]


def test_record_adds_the_list_a_file_lacks(repo: Path) -> None:
    assert run(repo, "train", "record", "bo", "send-invoices", "--on", "2026-01-11").exit_code == 0
    assert (repo / "sops/people/bo.yml").read_text() == BO + "trained:\n  - sop: send-invoices\n    on: 2026-01-11\n"


@pytest.mark.parametrize(("args", "message"), [
    (["record", "anne", "send-invoices"], "unknown person 'anne' — did you mean 'ann'?"),
    (["record", "ann", "send-invoice"], "unknown SOP 'send-invoice' — did you mean 'send-invoices'?"),
    (["record", "ann", "send-invoices", "--by", "boo"], "unknown person 'boo' (--by) — did you mean 'bo'?"),
    (["record", "ann", "send-invoices", "--on", "2026-01-04"], "2026-01-04 is before ann started (2026-01-05)"),
    (["record", "ann", "send-invoices", "--on", "2026-01-06"],
     "ann is already signed off on 'send-invoices' on 2026-01-06"),
    (["result", "ann", "invoices-in-time", "97"], "unknown benchmark 'invoices-in-time' — did you mean "
                                                  "'invoices-on-time'?"),
    (["status", "an"], "unknown person 'an' — did you mean 'ann'?"),
])
def test_unknown_names_and_bad_dates_are_refused(repo: Path, args: list[str], message: str) -> None:
    build_tree(repo, {"sops/roles/bookkeeper.yml": (repo / "sops/roles/bookkeeper.yml").read_text() + BENCHMARKS})
    before = (repo / "sops/people/ann.yml").read_bytes()
    result = run(repo, "train", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert (repo / "sops/people/ann.yml").read_bytes() == before


def test_result_text_and_numbers(repo: Path) -> None:
    build_tree(repo, {"sops/roles/bookkeeper.yml": (repo / "sops/roles/bookkeeper.yml").read_text() + BENCHMARKS})
    said = run(repo, "train", "result", "ann", "invoices-on-time", "93", "--on", "2026-01-30")
    assert said.exit_code == 0 and "invoices-on-time = 93% on 2026-01-30 (not met)" in said.output
    assert run(repo, "train", "result", "ann", "invoices-on-time", "on track", "--on", "2026-01-31").exit_code == 0
    person = load(repo).people["ann"]
    assert [r.value for r in person.results] == [93, "on track"]
    status = run(repo, "train", "status", "ann", "--today", "2026-02-01")
    assert "benchmark invoices-on-time: on track on 2026-01-31" in status.output


def test_a_project_with_errors_is_not_written_to(repo: Path) -> None:
    edit(repo / "sops/people/bo.yml", "role: owner", "role: ownr")
    result = run(repo, "train", "record", "ann", "send-invoices", "--on", "2026-01-11")
    assert result.exit_code == 1 and "unknown role 'ownr'" in result.output
    assert "2026-01-11" not in (repo / "sops/people/ann.yml").read_text()


# -- the example: a commit of this repository changed the steps of screen-phone-calls --------

EXAMPLE_TODAY = "2026-11-29"
"""The day the example's people were written: Dana's Month 1 is overdue, her Day 60 not yet due. Pinned,
as the example's states move with the calendar (Day 60 falls due on 2026-12-25)."""


def test_the_example_names_who_must_re_learn_what() -> None:
    from conftest import REPO

    result = run(REPO, "train", "status", "--today", EXAMPLE_TODAY)
    assert result.exit_code == 0, result.output
    assert "priya-nair (re-learn screen-phone-calls)" in result.output
    assert "must re-learn Screen phone calls as the owner's gatekeeper (screen-phone-calls): signed off on v1" \
        in result.output
    assert "URGENT" in result.output  # the step as it reads now
    assert "Tomás Rivera (tomas-rivera), Webmaster, started 2026-06-01\n  signed off and current: 4 of 4 SOPs" \
        in result.output
    assert "dana-whitfield (overdue on follow-up-overdue-payments)" in result.output
    check = run(REPO, "train", "status", "--check", "--today", EXAMPLE_TODAY)
    assert check.exit_code == 1
    assert ("✗ 2 people must re-learn or are overdue: dana-whitfield (overdue on follow-up-overdue-payments); "
            "priya-nair (re-learn screen-phone-calls)") in check.output
    assert "Tomás" not in check.output  # fully trained: a check shows only who fails


def test_after_a_sign_off_the_example_no_longer_lists_her(tmp_path: Path) -> None:
    """In a clone of this repository (its history is what makes the example's v1 and v2), with the
    working tree's sources laid over it."""
    import shutil
    import subprocess

    from conftest import REPO

    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", head], check=True)
    shutil.copytree(REPO / "sops", clone / "sops", dirs_exist_ok=True)
    recorded = run(clone, "train", "record", "priya-nair", "screen-phone-calls", "--on", EXAMPLE_TODAY)
    assert recorded.exit_code == 0, recorded.output
    result = run(clone, "train", "status", "--check", "--today", EXAMPLE_TODAY)
    assert result.exit_code == 1 and "1 person must re-learn or is overdue: dana-whitfield" in result.output
    assert "priya" not in result.output.lower() and "Dana Whitfield (dana-whitfield)" in result.output
    everyone = run(clone, "train", "status", "--today", EXAMPLE_TODAY)
    assert "Priya Nair (priya-nair), Virtual Assistant, started 2026-08-03\n  signed off and current: 4 of 4 SOPs" \
        in everyone.output


def test_record_follows_a_file_whose_lists_are_not_indented(repo: Path) -> None:
    text = ("name: Ann Lee\nrole: bookkeeper\nstarted: 2026-01-05\ntrained:\n- sop: reconcile-bank\n"
            "  on: 2026-01-06   # eol\n# last line\n")
    build_tree(repo, {"sops/people/ann.yml": text})
    assert run(repo, "train", "record", "ann", "send-invoices", "--on", "2026-01-11").exit_code == 0
    assert (repo / "sops/people/ann.yml").read_text() == text.replace(
        "# last line\n", "- sop: send-invoices\n  on: 2026-01-11\n# last line\n")


def test_two_records_at_once_both_land(repo: Path) -> None:
    """Two trainers signing off at the same moment take turns on the person's file: neither record is lost."""
    import fcntl
    import os
    import subprocess
    import sys
    import time

    ann = repo / "sops/people/ann.yml"
    before = ann.read_text(encoding="utf-8")
    fd = os.open(ann.parent, os.O_RDONLY)  # what the other `train record` holds while it writes
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "sopgen", "train", "record", "ann", "send-invoices",
                                 "--on", "2026-01-12", "-f", str(repo / "mkdocs.yml")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        assert proc.poll() is None, proc.communicate()  # it waits for the other one
        ann.write_text(before + "  - sop: reconcile-bank\n    on: 2026-01-11\n", encoding="utf-8")
    finally:
        os.close(fd)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert f"another sopgen is writing {ann}" in err
    trained = load(repo).people["ann"].data.trained
    assert [(r.sop, r.on.isoformat()) for r in trained] == [
        ("send-invoices", "2026-01-06"), ("reconcile-bank", "2026-01-11"), ("send-invoices", "2026-01-12")]
