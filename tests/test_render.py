"""The generated Markdown of every page kind, compared with reviewed golden files.

Two projects are rendered with a fixed ``today``: the small corpus base and
``tests/fixtures/render`` (two roles, five tasks: nested sub-steps, every step
field, draft/retired/as-needed tasks, prerequisites, quiz, benchmarks, an
onboarding phase that lists its tasks out of prerequisite order, all four
review states). Their pages are compared with ``tests/golden/render/<project>/
<page path>``; ``pytest --update-golden`` rewrites them (then read the diff).

The escaping tests check the rules of README.md's source format on the rendered Markdown:
plain-text fields are shown literally, Markdown fields are never templates,
``|`` cannot break a table.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import BASE, HERE, build_tree

from sopgen.core.loader import load
from sopgen.site.pages import Site, render
from sopgen.site.navigation import NAV_LIST, merge_nav
from sopgen.text.templating import environment
from sopgen.core.validate import errors_in, validate

TODAY = date(2026, 11, 25)
GOLDEN = HERE / "golden" / "render"
PROJECTS = {"base": BASE, "rich": HERE / "fixtures" / "render"}
KINDS = ["home", "role", "onboarding", "checklists", "sop", "tools", "delegation", "reviews", "changelog",
         "people", "person"]


def render_project(project: Path) -> Site:
    catalog = load(project)
    problems = validate(catalog, today=TODAY)
    assert not errors_in(problems), "\n".join(map(str, problems))
    return render(catalog, environment(project), today=TODAY)


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return {name: render_project(path) for name, path in PROJECTS.items()}


# -- golden files ----------------------------------------------------------------------

def _cases() -> list[tuple[str, str]]:
    return [(name, path) for name, project in PROJECTS.items() for path in sorted(render_project(project).pages)]


@pytest.mark.parametrize(("project", "page"), _cases(), ids=lambda v: v)
def test_page_matches_golden(sites: dict[str, Site], project: str, page: str, update_golden: bool) -> None:
    markdown = sites[project].pages[page].markdown
    golden = GOLDEN / project / page
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(markdown, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.relative_to(HERE)}: run pytest --update-golden and review it"
    assert markdown == golden.read_text(encoding="utf-8")


def test_no_stale_golden_files(sites: dict[str, Site]) -> None:
    expected = {f"{name}/{path}" for name, site in sites.items() for path in site.pages}
    present = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert present <= expected, f"golden files for no page: {sorted(present - expected)}"


def test_every_page_kind_is_covered(sites: dict[str, Site]) -> None:
    kinds = {page.kind for page in sites["rich"].pages.values()}
    assert kinds == set(KINDS)


# -- what the goldens must show (checked on the live output, so a bad golden cannot hide it) --

def _section(markdown: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = markdown.index(heading + "\n")
    rest = markdown[start + len(heading) + 1:]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def test_onboarding_reorders_tasks_after_their_prerequisites(sites: dict[str, Site]) -> None:
    page = sites["rich"].pages["roles/studio-assistant/onboarding.md"].markdown
    week1 = _section(page, "## Week 1")
    order = re.findall(r"^1\. \[([^\]]+)\]", week1, re.MULTILINE)
    # the role lists them as: VIP request, refunds, inbox; each needs the ones after it
    assert order == ["Triage the support inbox", "Process refunds", "Handle a VIP request"]
    assert page.index("## Day 1") < page.index("## Week 1") < page.index("## Month 1")


def test_checklists_leave_retired_tasks_out_and_mark_drafts(sites: dict[str, Site]) -> None:
    page = sites["rich"].pages["roles/studio-assistant/checklists.md"].markdown
    assert "Archive old orders" not in page
    assert [h for h in re.findall(r"^## (.+)$", page, re.MULTILINE)] == ["Daily", "Weekly", "As needed"]
    refunds = _section(page, "## Weekly")
    assert "sopgen-badge--draft" in refunds
    # the given checklist replaces the steps
    assert "- [ ] Collect refund conversations" in refunds and "Refund each one" not in refunds
    # defaulted: one box per top-level step, sub-steps not repeated
    daily = _section(page, "## Daily")
    assert re.findall(r"^- \[ \] (.+)$", daily, re.MULTILINE) == [
        "Open Help Scout and sort by oldest first.", "Tag each conversation.",
        "Reply to everything you can answer from the FAQ."]
    assert page.count("Done by ____") == 3


def test_sop_page_has_every_step_field(sites: dict[str, Site]) -> None:
    page = sites["rich"].pages["sops/triage-support-inbox.md"].markdown
    assert "1. Open Help Scout and sort by oldest first." in page
    assert '!!! question "Why"' in page and '!!! tip "Tip"' in page and '!!! warning "Warning"' in page
    assert "](../assets/sops/media/diagram.svg)" in page
    assert "(https://videos.example.com/triage)" in page
    # sub-steps nest four spaces per level
    assert "\n    1. Tag **refund** requests." in page
    assert "\n        1. Check the customer's lifetime value." in page
    # the quiz: a form the page's script scores, with the answer key for readers without it
    assert '<fieldset class="sopgen-quiz-question" data-answer="1">' in page
    assert '<input type="radio" name="triage-support-inbox-q0" value="1"> B. The oldest' in page
    assert '<details class="sopgen-quiz-key">' in page


def test_draft_and_retired_sops_are_marked(sites: dict[str, Site]) -> None:
    draft = sites["rich"].pages["sops/process-refunds.md"].markdown
    retired = sites["rich"].pages["sops/archive-old-orders.md"].markdown
    assert '!!! warning "Draft"' in draft and "## Checklist" in draft
    assert '!!! danger "Retired"' in retired and "## Checklist" not in retired


def test_delegation_arithmetic(sites: dict[str, Site]) -> None:
    base = sites["base"].pages["delegation.md"].markdown
    row = next(line for line in base.splitlines() if line.startswith("| [Send client invoices]"))
    assert [c.strip() for c in row.strip("|").split("|")][1:] == ["4 h", "$1,000", "$100–$200", "$800–$900", "$41,600–$46,800"]
    rich = sites["rich"].pages["delegation.md"].markdown
    # as-needed with hours_per_week: 2 h a week, counted; retired task absent
    vip = next(line for line in rich.splitlines() if "Handle a VIP request" in line)
    assert "| 2 h | $400 | $40–$80 | $320–$360 |" in vip
    assert "Archive old orders" not in rich


def test_reviews_groups(sites: dict[str, Site]) -> None:
    page = sites["rich"].pages["reviews.md"].markdown
    assert "Status on 2026-11-25." in page
    expected = {"Overdue": "Handle a VIP request", "Due in the next 30 days": "Process refunds",
                "Never reviewed": "Plan the quarter", "Up to date": "Triage the support inbox"}
    for title, task in expected.items():
        assert task in _section(page, f"## {title} (1)")
    assert "Archive old orders" not in page


# -- escaping ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Site:
    import shutil

    project = tmp_path_factory.mktemp("tricky") / "project"
    shutil.copytree(BASE, project)
    build_tree(project, {
        "sops/roles/bookkeeper.yml": """
            title: Bookkeeper
            summary: Keeps the books.
            reports_to: owner
            rate: 30
            tools:
              - name: "Pipe | Tool"
                purpose: Splits things.
                access: Ask the owner.
              - name: QuickBooks Online
        """,
        "sops/tasks/tricky.yml": """
            title: "<b>Bold</b> & co"
            role: bookkeeper
            purpose: "Shows that {{ 7*7 }} stays as written."
            trigger: "[x](javascript:alert(1))"
            tools: ["Pipe | Tool"]
            steps:
              - do: "Type {{ 7*7 }} in the box."
            checklist:
              - "Tick a | b"
        """,
    })
    return render_project(project)


def test_html_in_a_title_is_shown_literally(tricky: Site) -> None:
    page = tricky.pages["sops/tricky.md"].markdown
    assert page.startswith("# &lt;b&gt;Bold&lt;/b&gt; &amp; co\n")
    assert "<b>" not in page
    role = tricky.pages["roles/bookkeeper/index.md"].markdown
    assert "[&lt;b&gt;Bold&lt;/b&gt; &amp; co](../../sops/tricky.md)" in role


def test_markdown_field_is_never_a_template(tricky: Site) -> None:
    page = tricky.pages["sops/tricky.md"].markdown
    assert "1. Type {{ 7*7 }} in the box." in page
    assert "Shows that {{ 7*7 }} stays as written." in page
    assert "49" not in page


def _row_cells(row: str) -> list[str]:
    """Cells of a Markdown table row as Python-Markdown splits them (on unescaped |)."""
    return re.split(r"(?<!\\)\|", row.strip().strip("|"))


def test_pipe_in_a_tool_name_keeps_three_cells(tricky: Site) -> None:
    role = tricky.pages["roles/bookkeeper/index.md"].markdown
    tools = _section(role, "## Tools")
    rows = [line for line in tools.splitlines() if line.startswith("|")]
    assert len(rows) == 4  # header, rule, two tools
    for row in rows:
        assert len(_row_cells(row)) == 3, row
    assert "Pipe &#124; Tool" in rows[2]


def test_pipe_in_a_checklist_item_and_tool_page(tricky: Site) -> None:
    sop = tricky.pages["sops/tricky.md"].markdown
    assert "- [ ] Tick a &#124; b" in sop
    assert "**Tools:** Pipe &#124; Tool" in sop
    tools = tricky.pages["tools.md"].markdown
    assert "## Pipe &#124; Tool" in tools


def test_link_syntax_in_a_trigger_is_not_a_link(tricky: Site) -> None:
    page = tricky.pages["sops/tricky.md"].markdown
    facts = next(line for line in page.splitlines() if line.startswith("- **Frequency:**"))
    assert "javascript" in facts
    assert "](javascript" not in facts  # the brackets are escaped: Markdown makes no link of it
    assert r"\[x\]\(javascript:alert\(1\)\)" in facts


def test_navigation_groups_every_role_under_roles(sites: dict[str, Site]) -> None:
    nav = sites["base"].nav
    assert [next(iter(item)) for item in nav] == ["Home", "Roles", "Reference"]
    roles = nav[1]["Roles"]
    catalog = load(BASE)
    assert [next(iter(role)) for role in roles] == [r.title for r in catalog.ordered_roles]
    for entry, role in zip(roles, catalog.ordered_roles):
        (section,) = entry.values()
        assert section[0] == f"roles/{role.id}/index.md"
        guides = [{"Onboarding": f"roles/{role.id}/onboarding.md"}] if role.onboarding else []
        guides += [{"Checklists": f"roles/{role.id}/checklists.md"}] if role.active_tasks else []
        assert section[1:1 + len(guides)] == guides  # the owner of the base project has neither: no entry
    assert [len(entry["Owner"]) for entry in roles if "Owner" in entry] == [1]


def test_user_nav_naming_one_role_keeps_the_other_roles(sites: dict[str, Site]) -> None:
    generated = sites["base"].nav
    first_role = generated[1]["Roles"][0]
    user_nav = [{"Start": "index.md"}, first_role]
    merged = merge_nav(user_nav, generated, [])
    assert merged[:2] == user_nav
    rest = merged[2:]
    assert [next(iter(item)) for item in rest] == ["Roles", "Reference"]
    assert rest[0]["Roles"] == generated[1]["Roles"][1:]


def test_a_long_sop_list_is_grouped_by_frequency_then_cut_into_runs(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    files: dict[str, str] = {}
    for i in range(NAV_LIST + 5):  # more weekly SOPs than one list holds
        files[f"sops/tasks/weekly-{i:02d}.yml"] = (
            f"title: {'Audit' if i < NAV_LIST else 'Zip'} file {i:02d}\n"
            "role: bookkeeper\npurpose: Test.\nfrequency: weekly\nsteps: [{do: Work.}]\n")
    files["sops/tasks/old.yml"] = "title: Old way\nrole: bookkeeper\npurpose: Test.\nstatus: retired\nsteps: [{do: Work.}]\n"
    build_tree(project, files)
    nav = render_project(project).nav
    bookkeeper = next(entry for entry in nav[1]["Roles"] if "Bookkeeper" in entry)["Bookkeeper"]
    sops = bookkeeper[-1]["SOPs"]
    assert [next(iter(group)) for group in sops] == ["Weekly", "Monthly", "Retired"]
    weekly = sops[0]["Weekly"]
    assert [next(iter(run)) for run in weekly] == ["Audit – Audit", "Send – Zip"]
    first_run = weekly[0]["Audit – Audit"]
    assert len(first_run) == NAV_LIST
    assert first_run[0] == {"Audit file 00": "sops/weekly-00.md"}
    assert sops[2]["Retired"] == [{"Old way (retired)": "sops/old.md"}]


def test_people_have_a_section_of_their_own_cut_into_runs(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    files = {"sops/organization.yml": "name: Base\nowner: owner\npublish_people: true\n",
             "sops/people/zoe-left.yml": "name: Zoe Left\nrole: bookkeeper\nstarted: 2026-01-05\nstatus: left\n"}
    for i in range(NAV_LIST + 5):
        files[f"sops/people/p{i:02d}.yml"] = (f"name: {'Ann' if i < NAV_LIST else 'Bo'} {i:02d}\n"
                                             "role: bookkeeper\nstarted: 2026-01-05\n")
    build_tree(project, files)
    nav = render_project(project).nav
    assert [next(iter(item)) for item in nav] == ["Home", "Roles", "Reference", "People"]
    people = nav[3]["People"]
    assert people[0] == "people/index.md"  # the matrix is the section's page
    assert [next(iter(run)) for run in people[1:]] == ["Ann – Ann", "Bo – Zoe"]
    assert len(people[1]["Ann – Ann"]) == NAV_LIST
    assert people[1]["Ann – Ann"][0] == {"Ann 00": "people/p00.md"}
    assert people[2]["Bo – Zoe"][-1] == {"Zoe Left (left)": "people/zoe-left.md"}


def test_publish_people_without_people_says_how_to_begin(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    build_tree(project, {"sops/organization.yml": "name: Base\nowner: owner\npublish_people: true\n"})
    site = render_project(project)
    assert [p for p in site.pages if p.startswith("people/")] == ["people/index.md"]
    assert "Nobody is in training: each person's record is a file `sops/people/<id>.yml`" \
        in site.pages["people/index.md"].markdown
    assert site.nav[-1] == {"People": ["people/index.md"]}


def test_without_publish_people_no_page_and_no_entry_names_a_person(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(HERE / "fixtures" / "render", project)
    organization = project / "sops/organization.yml"
    organization.write_text(organization.read_text().replace("publish_people: true\n", ""))
    site = render_project(project)
    assert not [p for p in site.pages if p.startswith("people/")]
    assert "People" not in [next(iter(item)) for item in site.nav]
    assert not [p for p in site.pages.values() if "Lee Chan" in p.markdown or "lee-chan" in p.markdown]


def test_a_short_sop_list_stays_flat(sites: dict[str, Site]) -> None:
    bookkeeper = sites["base"].nav[1]["Roles"][1]
    (section,) = bookkeeper.values()
    assert all(isinstance(path, str) for entry in section[-1]["SOPs"] for path in entry.values())


def test_many_roles_are_cut_into_alphabetical_runs(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    build_tree(project, {f"sops/roles/clerk-{i:02d}.yml": f"title: Clerk {i:02d}\nsummary: Files.\nreports_to: owner\n"
                         for i in range(NAV_LIST)})
    roles = render_project(project).nav[1]["Roles"]
    assert [next(iter(run)) for run in roles] == ["Bookkeeper – Clerk", "Clerk – Owner"]
    first = roles[0]["Bookkeeper – Clerk"]
    assert len(first) == NAV_LIST
    assert next(iter(first[0])) == "Bookkeeper"
    assert [next(iter(role)) for role in roles[1]["Clerk – Owner"]] == [f"Clerk {NAV_LIST - 1:02d}", "Owner"]


@pytest.mark.parametrize(("old", "new", "runs"), [
    ("DM the owner with 🔴 and one line.", "DM the owner starting with URGENT and one line.",
     [("with 🔴", "starting with URGENT")]),
    ("Send the **invoices**.", "Send the invoices by email.", [("invoices.", "invoices by email.")]),
    ("Check [the log](https://x.example/log) daily.", "Check the log.", [("log daily.", "log.")]),
    ("Call the client.", "Call the client today.", [("client.", "client today.")]),
    ("one two three four five six seven eight nine ten", "1 two 3 four 5 six 7 eight 9 ten", []),  # too many: none
    ("Open the shared inbox.", "Ask the owner for the weekly report.", []),  # rewritten: the texts say it
])
def test_changed_words_of_a_reworded_step(old: str, new: str, runs: list[tuple[str, str]]) -> None:
    from sopgen.text.progress import changed_words

    assert changed_words(old, new) == runs


# -- a tool that roles use differently --------------------------------------------------------

def _tool_section(markdown: str, name: str) -> str:
    start = markdown.index(f"## {name}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start:end if end != -1 else None]


def test_the_tools_page_gives_each_roles_purpose_when_they_differ() -> None:
    """Gmail: the owner's correspondence, the bookkeeper's billing mailbox, the VA's triage. One
    purpose for the tool (the first role's) told the others the wrong thing."""
    from conftest import REPO

    tools = render_project(REPO).pages["tools.md"].markdown
    gmail = _tool_section(tools, "Gmail")
    assert "| Role | What they use it for | Access |" in gmail
    rows = {re.search(r"\]\(roles/([^/]+)/", line).group(1): line.split(" | ")[1]
            for line in gmail.splitlines() if line.startswith("| [")}
    assert rows == {
        "owner": "Client correspondence on owner@harborlane.example. The VA has delegated access.",
        "bookkeeper": "The shared billing@harborlane.example mailbox: remittance advice, client questions "
                      "about invoices, vendor bills.",
        "virtual-assistant": "Triage of owner@harborlane.example through delegated access, plus your own mailbox.",
    }
    before_table = gmail[:gmail.index("| Role")]
    assert "Client correspondence" not in before_table  # not the tool's purpose: the owner's
    assert "| Role | What they use it for | Access |" in _tool_section(tools, "QuickBooks Online")
    one_role = _tool_section(tools, "UpdraftPlus")  # one purpose: said once, above the table
    assert "Nightly and on-demand backups" in one_role[:one_role.index("| Role")]
    assert "| Role | Access |" in one_role


@pytest.mark.parametrize(("fields", "cadence"), [
    ("frequency: as-needed\n", "as needed"),
    ("duration: 45m\n", "45 min a run"),
    ("frequency: weekly\nduration: 1h\n", "weekly, 1 h a run"),
    ("", None),
])
def test_an_sop_to_learn_reads_naturally_without_a_frequency_or_a_duration(tmp_path: Path, fields: str,
                                                                            cadence: str | None) -> None:
    """"— as needed, — a run" was a task with no duration; the same rule gives the page and the PDF."""
    from sopgen.print.rolechapters import onboarding_chapter
    from sopgen.print.printed import Printed

    project = tmp_path / "p"
    shutil.copytree(BASE, project)
    build_tree(project, {"sops/tasks/call-back.yml": "title: Call back\nrole: bookkeeper\npurpose: P.\n"
                                                      f"{fields}steps: [{{do: Call}}]\n"})
    role = project / "sops/roles/bookkeeper.yml"
    role.write_text(role.read_text().replace("tasks: [send-invoices]", "tasks: [send-invoices, call-back]"))
    page = render_project(project).pages["roles/bookkeeper/onboarding.md"].markdown
    [line] = [line for line in page.splitlines() if "[Call back]" in line]
    assert line == "1. [Call back](../../sops/call-back.md)" + (f" — {cadence}" if cadence else "")
    assert "— a run" not in page and "—," not in page
    catalog = load(project)
    chapter = onboarding_chapter(Printed(catalog, {}), catalog.roles["bookkeeper"], 1)
    [sop] = [s for s in chapter["phases"][0]["sops"] if "Call back" in str(s["sop"])]
    assert sop["detail"] == (cadence or "")
