"""History read right whatever git stores: names, time zones, merges, submodules, odd messages.

Each test builds a real repository; dates are given with their offsets, as a user's
machine records them (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import BASE, REVIEWED, run
from sopgen.history.log import read_history, reference_time

TASK = "sops/tasks/send-invoices.yml"


def git(repo: Path, *args: str, date: str = "2026-01-15T10:00:00+00:00") -> str:
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME="Ada Admin",
               GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_NAME="Ada Admin", GIT_COMMITTER_EMAIL="a@example.com")
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def commit(repo: Path, message: str, *, date: str = "2026-01-15T10:00:00+00:00") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def project(where: Path, *, sops_dir: str = "sops", top: Path | None = None) -> Path:
    """The base project at ``where`` (any name), in git (at ``top``, by default ``where``) with one commit."""
    shutil.copytree(BASE, where)
    if sops_dir != "sops":
        (where / "sops").rename(where / sops_dir)
        config = where / "mkdocs.yml"
        config.write_text(config.read_text().replace(
            "plugins: [search, sopgen]", f"plugins:\n  - search\n  - sopgen:\n      sops_dir: '{sops_dir}'"))
    git(top or where, "init", "-q", "-b", "main")
    commit(top or where, "First procedures", date="2026-01-05T09:00:00+00:00")
    return where


def no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE_DATE_EPOCH unset, and whatever a build sets in this process undone after the test."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")


def test_base_project_config_names_the_plugin_as_expected() -> None:
    # project(sops_dir=...) rewrites this line; if it changes, the tests below would test nothing
    assert "plugins: [search, sopgen]\n" in (BASE / "mkdocs.yml").read_text()


# -- names git would quote ----------------------------------------------------------------

@pytest.mark.parametrize("folder", ["Bäckerei", "my handbook", "Café \"Zur Post\""])
def test_uncommitted_edits_show_in_a_project_whose_folder_git_would_quote(tmp_path: Path, folder: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    root = project(repo / folder, top=repo)
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    history = read_history(root)
    assert history.of(TASK).modified
    assert history.of(TASK).version == 1
    assert not history.of("sops/roles/owner.yml").modified


@pytest.mark.parametrize("sops_dir", ["procédures", "my sops", "科目"])
def test_versions_of_sources_in_a_folder_git_would_quote(tmp_path: Path, sops_dir: str) -> None:
    root = project(tmp_path / "repo", sops_dir=sops_dir)
    edit(root / sops_dir / "tasks/send-invoices.yml", "Send the invoices.", "Send the invoices today.")
    commit(root, "Invoices today", date="2026-02-01T09:00:00+00:00")
    history = read_history(root, sops_dir=sops_dir)
    assert history.of(f"{sops_dir}/tasks/send-invoices.yml").version == 2
    assert history.of(f"{sops_dir}/roles/owner.yml").version == 1
    assert [c.revision.subject for c in history.changes] == ["Invoices today", "First procedures"]
    assert run(root, "build", "-q", "--no-pdf", "-d", str(tmp_path / "site")).exit_code == 0
    assert "Version:</strong> 2 · in force since 2026-02-01" in (
        tmp_path / "site/sops/send-invoices/index.html").read_text()


def test_a_task_file_renamed_to_a_name_with_spaces_and_accents_keeps_its_history(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    git(root, "mv", "sops/tasks/reconcile-bank.yml", "sops/tasks/réconcile bank.yml")
    commit(root, "Rename", date="2026-02-01T09:00:00+00:00")
    history = read_history(root)
    moved = history.of("sops/tasks/réconcile bank.yml")
    assert [r.subject for r in moved.revisions] == ["Rename", "First procedures"]
    assert not moved.modified
    (root / "sops/tasks/réconcile bank.yml").write_text(
        (root / "sops/tasks/réconcile bank.yml").read_text() + "tags: [bank]\n")
    assert read_history(root).of("sops/tasks/réconcile bank.yml").modified


def test_a_users_git_settings_do_not_change_what_is_read(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    commit(root, "Rechnungen für heute", date="2026-02-01T09:00:00+00:00")
    for name, value in [("log.showSignature", "true"), ("core.quotePath", "true"), ("log.follow", "true"),
                        ("i18n.logOutputEncoding", "ISO-8859-1"), ("color.ui", "always"),
                        ("status.showUntrackedFiles", "no"), ("diff.renames", "false")]:
        git(root, "config", name, value)
    history = read_history(root)
    assert history.note is None
    assert [r.subject for r in history.of(TASK).revisions] == ["Rechnungen für heute", "First procedures"]
    assert history.of("sops/roles/owner.yml").version == 1


# -- time zones -----------------------------------------------------------------------------

@pytest.mark.parametrize("stamp, day", [
    ("2024-03-01T08:00:00+14:00", "2024-03-01"),  # 2024-02-29 18:00 UTC
    ("2024-02-29T20:00:00-12:00", "2024-02-29"),  # 2024-03-01 08:00 UTC
])
def test_in_force_since_is_the_commits_own_calendar_date(tmp_path: Path, stamp: str, day: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    no_epoch(monkeypatch)
    root = project(tmp_path / "repo")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    commit(root, "Invoices today", date=stamp)
    history = read_history(root)
    assert history.of(TASK).effective.date().isoformat() == day
    assert reference_time(history).date().isoformat() == day
    site = tmp_path / "site"
    assert run(root, "build", "-q", "--no-pdf", "-d", str(site)).exit_code == 0
    page = (site / "sops/send-invoices/index.html").read_text()
    assert f"in force since {day}" in page
    assert f"<td>{day}</td>" in page  # the revision table
    assert f'<h2 id="{day}">{day}<a class="headerlink" href="#{day}"' in (site / "changelog/index.html").read_text()
    assert f"Status on {day}" in (site / "reviews/index.html").read_text()


# -- merges ---------------------------------------------------------------------------------

def test_a_merged_change_is_in_force_since_the_merge(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "faster-invoices")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    commit(root, "Invoices today", date="2025-02-01T09:00:00+00:00")
    git(root, "checkout", "-q", "main")
    (root / "sops/roles/owner.yml").write_text((root / "sops/roles/owner.yml").read_text() + "# kept\n")
    commit(root, "Owner note", date="2025-02-15T09:00:00+00:00")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge faster invoices", "faster-invoices",
        date="2025-03-01T09:00:00+00:00")
    history = read_history(root)
    invoices = history.of(TASK)
    assert invoices.effective.date() == date(2025, 3, 1)
    assert [r.subject for r in invoices.revisions] == ["Merge faster invoices", "First procedures"]
    assert [c.revision.subject for c in history.changes] == ["Merge faster invoices", "Owner note",
                                                             "First procedures"]
    assert history.changes[0].files == [TASK]


def test_a_rename_on_main_and_an_edit_of_the_old_name_on_a_branch(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "edit-old-name")
    edit(root / "sops/tasks/reconcile-bank.yml", "Match each transaction.", "Match each bank transaction.")
    commit(root, "Edit under the old name", date="2026-02-20T09:00:00+00:00")  # after the rename below
    git(root, "checkout", "-q", "main")
    git(root, "mv", "sops/tasks/reconcile-bank.yml", "sops/tasks/reconcile-bank-account.yml")
    commit(root, "Rename", date="2026-02-10T09:00:00+00:00")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge the edit", "edit-old-name", date="2026-03-01T09:00:00+00:00")
    assert "bank transaction" in (root / "sops/tasks/reconcile-bank-account.yml").read_text()
    renamed = read_history(root).of("sops/tasks/reconcile-bank-account.yml")
    assert [r.subject for r in renamed.revisions] == ["Merge the edit", "Rename", "First procedures"]
    assert renamed.version == 3


def test_a_rename_on_a_branch_merged_into_main(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "rename")
    git(root, "mv", "sops/tasks/reconcile-bank.yml", "sops/tasks/reconcile-bank-account.yml")
    edit(root / "sops/tasks/reconcile-bank-account.yml", "Match each transaction.", "Match each bank transaction.")
    commit(root, "Rename on a branch", date="2026-02-01T09:00:00+00:00")
    git(root, "checkout", "-q", "main")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    commit(root, "Invoices today", date="2026-02-10T09:00:00+00:00")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge the rename", "rename", date="2026-03-01T09:00:00+00:00")
    history = read_history(root)
    renamed = history.of("sops/tasks/reconcile-bank-account.yml")
    assert [r.subject for r in renamed.revisions] == ["Merge the rename", "First procedures"]
    assert history.of(TASK).version == 2
    assert history.changes[0].gone == [] and history.changes[0].files == ["sops/tasks/reconcile-bank-account.yml"]


# -- submodules -----------------------------------------------------------------------------

def sops_submodule(tmp_path: Path, *, added: str, edited: str = "") -> Path:
    """A project whose sops/ is a submodule: its first commit of 2026-01-05, then (given ``edited``,
    a date) one editing the invoicing SOP, added to the project by a commit dated ``added``."""
    sources = tmp_path / "sources"
    shutil.copytree(BASE / "sops", sources)
    git(sources, "init", "-q", "-b", "main")
    commit(sources, "First procedures", date="2026-01-05T09:00:00+00:00")
    if edited:
        edit(sources / "tasks/send-invoices.yml", "Send the invoices.", "Send the invoices today.")
        commit(sources, "Invoices today", date=edited)
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(BASE / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sources), "sops")
    commit(root, "Procedures from their own repository", date=added)
    return root


def test_sources_in_a_submodule_keep_their_history(tmp_path: Path) -> None:
    root = sops_submodule(tmp_path, added="2026-03-01T09:00:00+00:00", edited="2026-02-01T09:00:00+00:00")
    history = read_history(root)
    assert history.of(TASK).version == 2
    assert history.of(TASK).effective.date() == date(2026, 2, 1)
    assert [c.revision.subject for c in history.changes] == ["Invoices today", "First procedures"]
    assert history.changes[0].files == [TASK]
    assert history.head_time.date() == date(2026, 3, 1)  # the project's last commit dates the build
    edit(root / TASK, "today.", "this morning.")
    assert read_history(root).of(TASK).modified
    assert run(root, "build", "-q", "--no-pdf", "-d", str(tmp_path / "site")).exit_code == 0
    assert "Version:</strong> 2 + uncommitted changes · in force since 2026-02-01" in (
        tmp_path / "site/sops/send-invoices/index.html").read_text()


def nested_tasks_submodule(tmp_path: Path) -> Path:
    """A project whose sops/tasks/ is a submodule of its own, tagged v1, then edited in the submodule."""
    tasks = tmp_path / "tasks-repo"
    shutil.copytree(BASE / "sops/tasks", tasks)
    git(tasks, "init", "-q", "-b", "main")
    commit(tasks, "First tasks", date="2026-01-02T09:00:00+00:00")
    root = project(tmp_path / "repo")
    git(root, "rm", "-q", "-r", "sops/tasks")
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(tasks), "sops/tasks")
    commit(root, "Tasks from their own repository", date="2026-01-10T09:00:00+00:00")
    git(root, "tag", "v1")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    commit(root / "sops/tasks", "Invoices today", date="2026-02-01T09:00:00-12:00")
    commit(root, "Newer tasks", date="2026-02-02T09:00:00+00:00")
    return root


def test_a_submodule_inside_the_sources_is_followed_too(tmp_path: Path) -> None:
    root = nested_tasks_submodule(tmp_path)
    history = read_history(root)
    assert history.note is None
    assert [r.subject for r in history.of(TASK).revisions] == ["Invoices today", "First tasks"]
    assert history.of(TASK).effective.date() == date(2026, 2, 1)
    assert history.of("sops/roles/owner.yml").version == 1
    assert [c.revision.subject for c in history.changes] == [
        "Invoices today", "Tasks from their own repository", "First procedures", "First tasks"]
    edit(root / TASK, "today.", "now.")
    assert read_history(root).of(TASK).modified
    assert not read_history(root).of("sops/tasks/reconcile-bank.yml").modified


def test_changes_with_a_submodule_inside_the_sources(tmp_path: Path) -> None:
    root = nested_tasks_submodule(tmp_path)
    result = run(root, "changes", "v1")
    assert result.exit_code == 0, result.output
    assert 'reworded: "Send the invoices." → "Send the invoices today."' in result.output
    assert "New SOPs" not in result.output


# -- repositories in unusual states ---------------------------------------------------------

def test_detached_head(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    commit(root, "Invoices today", date="2026-02-01T09:00:00+00:00")
    git(root, "checkout", "-q", "--detach", "HEAD~1")
    history = read_history(root)
    assert history.of(TASK).version == 1 and history.note is None


def test_a_repository_without_commits_builds_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_epoch(monkeypatch)
    root = shutil.copytree(BASE, tmp_path / "Bäckerei")
    git(root, "init", "-q", "-b", "main")
    history = read_history(root)
    assert history.note.startswith("no commits yet")
    result = run(root, "build", "--no-pdf", "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert "no commits yet" in result.output


def test_commit_messages_in_latin_1_and_with_bodies(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    git(root, "add", "-A")
    message = tmp_path / "message"
    message.write_bytes("Rechnungen für die Bäckerei\n\nA body\nover lines\x1e\x1f with separators.\n"
                        .encode("latin-1"))
    git(root, "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", str(message),
        date="2026-02-01T09:00:00+00:00")
    edit(root / TASK, "today.", "at once.")
    git(root, "add", "-A")
    message.write_bytes(b"Broken bytes \xff\xfe here\n\nbody\n")  # no encoding header: not UTF-8
    git(root, "commit", "-q", "-F", str(message), date="2026-02-02T09:00:00+00:00")
    edit(root / TASK, "at once.", "now.")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Two lines\nof subject", "-m", "Body \x1e with \x1f separators",
        date="2026-02-03T09:00:00+00:00")
    edit(root / TASK, "now.", "right now.")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty-message", "-m", "", date="2026-02-04T09:00:00+00:00")
    history = read_history(root)
    subjects = [r.subject for r in history.of(TASK).revisions]
    assert subjects.pop(0) == ""
    assert subjects[0] == "Two lines of subject"
    assert subjects[1].startswith("Broken bytes ") and subjects[1].endswith(" here")  # git's reading of them
    assert subjects[2:] == ["Rechnungen für die Bäckerei", "First procedures"]
    assert run(root, "build", "-q", "--no-pdf", "-d", str(tmp_path / "site")).exit_code == 0
    changelog = (tmp_path / "site/changelog/index.html").read_text()
    assert "<li>(Ada Admin, <code>" in changelog and "****" not in changelog  # the commit without a message
    assert "<strong>Rechnungen für die Bäckerei</strong>" in changelog


# -- the changelog page ---------------------------------------------------------------------

def test_changelog_entries_for_organization_and_media_commits_are_one_a_line(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    (root / "sops/organization.yml").write_text((root / "sops/organization.yml").read_text() + "# note\n")
    commit(root, "Organization note", date="2026-02-01T09:00:00+00:00")
    (root / "sops/media/picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    commit(root, "A picture", date="2026-02-01T10:00:00+00:00")
    (root / "sops/organization.yml").write_text((root / "sops/organization.yml").read_text() + "# more\n")
    commit(root, "Another organization note", date="2026-02-01T11:00:00+00:00")
    assert run(root, "build", "-q", "--no-pdf", "-d", str(tmp_path / "site")).exit_code == 0
    html = (tmp_path / "site/changelog/index.html").read_text()
    items = [line for line in html.splitlines() if "<li>" in line]
    subjects = ["Another organization note", "A picture", "Organization note", "First procedures"]
    for subject in subjects:
        assert sum(subject in item for item in items) == 1, html
        assert not any(subject in item and other in item for item in items for other in subjects
                       if other != subject), html


def test_git_runs_through_one_module() -> None:
    # one place sets how git is read (paths unquoted, no signatures, UTF-8); a second runner would not
    import ast

    package = Path(__file__).parent.parent / "sopgen"
    runners = sorted({module.name for module in package.rglob("*.py")
                      for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
                      if isinstance(node, ast.Constant) and node.value == "git"})
    assert runners == ["git.py"]


# -- one "today" per build ------------------------------------------------------------------

@pytest.fixture
def reviewed_early_2024(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project last committed on 2024-03-01 whose SOP was reviewed 2024-01-01 (due 2024-07-01):
    current on the build's date, overdue on the real one."""
    no_epoch(monkeypatch)
    root = project(tmp_path / "repo")
    edit(root / TASK, REVIEWED, "reviewed: 2024-01-01")
    commit(root, "Reviewed", date="2024-03-01T08:00:00+14:00")
    return root


def test_sopgen_build_validates_on_the_builds_date(reviewed_early_2024: Path, tmp_path: Path) -> None:
    result = run(reviewed_early_2024, "build", "--no-pdf", "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert "review overdue" not in result.output
    reviews = (tmp_path / "site/reviews/index.html").read_text()
    assert "Status on 2024-03-01" in reviews and "Overdue (0)" in reviews.replace("</h2>", "")


def test_the_plugin_validates_on_the_builds_date(reviewed_early_2024: Path, tmp_path: Path) -> None:
    from sopgen.site.engines.mkdocs.build import build

    said: list[str] = []
    build(reviewed_early_2024 / "mkdocs.yml", site_dir=str(tmp_path / "site"), pdf=False, echo=said.append,
          verbose=True)  # no catalog handed over: the plugin loads and validates, as under `mkdocs build`
    assert said and not [line for line in said if "review overdue" in line]
    assert "Status on 2024-03-01" in (tmp_path / "site/reviews/index.html").read_text()


# -- `sopgen changes` over the same kinds of repositories ------------------------------------

def test_changes_since_a_tag_when_sops_is_a_submodule(tmp_path: Path) -> None:
    from sopgen.history.changes import catalog_at, describe_rev

    root = sops_submodule(tmp_path, added="2024-03-01T08:00:00+14:00")
    git(root, "tag", "v1")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    git(root / "sops", "mv", "tasks/reconcile-bank.yml", "tasks/reconcile-bank-account.yml")
    commit(root / "sops", "Invoices today", date="2026-02-01T09:00:00+00:00")
    commit(root, "Newer procedures", date="2026-02-02T09:00:00+00:00")
    before = catalog_at(root, "v1")
    assert sorted(before.tasks) == ["reconcile-bank", "send-invoices"]
    assert "Send the invoices." in [s.do for s in before.tasks["send-invoices"].steps]
    assert describe_rev(root, "v1").endswith(", 2024-03-01)")
    result = run(root, "changes", "v1")
    assert result.exit_code == 0, result.output
    assert 'reworded: "Send the invoices." → "Send the invoices today."' in result.output
    assert "New SOPs" not in result.output
    assert "`/sops/reconcile-bank/` to `/sops/reconcile-bank-account/`" in result.output


def test_changes_with_sources_in_a_folder_git_would_quote(tmp_path: Path) -> None:
    root = project(tmp_path / "repo", sops_dir="procédures")
    git(root, "tag", "v1")
    edit(root / "procédures/tasks/send-invoices.yml", "Send the invoices.", "Send the invoices today.")
    result = run(root, "changes", "v1")
    assert result.exit_code == 0, result.output
    assert 'reworded: "Send the invoices." → "Send the invoices today."' in result.output


def test_under_serve_a_new_commit_moves_the_builds_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # serve's rebuilds share their caches (the last history among them): a new commit still moves the date,
    # and the user's own SOURCE_DATE_EPOCH wins
    from sopgen.site.generate import Caches, generate

    no_epoch(monkeypatch)
    root = project(tmp_path / "repo")
    caches = Caches()
    assert generate(root, caches=caches).today == date(2026, 1, 5)
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    commit(root, "Invoices today", date="2026-02-01T08:00:00+14:00")
    assert generate(root, caches=caches).today == date(2026, 2, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # the user's own (2025-01-01) wins
    assert generate(root, caches=caches).today == date(2025, 1, 1)


def test_file_names_with_newlines_and_quotes(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    odd = root / "sops/media/a \"quoted\"\nname.png"
    odd.write_bytes(b"\x89PNG\r\n\x1a\n")
    commit(root, "An oddly named picture", date="2026-02-01T09:00:00+00:00")
    history = read_history(root)
    assert history.of("sops/media/a \"quoted\"\nname.png").version == 1
    assert history.changes[0].files == ["sops/media/a \"quoted\"\nname.png"]
    odd.write_bytes(b"\x89PNG\r\n\x1a\n\0")
    assert read_history(root).of("sops/media/a \"quoted\"\nname.png").modified


def test_without_git_the_build_says_so_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path / "repo")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    history = read_history(root)
    assert history.note.startswith("git is not installed") and history.files == {}
    result = run(root, "build", "--no-pdf", "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert result.output.count("git is not installed") == 1


def test_git_that_does_not_answer_is_a_note_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess as sp

    from sopgen.history import git as gitmodule

    root = project(tmp_path / "repo")
    real = sp.run

    def slow(command: list[str], **kw: object) -> object:
        if "log" in command:
            raise sp.TimeoutExpired(command, 120)
        return real(command, **kw)

    monkeypatch.setattr(gitmodule.subprocess, "run", slow)
    history = read_history(root)
    assert history.note == "git did not answer within 120 s (git log): versions and revision history are left out"


def test_changes_of_a_project_in_a_folder_git_would_quote(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    root = project(tmp_path / "repo/Bäckerei \"Zur Post\"", top=tmp_path / "repo")
    git(tmp_path / "repo", "tag", "v1")
    edit(root / TASK, "Send the invoices.", "Send the invoices today.")
    git(root, "mv", "sops/tasks/reconcile-bank.yml", "sops/tasks/reconcile-bank-account.yml")
    result = run(root, "changes", "v1")
    assert result.exit_code == 0, result.output
    assert 'reworded: "Send the invoices." → "Send the invoices today."' in result.output
    assert "`/sops/reconcile-bank/` to `/sops/reconcile-bank-account/`" in result.output
