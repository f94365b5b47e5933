"""The handbook in a real browser: tick-off checklists, onboarding progress, quizzes,
keyboard use, print styles and accessibility (axe-core), on the repository's example site.

Debian's Chromium is driven by Playwright; axe-core comes from npm. scripts/test installs
both when missing (it exports SOPGEN_AXE_JS). Set SOPGEN_SCREENSHOTS=FOLDER to keep
full-page screenshots of a half-done checklist and of a scored quiz.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from browser import (
    CHROMIUM_ARGS,
    SEVERE,
    Server,
    Tab,
    axe_path,
    box_screenshot,
    build_site,
    chromium_path,
    describe,
    drawn_box,
    open_tab,
    run_axe,
    save_screenshot,
    screenshot_dir,
    serve,
)
from conftest import REPO

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the browser fixture says what to do; other test modules still run
    expect = sync_playwright = None
else:
    # a local server and a local browser: what is going to happen happens in milliseconds
    expect.set_options(timeout=3_000)

SOP = "/sops/send-client-invoices/"
CHECKLISTS = "/roles/bookkeeper/checklists/"
ONBOARDING = "/roles/bookkeeper/onboarding/"
ROLE = "/roles/bookkeeper/"
HOME = "/"

BOX = "input[type=checkbox]"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = build_site(REPO, tmp_path_factory.mktemp("browser") / "site")
    server = serve(root)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if sync_playwright is None:
        pytest.fail("Playwright is not installed: run scripts/test (pip install -e '.[test]')")
    executable = chromium_path()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def tab(browser: object, site: Server) -> Iterator[Tab]:
    """A page in a fresh context (so fresh localStorage); every request is recorded."""
    tab = open_tab(browser, site)
    try:
        yield tab
    finally:
        outside = tab.outside()
        tab.context.close()
        if not tab.checked and outside:
            # the test stopped before its own check: report the calls out all the same
            pytest.fail("requests left 127.0.0.1:\n  " + "\n  ".join(dict.fromkeys(outside)))


@pytest.fixture(scope="module")
def invoices() -> dict:
    """The SOP's source, to check the page against."""
    return yaml.safe_load((REPO / "sops/tasks/send-client-invoices.yml").read_text(encoding="utf-8"))


def item_text(box: object) -> str:
    """The text of the task-list item a checkbox belongs to, whitespace collapsed."""
    return box.evaluate("b => b.closest('li').textContent.replace(/\\s+/g, ' ').trim()")


def tick(box: object) -> None:
    """Tick a task-list box as a reader does, with a mouse click where the box is drawn.

    Material hides the input (opacity 0) under the square it draws with the indicator's
    ::before, inside the same label: Playwright's hit-target check would refuse the input,
    so the click is forced; it is still a real click at the input's place, which lands on
    the drawn square and toggles the box through its label."""
    expect(box).not_to_be_checked()
    box.click(force=True)
    expect(box).to_be_checked()


def ticked(container: object) -> list[int]:
    return container.locator(BOX).evaluate_all("bs => bs.flatMap((b, i) => b.checked ? [i] : [])")


def before(first: object, second: object) -> bool:
    """Whether ``first`` comes before ``second`` in document order."""
    handle = second.element_handle()
    return first.evaluate("(a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)", handle)


def check_checklist_container(container: object) -> int:
    """A live checklist: enabled boxes with names, progress and reset at its top. Returns M."""
    boxes = container.locator(BOX)
    count = boxes.count()
    assert count > 0, "no checkboxes in the checklist"
    for i in range(count):
        box = boxes.nth(i)
        expect(box).to_be_enabled()
        expect(box).to_have_accessible_name(item_text(box))
    progress = container.locator(".sopgen-progress")
    expect(progress).to_have_count(1)
    expect(progress).to_have_text(f"0 of {count} done")
    reset = container.locator("button.sopgen-reset")
    expect(reset).to_have_count(1)
    expect(reset).to_have_text("Reset")
    assert before(progress, boxes.first), "the progress must be at the top of the checklist, before its boxes"
    assert before(reset, boxes.first), "the Reset button must be at the top of the checklist, before its boxes"
    return count


# -- checklists -------------------------------------------------------------------------


def test_sop_checklist_ticks_persist_and_reset(tab: Tab, invoices: dict) -> None:
    tab.goto(SOP)
    container = tab.page.locator("div.sopgen-checklist")
    expect(container).to_have_count(1)
    count = check_checklist_container(container)
    assert count == len(invoices["checklist"])
    boxes = container.locator(BOX)
    progress = container.locator(".sopgen-progress")

    for i in (0, 2, 5):
        tick(boxes.nth(i))
    expect(progress).to_have_text(f"3 of {count} done")
    save_screenshot(tab.page, "sop-checklist-3-ticked.png")

    tab.reload()
    container = tab.page.locator("div.sopgen-checklist")
    expect(container.locator(".sopgen-progress")).to_have_text(f"3 of {count} done")
    assert ticked(container) == [0, 2, 5]

    container.locator("button.sopgen-reset").click()
    expect(container.locator(".sopgen-progress")).to_have_text(f"0 of {count} done")
    assert ticked(container) == []

    tab.reload()
    container = tab.page.locator("div.sopgen-checklist")
    expect(container.locator(".sopgen-progress")).to_have_text(f"0 of {count} done")
    assert ticked(container) == []
    tab.assert_local()


def bookkeeper_sops_in_force() -> list[str]:
    sources = sorted((REPO / "sops/tasks").glob("*.yml"))
    data = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sources]
    return [d["title"] for d in data if d.get("role") == "bookkeeper" and d.get("status") != "retired"]


def test_checklists_page_keeps_each_sop_apart(tab: Tab) -> None:
    tab.goto(CHECKLISTS)
    containers = tab.page.locator("div.sopgen-checklist")
    n = containers.count()
    assert n == len(bookkeeper_sops_in_force()) >= 2, f"expected one checklist per SOP in force, found {n}"
    counts = [check_checklist_container(containers.nth(i)) for i in range(n)]

    first, second = containers.nth(0), containers.nth(1)
    tick(first.locator(BOX).nth(0))
    tick(first.locator(BOX).nth(1))
    expect(first.locator(".sopgen-progress")).to_have_text(f"2 of {counts[0]} done")
    expect(second.locator(".sopgen-progress")).to_have_text(f"0 of {counts[1]} done")
    assert ticked(second) == []

    tick(second.locator(BOX).nth(counts[1] - 1))
    expect(second.locator(".sopgen-progress")).to_have_text(f"1 of {counts[1]} done")
    expect(first.locator(".sopgen-progress")).to_have_text(f"2 of {counts[0]} done")

    tab.reload()
    containers = tab.page.locator("div.sopgen-checklist")
    assert [ticked(containers.nth(i)) for i in range(n)] == [[0, 1], [counts[1] - 1]] + [[]] * (n - 2)
    expect(containers.nth(0).locator(".sopgen-progress")).to_have_text(f"2 of {counts[0]} done")
    expect(containers.nth(1).locator(".sopgen-progress")).to_have_text(f"1 of {counts[1]} done")
    for i in range(2, n):
        expect(containers.nth(i).locator(".sopgen-progress")).to_have_text(f"0 of {counts[i]} done")

    # Resetting one checklist leaves the other alone
    containers.nth(1).locator("button.sopgen-reset").click()
    assert ticked(containers.nth(1)) == []
    assert ticked(containers.nth(0)) == [0, 1]

    # ticks are kept per SOP: the first SOP's own page shows the ticks given on the checklists page
    first_title = containers.nth(0).locator("h3 a:not(.headerlink)")  # the SOP's title, not its permalink
    first_href = first_title.get_attribute("href")
    first_title.click()
    tab.page.wait_for_url(re.compile(re.escape(first_href.replace("../", "").rstrip("/")) + r"/?(#.*)?$"))
    own = tab.page.locator("div.sopgen-checklist")
    expect(own.locator(".sopgen-progress")).to_have_text(f"2 of {counts[0]} done")
    assert ticked(own) == [0, 1]
    tab.assert_local()


def test_onboarding_goals_progress(tab: Tab) -> None:
    tab.goto(ONBOARDING)
    phases = tab.page.locator("div.sopgen-phase")
    n = phases.count()
    assert n >= 2, f"expected the onboarding phases, found {n}"
    goals = []
    for i in range(n):
        boxes = phases.nth(i).locator(BOX)
        goals.append(boxes.count())
        for j in range(goals[-1]):
            expect(boxes.nth(j)).to_be_enabled()
            expect(boxes.nth(j)).to_have_accessible_name(item_text(boxes.nth(j)))
        progress = phases.nth(i).locator(".sopgen-progress")
        expect(progress).to_have_count(1)
        expect(progress).to_have_text(f"0 of {goals[-1]} goals")
    total = sum(goals)
    overall = tab.page.locator(".sopgen-progress--overall")
    expect(overall).to_have_count(1)
    expect(overall).to_have_text(f"0 of {total} goals")

    tick(phases.nth(1).locator(BOX).nth(0))
    expect(phases.nth(1).locator(".sopgen-progress")).to_have_text(f"1 of {goals[1]} goals")
    expect(overall).to_have_text(f"1 of {total} goals")
    tick(phases.nth(0).locator(BOX).nth(goals[0] - 1))
    expect(phases.nth(0).locator(".sopgen-progress")).to_have_text(f"1 of {goals[0]} goals")
    expect(overall).to_have_text(f"2 of {total} goals")

    tab.reload()
    phases = tab.page.locator("div.sopgen-phase")
    expect(tab.page.locator(".sopgen-progress--overall")).to_have_text(f"2 of {total} goals")
    expect(phases.nth(0).locator(".sopgen-progress")).to_have_text(f"1 of {goals[0]} goals")
    expect(phases.nth(1).locator(".sopgen-progress")).to_have_text(f"1 of {goals[1]} goals")
    assert ticked(phases.nth(0)) == [goals[0] - 1]
    assert ticked(phases.nth(1)) == [0]
    for i in range(2, n):
        expect(phases.nth(i).locator(".sopgen-progress")).to_have_text(f"0 of {goals[i]} goals")
    tab.assert_local()


# -- quiz -------------------------------------------------------------------------------


def quiz(tab: Tab, invoices: dict, *, check: str = "Check answers", again: str = "Try again") -> tuple[object, object]:
    """The quiz form and its questions, checked against the SOP's source (its buttons say ``check`` and ``again``)."""
    form = tab.page.locator("form.sopgen-quiz")
    expect(form).to_have_count(1)
    questions = form.locator("fieldset.sopgen-quiz-question")
    expect(questions).to_have_count(len(invoices["quiz"]))
    for i, q in enumerate(invoices["quiz"]):
        fieldset = questions.nth(i)
        legend = " ".join(fieldset.locator("legend").inner_text().split())
        assert " ".join(q["question"].split()) in legend
        assert fieldset.get_attribute("data-answer") == str(q["answer"])
        radios = fieldset.locator("label input[type=radio]")
        expect(radios).to_have_count(len(q["choices"]))
    expect(form.locator("button.sopgen-quiz-check")).to_have_text(check)
    expect(form.locator("button.sopgen-quiz-reset")).to_have_text(again)
    expect(form.locator("p.sopgen-quiz-score")).to_have_attribute("aria-live", re.compile(r"polite|assertive"))
    return form, questions


def choose(fieldset: object, index: int) -> None:
    fieldset.locator("label input[type=radio]").nth(index).check()


def answer_label(fieldset: object) -> object:
    return fieldset.locator("label.is-answer")


def test_quiz_all_right(tab: Tab, invoices: dict) -> None:
    tab.goto(SOP)
    form, questions = quiz(tab, invoices)
    n = len(invoices["quiz"])
    for i, q in enumerate(invoices["quiz"]):
        choose(questions.nth(i), q["answer"])
    form.locator("button.sopgen-quiz-check").click()
    expect(form.locator("p.sopgen-quiz-score")).to_have_text(f"Score: {n} of {n}")
    for i, q in enumerate(invoices["quiz"]):
        fieldset = questions.nth(i)
        expect(fieldset).to_have_class(re.compile(r"\bis-right\b"))
        expect(fieldset).not_to_have_class(re.compile(r"\bis-wrong\b"))
        expect(answer_label(fieldset)).to_have_count(1)
        expect(answer_label(fieldset)).to_contain_text(q["choices"][q["answer"]])
        expect(fieldset.locator("p.sopgen-quiz-feedback")).to_have_text("Right.")
    assert tab.page.url.startswith(tab.server.url(SOP)), "checking the answers must not leave the page"
    tab.assert_local()


def test_quiz_first_wrong_then_try_again(tab: Tab, invoices: dict) -> None:
    tab.goto(SOP)
    form, questions = quiz(tab, invoices)
    qs = invoices["quiz"]
    n = len(qs)
    wrong = (qs[0]["answer"] + 1) % len(qs[0]["choices"])
    choose(questions.nth(0), wrong)
    for i in range(1, n):
        choose(questions.nth(i), qs[i]["answer"])
    form.locator("button.sopgen-quiz-check").click()
    expect(form.locator("p.sopgen-quiz-score")).to_have_text(f"Score: {n - 1} of {n}")

    first = questions.nth(0)
    expect(first).to_have_class(re.compile(r"\bis-wrong\b"))
    expect(first).not_to_have_class(re.compile(r"\bis-right\b"))
    right_text = qs[0]["choices"][qs[0]["answer"]]
    expect(answer_label(first)).to_have_count(1)
    expect(answer_label(first)).to_contain_text(right_text)
    feedback = first.locator("p.sopgen-quiz-feedback")
    expect(feedback).to_have_text(re.compile(r"^\s*Not quite: the answer is"))
    expect(feedback).to_contain_text(right_text)
    for i in range(1, n):
        expect(questions.nth(i)).to_have_class(re.compile(r"\bis-right\b"))
    save_screenshot(tab.page, "sop-quiz-scored.png")

    form.locator("button.sopgen-quiz-reset").click()
    assert form.locator("input[type=radio]").evaluate_all("rs => rs.filter(r => r.checked).length") == 0
    expect(form.locator("fieldset.is-right, fieldset.is-wrong")).to_have_count(0)
    expect(form.locator("label.is-answer")).to_have_count(0)
    for i in range(form.locator("p.sopgen-quiz-feedback").count()):
        expect(form.locator("p.sopgen-quiz-feedback").nth(i)).not_to_be_visible()
    expect(form.locator("p.sopgen-quiz-score")).not_to_contain_text("Score")
    tab.assert_local()


def test_quiz_unanswered_counts_as_wrong(tab: Tab, invoices: dict) -> None:
    tab.goto(SOP)
    form, questions = quiz(tab, invoices)
    qs = invoices["quiz"]
    choose(questions.nth(0), qs[0]["answer"])
    form.locator("button.sopgen-quiz-check").click()
    expect(form.locator("p.sopgen-quiz-score")).to_have_text(f"Score: 1 of {len(qs)}")
    expect(questions.nth(0)).to_have_class(re.compile(r"\bis-right\b"))
    for i in range(1, len(qs)):
        expect(questions.nth(i)).to_have_class(re.compile(r"\bis-wrong\b"))
        expect(answer_label(questions.nth(i))).to_contain_text(qs[i]["choices"][qs[i]["answer"]])
    tab.assert_local()


# -- keyboard only ----------------------------------------------------------------------

MAX_TABS = 600


def tab_until(tab: Tab, predicate: str, what: str, key: str = "Tab") -> None:
    """Press ``key`` until ``predicate`` (a JS function of the focused element) holds."""
    for _ in range(MAX_TABS):
        tab.page.keyboard.press(key)
        if tab.page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate})(el); }})()"):
            return
    focused = tab.page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{MAX_TABS} presses of {key} never reached {what}; focus is on {focused}")


def test_quiz_keyboard_only(tab: Tab, invoices: dict) -> None:
    tab.goto(SOP)
    quiz(tab, invoices)
    answer = invoices["quiz"][0]["answer"]
    first_radio = ("el => el.matches('input[type=radio]') && el.closest('fieldset') === "
                   "document.querySelector('form.sopgen-quiz fieldset.sopgen-quiz-question')")
    tab_until(tab, first_radio, "the first question's choices")
    # arrow keys move through a radio group and choose; Space chooses the focused one
    index = tab.page.evaluate("Array.from(document.activeElement.closest('fieldset')"
                              ".querySelectorAll('input[type=radio]')).indexOf(document.activeElement)")
    while index < answer:
        tab.page.keyboard.press("ArrowDown")
        index += 1
    while index > answer:
        tab.page.keyboard.press("ArrowUp")
        index -= 1
    tab.page.keyboard.press("Space")
    chosen = tab.page.locator("form.sopgen-quiz fieldset.sopgen-quiz-question").first.locator("input[type=radio]")
    assert chosen.evaluate_all("rs => rs.flatMap((r, i) => r.checked ? [i] : [])") == [answer]

    tab_until(tab, "el => el.matches('button.sopgen-quiz-check')", "the Check answers button")
    tab.page.keyboard.press("Enter")
    score = tab.page.locator("form.sopgen-quiz p.sopgen-quiz-score")
    expect(score).to_have_text(f"Score: 1 of {len(invoices['quiz'])}")
    # and back, with Shift+Tab, to the questions
    tab_until(tab, "el => el.matches('form.sopgen-quiz input[type=radio]')", "a choice, backwards", key="Shift+Tab")
    tab.assert_local()


def test_checklist_keyboard_only(tab: Tab) -> None:
    tab.goto(SOP)
    container = tab.page.locator("div.sopgen-checklist")
    count = container.locator(BOX).count()
    tab_until(tab, "el => el.matches('div.sopgen-checklist input[type=checkbox]')", "a checklist box")
    tab.page.keyboard.press("Space")
    assert tab.page.evaluate("document.activeElement.checked") is True
    expect(container.locator(".sopgen-progress")).to_have_text(f"1 of {count} done")
    tab.page.keyboard.press("Space")
    expect(container.locator(".sopgen-progress")).to_have_text(f"0 of {count} done")
    tab.assert_local()


# -- navigation -------------------------------------------------------------------------


def test_a_translated_page_ticks_the_same_sop_and_scores_its_quiz_in_its_language(tab: Tab) -> None:
    """/es/sops/x/ is the same SOP as /sops/x/: what a reader ticks on one shows on the other (the
    ticks are kept by the source's items), and its quiz and counts speak Spanish; the switcher goes
    to the same page in English."""
    source = yaml.safe_load((REPO / "sops/tasks/triage-inbox.yml").read_text(encoding="utf-8"))
    count = len(source["checklist"])
    tab.goto("/es/sops/triage-inbox/")
    container = tab.page.locator("div.sopgen-checklist")
    boxes = container.locator(BOX)
    expect(boxes).to_have_count(count)
    tick(boxes.nth(0))
    tick(boxes.nth(2))
    expect(container.locator(".sopgen-progress")).to_have_text(f"2 de {count} hechos")

    form = tab.page.locator("form.sopgen-quiz")
    questions = form.locator("fieldset.sopgen-quiz-question")
    for i, q in enumerate(source["quiz"]):
        choose(questions.nth(i), q["answer"])
    form.locator("button.sopgen-quiz-check").click()
    n = len(source["quiz"])
    expect(form.locator("p.sopgen-quiz-score")).to_have_text(f"Puntuación: {n} de {n}")
    expect(questions.first.locator("p.sopgen-quiz-feedback")).to_have_text("Correcto.")

    tab.page.locator('.sopgen-languages a[hreflang="en"]').click()
    tab.page.wait_for_url(tab.server.url("/sops/triage-inbox/"))
    container = tab.page.locator("div.sopgen-checklist")
    expect(container.locator(".sopgen-progress")).to_have_text(f"2 of {count} done")
    assert ticked(container) == [0, 2]
    tab.assert_local()


def test_the_switcher_loads_the_other_language_whole_under_instant_navigation(browser: object, tmp_path: Path) -> None:
    """With Material's instant navigation (and a sitemap that lists both languages), the switcher
    still loads the other language's site: its scripts speak its language."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "sops", project / "sops")
    server = serve(tmp_path / "site")  # first: the sitemap's addresses must be the server's, port and all
    (project / "mkdocs.yml").write_text(f"site_name: Harbor Lane\nsite_url: {server.url('/')}\n"
                                        "theme:\n  name: material\n  features: [navigation.instant]\n"
                                        "plugins: [search, sopgen]\n", encoding="utf-8")
    build_site(project, tmp_path / "site")
    tab = open_tab(browser, server)
    try:
        tab.goto("/sops/triage-inbox/")
        expect(tab.page.locator(".sopgen-progress")).to_have_text(re.compile(r"^0 of \d+ done$"))
        tab.page.evaluate("window.loadedOnce = true")  # gone after a whole load
        tab.page.locator('.sopgen-languages a[hreflang="es"]').click()
        tab.page.wait_for_url(server.url("/es/sops/triage-inbox/"))
        expect(tab.page.locator(".sopgen-progress")).to_have_text(re.compile(r"^0 de \d+ hechos$"))
        assert tab.page.locator("html").get_attribute("lang") == "es"
        assert tab.page.evaluate("window.loadedOnce === undefined")
        tab.assert_local()
    finally:
        tab.context.close()
        server.stop()


def test_checklist_after_following_links(tab: Tab) -> None:
    """Home → role → SOP by clicking links. Under Material's instant navigation the pages are
    swapped without a load, so the JS must set itself up again; without it, plain loads."""
    tab.goto(HOME)
    for target in (ROLE, SOP):
        link = tab.page.locator(f"article a[href$='{target.strip('/')}/']").first
        expect(link).to_be_attached()
        link.click()
        tab.page.wait_for_url(re.compile(re.escape(target) + r"(#.*)?$"))
    container = tab.page.locator("div.sopgen-checklist")
    expect(container).to_have_count(1)
    expect(container.locator(".sopgen-progress")).to_have_text(re.compile(r"^0 of \d+ done$"))
    tick(container.locator(BOX).first)
    expect(container.locator(".sopgen-progress")).to_have_text(re.compile(r"^1 of \d+ done$"))
    tab.assert_local()


# -- print ------------------------------------------------------------------------------


def test_print_hides_controls_and_shows_empty_boxes(tab: Tab) -> None:
    tab.goto(SOP)
    page = tab.page
    container = page.locator("div.sopgen-checklist")
    boxes = container.locator(BOX)
    indicators = container.locator(".task-list-indicator")
    assert indicators.count() == boxes.count() >= 2
    page.mouse.move(0, 0)

    page.emulate_media(media="print")
    expect(page.locator(".md-header")).not_to_be_visible()
    sidebars = page.locator(".md-sidebar")
    for i in range(sidebars.count()):
        expect(sidebars.nth(i)).not_to_be_visible()
    for selector in (".sopgen-progress", "button.sopgen-reset", "button.sopgen-quiz-check",
                     "button.sopgen-quiz-reset"):
        found = page.locator(selector)
        assert found.count() > 0, f"no {selector} on the page to hide"
        for i in range(found.count()):
            expect(found.nth(i)).not_to_be_visible()
    # The boxes print, for a pen. Material draws each with the indicator's ::before,
    # so "visible" is judged on the drawn box (Playwright's own check sees a 0-px span).
    hidden = [i for i in range(indicators.count()) if not drawn_box(indicators.nth(i))["visible"]]
    assert not hidden, f"checklist boxes {hidden} do not show in print"
    empty = box_screenshot(page, indicators.nth(1))
    blank = box_screenshot(page, indicators.nth(1), shift=40)
    draws_something = empty != blank
    assert draws_something, "an empty box prints as nothing"

    # tick the box on screen, then print again: the same box must print the same pixels
    page.emulate_media(media="screen")
    tick(boxes.nth(1))
    page.mouse.move(0, 0)
    page.emulate_media(media="print")
    printed = box_screenshot(page, indicators.nth(1))
    folder = screenshot_dir()
    if folder is not None:
        (folder / "print-box-empty.png").write_bytes(empty)
        (folder / "print-box-ticked.png").write_bytes(printed)
    same = printed == empty
    assert same, "a ticked box must print empty, for a pen (SOPGEN_SCREENSHOTS=DIR keeps both pictures)"
    tab.assert_local()


# -- accessibility ----------------------------------------------------------------------

AXE_PAGES = {"home": HOME, "role": ROLE, "sop": SOP, "checklists": CHECKLISTS, "onboarding": ONBOARDING,
             "delegation": "/delegation/",  # with its chart (inline SVG)
             "people": "/people/", "person": "/people/priya-nair/",
             "person-results": "/people/tomas-rivera/",  # with charts of results against their targets
             "sop-es-stale": "/es/sops/manage-owner-calendar/",  # a translation: one step stale, its banner
             "sop-es-untranslated": "/es" + SOP}  # every text shown in English, marked


def in_use(tab: Tab, invoices: dict) -> None:
    """The SOP page as a reader leaves it: some boxes ticked, a quiz scored with a wrong answer."""
    boxes = tab.page.locator("div.sopgen-checklist " + BOX)
    for i in range(3):
        tick(boxes.nth(i))
    form, questions = quiz(tab, invoices)
    qs = invoices["quiz"]
    choose(questions.nth(0), (qs[0]["answer"] + 1) % len(qs[0]["choices"]))
    for i in range(1, len(qs)):
        choose(questions.nth(i), qs[i]["answer"])
    form.locator("button.sopgen-quiz-check").click()
    expect(form.locator("p.sopgen-quiz-score")).to_contain_text("Score:")
    # judge the page at rest, not the button under the mouse
    tab.page.mouse.move(0, 0)
    tab.page.evaluate("document.activeElement && document.activeElement.blur()")


def use_dark_scheme(tab: Tab) -> None:
    """Material's dark scheme: ``data-md-color-scheme="slate"`` on the body. Its colours are
    in Material's palette stylesheet, which a page links only when the site configures a
    palette: without one, link the site's own copy, as a site with a dark palette would."""
    page = tab.page
    if not page.evaluate("!!document.querySelector('link[rel=stylesheet][href*=\"stylesheets/palette.\"]')"):
        found = sorted((tab.server.root / "assets/stylesheets").glob("palette.*.css"))
        assert found, "no Material palette stylesheet in the built site"
        page.add_style_tag(url=tab.server.url(f"/assets/stylesheets/{found[0].name}"))
    # Material's default colours (indigo) are implicit without a palette; with one they are
    # attributes too, and the dark scheme picks its lighter link colour by them
    page.evaluate("""() => {
      for (const key of ['primary', 'accent'])
        if (!document.body.hasAttribute('data-md-color-' + key)) document.body.setAttribute('data-md-color-' + key, 'indigo');
      document.body.setAttribute('data-md-color-scheme', 'slate');
    }""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", [*AXE_PAGES, "sop-in-use"])
def test_axe(tab: Tab, invoices: dict, name: str, scheme: str) -> None:
    axe = axe_path()
    tab.goto(AXE_PAGES.get(name, SOP))
    if name == "sop-in-use":
        in_use(tab, invoices)
    if scheme == "dark":
        use_dark_scheme(tab)
        tab.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        # Material's slate scheme is in place: a dark page background
        background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert sum(map(int, re.findall(r"\d+", background)[:3])) < 3 * 100, f"dark scheme not applied: {background}"
    violations = run_axe(tab.page, axe)
    severe = [v for v in violations if v.get("impact") in SEVERE]
    if violations:
        print(f"axe on {name} ({scheme}):\n{describe(violations)}")
    assert not severe, f"axe: serious or critical violations on {name} ({scheme}):\n{describe(severe)}"
    tab.assert_local()


# -- hostile text in a real browser --------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "[x](javascript:alert(3))", "{{ 7*7 }}"]
HOSTILE = " ".join(PAYLOADS)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The test corpus' small project with every plain-text field of one task carrying script,
    and its Markdown fields carrying the same as code (as HTML they are refused: test_hostile)."""
    from conftest import BASE, build_tree

    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(BASE, project)
    text = json.dumps(HOSTILE)
    code = json.dumps("Type `" + HOSTILE + "` and {{ 7*7 }}")
    build_tree(project, {"sops/tasks/send-invoices.yml": f"""
        title: {text}
        role: bookkeeper
        purpose: {code}
        trigger: {text}
        frequency: weekly
        tools: [{text}]
        steps:
          - do: {code}
            tip: {code}
        checklist: [{text}]
        done_when: [{code}]
        quiz:
          - question: {text}
            choices: [{text}, "B"]
            answer: 1
        tags: [{text}]
    """})
    server = serve(build_site(project, project / "site"))
    try:
        yield server
    finally:
        server.stop()


def test_hostile_fields_show_as_text_and_run_nothing(browser: object, hostile_site: Server) -> None:
    tab = open_tab(browser, hostile_site)
    dialogs: list[str] = []
    tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for address in ("/sops/send-invoices/", "/roles/bookkeeper/checklists/", "/tools/", "/"):
            tab.page.goto(hostile_site.url(address))
            tab.page.wait_for_load_state("load")
            shown = tab.page.locator("article").inner_text()
            if "bookkeeper" in address or "sops" in address:
                assert "<script>alert(1)</script>" in shown, address
            assert "49" not in shown, f"{address}: a template ran"
            assert tab.page.locator("article script, article img[src=x]").count() == 0, address
            assert tab.page.evaluate("""() => [...document.querySelectorAll('*')].filter(el =>
                [...el.attributes].some(a => a.name.startsWith('on'))).length""") == 0, address
            assert tab.page.locator("a[href^='javascript' i]").count() == 0, address
        tab.page.goto(hostile_site.url("/sops/send-invoices/"))
        page = tab.page.locator("article").inner_text()
        for payload in PAYLOADS:
            assert payload in page
        # clicking the would-be link does nothing either
        tab.page.locator("article h1").click()
        tab.page.wait_for_timeout(200)
        assert dialogs == []
        tab.assert_local()
    finally:
        tab.context.close()


# -- sopgen serve after a broken save --------------------------------------------------------------

def test_serve_shows_why_a_save_did_not_build(browser: object, tmp_path: Path) -> None:
    from conftest import BASE
    from test_serve import free_port, wait_for

    project = shutil.copytree(BASE, tmp_path / "p")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "sopgen", "serve", "-a", f"127.0.0.1:{port}",
                             "-f", str(project / "mkdocs.yml")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = browser.new_context()
    try:
        wait_for(f"{base}/sops/send-invoices/", "Send client invoices")
        page = context.new_page()
        page.goto(f"{base}/sops/send-invoices/")
        expect(page.locator(".sopgen-serve-problems")).to_have_count(0)
        task = project / "sops/tasks/send-invoices.yml"
        good = task.read_text()
        # the page reloads by itself when the server has rebuilt (MkDocs' livereload), as a user sees it
        task.write_text(good.replace("role: bookkeeper", "role: bookeeper"))
        box = page.locator(".sopgen-serve-problems")
        expect(box).to_be_visible(timeout=30_000)
        expect(box).to_contain_text("this is the last good build")
        expect(box).to_contain_text("sops/tasks/send-invoices.yml:2:7: role: unknown role 'bookeeper'")
        expect(page.locator("h1")).to_have_text("Send client invoices¶")  # the title, then its permalink
        task.write_text(good.replace("title: Send client invoices", "title: Send fixed invoices"))
        expect(page.locator("h1")).to_have_text("Send fixed invoices¶", timeout=30_000)
        expect(page.locator(".sopgen-serve-problems")).to_have_count(0)
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=10)


def unchecked_project(folder: Path, *options: str) -> tuple[Path, Result]:
    """A project whose Markdown fields carry script that the field checks would refuse, built
    (with ``options``) with those checks turned off: what is left to stop it is the last look at
    each page (pagecheck.py)."""
    from conftest import BASE, build_tree, run

    project = folder / "project"
    shutil.copytree(BASE, project)
    build_tree(project, {"sops/tasks/send-invoices.yml": """
        title: Send client invoices
        role: bookkeeper
        purpose: "Clients pay on time.\\n\\n[portal]: javascript:alert(1)"
        frequency: weekly
        steps:
          - do: "Open [the portal][portal] and <a href='jav&#x61;script:alert(2)'>the other one</a>."
            tip: "<script>alert(3)</script> <img src=x onerror=alert(4)> <svg onload=alert(5)></svg>"
          - do: "Send them <b onmouseover=alert(6)>now</b>."
        done_when: ["[Done](JaVaScRiPt:alert(7))"]
    """})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sopgen.core.validate.findings", lambda text: [])
        result = run(project, "build", "--no-pdf", *options)
    return project, result


@pytest.fixture(scope="module")
def unchecked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """:func:`unchecked_project`, built by MkDocs."""
    project, result = unchecked_project(tmp_path_factory.mktemp("unchecked"))
    assert result.exit_code == 0, result.output
    server = serve(project / "site")
    try:
        yield server
    finally:
        server.stop()


def test_script_the_field_checks_missed_never_runs(browser: object, unchecked_site: Server) -> None:
    tab = open_tab(browser, unchecked_site)
    dialogs: list[str] = []
    tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for address in ("/sops/send-invoices/", "/roles/bookkeeper/checklists/", "/roles/bookkeeper/onboarding/"):
            tab.page.goto(unchecked_site.url(address))
            tab.page.wait_for_load_state("load")
            assert tab.page.locator("article script").count() == 0, address
            assert tab.page.evaluate("""() => [...document.querySelectorAll('article *')].filter(el =>
                [...el.attributes].some(a => a.name.startsWith('on'))).length""") == 0, address
            assert tab.page.locator("a[href^='javascript' i], a[href*='script:' i]").count() == 0, address
            for link in tab.page.locator("article a:not([href]):visible").all():  # not a theme's hidden anchor
                link.click()
            tab.page.wait_for_timeout(200)
        tab.page.goto(unchecked_site.url("/sops/send-invoices/"))
        assert "the portal" in tab.page.locator("article").inner_text()
        assert dialogs == []
    finally:
        tab.context.close()


# -- wide tables ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def money_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The example, with one bookkeeper task the owner would not do herself: its row says so in words
    ("— (the owner would not do this)"), the longest a cell of the delegation tables gets."""
    project = tmp_path_factory.mktemp("money") / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "docs", "sops"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, project / name)
    task = project / "sops/tasks/follow-up-overdue-payments.yml"
    task.write_text(task.read_text(encoding="utf-8") + "frees_owner: false\n", encoding="utf-8")
    server = serve(build_site(project, project / "site"))
    try:
        yield server
    finally:
        server.stop()


TABLE_FITS = """table => {
  const wrap = table.closest('.md-typeset__scrollwrap') || table.parentElement;
  const cells = table.rows[0].cells;
  return {scroll: table.scrollWidth, room: wrap.clientWidth,
          lastRight: cells[cells.length - 1].getBoundingClientRect().right,
          roomRight: wrap.getBoundingClientRect().right};
}"""


@pytest.mark.parametrize("address", ["/delegation/", "/"])
def test_money_tables_fit_a_1280_px_window(browser: object, money_site: Server, address: str) -> None:
    """At 1280×800 every table of the delegation page (and the home page's) shows its last column:
    nothing to scroll sideways to (it was cut at "Freed a year")."""
    tab = open_tab(browser, money_site)
    try:
        tab.page.set_viewport_size({"width": 1280, "height": 800})
        tab.page.goto(money_site.url(address))
        tables = tab.page.locator("article table")
        assert tables.count() >= (4 if address == "/delegation/" else 1)
        for i in range(tables.count()):
            fit = tables.nth(i).evaluate(TABLE_FITS)
            assert fit["scroll"] <= fit["room"], f"table {i + 1} of {address}: {fit}"
            assert fit["lastRight"] <= fit["roomRight"] + 0.5, f"table {i + 1} of {address}: {fit}"
        if address == "/delegation/":
            assert tab.page.get_by_text("the owner would not do this").count() >= 1
            save_screenshot(tab.page, "delegation-1280.png")
        tab.assert_local()
    finally:
        tab.context.close()


# -- a page in another interface language (organization.yml's `language`) -------------------------

@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    project = tmp_path_factory.mktemp("german") / "project"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    organization = project / "sops/organization.yml"
    organization.write_text(organization.read_text(encoding="utf-8") + "language: de\n", encoding="utf-8")
    server = serve(build_site(project, project / "site"))
    try:
        yield server
    finally:
        server.stop()


def test_ticks_and_quiz_speak_the_pages_language(browser: object, german_site: Server, invoices: dict) -> None:
    tab = open_tab(browser, german_site)
    try:
        tab.goto(SOP)
        expect(tab.page.locator("html")).to_have_attribute("lang", "de")
        checklist = tab.page.locator(".sopgen-checklist")
        boxes = checklist.locator(BOX)
        count = boxes.count()
        progress = checklist.locator(".sopgen-progress")
        expect(progress).to_have_text(f"0 von {count} erledigt")
        expect(checklist.locator("button.sopgen-reset")).to_have_text("Zurücksetzen")
        expect(checklist.locator("button.sopgen-reset")).to_have_attribute("aria-label", "Diese Checkliste zurücksetzen")
        tick(boxes.nth(0))
        expect(progress).to_have_text(f"1 von {count} erledigt")

        form, questions = quiz(tab, invoices, check="Antworten prüfen", again="Noch einmal")
        qs = invoices["quiz"]
        choose(questions.nth(0), (qs[0]["answer"] + 1) % len(qs[0]["choices"]))  # the first one wrong
        for i, q in enumerate(qs[1:], 1):
            choose(questions.nth(i), q["answer"])
        form.locator("button.sopgen-quiz-check").click()
        expect(form.locator("p.sopgen-quiz-score")).to_have_text(f"Ergebnis: {len(qs) - 1} von {len(qs)}")
        expect(questions.nth(0).locator("p.sopgen-quiz-feedback")).to_contain_text("Nicht ganz: Richtig ist ")
        expect(questions.nth(1).locator("p.sopgen-quiz-feedback")).to_have_text("Richtig.")
        expect(form.locator("button.sopgen-quiz-reset")).to_have_text("Noch einmal")
        save_screenshot(tab.page, "sop-de.png")

        tab.goto(ONBOARDING)
        overall = tab.page.locator(".sopgen-progress--overall")
        expect(overall).to_have_text(re.compile(r"^0 von \d+ Zielen$"))
        tab.assert_local()
    finally:
        tab.context.close()
