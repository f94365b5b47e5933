"""`sopgen changes`: the sources at a revision, the step-level diff and the report."""

from __future__ import annotations

import os
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import build_tree
from sopgen.history.changes import (
    ChangesError,
    FieldChange,
    RoleChanges,
    StepChange,
    TaskChange,
    catalog_at,
    compare,
    describe_rev,
    renamed_tasks,
    step_diff,
    to_markdown,
)
from sopgen.core.errors import SopgenError
from sopgen.core.loader import load
from sopgen.core.model import Step
from sopgen.core.stepdiff import FieldText

# -- a throw-away repository with a history ------------------------------------------------

ORGANIZATION = """
    name: Acme Consulting
    owner: owner
"""
OWNER = """
    title: Owner
    summary: Runs the business.
"""
BOOKKEEPER = """
    title: Bookkeeper
    summary: Keeps the books.
    reports_to: owner
    tools:
      - name: QuickBooks Online
      - name: Google Drive
"""
SEND_INVOICES = """
    title: Send client invoices
    role: bookkeeper
    purpose: Clients pay when the invoice is right and on time.
    frequency: monthly
    duration: 1h
    tools: [QuickBooks Online]
    steps:
      - do: Open QuickBooks
      - do: Create the invoice
        steps:
          - do: Pick the client
          - do: Add the hours from the timesheet
      - do: Check the totals
        tip: Compare with last month.
      - do: Send the invoice
"""


def simple_task(title: str, role: str, *steps: str) -> str:
    lines = [f"title: {title}", f"role: {role}", "purpose: It has to be done.", "steps:"]
    return "\n".join([*lines, *(f"  - do: {step}" for step in steps)]) + "\n"


V1_SOURCES = {
    "sops/organization.yml": ORGANIZATION,
    "sops/roles/owner.yml": OWNER,
    "sops/roles/bookkeeper.yml": BOOKKEEPER,
    "sops/tasks/send-invoices.yml": SEND_INVOICES,
    "sops/tasks/reconcile-bank.yml": simple_task("Reconcile the bank account", "bookkeeper",
                                                 "Download the statement", "Match each line"),
    "sops/tasks/file-receipts.yml": simple_task("File receipts", "bookkeeper",
                                                "Collect the receipts", "Scan them into Drive",
                                                "Shred the paper copies"),
    "sops/tasks/review-pnl.yml": simple_task("Review the P&L", "owner", "Open the report",
                                             "Compare with the budget"),
    "sops/tasks/approve-expenses.yml": simple_task("Approve expenses", "owner", "Read the request",
                                                   "Approve or refuse it"),
}


def git(repo: Path, *args: str, day: int = 1) -> str:
    """Run git in ``repo`` without the user's configuration, at a fixed date."""
    stamp = f"2026-01-{day:02d}T10:00:00+00:00"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Test Author")
    git(repo, "config", "user.email", "author@example.com")
    return repo


def commit(repo: Path, message: str, *, day: int, files: dict[str, str | None] | None = None) -> str:
    """Write ``files`` (None deletes), commit everything, and return the commit's hash."""
    build_tree(repo, files or {})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, day=day)
    return git(repo, "rev-parse", "HEAD")


def edit(repo: Path, rel: str, old: str, new: str) -> dict[str, str]:
    """``rel`` with ``old`` replaced by ``new``, as a file for :func:`commit`."""
    content = (repo / rel).read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {rel}"
    return {rel: content.replace(old, new)}


@dataclass
class History:
    root: Path
    before_sops: str
    v1: str
    tip_changed: str


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """A project whose SOPs changed in every way since the tag v1 (read-only: tests must not change it)."""
    root = init_repo(tmp_path_factory.mktemp("history") / "acme")
    invoices = "sops/tasks/send-invoices.yml"
    before_sops = commit(root, "Start the site", day=1, files={
        "mkdocs.yml": "site_name: Acme handbook\nplugins: [sopgen]\n", "README.md": "Acme\n"})
    v1 = commit(root, "Write the SOPs", day=5, files=V1_SOURCES)
    git(root, "tag", "v1")
    commit(root, "Reword a step", day=6, files=edit(root, invoices, "  - do: Send the invoice\n",
                                                      "  - do: Send the invoice from QuickBooks\n"))
    commit(root, "Use Drive", day=7, files=edit(root, invoices, "[QuickBooks Online]",
                                                "[QuickBooks Online, Google Drive]"))
    commit(root, "Add a step", day=8, files=edit(root, invoices, "  - do: Send the invoice from QuickBooks\n",
                                                 "  - do: Send the invoice from QuickBooks\n"
                                                 "  - do: Archive the PDF in Drive\n"))
    commit(root, "Remove a sub-step", day=9, files=edit(root, invoices, "      - do: Pick the client\n", ""))
    tip_changed = commit(root, "Change a tip", day=10, files=edit(
        root, invoices, "Compare with last month.", "Compare with last month and last year."))
    commit(root, "Retire an SOP", day=11, files=edit(root, "sops/tasks/reconcile-bank.yml", "purpose:",
                                                     "status: retired\npurpose:"))
    commit(root, "Delete an SOP", day=12, files={"sops/tasks/approve-expenses.yml": None})
    commit(root, "Add an SOP", day=13, files={"sops/tasks/pay-bills.yml": simple_task(
        "Pay supplier bills", "bookkeeper", "Collect the bills", "Pay them")})
    git(root, "mv", "sops/tasks/file-receipts.yml", "sops/tasks/archive-receipts.yml")
    commit(root, "Rename an SOP", day=14, files=edit(root, "sops/tasks/archive-receipts.yml",
                                                     "title: File receipts", "title: Archive receipts"))
    commit(root, "Move an SOP", day=15, files=edit(root, "sops/tasks/review-pnl.yml", "role: owner",
                                                   "role: bookkeeper"))
    return History(root, before_sops, v1, tip_changed)


def short(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", "--short", rev)


# -- the sources at a revision ----------------------------------------------------------------

def test_catalog_at_a_tag(history: History) -> None:
    catalog = catalog_at(history.root, "v1")
    assert sorted(catalog.tasks) == ["approve-expenses", "file-receipts", "reconcile-bank", "review-pnl",
                                     "send-invoices"]
    assert sorted(catalog.roles) == ["bookkeeper", "owner"]
    assert catalog.organization.name == "Acme Consulting"
    assert catalog.problems == []
    invoices = catalog.tasks["send-invoices"]
    assert [s.do for s in invoices.steps] == ["Open QuickBooks", "Create the invoice", "Check the totals",
                                              "Send the invoice"]
    assert invoices.role is catalog.roles["bookkeeper"]


def test_catalog_at_a_commit_hash(history: History) -> None:
    catalog = catalog_at(history.root, history.tip_changed)
    assert catalog.tasks["send-invoices"].steps[2].tip == "Compare with last month and last year."
    assert catalog.tasks["reconcile-bank"].status == "active"  # retired only in a later commit
    assert catalog_at(history.root, history.tip_changed[:10]).tasks.keys() == catalog.tasks.keys()


def test_catalog_before_the_sources_existed_is_empty(history: History) -> None:
    catalog = catalog_at(history.root, history.before_sops)
    assert catalog.tasks == {} and catalog.roles == {} and catalog.problems == []


def test_renamed_tasks(history: History) -> None:
    assert renamed_tasks(history.root, "v1") == {"file-receipts": "archive-receipts"}
    assert renamed_tasks(history.root, "HEAD") == {}


def test_describe_rev(history: History) -> None:
    assert describe_rev(history.root, "v1") == f"v1 ({short(history.root, 'v1')}, 2026-01-05)"
    assert describe_rev(history.root, history.v1) == f"{short(history.root, 'v1')} (2026-01-05)"
    assert describe_rev(history.root, "HEAD~1") == f"HEAD~1 ({short(history.root, 'HEAD~1')}, 2026-01-14)"


@pytest.mark.parametrize("read", [catalog_at, renamed_tasks, describe_rev])
def test_an_unknown_revision_is_an_error(history: History, read) -> None:
    with pytest.raises(ChangesError) as caught:
        read(history.root, "v9")
    assert str(caught.value) == ("'v9' is not a commit or tag of this repository: "
                                 "try `git tag` or `git log --oneline`")


def test_an_option_is_not_a_revision(history: History) -> None:
    with pytest.raises(ChangesError, match="'--output=x' is not a commit or tag"):
        catalog_at(history.root, "--output=x")


def test_a_shallow_clone_says_how_to_fetch_the_history(history: History, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", "--no-tags", history.root.as_uri(), str(clone))
    with pytest.raises(ChangesError) as caught:
        describe_rev(clone, "v1")
    assert str(caught.value).endswith(
        "(this is a shallow clone: fetch the history with `git fetch --unshallow --tags`)")


@pytest.mark.parametrize("read", [catalog_at, renamed_tasks, describe_rev])
def test_outside_a_repository_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # even if tmp_path is inside a repository
    project = build_tree(tmp_path / "plain", {"sops/organization.yml": ORGANIZATION})
    with pytest.raises(SopgenError) as caught:
        read(project, "v1")
    assert isinstance(caught.value, ChangesError)
    assert str(caught.value) == (
        f"{project} is not in a git repository: `sopgen changes` compares the SOPs with an earlier commit, "
        "so keep the project in git (`git init`, then commit)")


def test_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "mono")
    project = repo / "handbook"
    first = commit(repo, "Other things", day=1, files={
        "README.md": "Mono\n",
        "sops/tasks/decoy.yml": simple_task("Not this project's", "owner", "Ignore me"),  # a sops/ at the top
    })
    commit(repo, "Handbook", day=2, files={
        "handbook/mkdocs.yml": "site_name: Handbook\n",
        "handbook/sops/roles/owner.yml": OWNER,
        "handbook/sops/tasks/file-receipts.yml": simple_task("File receipts", "owner", "Collect them", "Scan them"),
    })
    git(repo, "tag", "h1")
    git(repo, "mv", "handbook/sops/tasks/file-receipts.yml", "handbook/sops/tasks/archive-receipts.yml")
    commit(repo, "Rename, and a task that does not validate", day=3, files={
        "handbook/sops/tasks/broken.yml": "title: No role, no steps\n"})

    assert sorted(catalog_at(project, "h1").tasks) == ["file-receipts"]
    assert catalog_at(project, first).tasks == {}  # the project folder did not exist yet
    assert renamed_tasks(project, "h1") == {"file-receipts": "archive-receipts"}
    assert describe_rev(project, "h1") == f"h1 ({short(repo, 'h1')}, 2026-01-02)"
    head = catalog_at(project, "HEAD")
    assert sorted(head.tasks) == ["archive-receipts"]  # broken.yml is left out, not a crash
    assert {p.path for p in head.problems} == {"sops/tasks/broken.yml"}
    assert sorted(catalog_at(repo, "HEAD").tasks) == ["decoy"]


# -- comparing two catalogs ---------------------------------------------------------------------

def test_compare_the_whole_history(history: History) -> None:
    changes = compare(catalog_at(history.root, "v1"), load(history.root),
                      renames=renamed_tasks(history.root, "v1"))
    owner, bookkeeper = changes
    assert [(c.role, c.title) for c in changes] == [("owner", "Owner"), ("bookkeeper", "Bookkeeper")]
    assert owner.added == owner.changed == owner.retired == owner.renamed == []
    assert owner.removed == [
        TaskChange("removed", "approve-expenses", "Approve expenses"),
        TaskChange("removed", "review-pnl", "Review the P&L", moved_to="bookkeeper"),
    ]
    assert bookkeeper.added == [
        TaskChange("added", "pay-bills", "Pay supplier bills"),
        TaskChange("added", "review-pnl", "Review the P&L", moved_from="owner"),
    ]
    assert bookkeeper.retired == [
        TaskChange("retired", "reconcile-bank", "Reconcile the bank account", status="retired")]
    assert bookkeeper.removed == []
    renamed = TaskChange("renamed", "archive-receipts", "Archive receipts", old_task="file-receipts",
                         old_title="File receipts")
    assert bookkeeper.renamed == [renamed]
    [invoices] = bookkeeper.changed
    assert (invoices.kind, invoices.task, invoices.old_task, invoices.old_title) == (
        "changed", "send-invoices", None, None)
    assert invoices.fields == (FieldChange("tools", added=("Google Drive",)),)
    assert invoices.steps == (
        StepChange("removed", "2.1", old="Pick the client", old_number="2.1"),
        StepChange("updated", "3", old="Check the totals", new="Check the totals", old_number="3", fields=("tip",),
                   texts=(FieldText("tip", "Compare with last month.", "Compare with last month and last year."),)),
        StepChange("reworded", "4", old="Send the invoice", new="Send the invoice from QuickBooks", old_number="4"),
        StepChange("added", "5", new="Archive the PDF in Drive"),
    )


WHOLE_REPORT = """\
# Changes since v1 ({short}, 2026-01-05)

## Owner

### Removed

- Approve expenses
- Review the P&L (moved to Bookkeeper)

## Bookkeeper

### New SOPs

- Pay supplier bills
- Review the P&L (moved from Owner)

### Changed

#### Send client invoices

- Tools: added "Google Drive"
- Step removed (was step 2.1): "Pick the client"
- Step 3 updated: "Check the totals"
  - tip: "Compare with last month." → "Compare with last month and last year." ("month." → "month and last year.")
- Step 4 reworded: "Send the invoice" → "Send the invoice from QuickBooks" (added "from QuickBooks")
- Step 5 added: "Archive the PDF in Drive"

### Retired

- Reconcile the bank account

### Renamed

- File receipts → Archive receipts (its page moved from `/sops/file-receipts/` to `/sops/archive-receipts/`)
"""


def test_markdown_of_the_whole_history(history: History) -> None:
    changes = compare(catalog_at(history.root, "v1"), load(history.root),
                      renames=renamed_tasks(history.root, "v1"))
    since = describe_rev(history.root, "v1")
    assert to_markdown(changes, since=since) == WHOLE_REPORT.format(short=short(history.root, "v1"))
    assert to_markdown(changes, since=since, role="owner") == textwrap.dedent(f"""\
        # Changes since {since}

        ## Owner

        ### Removed

        - Approve expenses
        - Review the P&L (moved to Bookkeeper)
        """)
    assert to_markdown(changes, since=since, role="bookkeeper") == WHOLE_REPORT.format(
        short=short(history.root, "v1")).replace(
        "## Owner\n\n### Removed\n\n- Approve expenses\n- Review the P&L (moved to Bookkeeper)\n\n", "")


def test_markdown_when_nothing_changed(history: History) -> None:
    unchanged = compare(load(history.root), catalog_at(history.root, "HEAD"), renames={})
    assert all(section.empty for section in unchanged)
    assert to_markdown(unchanged, since="HEAD (abc1234, 2026-01-15)") == \
        "Nothing changed since HEAD (abc1234, 2026-01-15).\n"
    assert to_markdown(unchanged, since="HEAD (abc1234, 2026-01-15)", role="owner") == \
        "Nothing changed for Owner since HEAD (abc1234, 2026-01-15).\n"


def test_a_role_without_changes_among_others(history: History) -> None:
    changes = compare(catalog_at(history.root, "v1"), catalog_at(history.root, history.tip_changed), renames={})
    assert to_markdown(changes, since="v1", role="owner") == "Nothing changed for Owner since v1.\n"
    assert to_markdown(changes, since="v1").startswith("# Changes since v1\n\n## Bookkeeper\n\n### Changed\n")


def test_an_unknown_role_is_an_error(history: History) -> None:
    changes = compare(load(history.root), load(history.root), renames={})
    with pytest.raises(ChangesError, match="^unknown role 'bookeeper' — did you mean 'bookkeeper'\\?$"):
        to_markdown(changes, since="v1", role="bookeeper")
    with pytest.raises(ChangesError, match="^unknown role 'cfo' — the roles are: owner, bookkeeper$"):
        to_markdown(changes, since="v1", role="cfo")


def project(root: Path, tasks: dict[str, str | None]) -> Path:
    return build_tree(root, {"sops/organization.yml": ORGANIZATION, "sops/roles/owner.yml": OWNER, **tasks})


def test_status_fields_and_escaping_without_git(tmp_path: Path) -> None:
    old = project(tmp_path / "old", {
        "sops/tasks/a.yml": """
            title: Plan <b>the</b> week
            role: owner
            purpose: Know what comes.
            status: retired
            steps: [{do: Look}]
        """,
        "sops/tasks/b.yml": """
            title: Book travel
            role: owner
            purpose: Be there.
            frequency: monthly
            duration: 1h
            checklist: [Flights, Hotel]
            steps:
              - do: Ask the client
              - do: Compare the flights
              - do: Pay
        """,
        "sops/tasks/c.yml": simple_task("Kept but broken later", "owner", "Step"),
    })
    new = project(tmp_path / "new", {
        "sops/tasks/a.yml": (old / "sops/tasks/a.yml").read_text().replace("status: retired\n", ""),
        "sops/tasks/b.yml": """
            title: Book travel
            role: owner
            purpose: Be there, rested.
            status: draft
            frequency: weekly
            duration: 60m
            checklist: [Hotel, Flights]
            steps:
              - do: Ask   the client
                warning: Never book without a yes.
              - do: |
                  Compare the flights
                  on `a | b` *sites*
              - do: Pay with the company card
              - do: Send the receipts
        """,
        "sops/tasks/c.yml": "title: [not, text]\n",
        "sops/tasks/d.yml": simple_task("Draft a proposal", "owner", "Write").replace("steps:",
                                                                                     "status: draft\nsteps:"),
    })
    [owner] = compare(load(old), load(new), renames={})
    assert owner.removed == []  # c.yml cannot be read now: not reported as removed
    assert [(c.kind, c.task, c.status) for c in owner.added] == [("added", "d", "draft"),
                                                                 ("unretired", "a", "active")]
    [book] = owner.changed
    assert book.fields == (
        FieldChange("purpose", old="Be there.", new="Be there, rested."),
        FieldChange("status", old="active", new="draft"),
        FieldChange("frequency", old="monthly", new="weekly"),  # 1h → 60m is the same duration
        FieldChange("checklist"),
    )
    assert book.steps == (
        StepChange("updated", "1", old="Ask the client", new="Ask   the client", old_number="1", fields=("warning",),
                   texts=(FieldText("warning", None, "Never book without a yes."),)),
        StepChange("reworded", "2", old="Compare the flights", new="Compare the flights\non `a | b` *sites*",
                   old_number="2"),
        StepChange("removed", "3", old="Pay", old_number="3"),
        StepChange("added", "3", new="Pay with the company card"),
        StepChange("added", "4", new="Send the receipts"),
    )
    assert to_markdown([owner], since="v1") == textwrap.dedent("""\
        # Changes since v1

        ## Owner

        ### New SOPs

        - Draft a proposal (draft)
        - Plan &lt;b>the&lt;/b> week (back in use: no longer retired)

        ### Changed

        #### Book travel

        - Purpose changed: "Be there." → "Be there, rested." ("there." → "there, rested.")
        - Status changed: active → draft
        - Frequency changed: monthly → weekly
        - Checklist reordered
        - Step 1 updated: "Ask the client"
          - warning added: "Never book without a yes."
        - Step 2 reworded: "Compare the flights" → "Compare the flights on `a | b` *sites*" (added "on a | b sites")
        - Step removed (was step 3): "Pay"
        - Step 3 added: "Pay with the company card"
        - Step 4 added: "Send the receipts"
        """)


def test_renamed_and_moved_counts_as_moved(tmp_path: Path) -> None:
    old = project(tmp_path / "old", {"sops/roles/bookkeeper.yml": BOOKKEEPER,
                                     "sops/tasks/a.yml": simple_task("File", "owner", "Do it")})
    new = project(tmp_path / "new", {"sops/roles/bookkeeper.yml": BOOKKEEPER,
                                     "sops/tasks/b.yml": simple_task("Archive", "bookkeeper", "Do it")})
    owner, bookkeeper = compare(load(old), load(new), renames={"a": "b"})
    assert owner.removed == [TaskChange("removed", "a", "File", moved_to="bookkeeper")]
    assert bookkeeper.added == [TaskChange("added", "b", "Archive", moved_from="owner")]
    assert bookkeeper.renamed == bookkeeper.changed == []


def test_a_role_that_disappeared_keeps_its_title(tmp_path: Path) -> None:
    old = project(tmp_path / "old", {"sops/roles/bookkeeper.yml": BOOKKEEPER,
                                     "sops/tasks/a.yml": simple_task("File", "bookkeeper", "Do it")})
    new = project(tmp_path / "new", {})
    changes = compare(load(old), load(new), renames={})
    assert [(c.role, c.title) for c in changes] == [("owner", "Owner"), ("bookkeeper", "Bookkeeper")]
    assert to_markdown(changes, since="v1", role="bookkeeper") == \
        "# Changes since v1\n\n## Bookkeeper\n\n### Removed\n\n- File\n"


def test_an_sop_added_already_retired_is_not_a_new_sop(tmp_path: Path) -> None:
    old = project(tmp_path / "old", {"sops/roles/bookkeeper.yml": BOOKKEEPER})
    new = project(tmp_path / "new", {"sops/roles/bookkeeper.yml": BOOKKEEPER,
                                     "sops/tasks/old-way.yml": simple_task("Invoice from Word", "bookkeeper", "Do it")
                                     + "status: retired\n"})
    changes = compare(load(old), load(new), renames={})
    bookkeeper = next(c for c in changes if c.role == "bookkeeper")
    assert bookkeeper.added == []
    assert bookkeeper.retired == [TaskChange("added", "old-way", "Invoice from Word", status="retired")]
    assert to_markdown(changes, since="v1", role="bookkeeper") == (
        "# Changes since v1\n\n## Bookkeeper\n\n### Retired\n\n"
        "- Invoice from Word (added as retired: a record, never in force here)\n")


# -- the step-level diff ------------------------------------------------------------------------

def steps(*texts: str) -> list[Step]:
    return [Step(do=t) for t in texts]


def test_dissimilar_steps_are_removed_and_added() -> None:
    assert step_diff(steps("Open the ledger", "Close"), steps("Open the ledger", "Call the bank manager")) == [
        StepChange("removed", "2", old="Close", old_number="2"),
        StepChange("added", "2", new="Call the bank manager"),
    ]


def test_replaced_steps_pair_in_order() -> None:
    assert step_diff(steps("Print the report", "Sign the report"),
                     steps("Email the team", "Print the PDF report", "Sign the PDF report")) == [
        StepChange("added", "1", new="Email the team"),
        StepChange("reworded", "2", old="Print the report", new="Print the PDF report", old_number="1"),
        StepChange("reworded", "3", old="Sign the report", new="Sign the PDF report", old_number="2"),
    ]


def test_a_step_moved_elsewhere() -> None:
    old = [Step(do="Print the report"), Step(do="Sign it"), Step(do="File it", tip="By date.")]
    new = [Step(do="File it", tip="By client."), Step(do="Print the report"), Step(do="Sign it")]
    changes = step_diff(old, new)
    assert changes == [StepChange("moved", "1", old="File it", new="File it", old_number="3", fields=("tip",),
                                  texts=(FieldText("tip", "By date.", "By client."),))]
    section = RoleChanges("owner", "Owner", changed=[TaskChange("changed", "a", "A", steps=tuple(changes))])
    assert to_markdown([section], since="v1").endswith(
        '#### A\n\n- Step 1 moved (was step 3): "File it"\n  - tip: "By date." → "By client." ("date." → "client.")\n')


def test_whitespace_and_renumbering_are_not_changes() -> None:
    old = [Step(do="Open the ledger", tip="Use  the\nlaptop"), Step(do="Close it")]
    new = [Step(do="Check the date", steps=[Step(do="Open the   ledger", tip="Use the laptop")]), Step(do="Close it")]
    assert step_diff(old, new) == [StepChange("added", "1", new="Check the date")]


def test_updated_lists_every_field_that_changed() -> None:
    old = [Step(do="Send", image="media/a.png")]
    new = [Step(do="Send", details="By email.", why="They wait.", image="media/b.png", video="https://x.test/v")]
    assert step_diff(old, new) == [StepChange("updated", "1", old="Send", new="Send", old_number="1",
                                              fields=("details", "why", "image", "video"), texts=(
        FieldText("details", None, "By email."), FieldText("why", None, "They wait."),
        FieldText("image", "media/a.png", "media/b.png"), FieldText("video", None, "https://x.test/v")))]


# -- the command --------------------------------------------------------------------------------

def test_the_changes_command(history: History) -> None:
    from conftest import run

    result = run(history.root, "changes", "v1")
    assert result.exit_code == 0, result.output
    assert result.stdout == WHOLE_REPORT.format(short=short(history.root, "v1"))
    owner = run(history.root, "changes", "v1", "--role", "owner")
    assert owner.stdout.startswith("# Changes since v1 (") and "## Bookkeeper" not in owner.stdout
    unknown = run(history.root, "changes", "v1", "--role", "nobody")
    assert unknown.exit_code == 1 and "unknown role 'nobody'" in unknown.output
    bad = run(history.root, "changes", "v9")
    assert bad.exit_code == 1 and "'v9' is not a commit or tag" in bad.output and "Traceback" not in bad.output


# -- what changed inside a step, benchmarks, and the numbers steps are given ------------------

def test_an_updated_step_shows_the_old_and_new_text_and_the_words_that_changed(tmp_path: Path) -> None:
    """"Step 2 updated (warning)" alone hid that the refund limit went from $5 to $2."""
    task = """
        title: Refund a client
        role: owner
        purpose: Keep clients.
        steps:
          - do: Read the request
          - do: Refund the client
            warning: Refunds over $5 need the owner's written OK first.
            image: media/a.png
    """
    old = project(tmp_path / "old", {"sops/tasks/refund.yml": task})
    new = project(tmp_path / "new", {"sops/tasks/refund.yml": task.replace("$5", "$2").replace(
        "            image: media/a.png\n", "            tip: Use the card they paid with.\n")})
    [owner] = compare(load(old), load(new), renames={})
    assert to_markdown([owner], since="v1").endswith(textwrap.dedent("""\
        #### Refund a client

        - Step 2 updated: "Refund the client"
          - tip added: "Use the card they paid with."
          - warning: "Refunds over $5 need the owner's written OK first." → "Refunds over $2 need the owner's written OK first." ("$5" → "$2")
          - image removed: "media/a.png"
        """))


def test_purpose_changes_show_the_old_and_new_text(tmp_path: Path) -> None:
    old = project(tmp_path / "old", {"sops/tasks/a.yml": simple_task("A", "owner", "Do it")
                                     + "done_when: [Paid, Filed]\n"})
    new = project(tmp_path / "new", {"sops/tasks/a.yml": simple_task("A", "owner", "Do it").replace(
        "purpose: It has to be done.", "purpose: It has to be done by Friday.") + "done_when: [Paid, Sent to the client]\n"})
    [owner] = compare(load(old), load(new), renames={})
    report = to_markdown([owner], since="v1")
    assert '- Purpose changed: "It has to be done." → "It has to be done by Friday." ("done." → "done by Friday.")' \
        in report
    assert '- Definition of done: added "Sent to the client"; removed "Filed"' in report


def test_benchmark_changes_of_a_role_and_of_an_sop_are_listed(tmp_path: Path) -> None:
    role = textwrap.dedent(BOOKKEEPER).lstrip("\n") + textwrap.dedent("""\
        benchmarks:
          - objective: Invoices out within 2 business days
            measure: share of invoices sent on time
            target: 95%
            by: day 30
          - objective: Books closed by the 5th
            target: 100%
    """)
    task = simple_task("Send invoices", "bookkeeper", "Send them") + (
        "benchmarks:\n  - {objective: No invoice wrong, target: 99%}\n")
    old = project(tmp_path / "old", {"sops/roles/bookkeeper.yml": role, "sops/tasks/a.yml": task})
    new = project(tmp_path / "new", {
        "sops/roles/bookkeeper.yml": role.replace("target: 95%", "target: 98%").replace("by: day 30", "by: day 14")
        .replace("Books closed by the 5th", "Books closed by the 3rd"),
        "sops/tasks/a.yml": task.replace("99%", "100%")})
    owner, bookkeeper = compare(load(old), load(new), renames={})
    assert owner.empty and not bookkeeper.empty
    assert to_markdown(changes := [owner, bookkeeper], since="v1", role="bookkeeper") == textwrap.dedent("""\
        # Changes since v1

        ## Bookkeeper

        ### Benchmarks

        - "Invoices out within 2 business days" changed: target 95% → 98%; by day 30 → day 14
        - "Books closed by the 3rd" added: target 100%
        - "Books closed by the 5th" removed

        ### Changed

        #### Send invoices

        - Benchmarks: "No invoice wrong" changed: target 99% → 100%
        """)
    assert "Nothing changed" in to_markdown(compare(load(old), load(old), renames={}), since="v1")
    assert changes


def test_step_numbers_are_todays_and_removed_steps_say_what_they_were() -> None:
    """Removed steps have no number now: they are named by the one they had ("was step 2.1"), every
    other by its number now, with the one it had when that differs."""
    old = [Step(do="Open the ledger"), Step(do="Create the invoice", steps=[Step(do="Look up the VAT number")]),
           Step(do="Print the report", tip="By date.")]
    new = [Step(do="Check the date"), Step(do="Open the ledger"), Step(do="Create the invoice"),
           Step(do="Print the PDF report", tip="By date.")]
    section = RoleChanges("owner", "Owner", changed=[TaskChange("changed", "a", "A",
                                                                steps=tuple(step_diff(old, new)))])
    assert to_markdown([section], since="v1").endswith(textwrap.dedent("""\
        #### A

        - Step 1 added: "Check the date"
        - Step removed (was step 2.1): "Look up the VAT number"
        - Step 4 reworded (was step 3): "Print the report" → "Print the PDF report" (added "PDF")
        """))
