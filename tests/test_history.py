"""Document control from git: versions, dates, authors, renames, changelog, reproducible builds."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import BASE, REVIEWED, run
from sopgen.history.log import read_history


def git(repo: Path, *args: str, date: str = "2026-01-15T10:00:00+00:00", author: str = "Ada Admin") -> str:
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME=author,
               GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_NAME=author, GIT_COMMITTER_EMAIL="a@example.com")
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def commit(repo: Path, message: str, **kw: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, **kw)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The base project in git: three commits by two authors, one of them a rename."""
    project = shutil.copytree(BASE, tmp_path / "repo")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "site_url: https://handbook.example.com/\n")  # MkDocs' sitemap needs it
    git(project, "init", "-q", "-b", "main")
    commit(project, "First procedures", date="2026-01-05T09:00:00+00:00", author="Olivia Owner")
    task = project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("Send the invoices.", "Send the invoices from QuickBooks."))
    commit(project, "Invoices go out from QuickBooks", date="2026-02-10T09:00:00+00:00", author="Bea Bookkeeper")
    git(project, "mv", "sops/tasks/reconcile-bank.yml", "sops/tasks/reconcile-bank-account.yml")
    role = project / "sops/roles/bookkeeper.yml"
    role.write_text(role.read_text().replace("tasks: [send-invoices]", "tasks: [send-invoices, reconcile-bank-account]"))
    commit(project, "Rename the reconciliation SOP", date="2026-03-01T09:00:00+00:00", author="Olivia Owner")
    return project


def test_versions_dates_and_authors(repo: Path) -> None:
    history = read_history(repo)
    assert history.note is None
    invoices = history.of("sops/tasks/send-invoices.yml")
    assert invoices.version == 2
    assert invoices.effective == datetime(2026, 2, 10, 9, tzinfo=timezone.utc)
    assert [(r.author, r.subject) for r in invoices.revisions] == [
        ("Bea Bookkeeper", "Invoices go out from QuickBooks"), ("Olivia Owner", "First procedures")]
    assert history.of("sops/roles/bookkeeper.yml").version == 2
    assert history.of("sops/roles/owner.yml").version == 1
    assert history.head_time == datetime(2026, 3, 1, 9, tzinfo=timezone.utc)


def test_renames_keep_their_history(repo: Path) -> None:
    renamed = read_history(repo).of("sops/tasks/reconcile-bank-account.yml")
    assert renamed.version == 2
    assert [r.subject for r in renamed.revisions] == ["Rename the reconciliation SOP", "First procedures"]


def test_uncommitted_changes_are_flagged(repo: Path) -> None:
    task = repo / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text() + "tags: [billing]\n")
    history = read_history(repo)
    assert history.of("sops/tasks/send-invoices.yml").modified
    assert not history.of("sops/roles/owner.yml").modified


def test_changelog_newest_first(repo: Path) -> None:
    changes = read_history(repo).changes
    assert [c.revision.subject for c in changes] == [
        "Rename the reconciliation SOP", "Invoices go out from QuickBooks", "First procedures"]
    assert sorted(changes[0].files) == ["sops/roles/bookkeeper.yml", "sops/tasks/reconcile-bank-account.yml"]


def test_outside_git_it_says_so_once(base_project: Path) -> None:
    history = read_history(base_project)
    assert history.files == {} and "not a git repository" in history.note
    result = run(base_project, "build", "--no-pdf", "-d", str(base_project / "site"))
    assert result.exit_code == 0
    assert "Version:" not in (base_project / "site/sops/send-invoices/index.html").read_text()


def test_shallow_clone_says_so(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True)
    history = read_history(clone)
    assert history.note.startswith("shallow clone")
    assert history.of("sops/tasks/send-invoices.yml").version == 1


def test_pages_show_version_history_and_changelog(repo: Path) -> None:
    site = repo / "site"
    result = run(repo, "build", "--no-pdf", "-d", str(site))
    assert result.exit_code == 0, result.output
    page = (site / "sops/send-invoices/index.html").read_text()
    assert "Version:</strong> 2 · in force since 2026-02-10" in page
    assert "Invoices go out from QuickBooks" in page and "Bea Bookkeeper" in page
    changelog = (site / "changelog/index.html").read_text()
    first, second = changelog.index("Rename the reconciliation SOP"), changelog.index("First procedures")
    assert first < second
    assert 'href="../sops/reconcile-bank-account/"' in changelog


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_is_dated_by_the_last_commit_and_reproducible(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = repo / "one", repo / "two"
    assert run(repo, "build", "-q", "-d", str(first)).exit_code == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the first build set it in this process
    assert run(repo, "build", "-q", "-d", str(second)).exit_code == 0
    assert tree(first) == tree(second)
    assert "<lastmod>2026-03-01</lastmod>" in (first / "sitemap.xml").read_text()
    assert "Status on 2026-03-01" in (first / "reviews/index.html").read_text()
    from pypdf import PdfReader

    assert "2026-03-01" in PdfReader(first / "pdf/bookkeeper.pdf").pages[0].extract_text()


def test_source_date_epoch_wins(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 4, 2, tzinfo=timezone.utc).timestamp())))
    assert run(repo, "build", "-q", "--no-pdf", "-d", str(repo / "site")).exit_code == 0
    assert "Status on 2026-04-02" in (repo / "site/reviews/index.html").read_text()
    assert "<lastmod>2026-04-02</lastmod>" in (repo / "site/sitemap.xml").read_text()


def test_review_command(base_project: Path) -> None:
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace(REVIEWED, "reviewed: 2026-01-01"))
    soon = run(base_project, "review", "--today", "2026-06-20")
    assert soon.exit_code == 0
    assert soon.stdout.splitlines()[:6] == [
        "Overdue (0)",
        "",
        "Due by 2026-07-20 (1)",
        "  Owner",
        "    Send client invoices (sops/tasks/send-invoices.yml): due 2026-07-01, reviewed 2026-01-01",
        "",
    ]
    assert "Never reviewed (1)\n  No maintainer\n    Reconcile the bank account" in soon.stdout
    later = run(base_project, "review", "--today", "2026-08-01", "--check")
    assert later.exit_code == 1
    assert later.stdout.startswith("Overdue (1)\n  Owner\n    Send client invoices")
    assert "✗ 1 SOP overdue for review" in later.output
    narrow = run(base_project, "review", "--today", "2026-06-20", "--within", "1 week")
    assert "Due by 2026-06-27 (0)" in narrow.stdout
    assert run(base_project, "review", "--within", "soon").exit_code == 2


def test_serve_reads_the_log_again_only_when_head_moves(repo: Path) -> None:
    first = read_history(repo)
    task = repo / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text() + "tags: [billing]\n")
    again = read_history(repo, previous=first)
    assert again.changes is first.changes  # the same commit: the log was not read again
    assert again.of("sops/tasks/send-invoices.yml").revisions == first.of("sops/tasks/send-invoices.yml").revisions
    assert again.of("sops/tasks/send-invoices.yml").modified and not first.of("sops/tasks/send-invoices.yml").modified
    commit(repo, "Tag the invoicing SOP", date="2026-03-05T09:00:00+00:00")
    moved = read_history(repo, previous=again)
    assert moved.changes is not again.changes
    assert moved.of("sops/tasks/send-invoices.yml").version == 3
    assert not moved.of("sops/tasks/send-invoices.yml").modified


@pytest.mark.parametrize("within", [["2", "weeks"], ["2 weeks"], ["2weeks"], ["14d"], ["2", "w"]])
def test_review_within_needs_no_quotes(base_project: Path, within: list[str]) -> None:
    result = run(base_project, "review", "--today", "2026-06-20", "--within", *within)
    assert result.exit_code == 0, result.output
    assert "Due by 2026-07-04 (" in result.stdout


@pytest.mark.parametrize("args", [["--within", "2", "weeks", "months"], ["--within", "2 weeks", "weeks"],
                                  ["--within", "2", "fortnights"], ["stray"]])
def test_review_refuses_other_words(base_project: Path, args: list[str]) -> None:
    result = run(base_project, "review", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Error:" in result.output
