"""Values that would overflow a date or a number: located errors, never a traceback.

The corpus holds one project per field (reviewed-too-late, review-every-too-long,
duration-too-long, number-too-large…); these tests cover the commands that go
past validation (review, build, render) and the build's reference time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REVIEWED, run

from sopgen.core.durations import Duration

TASK = "sops/tasks/send-invoices.yml"


def _edit(project: Path, old: str, new: str, file: str = TASK) -> None:
    path = project / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(("old", "new", "expected"), [
    (REVIEWED, "reviewed: 9999-12-01",
     "sops/tasks/send-invoices.yml:20:11: reviewed: '9999-12-01' is too far ahead: write a date up to 9899-12-31"),
    (REVIEWED, "reviewed: 2026-01-01\nreview_every: 100000 months",
     "sops/tasks/send-invoices.yml:21:15: review_every: '100000 months' is too long: at most 1,200 months (100 years)"),
    (REVIEWED, "reviewed: 2026-01-01\nreview_every: 3000000 days",
     "sops/tasks/send-invoices.yml:21:15: review_every: '3000000 days' is too long: at most 36,525 days (100 years)"),
    (REVIEWED, "reviewed: 2026-01-01\nreview_every: 99999999999999999999 weeks",
     "sops/tasks/send-invoices.yml:21:15: review_every: '99999999999999999999 weeks' is too long: "
     "at most 5,218 weeks (100 years)"),
    ("duration: 4h", "duration: " + "9" * 400 + "h", "duration: '" + "9" * 37 + "...' is too long: at most 876,600 h"),
    ("duration: 4h", "hours_per_week: 1e400", "hours_per_week: the number 1e400 is too large: at most 1,000,000,000"),
    ("duration: 4h", "hours_per_week: .inf", "hours_per_week: the number .inf is too large: at most 1,000,000,000"),
    ("answer: 0", "answer: -1e400", "quiz[0].answer: the number -1e400 is too small: at least -1,000,000,000"),
    ("answer: 0", "answer: 99999999999999999999999",
     "quiz[0].answer: the number 99999999999999999999999 is too large: at most 1,000,000,000"),
])
@pytest.mark.parametrize("command", ["validate", "review", "build"])
def test_values_beyond_the_calendar_are_located_errors(base_project: Path, command: str, old: str, new: str,
                                                        expected: str) -> None:
    _edit(base_project, old, new)
    result = run(base_project, command)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (OverflowError, ValueError))
    assert expected in result.output


def test_an_organization_review_interval_too_long_is_located(base_project: Path) -> None:
    (base_project / "sops/organization.yml").write_text("name: Base\nowner: owner\nreview_every: 3000000 days\n")
    _edit(base_project, REVIEWED, "reviewed: 2026-01-01")
    result = run(base_project, "review")
    assert result.exit_code == 1, result.output
    assert ("sops/organization.yml:3:15: review_every: '3000000 days' is too long: at most 36,525 days (100 years)"
            in result.output)


def test_the_longest_allowed_interval_from_the_latest_allowed_date_fits(base_project: Path) -> None:
    _edit(base_project, REVIEWED, "reviewed: 9899-12-31\nreview_every: 1200 months")
    result = run(base_project, "review", "--today", "9999-12-31")
    assert result.exit_code == 0, result.output
    assert Duration.parse("36525 days").after(date(9899, 12, 31)) <= date.max


@pytest.mark.parametrize("within", ["99999999999d", "9999999999 months", "3000000d"])
def test_review_within_too_long_is_an_option_error(base_project: Path, within: str) -> None:
    result = run(base_project, "review", "--within", within)
    assert result.exit_code == 2, result.output
    assert "--within" in result.output and "too long" in result.output and "Traceback" not in result.output


def test_review_on_the_last_day_of_the_calendar(base_project: Path) -> None:
    result = run(base_project, "review", "--today", "9999-12-31")
    assert result.exit_code == 0, result.output
    assert "Due by 9999-12-31" in result.output


# -- SOURCE_DATE_EPOCH ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "-5", "1e20", "99999999999999999999", "253402300799", "4294967296", "12.5"])
@pytest.mark.parametrize("command", ["build", "render"])
def test_a_bad_source_date_epoch_is_named(base_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          value: str, command: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    args = [str(tmp_path / "out")] if command == "render" else []
    result = run(base_project, command, *args)
    assert result.exit_code == 1, result.output
    assert (f"SOURCE_DATE_EPOCH is '{value}', which is not a time: set it to a whole number of seconds "
            "since 1970-01-01 UTC, from 0 to 4294967295, or unset it") in result.output
    assert "hook or plugin" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("value", ["1700000000", " 1700000000 ", "", "0", "4294967295"])
def test_a_good_or_empty_source_date_epoch_builds(base_project: Path, monkeypatch: pytest.MonkeyPatch,
                                                  value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run(base_project, "build")
    assert result.exit_code == 0, result.output


def test_pdf_names_a_bad_source_date_epoch(base_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1e20")
    result = run(base_project, "pdf", "-o", str(tmp_path / "pdf"))
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH is '1e20', which is not a time" in result.output


def test_serve_refuses_to_start_with_a_bad_source_date_epoch(base_project: Path) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="abc")
    result = subprocess.run([sys.executable, "-m", "sopgen", "serve", "-a", "127.0.0.1:0",
                             "-f", str(base_project / "mkdocs.yml")], env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH is 'abc', which is not a time" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_last_commit_dated_after_2106_still_builds(base_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a machine with a wrong clock: the build is made "at" its last commit, which a gzip header cannot hold
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    git = ["git", "-C", str(base_project), "-c", "user.name=A", "-c", "user.email=a@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "Start"], check=True,
                   env=dict(os.environ, GIT_AUTHOR_DATE="@7258118400 +0000", GIT_COMMITTER_DATE="@7258118400 +0000"))
    result = run(base_project, "build", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "hook or plugin" not in result.output
