"""``sopgen build --engine mkdocs|properdocs|zensical`` and ``serve --engine``: the same site on
each engine (the same addresses, the same checklists, quizzes and search in a real browser),
and sopgen's guarantees kept around Zensical, which runs no plugin (validation, ``--strict``,
the atomic swap, dates, PDFs); a clear error for an engine that is not installed.

Sites are built once per module and shared; the browser tests of test_browser.py that concern
the pages' own scripts run again here on ProperDocs' and Zensical's output (test_browser.py runs
them on MkDocs').
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser import SEVERE, Server, axe_path, describe, open_tab, run_axe, serve
from conftest import BASE, REPO, build_tree, run, tree_hash
from test_architecture import lint_imports
from test_serve import fetch, free_port, wait_until

from sopgen.site.engines import ENGINES
from sopgen.site.engines.zensical import KEPT, cache_dir, issues

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

# the page scripts' own tests, collected here again with this module's `site` (see `site` below)
from test_browser import (  # noqa: E402,F401
    browser,
    invoices,
    tab,
    test_checklists_page_keeps_each_sop_apart,
    test_onboarding_goals_progress,
    test_quiz_all_right,
    test_quiz_first_wrong_then_try_again,
    test_script_the_field_checks_missed_never_runs,
    test_sop_checklist_ticks_persist_and_reset,
    unchecked_project,
)

SOP = "/sops/send-client-invoices/"
GENERATOR = {"mkdocs": "mkdocs-1.", "properdocs": "ProperDocs", "zensical": "zensical-"}
"""What each engine writes into a page's <meta name="generator">."""


def build(engine: str, project: Path, target: Path, *options: str, check: bool = True,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``sopgen build --engine ENGINE`` of ``project`` into ``target``, in a child process (as a
    user runs it: ProperDocs must be imported before MkDocs)."""
    result = subprocess.run([sys.executable, "-m", "sopgen", "build", "--engine", engine, "-d", str(target),
                             "-f", str(project / "mkdocs.yml"), *options],
                            cwd=project, capture_output=True, text=True, timeout=300, env=env)
    if check and (result.returncode != 0 or not (target / "index.html").is_file()):
        pytest.fail(f"sopgen build --engine {engine} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def addresses(site: Path) -> set[str]:
    return {"/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}


def generator(page: Path) -> str:
    found = re.search(r'<meta name="generator" content="([^"]*)"', page.read_text(encoding="utf-8"))
    return found[1] if found else ""


@pytest.fixture(scope="module", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's cache folder, one for this module: Zensical's builds keep what they render there."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        try:  # axe-core, which the browser tests find in the user's cache folder when not told
            patch.setenv("SOPGEN_AXE_JS", str(axe_path()))
        except pytest.fail.Exception:
            pass  # the accessibility test says what to do
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="module")
def example_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository's example built by each engine (without PDFs)."""
    root = tmp_path_factory.mktemp("engines")
    for engine in ENGINES:
        build(engine, REPO, root / engine, "--no-pdf")
    return {engine: root / engine for engine in ENGINES}


# -- the same site ------------------------------------------------------------------------


def test_each_engine_builds_the_example_with_the_same_addresses(example_sites: dict[str, Path]) -> None:
    mkdocs = addresses(example_sites["mkdocs"])
    assert SOP in mkdocs and len(mkdocs) > 30 and "/es" + SOP in mkdocs
    for engine, site in example_sites.items():
        assert GENERATOR[engine] in generator(site / "index.html"), (engine, generator(site / "index.html"))
        assert addresses(site) == mkdocs, engine  # the example's translation, /es/, too


def test_each_engine_builds_a_300_task_project_with_the_same_addresses(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("corpus300")
    project = root / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks/make_corpus.py"), "--tasks", "300", "--out", str(project)],
                   check=True, stdout=subprocess.DEVNULL)
    for engine in ENGINES:
        build(engine, project, root / engine, "--no-pdf", "-q")
    found = {engine: addresses(root / engine) for engine in ENGINES}
    assert len(found["mkdocs"]) > 300
    assert found["properdocs"] == found["mkdocs"]
    assert found["zensical"] == found["mkdocs"]


def test_zensical_pages_link_the_handbooks_it_puts_into_the_site(tmp_path: Path) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    site = tmp_path / "site"
    build("zensical", project, site)
    pdfs = sorted(p.name for p in (site / "pdf").glob("*.pdf"))
    assert "handbook.pdf" in pdfs and len(pdfs) >= 2
    assert all((site / "pdf" / name).read_bytes().startswith(b"%PDF") for name in pdfs)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="pdf/handbook.pdf"' in home  # the home page's "Printable handbooks"


# -- an engine that is not installed ----------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("engine", ["zensical", "properdocs"])
def test_a_missing_engine_is_a_clear_error(base_project: Path, monkeypatch: pytest.MonkeyPatch,
                                           command: str, engine: str) -> None:
    monkeypatch.setitem(sys.modules, engine, None)  # what an import of a package that is not there finds
    site = base_project / "site"
    build_tree(site, {"index.html": "the last good site", "assets/sopgen/sopgen.css": ""})
    result = run(base_project, command, "--engine", engine)
    assert result.exit_code == 1, result.output
    assert f"pip install 'sopgen[{engine}]'" in result.output
    assert "not installed" in result.output and "Traceback" not in result.output
    assert (site / "index.html").read_text() == "the last good site"


def test_engine_names_are_checked_by_the_command_line(base_project: Path) -> None:
    result = run(base_project, "build", "--engine", "hugo")
    assert result.exit_code == 2
    assert "'mkdocs', 'properdocs', 'zensical'" in result.output


# -- sopgen's guarantees around Zensical -------------------------------------------------------


@pytest.fixture
def zensical_project(tmp_path: Path) -> tuple[Path, Path]:
    """The base project with a page of its own, built once by Zensical: (project, site)."""
    project = shutil.copytree(BASE, tmp_path / "project")
    build_tree(project, {"docs/notes.md": "# Notes\n\nSee [the tools](tools.md).\n"})
    site = tmp_path / "site"
    build("zensical", project, site, "--no-pdf")
    return project, site


def test_zensical_validation_errors_build_nothing(zensical_project: tuple[Path, Path]) -> None:
    project, site = zensical_project
    before = tree_hash(site)
    task = next((project / "sops/tasks").glob("*.yml"))
    task.write_text(task.read_text(encoding="utf-8").replace("role:", "rolle:", 1), encoding="utf-8")
    result = build("zensical", project, site, "--no-pdf", check=False)
    assert result.returncode == 1, result.stderr
    assert "nothing was built" in result.stderr and "Traceback" not in result.stderr
    assert re.search(r"sops/tasks/[\w-]+\.yml:\d+:\d+: ", result.stderr), result.stderr
    assert tree_hash(site) == before


def test_zensical_publishes_the_translations(zensical_project: tuple[Path, Path]) -> None:
    """Once said as left out (a warning), now published under /es/ (test_translated_engines.py)."""
    project, site = zensical_project
    organization = project / "sops/organization.yml"
    organization.write_text(organization.read_text(encoding="utf-8") + "translations: [es]\n", encoding="utf-8")
    result = build("zensical", project, site, "--no-pdf")
    assert "does not publish translations" not in result.stderr and "translations:" not in result.stderr, result.stderr
    assert (site / "es/notes/index.html").is_file() and addresses(site / "es") == {
        a for a in addresses(site) if not a.startswith("/es/")}


def test_zensical_strict_fails_on_its_warnings_and_keeps_the_site(zensical_project: tuple[Path, Path]) -> None:
    project, site = zensical_project
    before = tree_hash(site)
    build_tree(project, {"docs/notes.md": "# Notes\n\nSee [the tools](no-such-page.md).\n"})
    result = build("zensical", project, site, "--no-pdf", "--strict", check=False)
    assert result.returncode == 1, result.stderr
    assert "docs/notes.md:3:17: warning: page does not exist" in result.stderr
    assert "1 warning in strict mode; the previous site was left as it was" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(site) == before
    lenient = build("zensical", project, site, "--no-pdf")
    assert "docs/notes.md:3:17: warning: page does not exist" in lenient.stderr and ", 1 warning" in lenient.stderr


def test_zensical_replaces_the_site_whole_and_leaves_nothing_beside_it(zensical_project: tuple[Path, Path]) -> None:
    project, site = zensical_project
    (site / "stale.html").write_text("from an older build")
    (project / "docs/notes.md").unlink()
    build("zensical", project, site, "--no-pdf")
    assert not (site / "stale.html").exists() and not (site / "notes").exists()
    assert (site / "sops").is_dir()
    assert sorted(p.name for p in site.parent.iterdir()) == ["project", "site"]


@pytest.mark.parametrize("engine", ["zensical", "properdocs"])
def test_two_builds_at_once_into_an_accented_folder_give_one_whole_site(tmp_path: Path, engine: str) -> None:
    """What users do beside a build: run a second at once, name folders in their own language,
    point the output at the project itself."""
    project = shutil.copytree(BASE, tmp_path / "Bäckerei Ñandú" / "handbook")
    site = tmp_path / "Bäckerei Ñandú" / "sitio público"
    command = [sys.executable, "-m", "sopgen", "build", "--no-pdf", "-q", "--engine", engine, "-d", str(site),
               "-f", str(project / "mkdocs.yml")]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [run_.communicate(timeout=300)[0] for run_ in runs]
    assert [run_.returncode for run_ in runs] == [0, 0], outputs
    assert (site / "sops/send-invoices/index.html").is_file() and (site / "index.html").is_file()
    assert sorted(p.name for p in site.parent.iterdir()) == ["handbook", "sitio público"]  # no staging left
    refused = subprocess.run([*command[:-4], "-d", str(project), "-f", str(project / "mkdocs.yml")], cwd=project,
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert (project / "sops").is_dir() and (project / "mkdocs.yml").is_file()


def test_zensical_builds_of_one_date_are_the_same_bytes(zensical_project: tuple[Path, Path], tmp_path: Path) -> None:
    project, site = zensical_project
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    build("zensical", project, site, "--no-pdf", env=env)
    first = tree_hash(site)
    shutil.rmtree(site)
    build("zensical", project, site, "--no-pdf", env=env)
    assert tree_hash(site) == first


def test_zensical_says_which_plugins_and_hooks_of_mkdocs_yml_it_ignores(zensical_project: tuple[Path, Path]) -> None:
    project, site = zensical_project
    config = project / "mkdocs.yml"
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["plugins"] = ["search", "sopgen", {"git-revision-date-localized": {"type": "date"}}, "tags"]
    raw["hooks"] = ["hooks.py"]
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = build("zensical", project, site, "--no-pdf")
    lines = config.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "git-revision-date-localized" in text)
    column = lines[line - 1].index("git-revision-date-localized") + 1
    assert (f"mkdocs.yml:{line}:{column}: warning: plugins: Zensical ignores the MkDocs plugin "
            "'git-revision-date-localized'") in result.stderr
    assert "'tags'" not in result.stderr and "'search'" not in result.stderr  # Zensical has its own
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("hooks:"))
    assert f"mkdocs.yml:{line}:1: warning: hooks: Zensical runs no MkDocs hooks" in result.stderr
    before = tree_hash(site)
    strict = build("zensical", project, site, "--no-pdf", "--strict", check=False)
    assert strict.returncode == 1 and "2 warnings in strict mode" in strict.stderr
    assert tree_hash(site) == before


def test_zensical_refusing_the_project_is_an_error_that_keeps_the_site(zensical_project: tuple[Path, Path]) -> None:
    project, site = zensical_project
    before = tree_hash(site)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "plugins: [search, sopgen]", "plugins: [search, sopgen, {tags: {no_such_option: 1}}]"), encoding="utf-8")
    result = build("zensical", project, site, "--no-pdf", check=False)
    assert result.returncode == 1, result.stderr
    assert "Error: Zensical could not build the site: " in result.stderr and "no_such_option" in result.stderr
    assert "the previous site was left as it was" in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(site) == before


def test_zensical_keeps_its_rendered_projects_in_the_cache_and_only_the_latest(
        zensical_project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, site = zensical_project
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    build("zensical", project, site, "--no-pdf")
    rendered = cache_dir(site)
    assert rendered.is_relative_to(tmp_path / "cache" / "sopgen" / "zensical")
    assert (rendered / "mkdocs.yml").is_file() and (rendered / ".cache").is_dir()  # Zensical's, warm next time
    assert not (rendered / "site").exists()  # moved into place
    older = []
    for i in range(KEPT + 2):
        folder = rendered.parent / f"older-{i}"
        folder.mkdir()
        os.utime(folder, (1_000_000 + i, 1_000_000 + i))
        older.append(folder)
    build("zensical", project, site, "--no-pdf")
    left = sorted(p.name for p in rendered.parent.iterdir())
    assert len(left) == KEPT and rendered.name in left
    assert [p.name for p in older if p.exists()] == [f"older-{i}" for i in range(3, KEPT + 2)]


def test_zensical_issues_read_from_its_output() -> None:
    output = ("\x1b[33mWarning:\x1b[0m page does not exist\n    \x1b[38;5;246m╭─[\x1b[0m how-to-use.md:34:5 "
              "\x1b[38;5;246m]\x1b[0m\n 34 │ [x](nope.md)\n1 issue found\n")
    assert issues(output) == ["warning: page does not exist (in the generated page how-to-use.md, line 34)"]
    assert issues(output, docs=REPO / "docs") == ["docs/how-to-use.md:34:5: warning: page does not exist"]


# -- ProperDocs --------------------------------------------------------------------------------


def test_properdocs_strict_counts_properdocs_own_warnings(tmp_path: Path) -> None:
    """ProperDocs logs under `properdocs`, not `mkdocs`: its warnings must count all the same."""
    project = shutil.copytree(BASE, tmp_path / "project")
    build_tree(project, {"docs/notes.md": "# Notes\n\nSee [the tools](no-such-page.md).\n"})
    site = tmp_path / "site"
    result = build("properdocs", project, site, "--no-pdf", "--strict", check=False)
    assert result.returncode == 1, result.stderr
    assert "no-such-page.md" in result.stderr
    assert "in strict mode; the previous site was left as it was" in result.stderr
    assert not site.exists()


# -- the adapters stay apart ---------------------------------------------------------------


def test_the_adapters_never_import_each_other(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    copy.mkdir()
    (copy / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(REPO / "sopgen", copy / "sopgen")
    adapter = copy / "sopgen" / "site" / "engines" / "zensical" / "serve.py"
    adapter.write_text(adapter.read_text(encoding="utf-8") + "\nfrom ..mkdocs import plugin\n", encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The engines' adapters never import each other" in result.stdout
    assert "sopgen.site.engines.zensical.serve -> sopgen.site.engines.mkdocs.plugin" in result.stdout


# -- serve --------------------------------------------------------------------------------------


def start_serve(project: Path, engine: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``sopgen serve --engine ENGINE`` of ``project`` on ``port``, in a child process writing to ``log``."""
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, "-m", "sopgen", "serve", "--engine", engine,
                                 "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
                                cwd=project, stdout=out, stderr=subprocess.STDOUT)


def test_serve_with_zensical_shows_each_save_and_keeps_the_last_good_render(tmp_path: Path) -> None:
    """A task's YAML, a template of the project and mkdocs.yml, saved under serve, show on the
    served page; a save that does not validate (or a mkdocs.yml that does not parse) is said,
    and the last good render stays on show."""
    project = shutil.copytree(BASE, tmp_path / "project")
    task = next((project / "sops/tasks").glob("*.yml"))
    slug = task.stem
    port = free_port()
    log = tmp_path / "serve.log"
    child = start_serve(project, "zensical", port, log)
    page = f"http://127.0.0.1:{port}/sops/{slug}/"
    try:
        wait_until(lambda: "<html" in (fetch(page) or ""), f"{page} to be served ({log.read_text()})")
        text = task.read_text(encoding="utf-8")
        title = yaml.safe_load(text)["title"]
        task.write_text(text.replace(title, "Saved a moment ago", 1), encoding="utf-8")
        wait_until(lambda: "Saved a moment ago" in (fetch(page) or ""), "the saved title to show")

        template = (REPO / "templates/sop.md.j2").read_text(encoding="utf-8")
        build_tree(project, {"templates/sop.md.j2": template + "\nA template saved a moment ago\n"})
        wait_until(lambda: "A template saved a moment ago" in (fetch(page) or ""), "the saved template to show")

        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        (project / "mkdocs.yml").write_text(config.replace("Corpus base", "Renamed handbook"), encoding="utf-8")
        wait_until(lambda: "Renamed handbook" in (fetch(page) or ""), "the saved site name to show")

        (project / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
        wait_until(lambda: "mkdocs.yml" in log.read_text() and "still serving the last good render" in log.read_text(),
                 "serve to say why mkdocs.yml was not rendered")
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        wait_until(lambda: "Corpus base" in (fetch(page) or ""), "the mended mkdocs.yml to show")

        task.write_text(text.replace("role:", "rolle:", 1), encoding="utf-8")
        wait_until(lambda: log.read_text().count("still serving the last good render") == 2, "serve to say why")
        assert re.search(rf"sops/tasks/{slug}\.yml:\d+:\d+: ", log.read_text())
        shown = fetch(page) or ""
        assert "Saved a moment ago" in shown and "A template saved a moment ago" in shown
    finally:
        child.terminate()
        child.wait(timeout=20)
    assert child.returncode == 0
    assert "Traceback" not in log.read_text()


def test_serve_with_properdocs_serves_saves_and_stops_on_sigterm(tmp_path: Path) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    task = next((project / "sops/tasks").glob("*.yml"))
    port = free_port()
    log = tmp_path / "serve.log"
    child = start_serve(project, "properdocs", port, log)
    page = f"http://127.0.0.1:{port}/sops/{task.stem}/"
    try:
        wait_until(lambda: "ProperDocs" in (fetch(page) or ""), f"{page} to be served by ProperDocs ({log.read_text()})")
        text = task.read_text(encoding="utf-8")
        task.write_text(text.replace(yaml.safe_load(text)["title"], "Saved a moment ago", 1), encoding="utf-8")
        wait_until(lambda: "Saved a moment ago" in (fetch(page) or ""), "the saved title to show")
    finally:
        child.terminate()  # to sopgen, which passes it on to the ProperDocs process
        child.wait(timeout=20)
    assert child.returncode == 0, log.read_text()
    assert "Shutting down" in log.read_text() and "Traceback" not in log.read_text()
    assert fetch(page) is None  # the server is gone


# -- in a browser, on each engine ------------------------------------------------------------


@pytest.fixture(scope="module", params=["properdocs", "zensical"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The example built by ProperDocs, then by Zensical (test_browser.py's tests, run here too)."""
    root = tmp_path_factory.mktemp(f"browser-{request.param}") / "site"
    build(request.param, REPO, root, "--no-pdf")
    server = serve(root)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def unchecked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """test_browser.py's project whose fields carry script the field checks are made to miss,
    built by Zensical: sopgen's last look at each page (pagecheck.py) must run there too."""
    project, result = unchecked_project(tmp_path_factory.mktemp("unchecked"), "--engine", "zensical")
    assert result.exit_code == 0, result.output
    assert ("sops/send-invoices.md (from sops/tasks/send-invoices.yml): removed from the page, as it could run script"
            in result.output)  # the plugin's own words (Generated.checked)
    server = serve(project / "site")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def every_engine(example_sites: dict[str, Path]) -> Iterator[dict[str, Server]]:
    servers = {engine: serve(path) for engine, path in example_sites.items()}
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.mark.parametrize("engine", list(ENGINES))
def test_search_finds_an_sop_on_each_engine(browser: object, every_engine: dict[str, Server], engine: str) -> None:
    tab = open_tab(browser, every_engine[engine])
    try:
        tab.goto("/")
        opener = tab.page.locator(".md-search__button")  # Zensical's: a button opens the search dialog
        if opener.count():
            opener.click()
        query = tab.page.locator('input[aria-label="Search"]').first
        query.click()
        query.press_sequentially("invoices")
        results = query.get_attribute("aria-controls")  # Zensical's list of results; Material's is its own
        within = f'[id="{results}"]' if results else ".md-search-result"
        expect(tab.page.locator(f'{within} a[href*="{SOP}"]').first).to_be_visible()
        tab.assert_local()
    finally:
        tab.context.close()


@pytest.mark.parametrize("engine", list(ENGINES))
def test_the_header_wears_the_brand_colour_on_each_engine(browser: object, every_engine: dict[str, Server],
                                                          engine: str) -> None:
    color = yaml.safe_load((REPO / "sops/organization.yml").read_text(encoding="utf-8"))["color"]
    rgb = "rgb({}, {}, {})".format(*(int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)))
    tab = open_tab(browser, every_engine[engine])
    try:
        tab.goto(SOP)
        header = tab.page.locator("header.md-header")
        assert header.evaluate("h => getComputedStyle(h).backgroundColor") == rgb
        assert header.evaluate("h => getComputedStyle(h).color") == "rgb(255, 255, 255)"
        tab.assert_local()
    finally:
        tab.context.close()


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_no_serious_accessibility_problem_on_each_engine(browser: object, every_engine: dict[str, Server],
                                                         engine: str) -> None:
    """axe-core on the home page, an SOP and a checklist page (test_browser.py checks MkDocs' output
    on more pages and in the dark scheme too)."""
    tab = open_tab(browser, every_engine[engine])
    try:
        for address in ("/", SOP, "/roles/bookkeeper/checklists/"):
            tab.goto(address)
            severe = [v for v in run_axe(tab.page, axe_path()) if v.get("impact") in SEVERE]
            assert not severe, f"{engine} {address}:\n{describe(severe)}"
        tab.assert_local()
    finally:
        tab.context.close()


# -- a build sopgen does not run: plain `zensical build` in the repository's CI ----------------

PAGES_WORKFLOW = """\
    name: pages
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          # zensical build is what the template said
          - run: pip install zensical && zensical build --clean
"""


def test_plain_zensical_build_in_ci_is_a_located_warning(tmp_path: Path) -> None:
    """Zensical ignores the sopgen plugin and makes a one-page site without an error: the
    repository's CI file that runs it on this mkdocs.yml is warned about, where it says it."""
    project = shutil.copytree(BASE, tmp_path / "p")
    build_tree(project, {".git/HEAD": "ref: refs/heads/main\n", ".github/workflows/pages.yml": PAGES_WORKFLOW})
    result = run(project, "validate")
    assert result.exit_code == 0, result.output
    assert (".github/workflows/pages.yml:9:38: warning: 'zensical build' builds mkdocs.yml, which lists the sopgen "
            "plugin: Zensical ignores plugins it does not know, and makes a one-page site without an error; run "
            "'sopgen build --engine zensical' there instead") in " ".join(result.output.split())
    assert "pages.yml:8:" not in result.output  # a comment that names it runs nothing
    assert run(project, "validate", "--strict").exit_code == 1
    assert run(project, "build", "--strict", "--no-pdf", "-d", str(tmp_path / "site")).exit_code == 1


def test_ci_files_that_keep_the_plugin_or_build_another_site_are_not_warned_about(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    project = shutil.copytree(BASE, repo / "handbook")
    build_tree(repo, {
        ".git/HEAD": "ref: refs/heads/main\n",
        ".github/workflows/pages.yml": "jobs:\n  b:\n    steps:\n      - run: sopgen build --engine zensical\n"
                                       "      - run: zensical build -f docs-site/mkdocs.yml\n"
                                       "      - run: zensical build\n",  # the top folder's own mkdocs.yml
        ".gitlab-ci.yml": "pages:\n  script:\n    - zensical build --config-file handbook/mkdocs.yml\n",
    })
    result = run(project, "validate")
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "engine zensical' there instead" in line]
    assert [line.split(": warning:")[0] for line in said] == ["../.gitlab-ci.yml:3:7"], result.output
    # a rendered project lists no sopgen plugin: Zensical builds all of it
    build_tree(project, {"mkdocs.yml": (project / "mkdocs.yml").read_text(encoding="utf-8").replace("sopgen", "search")})
    assert "there instead" not in run(project, "validate").output
