"""The editor in a real browser, under a real `sopgen serve`: from a served page's Edit button to the
saved YAML file (its comments kept) and the served page showing the change."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
import yaml

from browser import CHROMIUM_ARGS, chromium_path
from conftest import BASE, build_tree
from test_editor_server import COMMENTED, SOP
from test_serve import fetch, free_port, wait_until

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the browser fixture says what to do (a skip would hide it in CI)
    sync_playwright = None
PAGE = "/sops/send-invoices/"


def fetched(url: str) -> str:
    """The page at ``url``, or "" while nothing answers there."""
    return fetch(url) or ""


class Served:
    def __init__(self, project: Path, site: str, editor: str, child: subprocess.Popen[bytes], log: Path) -> None:
        self.project, self.site, self.editor, self.child, self.log = project, site, editor, child, log


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`sopgen serve` of the example with an SOP of nested steps and comments, in a git repository."""
    project = shutil.copytree(BASE, tmp_path / "project")
    build_tree(project, {SOP: COMMENTED})
    (project / "sops/media").mkdir(exist_ok=True)
    (project / "sops/media/screen.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    for command in (["init", "-q"], ["config", "user.name", "Office Manager"],
                    ["config", "user.email", "office@example.com"], ["add", "-A"], ["commit", "-qm", "Start"]):
        subprocess.run(["git", *command], cwd=project, check=True, capture_output=True)
    port, editor_port = free_port(), free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        child = subprocess.Popen([sys.executable, "-m", "sopgen", "serve", "-a", f"127.0.0.1:{port}",
                                  "--editor-port", str(editor_port), "-f", str(project / "mkdocs.yml")],
                                 cwd=project, stdout=out, stderr=subprocess.STDOUT)
    site = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: "Send client invoices" in fetched(site + PAGE), f"the served page ({log})")
        yield Served(project, site, f"http://127.0.0.1:{editor_port}", child, log)
    finally:
        child.terminate()
        child.wait(timeout=20)


@pytest.fixture
def browser() -> Iterator[Any]:
    if sync_playwright is None:
        pytest.fail("Playwright is not installed: run scripts/test (pip install -e '.[test]')")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    tab = context.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", lambda route: route.abort())
    tab.set_default_timeout(15_000)
    yield tab
    assert not tab.errors, tab.errors
    context.close()


def field(page: Any, path: str) -> Any:
    """The input of the form's field at ``path`` (``root.steps.0.do``)."""
    return page.locator(f'[data-schemapath="{path}"]').locator("input, textarea, select").first


def button(page: Any, path: str, kind: str) -> Any:
    """The ``kind`` button (add, moveup, movedown, delete) of the array or item at ``path`` itself."""
    return page.locator(f'[data-schemapath="{path}"] button.json-editor-btn-{kind}').last


def open_editor(page: Any, served: Served, address: str = PAGE, name: str = "Edit") -> None:
    page.goto(served.site + address)
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(served.editor + "/**")
    page.locator("[data-schemapath='root.title']").wait_for()
    if name == "Edit":  # the file as it is has no error: it can be saved at once
        page.locator("#save:not([disabled])").wait_for()


def saved_and_shown(page: Any, served: Served, address: str, text: str) -> None:
    page.locator("#save").click()
    page.wait_for_url(served.site + address + "*", timeout=20_000)
    page.get_by_text(text).first.wait_for(timeout=30_000)  # after serve's rebuild, its live reload


def test_editing_a_sop_keeps_its_comments_and_the_page_shows_the_change(page: Any, served: Served) -> None:
    site_html = fetched(served.site + PAGE)
    open_editor(page, served)
    token = page.locator('meta[name="sopgen-editor"]').get_attribute("data-token")
    assert token and token not in site_html  # the site's pages link to the editor, and never hold its token

    field(page, "root.steps.0.do").fill("Export the week's billable hours from the timesheet.")
    button(page, "root.steps.2.steps", "add").click()  # a sub-step under "Send the invoices."
    field(page, "root.steps.2.steps.0.do").fill("Attach the timesheet to each invoice.")
    button(page, "root.steps.1", "moveup").click()  # "Create one invoice per client." comes first now
    button(page, "root.quiz", "add").click()
    field(page, "root.quiz.1.question").fill("Who checks the rate?")
    for i, choice in enumerate(["The client", "You, from the contract"]):  # a new question has its two choices
        field(page, f"root.quiz.1.choices.{i}").fill(choice)
    page.locator('[data-schemapath="root.quiz.1.answer"]').get_by_label("You, from the contract").check()
    shoot(page, "editor-quiz.png", page.locator('[data-schemapath="root.quiz.1"]'))

    # an error shows in the form, at its field and in the summary, before anything is saved
    field(page, "root.role").fill("nobody")
    problem = page.locator('[data-schemapath="root.role"] .sopgen-problem.error')
    problem.wait_for()
    assert "nobody" in problem.inner_text() and "nobody" in page.locator("#summary").inner_text()
    assert page.locator("#save").is_disabled()
    field(page, "root.role").fill("bookkeeper")
    page.locator("#save:not([disabled])").wait_for()
    assert page.locator(".sopgen-problem.error").count() == 0

    saved_and_shown(page, served, PAGE, "from the timesheet")
    text = (served.project / SOP).read_text(encoding="utf-8")
    for comment in ("# Owner: the bookkeeper. Keep the steps short.", "# what the team calls it",
                    "# the export comes first", "# the export screen", "# from the contract",
                    "# never due while the tests run"):
        assert comment in text, text
    data = yaml.safe_load(text)
    assert [s["do"] for s in data["steps"]] == ["Create one invoice per client.",
                                                "Export the week's billable hours from the timesheet.",
                                                "Send the invoices."]
    assert data["steps"][2]["steps"] == [{"do": "Attach the timesheet to each invoice."}]
    assert data["quiz"][1] == {"question": "Who checks the rate?", "choices": ["The client", "You, from the contract"],
                               "answer": 1}
    assert "details" not in text and "why:" not in text  # the form's empty fields are not written
    shown = page.content()
    assert shown.index("Create one invoice per client") < shown.index("from the timesheet")
    assert "Attach the timesheet to each invoice" in shown
    editor_origin = urlsplit(served.editor).netloc
    site_origin = urlsplit(served.site).netloc
    assert {urlsplit(u).netloc for u in page.requests if urlsplit(u).scheme.startswith("http")} <= {editor_origin,
                                                                                                    site_origin}


def test_the_editor_page_asks_its_own_server_only(page: Any, served: Served) -> None:
    page.goto(served.site + PAGE)
    shoot(page, "editor-edit-button.png", page.get_by_role("link", name="Edit", exact=True))
    open_editor(page, served)
    editor_origin = urlsplit(served.editor).netloc
    asked = [u for u in page.requests if urlsplit(u).netloc != urlsplit(served.site).netloc
             and urlsplit(u).scheme.startswith("http")]
    assert asked and all(urlsplit(u).netloc == editor_origin for u in asked), asked
    assert any(u.endswith("/static/jsoneditor.js") for u in asked)


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten_and_both_show(page: Any, served: Served) -> None:
    open_editor(page, served)
    theirs = (served.project / SOP).read_text(encoding="utf-8").replace("Send the invoices.", "Email the invoices.")
    (served.project / SOP).write_text(theirs, encoding="utf-8")
    field(page, "root.purpose").fill("Clients pay sooner.")
    page.locator("#save:not([disabled])").wait_for()
    page.locator("#save").click()
    conflict = page.locator("#conflict")
    conflict.wait_for()
    assert "Email the invoices." in conflict.locator(".theirs pre").inner_text()
    assert "Clients pay sooner." in conflict.locator(".yours pre").inner_text()
    assert (served.project / SOP).read_text(encoding="utf-8") == theirs
    shoot(page, "editor-409.png", conflict)
    conflict.get_by_role("button", name="Reload the form with the version on disk").click()
    page.wait_for_function("""() => Array.from(document.querySelectorAll('textarea'))
                              .some(t => t.value === 'Email the invoices.')""")
    assert field(page, "root.purpose").input_value() == "Clients pay on time when invoices go out on time."


def test_save_and_commit_commits_the_file_as_the_configured_user(page: Any, served: Served) -> None:
    open_editor(page, served)
    field(page, "root.purpose").fill("Clients pay sooner when invoices go out on Friday.")
    page.locator("#save:not([disabled])").wait_for()
    page.locator("#commit").check()
    page.locator("#message").fill("Purpose says Friday")
    saved_and_shown(page, served, PAGE, "invoices go out on Friday")
    log = subprocess.run(["git", "log", "-1", "--format=%an|%s", "--name-only"], cwd=served.project,
                         capture_output=True, text=True, check=True).stdout
    assert log.splitlines()[0] == "Office Manager|Purpose says Friday"
    assert SOP in log


def test_an_uploaded_picture_is_listed_and_saved_in_the_step(page: Any, served: Served, tmp_path: Path) -> None:
    png = tmp_path / "Receipt Form.png"
    png.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                  "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"))
    open_editor(page, served)
    page.locator('[data-schemapath="root.steps.1.image"] input[type="file"]').set_input_files(str(png))
    page.locator("#status", has_text="media/receipt-form.png was uploaded").wait_for()
    assert (served.project / "sops/media/receipt-form.png").read_bytes() == png.read_bytes()
    image = page.locator('[data-schemapath="root.steps.1.image"] select')
    assert image.input_value() == "media/receipt-form.png"
    assert "media/receipt-form.png" in image.locator("option").all_inner_texts()
    page.locator("#save:not([disabled])").wait_for()
    saved_and_shown(page, served, PAGE, "Create one invoice per client")
    assert yaml.safe_load((served.project / SOP).read_text())["steps"][1]["image"] == "media/receipt-form.png"


def test_new_sop_from_the_home_page_creates_a_file_that_validates(page: Any, served: Served) -> None:
    open_editor(page, served, "/", "New SOP")
    field(page, "root.title").fill("Open the front desk")
    assert page.locator("#new-id").input_value() == "open-the-front-desk"
    field(page, "root.role").fill("bookkeeper")
    field(page, "root.purpose").fill("Clients find the door open at nine.")
    field(page, "root.frequency").fill("daily")
    field(page, "root.steps.0.do").fill("Unlock the door at 8:55.")  # a new SOP has its first step
    page.locator("#save:not([disabled])").wait_for(timeout=15_000)
    saved_and_shown(page, served, "/sops/open-the-front-desk/", "Unlock the door at 8:55.")
    created = served.project / "sops/tasks/open-the-front-desk.yml"
    assert yaml.safe_load(created.read_text())["title"] == "Open the front desk"
    result = subprocess.run([sys.executable, "-m", "sopgen", "validate", "-f", str(served.project / "mkdocs.yml")],
                            cwd=served.project, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_screenshot_of_nested_steps_with_an_error(page: Any, served: Served) -> None:
    open_editor(page, served)
    field(page, "root.steps.1.steps.0.video").fill("the rates video on the drive")
    problem = page.locator('[data-schemapath="root.steps.1.steps.0.video"] .sopgen-problem.error')
    problem.wait_for()
    assert page.locator("#save").is_disabled()
    assert "Step 2.1, Video: 'the rates video on the drive' is not a web address" in page.locator("#summary").inner_text()
    assert page.locator('[data-schemapath="root.steps.1.steps.0"] > .je-header').inner_text().strip() == "Step 2.1"
    shoot(page, "editor-nested-error.png", page.locator('[data-schemapath="root.steps.1.steps.0"]'))


def shoot(page: Any, name: str, where: Any) -> None:
    """A screenshot of the editor for the record, into $SOPGEN_SCREENSHOTS when set."""
    import os

    folder = os.environ.get("SOPGEN_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1300})
    where.scroll_into_view_if_needed()
    page.evaluate("el => el.scrollIntoView({block: 'start'})", where.element_handle())
    page.evaluate("window.scrollBy(0, -150)")
    page.screenshot(path=str(Path(folder) / name), animations="disabled", caret="hide")


EXAMPLE = Path(__file__).parent.parent / "sops"


@pytest.fixture
def example_editor(tmp_path: Path) -> Iterator[Any]:
    """The editor alone (no serve) over a copy of the repository's example project."""
    from sopgen.site.editor.server import start

    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project / "sops")
    shutil.copy(Path(__file__).parent.parent / "mkdocs.yml", project / "mkdocs.yml")
    running = start(project, site="http://127.0.0.1:9")
    yield running
    running.stop()


def test_every_example_file_opened_and_saved_unchanged_stays_byte_for_byte(browser: Any, example_editor: Any) -> None:
    """What the form shows of a file is what the file holds: saved untouched, no file of the example changes
    (numbers, dates, empty and absent fields, quiz answers, nested steps, money as written)."""
    files = sorted((example_editor.sops / "tasks").glob("*.yml")) + sorted((example_editor.sops / "roles").glob("*.yml"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.route("http://127.0.0.1:9/**", lambda route: route.fulfill(body="back on the site"))
    changed = []
    for file in files:
        rel = file.relative_to(example_editor.project).as_posix()
        before = file.read_bytes()
        tab.goto(f"{example_editor.url}edit?path={rel}&back=/")
        tab.locator("#save:not([disabled])").wait_for(timeout=15_000)
        with tab.expect_response("**/api/save") as response:
            tab.locator("#save").click()
        assert response.value.status == 200, (rel, response.value.json())
        if file.read_bytes() != before:
            changed.append(rel)
    context.close()
    assert not errors, errors
    assert not changed, changed


HTMLISH = ["Type `<kbd>Ctrl</kbd>` in the template, and `<img src=x onerror=alert(1)>` never.",
           "Fees & costs: write &amp; in the template, not &.", "See <https://status.example.com> first.",
           "If x < 5 and y > 2, stop.", "Write to <billing@example.com> &lt;now&gt;."]


def test_text_that_looks_like_html_is_kept_as_written(browser: Any, example_editor: Any) -> None:
    """Markdown may hold what looks like HTML (tags in code, &amp;, <https://…> links): the form keeps every
    character (the form library would read it as HTML and keep its text only), shows it as text, runs nothing."""
    file = example_editor.sops / "tasks/send-client-invoices.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["steps"][0]["do"], data["steps"][0]["tip"] = HTMLISH[0], HTMLISH[1]
    data["steps"][1]["details"], data["purpose"], data["steps"][2]["warning"] = HTMLISH[2], HTMLISH[3], HTMLISH[4]
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    tab = browser.new_context().new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.route("http://127.0.0.1:9/**", lambda route: route.fulfill(body="back on the site"))
    tab.goto(f"{example_editor.url}edit?path=sops/tasks/send-client-invoices.yml&back=/")
    title = tab.locator('[data-schemapath="root.title"] input')
    title.fill("Send client invoices on Friday")
    tab.locator("#save:not([disabled])").wait_for(timeout=15_000)
    assert tab.locator('[data-schemapath="root.steps.0.do"] textarea').input_value() == HTMLISH[0]
    with tab.expect_response("**/api/save") as response:
        tab.locator("#save").click()
    assert response.value.status == 200, response.value.json()
    saved = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert saved["title"] == "Send client invoices on Friday"
    assert [saved["steps"][0]["do"], saved["steps"][0]["tip"], saved["steps"][1]["details"], saved["purpose"],
            saved["steps"][2]["warning"]] == HTMLISH
    assert not dialogs


def test_new_role_from_the_home_page(page: Any, served: Served) -> None:
    open_editor(page, served, "/", "New role")
    page.locator("#summary", has_text="To fill in or fix before saving").wait_for()
    field(page, "root.title").fill("Front desk")
    assert page.locator("#new-id").input_value() == "front-desk"
    field(page, "root.summary").fill("Greets every client and keeps the waiting room calm.")
    button(page, "root.responsibilities", "add").click()
    field(page, "root.responsibilities.0").fill("Open the front desk at nine.")
    page.locator("#save:not([disabled])").wait_for()
    saved_and_shown(page, served, "/roles/front-desk/", "Greets every client")
    data = yaml.safe_load((served.project / "sops/roles/front-desk.yml").read_text(encoding="utf-8"))
    assert data == {"title": "Front desk", "summary": "Greets every client and keeps the waiting room calm.",
                    "responsibilities": ["Open the front desk at nine."]}


def test_leaving_with_unsaved_changes_asks_first(page: Any, served: Served) -> None:
    open_editor(page, served)
    field(page, "root.purpose").fill("Something not saved yet.")
    page.locator("#save:not([disabled])").wait_for()
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator("#back").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url.startswith(served.editor)


def test_the_form_is_accessible(page: Any, served: Served) -> None:
    """axe-core finds nothing serious or critical on the form, with a message at a field and in the list."""
    from browser import SEVERE, axe_path, describe

    open_editor(page, served)
    field(page, "root.steps.1.steps.0.video").fill("the rates video on the drive")
    page.locator(".sopgen-problem.error").first.wait_for()
    page.evaluate(axe_path().read_text(encoding="utf-8"))  # the page's own policy loads no script of another origin
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    severe = [v for v in violations if v.get("impact") in SEVERE]
    assert not severe, describe(severe)


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_a_save_shows_on_the_page_served_by_each_engine(browser: Any, tmp_path: Path, engine: str) -> None:
    from test_engines import start_serve

    project = shutil.copytree(BASE, tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    child = start_serve(project, engine, port, log)
    site = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: '"editor"' in fetched(site + "/sopgen-status.json"), f"serve ({log})", timeout=90)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        tab.set_default_timeout(20_000)
        tab.goto(site + PAGE)
        tab.get_by_role("link", name="Edit", exact=True).click()
        field(tab, "root.purpose").fill(f"Saved from the form on {engine}.")
        tab.locator("#save:not([disabled])").wait_for()
        tab.locator("#save").click()
        tab.wait_for_url(site + PAGE + "*")
        tab.get_by_text(f"Saved from the form on {engine}.").first.wait_for(timeout=60_000)
    finally:
        child.terminate()
        child.wait(timeout=30)
    assert "Traceback" not in log.read_text()


def test_pages_opened_from_another_computer_have_no_edit_buttons(served: Served) -> None:
    """`serve -a 0.0.0.0` shows the site to the office; the editor answers this computer only, so a page
    opened by another name than 127.0.0.1 or localhost has no Edit button (it would lead nowhere)."""
    port = urlsplit(served.site).port
    with sync_playwright() as p:
        other = p.chromium.launch(executable_path=chromium_path(),
                                  args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP office-pc.example 127.0.0.1"])
        try:
            tab = other.new_page()
            tab.goto(f"http://office-pc.example:{port}{PAGE}")
            tab.get_by_text("Send client invoices").first.wait_for()
            tab.wait_for_timeout(1000)  # serve.js has read sopgen-status.json by now
            assert tab.get_by_role("link", name="Edit", exact=True).count() == 0
            tab.goto(f"http://localhost:{port}{PAGE}")
            tab.get_by_role("link", name="Edit", exact=True).wait_for()
        finally:
            other.close()


def test_a_new_sop_never_replaces_one_of_the_same_name(page: Any, served: Served) -> None:
    before = (served.project / SOP).read_bytes()
    open_editor(page, served, "/", "New SOP")
    field(page, "root.title").fill("Send invoices")
    assert page.locator("#new-id").input_value() == "send-invoices"
    field(page, "root.role").fill("bookkeeper")
    field(page, "root.purpose").fill("Another one.")
    field(page, "root.steps.0.do").fill("Do it.")
    page.locator("#new-file .sopgen-problem.error", has_text="sops/tasks/send-invoices.yml exists already").wait_for()
    assert page.locator("#save").is_disabled()
    page.locator("#new-id").fill("send-invoices-twice")
    page.locator("#save:not([disabled])").wait_for()
    assert (served.project / SOP).read_bytes() == before


def test_the_edit_and_new_buttons_speak_the_sites_language(page: Any, served: Served) -> None:
    organization = served.project / "sops/organization.yml"
    organization.write_text(organization.read_text(encoding="utf-8") + "language: de\n", encoding="utf-8")
    wait_until(lambda: 'lang="de"' in fetched(served.site + PAGE), "serve's rebuild in German")
    page.goto(served.site + PAGE)
    page.get_by_role("link", name="Bearbeiten", exact=True).wait_for()
    assert page.get_by_role("link", name="Edit", exact=True).count() == 0
    page.goto(served.site + "/")
    for name in ("Neue Arbeitsanweisung", "Neue Rolle"):
        page.get_by_role("link", name=name, exact=True).wait_for()
