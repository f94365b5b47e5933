"""A trainee's ticks in a real browser: kept by SOP and by each item's text, never by position.

Insert a step above a ticked item, add an SOP that sorts first or an onboarding phase above,
and the ticks stay on the items they were given to; one SOP's ticks are the same on its page
and on its role's checklists; a daily checklist starts empty each day (weekly each week, and
so on, by the reader's own clock and time zone); ticks stored by an older sopgen, by
position, are dropped. Runs like tests/test_browser.py (Chromium via Playwright).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional
from zoneinfo import ZoneInfo

import pytest
from browser import Server, Tab, build_site, open_tab, serve
from conftest import BASE, build_tree
from test_browser import BOX, browser, tick  # noqa: F401 - browser is a fixture

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what to do
    expect = None

SOP = "/sops/send-invoices/"
CHECKLISTS = "/roles/bookkeeper/checklists/"
ONBOARDING = "/roles/bookkeeper/onboarding/"

Rebuild = Callable[[Optional[dict]], None]


@pytest.fixture
def project_site(tmp_path: Path) -> Iterator[tuple[Path, Server, Rebuild]]:
    """The test corpus' small project, built and served; ``rebuild(files)`` changes the sources
    and builds the site again in place, as a push to the handbook's server would."""
    project = shutil.copytree(BASE, tmp_path / "project")
    site = tmp_path / "site"

    def rebuild(files: Optional[dict] = None) -> None:
        if files:
            build_tree(project, files)
        build_site(project, site)

    rebuild()
    server = serve(site)
    try:
        yield project, server, rebuild
    finally:
        server.stop()


@pytest.fixture
def tab(browser: object, project_site: tuple[Path, Server, Rebuild]) -> Iterator[Tab]:
    tab = open_tab(browser, project_site[1])
    try:
        yield tab
    finally:
        tab.context.close()


def texts(container: object, *, ticked: bool = True) -> list[str]:
    """The text of each item of ``container`` whose box is (or, ``ticked=False``, is not) ticked."""
    return container.locator(BOX).evaluate_all(
        "(bs, want) => bs.filter(b => b.checked === want)"
        ".map(b => b.closest('li').textContent.replace(/\\s+/g, ' ').trim())", ticked)


def checklist_of(page: object, title: str) -> object:
    """The checklist of the SOP titled ``title`` on a role's checklists page."""
    found = page.locator("div.sopgen-checklist").filter(has=page.locator("h3", has_text=title))
    expect(found).to_have_count(1)
    return found


def tick_item(container: object, text: str) -> None:
    box = container.locator("li.task-list-item", has_text=text).locator(BOX)
    expect(box).to_have_count(1)
    tick(box)


INVOICES = """
    title: Send client invoices
    role: bookkeeper
    purpose: Clients pay on time when invoices go out on time.
    frequency: weekly
    steps:
{steps}
"""


def steps(*items: str) -> str:
    return "\n".join(f"      - do: {item}" for item in items)


def test_ticks_stay_on_their_items_when_a_step_is_inserted_above(tab: Tab, project_site) -> None:
    project, server, rebuild = project_site
    rebuild({"sops/tasks/send-invoices.yml": INVOICES.format(steps=steps(
        "Export the hours.", "Create the invoices.", "Send the invoices."))})
    tab.goto(SOP)
    checklist = tab.page.locator("div.sopgen-checklist")
    tick_item(checklist, "Create the invoices.")
    tick_item(checklist, "Send the invoices.")

    rebuild({"sops/tasks/send-invoices.yml": INVOICES.format(steps=steps(
        "Open the timesheets.", "Export the hours.", "Create the invoices.", "Check each total.",
        "Send the invoices."))})
    tab.reload()
    checklist = tab.page.locator("div.sopgen-checklist")
    assert texts(checklist) == ["Create the invoices.", "Send the invoices."]
    expect(checklist.locator(".sopgen-progress")).to_have_text("2 of 5 done")

    # a ticked step reworded is another item: its tick does not pass to a neighbour
    rebuild({"sops/tasks/send-invoices.yml": INVOICES.format(steps=steps(
        "Open the timesheets.", "Export the hours.", "Create one invoice per client.", "Check each total.",
        "Send the invoices."))})
    tab.reload()
    assert texts(tab.page.locator("div.sopgen-checklist")) == ["Send the invoices."]


def test_repeated_items_keep_their_own_ticks(tab: Tab, project_site) -> None:
    project, server, rebuild = project_site
    invoices = INVOICES.format(steps=steps("Send the invoices.")) + "    checklist: [{items}]\n"
    rebuild({"sops/tasks/send-invoices.yml": invoices.format(items="Check the total, Send it, Check the total")})
    tab.goto(SOP)
    checklist = tab.page.locator("div.sopgen-checklist")
    tick(checklist.locator(BOX).nth(2))  # the second "Check the total"

    rebuild({"sops/tasks/send-invoices.yml": invoices.format(items="Open it, Check the total, Send it, Check the total")})
    tab.reload()
    checklist = tab.page.locator("div.sopgen-checklist")
    ticked = checklist.locator(BOX).evaluate_all("bs => bs.flatMap((b, i) => b.checked ? [i] : [])")
    assert ticked == [3], "the tick stays on the second of the two repeated items"


def test_ticks_stay_with_their_sop_when_an_sop_sorting_first_is_added(tab: Tab, project_site) -> None:
    project, server, rebuild = project_site
    tab.goto(CHECKLISTS)
    invoices = checklist_of(tab.page, "Send client invoices")
    tick_item(invoices, "Export the week's billable hours.")
    tick_item(invoices, "Send the invoices.")
    tick_item(checklist_of(tab.page, "Reconcile the bank account"), "Match each transaction.")

    rebuild({"sops/tasks/approve-expenses.yml": """
        title: Approve expenses
        role: bookkeeper
        purpose: Only agreed costs are paid.
        frequency: weekly
        steps:
          - do: Export the week's billable hours.
          - do: Approve each receipt.
          - do: Send the invoices.
    """})
    tab.reload()
    new = checklist_of(tab.page, "Approve expenses")
    first_title = tab.page.locator("div.sopgen-checklist").first.locator("h3 a:not(.headerlink)")  # not its permalink
    assert first_title.inner_text() == "Approve expenses"
    assert texts(new) == [], "a new SOP starts with no ticks, even for items of the same text"
    assert texts(checklist_of(tab.page, "Send client invoices")) == [
        "Export the week's billable hours.", "Send the invoices."]
    assert texts(checklist_of(tab.page, "Reconcile the bank account")) == ["Match each transaction."]


def test_an_sops_ticks_are_the_same_on_its_page_and_its_roles_checklists(tab: Tab, project_site) -> None:
    tab.goto(SOP)
    tick_item(tab.page.locator("div.sopgen-checklist"), "Send the invoices.")

    tab.goto(CHECKLISTS)
    invoices = checklist_of(tab.page, "Send client invoices")
    assert texts(invoices) == ["Send the invoices."]
    expect(invoices.locator(".sopgen-progress")).to_have_text("1 of 3 done")
    assert texts(checklist_of(tab.page, "Reconcile the bank account")) == []
    tick_item(invoices, "Export the week's billable hours.")
    invoices.locator("li.task-list-item", has_text="Send the invoices.").locator(BOX).click(force=True)

    tab.goto(SOP)
    assert texts(tab.page.locator("div.sopgen-checklist")) == ["Export the week's billable hours."]
    tab.page.locator("button.sopgen-reset").click()

    tab.goto(CHECKLISTS)
    assert texts(checklist_of(tab.page, "Send client invoices")) == []


ROLE = """
    title: Bookkeeper
    summary: Keeps the books and sends invoices.
    reports_to: owner
    rate: {{min: 25, max: 50}}
    tools:
      - name: QuickBooks Online
    onboarding:
{phases}
"""


def phases(*items: tuple[str, list[str]]) -> str:
    return "\n".join(f"      - phase: {name}\n        goals: [{', '.join(goals)}]" for name, goals in items)


def test_onboarding_goals_keep_their_ticks_when_a_phase_or_goal_is_inserted_above(tab: Tab, project_site) -> None:
    project, server, rebuild = project_site
    rebuild({"sops/roles/bookkeeper.yml": ROLE.format(phases=phases(
        ("Week 1", ["Log in to the books", "Send the first invoices"]), ("Month 1", ["Close the month"])))})
    tab.goto(ONBOARDING)
    timeline = tab.page.locator(".sopgen-timeline")
    tick_item(timeline, "Send the first invoices")
    tick_item(timeline, "Close the month")
    expect(tab.page.locator(".sopgen-progress--overall")).to_have_text("2 of 3 goals")

    rebuild({"sops/roles/bookkeeper.yml": ROLE.format(phases=phases(
        ("Day 1", ["Meet the owner"]),
        ("Week 1", ["Log in to the books", "Read the invoicing SOP", "Send the first invoices"]),
        ("Month 1", ["Close the month"])))})
    tab.reload()
    timeline = tab.page.locator(".sopgen-timeline")
    assert texts(timeline) == ["Send the first invoices", "Close the month"]
    expect(tab.page.locator(".sopgen-progress--overall")).to_have_text("2 of 5 goals")


ZONE = "Pacific/Auckland"  # UTC+13 in March: the local date is not the UTC date for half the day
FREQUENCIES = ["daily", "weekly", "monthly", "quarterly", "yearly", "as-needed"]


def at(text: str) -> float:
    """Seconds since the epoch of a local time in ZONE."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(ZONE)).timestamp()


def test_checklists_start_empty_each_period_of_their_frequency_in_local_time(
        browser: object, project_site) -> None:
    project, server, rebuild = project_site
    files: dict = {"sops/tasks/reconcile-bank.yml": None, "sops/tasks/send-invoices.yml": None,
                   "sops/roles/bookkeeper.yml": ROLE.format(phases=phases(("Week 1", ["Meet the owner"])))}
    for freq in FREQUENCIES:
        files[f"sops/tasks/{freq}.yml"] = f"""
            title: The {freq} task
            role: bookkeeper
            purpose: Something {freq}.
            frequency: {freq}
            steps:
              - do: Do the {freq} thing.
        """
    rebuild(files)
    tab = open_tab(browser, server, timezone_id=ZONE)
    try:
        def ticked_now(when: str) -> list[str]:
            tab.page.clock.set_fixed_time(at(when))
            tab.goto(CHECKLISTS)
            assert tab.page.evaluate("new Date().getDate()") == int(when[8:10])
            return [freq for freq in FREQUENCIES if texts(checklist_of(tab.page, f"The {freq} task"))]

        assert ticked_now("2026-03-04T08:00") == []  # a Wednesday
        for freq in FREQUENCIES:
            tick(checklist_of(tab.page, f"The {freq} task").locator(BOX))
        # 08:00 and 23:59 in Auckland are on two dates in UTC: still the same day here
        assert ticked_now("2026-03-04T23:59") == FREQUENCIES
        assert ticked_now("2026-03-05T00:01") == FREQUENCIES[1:]  # the next day
        assert ticked_now("2026-03-08T23:59") == FREQUENCIES[1:]  # Sunday: the same week
        assert ticked_now("2026-03-09T00:01") == FREQUENCIES[2:]  # Monday: a new week
        assert ticked_now("2026-03-31T23:59") == FREQUENCIES[2:]
        assert ticked_now("2026-04-01T00:01") == ["yearly", "as-needed"]  # a new month, a new quarter
        tick(checklist_of(tab.page, "The monthly task").locator(BOX))
        tick(checklist_of(tab.page, "The quarterly task").locator(BOX))
        assert ticked_now("2026-06-30T23:59") == ["quarterly", "yearly", "as-needed"]
        assert ticked_now("2026-07-01T00:01") == ["yearly", "as-needed"]
        assert ticked_now("2026-12-31T23:59") == ["yearly", "as-needed"]
        assert ticked_now("2027-01-01T00:01") == ["as-needed"]  # a new year; as needed: until Reset
        # and the SOP's own page agrees with its role's checklists
        tab.goto("/sops/as-needed/")
        assert texts(tab.page.locator("div.sopgen-checklist")) == ["Do the as-needed thing."]
        tab.goto("/sops/daily/")
        assert texts(tab.page.locator("div.sopgen-checklist")) == []
    finally:
        tab.context.close()


def test_a_page_left_open_overnight_starts_the_new_day_empty(browser: object, project_site) -> None:
    project, server, rebuild = project_site
    rebuild({"sops/tasks/send-invoices.yml": INVOICES.replace("weekly", "daily").format(steps=steps(
        "Export the hours.", "Create the invoices.", "Send the invoices."))})
    tab = open_tab(browser, server, timezone_id=ZONE)
    try:
        tab.page.clock.set_fixed_time(at("2026-03-04T17:00"))
        tab.goto(SOP)
        checklist = tab.page.locator("div.sopgen-checklist")
        tick_item(checklist, "Export the hours.")
        tick_item(checklist, "Create the invoices.")
        # the next morning, the same page, never reloaded: the first tick of the day clears yesterday's
        tab.page.clock.set_fixed_time(at("2026-03-05T09:00"))
        tick_item(checklist, "Send the invoices.")
        assert texts(checklist) == ["Send the invoices."]
        expect(checklist.locator(".sopgen-progress")).to_have_text("1 of 3 done")
        tab.reload()
        checklist = tab.page.locator("div.sopgen-checklist")
        assert texts(checklist) == ["Send the invoices."]
        # the day after, the page shown again (the tab brought to the front): empty before any tick
        tab.page.clock.set_fixed_time(at("2026-03-06T08:00"))
        tab.page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        expect(checklist.locator(".sopgen-progress")).to_have_text("0 of 3 done")
        assert texts(checklist) == []
    finally:
        tab.context.close()


def test_ticks_stored_by_position_by_an_older_sopgen_are_dropped(tab: Tab) -> None:
    tab.goto(SOP)
    old = {f"sopgen:checklist:{SOP}:0": "[true,true,true]",
           f"sopgen:checklist:{CHECKLISTS}:0": "[true,true,true]",
           f"sopgen:onboarding:{ONBOARDING}:0": "[true]"}
    tab.page.evaluate("old => Object.entries(old).forEach(([k, v]) => localStorage.setItem(k, v))", old)
    for address in (SOP, CHECKLISTS, ONBOARDING):
        tab.goto(address)
        assert texts(tab.page.locator("article")) == [], f"{address} shows ticks stored by position"
    left = tab.page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sopgen:'))")
    assert not set(left) & set(old), "the old ticks are removed, not kept to be misapplied later"
    # and new ticks are kept as before
    tab.goto(SOP)
    tick_item(tab.page.locator("div.sopgen-checklist"), "Send the invoices.")
    tab.reload()
    assert texts(tab.page.locator("div.sopgen-checklist")) == ["Send the invoices."]


# -- the keys and periods the pages carry ---------------------------------------------------

def test_item_keys_follow_the_text_and_tell_repeats_apart() -> None:
    from sopgen.core.ticks import keys

    first = keys(["Send the invoices.", "Check the total", "Check the total"])
    assert len(set(first)) == 3
    assert first[2] == first[1] + "~2"
    # spacing, case and Unicode composition are not a new item; other words are
    assert keys(["send  the\nINVOICES.", "Cafe\u0301"]) == [first[0], keys(["Café"])[0]]
    assert keys(["Send the invoice."]) != first[:1]
    # an item inserted above changes no other key
    assert keys(["Open it", "Send the invoices.", "Check the total", "Check the total"])[1:] == first


@pytest.mark.parametrize(("frequency", "period"), [
    ("daily", "day"), ("weekly", "week"), ("monthly", "month"), ("quarterly", "month:3"),
    ("yearly", "month:12"), ("as-needed", ""), (None, ""),
    ("every 2 weeks", "week:2"), ("every 1 month", "month"), ("every 6 months", "month:6"),
    ("3 times a week", "week"), ("2 times a month", "month"),
])
def test_a_checklists_period_follows_its_sops_frequency(frequency: Optional[str], period: str) -> None:
    from sopgen.core.ticks import period as period_of

    assert period_of(frequency) == period


def test_a_custom_template_showing_an_sops_checklist_twice_keeps_both_in_step(tab: Tab, project_site) -> None:
    project, server, rebuild = project_site
    rebuild({"templates/sop.md.j2": """
        {% extends "default:sop.md.j2" %}
        {% import "_macros.md.j2" as m2 with context %}
        {% block footer %}
        ## Again, at the end

        <div class="sopgen-checklist" {{ task|sop_ticks }} markdown>

        {{ m2.checklist(task) }}

        </div>

        ## A list from an older template

        <div class="sopgen-checklist" markdown>

        - [ ] Lock the office.
        - [ ] Send the invoices.

        </div>
        {% endblock %}
    """})
    tab.goto(SOP)
    lists = tab.page.locator("div.sopgen-checklist")
    expect(lists).to_have_count(3)
    tick_item(lists.nth(0), "Send the invoices.")
    assert texts(lists.nth(1)) == ["Send the invoices."], "the same SOP's second list follows at once"
    tick_item(lists.nth(2), "Lock the office.")
    tab.reload()
    lists = tab.page.locator("div.sopgen-checklist")
    assert [texts(lists.nth(i)) for i in range(3)] == [["Send the invoices."]] * 2 + [["Lock the office."]]
