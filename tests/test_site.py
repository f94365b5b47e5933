"""End to end: real MkDocs builds of the example and of small projects, read as a user reads them.

The example (the repo's own mkdocs.yml and sops/) is built once per module
and every test reads its HTML. Expectations come from the YAML sources where
they can, so the tests follow the example when it is edited.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from click.testing import CliRunner
from conftest import BASE, REPO, build_tree, run, tree_hash

from sopgen.cli.main import main

SOPS = REPO / "sops"
ROLE_IDS = sorted(p.stem for p in (SOPS / "roles").glob("*.yml"))
TASK_IDS = sorted(p.stem for p in (SOPS / "tasks").glob("*.yml"))
FREQUENCY_TITLES = {"daily": "Daily", "weekly": "Weekly", "monthly": "Monthly", "quarterly": "Quarterly",
                    "yearly": "Yearly", "as-needed": "As needed"}
MKDOCS_ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's end-of-life banner is not a build warning
NO_PDF = ["--no-pdf"]
"""PDF handbooks are tested on their own; most builds here skip them to stay fast."""


def source(kind: str, ident: str) -> dict[str, Any]:
    return yaml.safe_load((SOPS / kind / f"{ident}.yml").read_text(encoding="utf-8"))


def plain(markdown: str) -> str:
    """Markdown inline text as a reader sees it: emphasis and code marks gone, spaces collapsed."""
    return " ".join(re.sub(r"\*\*|\*|`", "", markdown).split())


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


# -- reading built HTML --------------------------------------------------------------------

class Content(HTMLParser):
    """The article of a Material page: its text, headings, links, images, inputs and table rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 inside <article>
        self.text: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.links: list[tuple[str, str]] = []
        self.images: list[dict[str, str | None]] = []
        self.inputs: list[dict[str, str | None]] = []
        self.rows: list[list[str]] = []
        self._heading: tuple[str, list[str]] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = (tag, [])
        elif tag == "a" and a.get("href") and "headerlink" not in (a.get("class") or ""):
            self._link = (a["href"] or "", [])
        elif tag == "img":
            self.images.append(a)
        elif tag == "input":
            self.inputs.append(a)
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("p", "li", "br", "div", "tr"):
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "article":
            self.depth -= 1
        elif tag in ("h1", "h2", "h3", "h4") and self._heading:
            self.headings.append((tag, " ".join("".join(self._heading[1]).split())))
            self._heading = None
        elif tag == "a" and self._link:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "td", "th", "div"):
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.depth or data.strip() == "¶":
            return
        self.text.append(data)
        for part in (self._heading and self._heading[1], self._link and self._link[1], self._cell):
            if part is not None:
                part.append(data)

    @property
    def plain(self) -> str:
        return " ".join("".join(self.text).split())

    def row(self, containing: str) -> list[str]:
        found = [r for r in self.rows if any(containing in cell for cell in r)]
        assert found, f"no table row contains {containing!r}"
        return found[0]


def page(site: Path, address: str) -> Content:
    html = (site / address / "index.html").read_text(encoding="utf-8")
    parsed = Content()
    parsed.feed(html)
    assert parsed.headings, f"{address}: no article content"
    return parsed


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("example") / "site"
    result = cli("build", *NO_PDF, "-f", str(REPO / "mkdocs.yml"), "-d", str(site))
    assert result.exit_code == 0, result.output
    return site


# -- the example site ---------------------------------------------------------------------

def test_every_address_exists(example_site: Path) -> None:
    assert ROLE_IDS and TASK_IDS
    addresses = ["", "tools/", "delegation/", "reviews/"]
    for role in ROLE_IDS:
        addresses += [f"roles/{role}/", f"roles/{role}/onboarding/", f"roles/{role}/checklists/"]
    addresses += [f"sops/{task}/" for task in TASK_IDS]
    missing = [a for a in addresses if not (example_site / a / "index.html").is_file()]
    assert not missing


def test_bookkeeper_role_page(example_site: Path) -> None:
    role = source("roles", "bookkeeper")
    html = page(example_site, "roles/bookkeeper/")
    assert html.headings[0] == ("h1", role["title"])
    for item in role["responsibilities"]:
        assert plain(item) in html.plain
    chase = next(t for t in role["tools"] if t["name"] == "Chase for Business")
    row = html.row("Chase for Business")
    assert len(row) == 3 and plain(chase["access"]) == row[2]
    assert (chase["url"], "Chase for Business") in html.links
    for rec in role["training"]["recordings"]:
        assert (rec["url"], plain(rec["title"])) in html.links
    bench = role["benchmarks"][2]
    assert html.row(bench["objective"]) == [bench["objective"], bench["measure"], bench["target"], bench["by"]]
    sops = {href for href, _ in html.links if href.startswith("../../sops/")}
    mine = {t for t in TASK_IDS if source("tasks", t)["role"] == "bookkeeper"}
    assert sops == {f"../../sops/{t}/" for t in mine}
    assert "send-invoices-from-docs-template" in mine  # retired, still listed (and marked) in the manual
    assert "Retired" in html.row(source("tasks", "send-invoices-from-docs-template")["title"])[-1]


def test_send_client_invoices_sop_page(example_site: Path) -> None:
    task = source("tasks", "send-client-invoices")
    html = page(example_site, "sops/send-client-invoices/")
    assert html.headings[0] == ("h1", task["title"])
    for step in task["steps"]:
        assert plain(step["do"]) in html.plain
    first_paragraph = task["purpose"].strip().split("\n\n")[0]
    assert plain(first_paragraph) in html.plain
    boxes = [i for i in html.inputs if i.get("type") == "checkbox"]
    assert len(boxes) == len(task["checklist"])
    for item in task["checklist"]:
        assert item in html.plain
    raw = (example_site / "sops/send-client-invoices/index.html").read_text(encoding="utf-8")
    assert '<input type="checkbox"' in raw
    images = [i["src"] for i in html.images if i.get("src")]
    assert images, "the step image is shown"
    for src in images:
        target = urlparse(urljoin("http://x/sops/send-client-invoices/", src)).path.lstrip("/")
        assert (example_site / target).is_file(), src
    for q in task["quiz"]:
        assert plain(q["question"]) in html.plain


def test_bookkeeper_checklists_page(example_site: Path) -> None:
    html = page(example_site, "roles/bookkeeper/checklists/")
    h2 = [text for tag, text in html.headings if tag == "h2"]
    assert h2 == ["Weekly", "Monthly"]
    retired = source("tasks", "send-invoices-from-docs-template")
    assert retired["status"] == "retired"
    assert retired["title"] not in html.plain
    assert not any("send-invoices-from-docs-template" in href for href, _ in html.links)
    # each SOP in force sits under the heading of its frequency
    in_force = {t: source("tasks", t) for t in TASK_IDS}
    in_force = {t: d for t, d in in_force.items() if d["role"] == "bookkeeper" and d.get("status") != "retired"}
    current = None
    placed: dict[str, str] = {}
    for tag, text in html.headings:
        if tag == "h2":
            current = text
        elif tag == "h3":
            placed[text] = current or ""
    assert placed == {d["title"]: FREQUENCY_TITLES[d["frequency"]] for d in in_force.values()}
    assert html.plain.count("Done by ____") == len(in_force)
    assert "Signature" in html.plain


def test_bookkeeper_onboarding_page(example_site: Path) -> None:
    role = source("roles", "bookkeeper")
    html = page(example_site, "roles/bookkeeper/onboarding/")
    h2 = [text for tag, text in html.headings if tag == "h2"]
    assert h2 == [p["phase"] for p in role["onboarding"]]
    text = html.plain
    phases = role["onboarding"]
    for i, phase in enumerate(phases):
        start = text.index(phase["phase"] + " Goals")
        end = text.index(phases[i + 1]["phase"] + " Goals") if i + 1 < len(phases) else len(text)
        chunk = text[start:end]
        for goal in phase.get("goals", []):
            assert plain(goal) in chunk
        for ident in phase.get("tasks", []):
            assert source("tasks", ident)["title"] in chunk
        assert ("SOPs to learn" in chunk) == bool(phase.get("tasks"))


def test_delegation_row_of_invoicing(example_site: Path) -> None:
    html = page(example_site, "delegation/")
    row = html.row("Send client invoices")
    assert row[1:5] == ["4 h", "$1,000", "$100–$200", "$800–$900"]


def test_handwritten_page_is_built_and_in_the_navigation(example_site: Path) -> None:
    assert (example_site / "how-to-use/index.html").is_file()
    home = (example_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('class="md-nav md-nav--primary"'):]
    assert 'href="how-to-use/"' in nav
    title = (REPO / "docs/how-to-use.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert title in nav
    how = page(example_site, "how-to-use/")
    assert how.headings[0] == ("h1", title)


def _primary_nav_links(html: str) -> list[str]:
    nav = html[html.index('class="md-nav md-nav--primary"'):html.index('class="md-content"')]
    return re.findall(r'<a href="([^"]+)" class="md-nav__link', nav)


def test_a_page_carries_only_its_own_roles_entries(example_site: Path) -> None:
    """Other roles collapse to one link each (navigation.prune), so a page's nav stays bounded."""
    links = _primary_nav_links((example_site / "sops/send-client-invoices/index.html").read_text(encoding="utf-8"))
    assert "../../roles/bookkeeper/onboarding/" in links
    assert "../../roles/bookkeeper/checklists/" in links
    assert "../reconcile-bank-account/" in links  # a sibling SOP of the same role
    assert "../../roles/webmaster/" in links
    assert not [link for link in links if link.startswith("../../roles/webmaster/") and link != "../../roles/webmaster/"]
    assert "../update-website-content/" not in links  # a webmaster SOP


def test_mkdocs_build_strict_on_the_example(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        check=False, capture_output=True, text=True, env=MKDOCS_ENV, cwd=tmp_path, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert not [line for line in output.splitlines() if "WARNING" in line and "NO_MKDOCS_2_WARNING" not in line], output
    assert (tmp_path / "site/sops/send-client-invoices/index.html").is_file()


def test_render_then_plain_mkdocs(tmp_path: Path, example_site: Path) -> None:
    out = tmp_path / "rendered"
    result = cli("render", str(out), "-f", str(REPO / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = config.get("plugins") or []
    names = [next(iter(p)) if isinstance(p, dict) else p for p in plugins]
    assert "sopgen" not in names
    assert config.get("nav")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml")],
                          check=False, capture_output=True, text=True, env=MKDOCS_ENV, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    built = out / "site"
    assert (built / "sops/send-client-invoices/index.html").is_file()
    assert (built / "how-to-use/index.html").is_file()
    assert page(built, "delegation/").row("Send client invoices")[1:5] == ["4 h", "$1,000", "$100–$200", "$800–$900"]
    assert _searched_pages(built) == _searched_pages(example_site)
    for address in ("sops/send-client-invoices/", "roles/bookkeeper/onboarding/", "how-to-use/"):
        assert _permalinks(example_site, address), address
        assert _heading_ids(built, address) == _heading_ids(example_site, address), address
        assert _permalinks(built, address) == _permalinks(example_site, address), address


def _searched_pages(site: Path) -> set[str]:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


def test_search_finds_sops_but_not_the_tables_of_every_sop(example_site: Path) -> None:
    searched = _searched_pages(example_site)
    assert {"sops/send-client-invoices/", "roles/bookkeeper/", "roles/bookkeeper/checklists/", "tools/"} <= searched
    assert not searched & {"delegation/", "reviews/"}
    assert (example_site / "delegation/index.html").is_file()


# -- small projects -------------------------------------------------------------------------

def test_three_line_config_without_docs_folder(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(BASE / "sops", project / "sops")
    build_tree(project, {"mkdocs.yml": """
        site_name: X
        theme: material
        plugins: [search, sopgen]
    """})
    site = tmp_path / "site"
    result = run(project, "build", "-d", str(site))
    assert result.exit_code == 0, result.output
    for address in ("", "roles/bookkeeper/", "roles/bookkeeper/onboarding/", "roles/bookkeeper/checklists/",
                    "roles/owner/", "sops/send-invoices/", "sops/reconcile-bank/", "tools/", "delegation/",
                    "reviews/"):
        assert (site / address / "index.html").is_file(), address
    assert (site / "assets/sops/media/screen.svg").is_file()
    assert not (project / "docs").exists()
    assert sorted(p.name for p in project.iterdir()) == ["mkdocs.yml", "sops"]


@pytest.mark.parametrize(("files", "args", "message"), [
    ({"sops/tasks/pay-bills.yml": """
        title: Pay bills
        role: bookkeeper
        purpose: Vendors get paid.
        tools: [Excel]
        steps:
          - do: Pay them.
    """}, ["--strict"], "Excel"),
    ({"sops/tasks/pay-bills.yml": """
        title: Pay bills
        role: accountant
        purpose: Vendors get paid.
        steps:
          - do: Pay them.
    """}, [], "unknown role 'accountant'"),
], ids=["strict-unknown-tool", "validation-error"])
def test_failed_build_keeps_the_previous_site(base_project: Path, files: dict[str, str], args: list[str],
                                              message: str) -> None:
    site = base_project / "out"
    assert run(base_project, "build", *NO_PDF, "-d", str(site)).exit_code == 0
    before = tree_hash(site)
    build_tree(base_project, files)
    result = run(base_project, "build", *NO_PDF, *args, "-d", str(site))
    assert result.exit_code == 1
    assert message in result.output and "nothing was built" in result.output
    assert tree_hash(site) == before
    assert not list(base_project.glob(".out.sopgen-*"))


def test_init_builds_and_validates_strictly(tmp_path: Path) -> None:
    project = tmp_path / "acme-plumbing"
    result = cli("init", str(project))
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    result = run(project, "build", *NO_PDF, "-d", str(site))
    assert result.exit_code == 0, result.output
    assert (site / "sops/triage-inbox/index.html").is_file()
    assert (site / "roles/virtual-assistant/checklists/index.html").is_file()
    result = run(project, "validate", "--strict")
    assert result.exit_code == 0, result.output


TRICKY = {
    "sops/roles/bookkeeper.yml": """
        title: Bookkeeper
        summary: Keeps the books.
        reports_to: owner
        rate: {min: 25, max: 50}
        tools:
          - name: QuickBooks Online
            url: https://quickbooks.intuit.com
          - name: "Pipe | Tool"
            purpose: Splits things.
            access: Ask the owner.
          - name: Report builder
            url: https://reports.example.com/q?cols=date|amount
            purpose: Exports.
            access: Ask the owner.
    """,
    "sops/tasks/tricky.yml": """
        title: "<b>Bold</b>"
        role: bookkeeper
        purpose: Shows what a template would do.
        tools: ["Pipe | Tool"]
        steps:
          - do: "Type {{ 7*7 }} in the box."
          - do: "Run `sort | uniq` on the export."
    """,
}


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("tricky") / "project"
    shutil.copytree(BASE, project)
    build_tree(project, TRICKY)
    site = project / "site"
    result = run(project, "build", *NO_PDF, "-d", str(site))
    assert result.exit_code == 0, result.output
    return site


def test_escaping_through_a_real_build(tricky_site: Path) -> None:
    raw = (tricky_site / "sops/tricky/index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Bold&lt;/b&gt;" in raw
    assert "{{ 7*7 }}" in raw
    assert ">49<" not in raw
    html = page(tricky_site, "sops/tricky/")
    assert html.headings[0] == ("h1", "<b>Bold</b>")
    assert "Type {{ 7*7 }} in the box." in html.plain


def test_plain_text_title_is_literal_in_the_navigation(tricky_site: Path) -> None:
    # README.md's source format: a <b> in a title is shown as the characters <b>, in the sidebar and header too
    offending = [p.relative_to(tricky_site).as_posix() for p in tricky_site.rglob("*.html")
                 if "<b>Bold</b>" in p.read_text(encoding="utf-8")]
    assert not offending
    other = (tricky_site / "sops/send-invoices/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="\.\./tricky/" class="md-nav__link">(.*?)</a>', other, re.DOTALL)
    assert link and "&lt;b&gt;Bold&lt;/b&gt;" in link.group(1)


def test_pipe_in_a_tool_name_keeps_three_cells(tricky_site: Path) -> None:
    html = page(tricky_site, "roles/bookkeeper/")
    assert html.row("Pipe | Tool") == ["Pipe | Tool", "Splits things.", "Ask the owner."]


def test_pipe_in_a_tool_url_keeps_three_cells(tricky_site: Path) -> None:
    from urllib.parse import unquote

    html = page(tricky_site, "roles/bookkeeper/")
    assert html.row("Report builder") == ["Report builder", "Exports.", "Ask the owner."]
    # the | travels percent-encoded (%7C), which is the same address
    assert ("https://reports.example.com/q?cols=date|amount", "Report builder") in [
        (unquote(href), text) for href, text in html.links]


def test_code_with_a_pipe_in_a_default_checklist(tricky_site: Path) -> None:
    for address in ("sops/tricky/", "roles/bookkeeper/checklists/"):
        raw = (tricky_site / address / "index.html").read_text(encoding="utf-8")
        checklist = raw[raw.index('class="sopgen-checklist"'):]
        assert "&amp;#124;" not in checklist, address
        assert "<code>sort | uniq</code>" in checklist, address


def test_edit_links_point_at_the_yaml_source(base_project: Path) -> None:
    build_tree(base_project, {"mkdocs.yml": """
        site_name: Corpus base
        repo_url: https://github.com/acme/handbook
        edit_uri: edit/main/docs/
        theme: material
        plugins: [search, sopgen]
    """})
    site = base_project / "site"
    result = run(base_project, "build", *NO_PDF, "-d", str(site))
    assert result.exit_code == 0, result.output
    expected = {
        "sops/send-invoices/": "sops/tasks/send-invoices.yml",
        "roles/bookkeeper/": "sops/roles/bookkeeper.yml",
        "": "sops/organization.yml",
    }
    for address, yml in expected.items():
        raw = (site / address / "index.html").read_text(encoding="utf-8")
        edits = re.findall(r'href="(https://github\.com/acme/handbook/edit/[^"]*)"', raw)
        assert edits == [f"https://github.com/acme/handbook/edit/main/{yml}"], (address, edits)
    tools = (site / "tools/index.html").read_text(encoding="utf-8")
    assert "/edit/" not in tools  # no source file: no edit link to a page that does not exist


# -- the same page by both routes: the plugin, and `sopgen render` built by plain MkDocs ----------

def _both_routes(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The project's site built with the plugin (`sopgen build`), and from `sopgen render` by plain MkDocs."""
    plugin_site = tmp_path / "plugin-site"
    result = run(project, "build", *NO_PDF, "-d", str(plugin_site))
    assert result.exit_code == 0, result.output
    out = tmp_path / "rendered"
    result = run(project, "render", str(out))
    assert result.exit_code == 0, result.output
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml")],
                          check=False, capture_output=True, text=True, env=MKDOCS_ENV, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return plugin_site, out / "site"


def _article(site: Path, address: str) -> str:
    raw = (site / address / "index.html").read_text(encoding="utf-8")
    return raw[raw.index("<article"):raw.index("</article>")]


def _heading_ids(site: Path, address: str) -> list[str]:
    return re.findall(r'<h[1-6] id="([^"]*)"', _article(site, address))


def _permalinks(site: Path, address: str) -> list[tuple[str, str]]:
    """Each heading's permalink anchor: where it points and what it shows."""
    found = re.findall(r'<a class="headerlink" href="([^"]*)" title="[^"]*">([^<]*)</a>', _article(site, address))
    return [(unescape(href), unescape(text)) for href, text in found]


EXTENSION_CONFIGS = {
    "none of its own": "",
    "toc listed bare": "markdown_extensions: [toc]",
    "toc with options of its own": "markdown_extensions:\n  - toc:\n      toc_depth: 3",
    "extensions as a mapping": "markdown_extensions:\n  toc: {}\n  tables: {}",
}


@pytest.mark.parametrize("extensions", EXTENSION_CONFIGS.values(), ids=EXTENSION_CONFIGS.keys())
def test_both_routes_give_every_heading_a_permalink(base_project: Path, tmp_path: Path, extensions: str) -> None:
    (base_project / "mkdocs.yml").write_text(
        f"site_name: Corpus base\ntheme: material\nplugins: [search, sopgen]\n{extensions}\n", encoding="utf-8")
    plugin_site, rendered_site = _both_routes(base_project, tmp_path)
    for address in ("sops/send-invoices/", "roles/bookkeeper/", "tools/"):
        ids = _heading_ids(plugin_site, address)
        assert {"purpose", "steps", "checklist"} <= set(ids) or address != "sops/send-invoices/", ids
        assert _permalinks(plugin_site, address) == [(f"#{i}", "¶") for i in ids], address
        assert _heading_ids(rendered_site, address) == ids, address
        assert _permalinks(rendered_site, address) == _permalinks(plugin_site, address), address


def test_a_sites_own_permalink_setting_wins_on_both_routes(base_project: Path, tmp_path: Path) -> None:
    (base_project / "mkdocs.yml").write_text(
        "site_name: Corpus base\ntheme: material\nplugins: [search, sopgen]\n"
        "markdown_extensions:\n  - toc:\n      permalink: '#'\n", encoding="utf-8")
    plugin_site, rendered_site = _both_routes(base_project, tmp_path)
    ids = _heading_ids(plugin_site, "sops/send-invoices/")
    assert _permalinks(plugin_site, "sops/send-invoices/") == [(f"#{i}", "#") for i in ids]
    assert _permalinks(rendered_site, "sops/send-invoices/") == [(f"#{i}", "#") for i in ids]

    (base_project / "mkdocs.yml").write_text(
        "site_name: Corpus base\ntheme: material\nplugins: [search, sopgen]\n"
        "markdown_extensions:\n  - toc:\n      permalink: false\n", encoding="utf-8")
    shutil.rmtree(tmp_path / "plugin-site")
    plugin_site, rendered_site = _both_routes(base_project, tmp_path / "off")
    assert _heading_ids(plugin_site, "sops/send-invoices/") == ids
    assert _permalinks(plugin_site, "sops/send-invoices/") == []
    assert _permalinks(rendered_site, "sops/send-invoices/") == []


EDIT_CONFIGS = {
    "edit_uri": ("edit_uri: edit/main/docs/", "edit/main"),
    "GitHub's default": ("", "edit/master"),
    "edit_uri_template": ("edit_uri_template: 'blob/main/docs/{path}'", "blob/main"),
}


@pytest.mark.parametrize(("edit", "prefix"), EDIT_CONFIGS.values(), ids=EDIT_CONFIGS.keys())
def test_both_routes_link_edit_this_page_to_the_same_source(
        base_project: Path, tmp_path: Path, edit: str, prefix: str) -> None:
    build_tree(base_project, {
        "mkdocs.yml": f"site_name: Corpus base\nrepo_url: https://github.com/acme/handbook\n{edit}\n"
                      "theme: material\nplugins: [search, sopgen]\n",
        "docs/how-we-work.md": "# How we work\n\nHand-written.\n"})
    plugin_site, rendered_site = _both_routes(base_project, tmp_path)
    expected = {
        "sops/send-invoices/": "sops/tasks/send-invoices.yml",
        "roles/bookkeeper/": "sops/roles/bookkeeper.yml",
        "roles/bookkeeper/onboarding/": "sops/roles/bookkeeper.yml",
        "": "sops/organization.yml",
        "how-we-work/": "docs/how-we-work.md",  # a hand-written page: its own file
        "tools/": None,  # no source file: no edit link
    }
    for address, source in expected.items():
        links = re.findall(r'<a href="([^"]*)" title="Edit this page" class="md-content__button md-icon" rel="edit">',
                           (plugin_site / address / "index.html").read_text(encoding="utf-8"))
        assert links == ([f"https://github.com/acme/handbook/{prefix}/{source}"] if source else []), address
        rendered = (rendered_site / address / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'<a href="([^"]*)"[^>]* rel="edit">', rendered) == links, address


def test_a_rendered_project_keeps_the_projects_own_theme_overrides(base_project: Path, tmp_path: Path) -> None:
    build_tree(base_project, {
        "mkdocs.yml": """
            site_name: Corpus base
            repo_url: https://github.com/acme/handbook
            edit_uri: edit/main/docs/
            theme: {name: material, custom_dir: theme}
            plugins: [search, sopgen]
        """,
        "theme/main.html": '{% extends "base.html" %}\n{% block footer %}<p>Our own footer</p>{% endblock %}\n'})
    for site in _both_routes(base_project, tmp_path):
        raw = (site / "sops/send-invoices/index.html").read_text(encoding="utf-8")
        assert "<p>Our own footer</p>" in raw, site
        assert re.findall(r'<a href="([^"]*)"[^>]* rel="edit">', raw) == [
            "https://github.com/acme/handbook/edit/main/sops/tasks/send-invoices.yml"], site


def test_an_extension_the_site_lists_bare_keeps_the_options_the_pages_need(base_project: Path, tmp_path: Path) -> None:
    # the checklist's ticks are drawn by tasklist's custom_checkbox, which a bare listing would drop
    (base_project / "mkdocs.yml").write_text(
        "site_name: Corpus base\ntheme: material\nplugins: [search, sopgen]\n"
        "markdown_extensions: [pymdownx.tasklist]\n", encoding="utf-8")
    for site in _both_routes(base_project, tmp_path):
        assert '<span class="task-list-indicator"></span>' in _article(site, "sops/send-invoices/"), site


def test_broken_yaml_names_file_line_and_column(base_project: Path) -> None:
    build_tree(base_project, {"sops/tasks/x.yml": """
        title: Broken
        role: bookkeeper
        purpose: Fine.
        steps:
          - do: Something.
           bad: indent
    """})
    result = run(base_project, "build", "-d", str(base_project / "site"))
    assert result.exit_code == 1
    # line 6, column 4: where `bad:` breaks the list
    assert re.search(r"^sops/tasks/x\.yml:6:4: invalid YAML", result.output, re.MULTILINE), result.output
    assert "Traceback" not in result.output
    assert not (base_project / "site").exists()


def test_a_built_site_has_nothing_of_serve(example_site: Path) -> None:
    assert not (example_site / "assets/sopgen/serve.js").exists()
    assert not (example_site / "sopgen-status.json").exists()
    assert "serve.js" not in (example_site / "index.html").read_text(encoding="utf-8")


# -- money: exact, rounded half up as shown, totals that add up ------------------------------

def _money_project(tmp_path: Path, currency: str, owner_rate: str, bookkeeper_rate: str) -> Path:
    files: dict[str, Any] = {
        "sops/organization.yml": f"name: Money Test\nowner: owner\ncurrency: {currency}\n",
        "sops/roles/owner.yml": f"title: Owner\nsummary: Runs it.\nrate: {owner_rate}\n",
        "sops/roles/bookkeeper.yml": f"title: Bookkeeper\nsummary: Books.\nreports_to: owner\nrate: {bookkeeper_rate}\n",
        "sops/tasks/reconcile-bank.yml": None,
        "sops/tasks/send-invoices.yml": None,
    }
    for name in ("alpha", "bravo", "charlie"):
        files[f"sops/tasks/{name}.yml"] = (
            f"title: Task {name}\nrole: bookkeeper\npurpose: P.\nfrequency: weekly\nduration: 30m\nsteps: [{{do: x}}]\n")
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    return build_tree(project, files)


def _build(project: Path) -> Path:
    result = run(project, "build", *NO_PDF, "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    return project / "site"


def test_money_rounds_half_up_and_totals_add_up_to_the_rows_shown(tmp_path: Path) -> None:
    # each task: half an hour a week; the owner's half hour costs 12.50, the bookkeeper's 6.25
    site = _build(_money_project(tmp_path, "USD", "25", "12.5"))
    delegation = page(site, "delegation/")
    for name in ("alpha", "bravo", "charlie"):
        # 12.50 is 13 (half up, not to the even 12); under 10 the cents stay
        assert delegation.row(f"Task {name}")[1:6] == ["0.5 h", "$13", "$6.25", "$6.75", "$351"]
    total = delegation.row("Total")
    assert total[1:6] == ["1.5 h", "$39", "$18.75", "$20.25", "$1,053"]  # 3 × each row, and 52 × a week
    assert "Rate: $12.50 an hour." in " ".join(delegation.text)  # a rate as written, not $12 or $13
    home = " ".join(page(site, "").text)
    assert "Delegating frees $20.25 of the owner's time a week" in home


def test_money_keeps_each_currencys_minor_units(tmp_path: Path) -> None:
    # yen have no minor unit: half an hour at ¥15 is ¥8, never ¥7.50
    site = _build(_money_project(tmp_path, "JPY", "15", "5"))
    delegation = page(site, "delegation/")
    assert delegation.row("Task alpha")[1:6] == ["0.5 h", "¥8", "¥3", "¥5", "¥260"]
    assert delegation.row("Total")[2:5] == ["¥24", "¥9", "¥15"]


# -- work the owner would never do: hours count, no money freed ------------------------------

def _clinic(tmp_path: Path, **replace: str | None) -> Path:
    """A dental clinic: the dentist at 320/h; sterilising and cleaning are work she would never do."""
    files: dict[str, Any] = {
        "sops/organization.yml": "name: Smile Clinic\nowner: dentist\n",
        "sops/roles/owner.yml": None,
        "sops/roles/bookkeeper.yml": None,
        "sops/tasks/reconcile-bank.yml": None,
        "sops/tasks/send-invoices.yml": None,
        "sops/roles/dentist.yml": "title: Dentist\nsummary: Treats patients.\nrate: 320\n",
        "sops/roles/assistant.yml": ("title: Dental assistant\nsummary: Assists.\nreports_to: dentist\n"
                                     "rate: 25\nfrees_owner: false\n"),
        "sops/roles/cleaner.yml": "title: Cleaner\nsummary: Cleans.\nreports_to: dentist\nrate: 15\nfrees_owner: false\n",
        "sops/roles/receptionist.yml": "title: Receptionist\nsummary: Front desk.\nreports_to: dentist\nrate: 20\n",
        "sops/tasks/sterilise.yml": ("title: Sterilise instruments\nrole: assistant\npurpose: P.\n"
                                     "frequency: daily\nduration: 1h\nsteps: [{do: x}]\n"),
        # the owner would order supplies herself: a task overrides its role
        "sops/tasks/order-supplies.yml": ("title: Order supplies\nrole: assistant\npurpose: P.\nfrees_owner: true\n"
                                          "frequency: weekly\nduration: 2h\nsteps: [{do: x}]\n"),
        "sops/tasks/clean-surgery.yml": ("title: Clean the surgery\nrole: cleaner\npurpose: P.\n"
                                         "frequency: daily\nduration: 30m\nsteps: [{do: x}]\n"),
        "sops/tasks/answer-phone.yml": ("title: Answer the phone\nrole: receptionist\npurpose: P.\n"
                                        "frequency: weekly\nduration: 5h\nsteps: [{do: x}]\n"),
    }
    files.update(replace)
    project = tmp_path / "clinic"
    shutil.copytree(BASE, project)
    return build_tree(project, files)


def test_work_the_owner_would_not_do_counts_hours_and_frees_nothing(tmp_path: Path) -> None:
    site = _build(_clinic(tmp_path))
    delegation = page(site, "delegation/")
    # 5 h of sterilising at the dentist's 320 would claim $1,600 a week freed; it frees nothing
    assert delegation.row("Sterilise instruments")[1:6] == [
        "5 h", "—", "$125", "— (the owner would not do this)", "—"]
    assert delegation.row("Order supplies")[1:6] == ["2 h", "$640", "$50", "$590", "$30,680"]
    rows = delegation.rows
    assistant_total = next(r for r in rows[rows.index(delegation.row("Order supplies")):] if r[0] == "Total")
    assert assistant_total[1:5] == ["7 h", "$640", "$175", "$590"]  # each column the sum of its rows
    # the headline counts only the work that frees the owner: 2 h + 5 h at 320, less 50 + 100
    week = delegation.row("A week")
    assert week[1:5] == ["7 h", "$2,240", "$150", "$2,090"]
    text = delegation.plain
    # 5 h sterilising ($125) and 2.5 h cleaning ($37.50 → $38) cost what they cost, apart
    assert ("Besides, 7.5 h a week of work the owner would not do herself (2 tasks) costs $163 a week "
            "to delegate ($8,476 a year). It frees nothing") in text
    home = page(site, "")
    assert "Delegating frees $2,090 of the owner's time a week" in home.plain
    assert "Besides, 7.5 h a week of work the owner would not do herself costs $163 to delegate" in home.plain
    assert home.row("Cleaner")[3:5] == ["2.5 h", "— (the owner would not do this)"]
    assert home.row("Dental assistant")[3:5] == ["7 h", "$590"]
    cleaner = page(site, "roles/cleaner/")
    assert "Frees the owner: nothing (the owner would not do this work)" in cleaner.plain
    assert "Rate: $15 an hour" in cleaner.plain
    assert "Frees the owner: $590 a week" in page(site, "roles/assistant/").plain


# -- a role without a rate: a warning, and headline figures that say what they leave out ------

def test_a_role_without_a_rate_is_a_warning_located_at_its_file(tmp_path: Path) -> None:
    project = _clinic(tmp_path, **{
        "sops/roles/receptionist.yml": "title: Receptionist\nsummary: Front desk.\nreports_to: dentist\n"})
    result = run(project, "validate")
    assert result.exit_code == 0, result.output
    assert ("sops/roles/receptionist.yml:1:1: warning: rate: no rate: what its work costs to delegate is unknown, "
            "so its tasks are left out of the delegation figures; add 'rate: …' (its hourly cost in USD, "
            "e.g. 'rate: 30' or 'rate: {min: 25, max: 50}')") in result.output
    assert "dentist.yml" not in result.output and "assistant.yml" not in result.output
    strict = run(project, "validate", "--strict")
    assert strict.exit_code == 1 and "receptionist.yml" in strict.output


def test_headline_figures_say_which_tasks_they_leave_out_for_want_of_a_rate(tmp_path: Path) -> None:
    site = _build(_clinic(tmp_path, **{
        "sops/roles/receptionist.yml": "title: Receptionist\nsummary: Front desk.\nreports_to: dentist\n"}))
    delegation = page(site, "delegation/")
    # only the supplies are counted: the phone has no delegate cost, so nothing it frees is known
    assert delegation.row("A week")[1:5] == ["2 h", "$640", "$50", "$590"]
    assert delegation.row("Answer the phone")[1:6] == ["5 h", "$1,600", "—", "—", "—"]
    assert ("1 delegated task left out of these figures: no rate Receptionist has no rate, so what the work "
            "costs is unknown. Add rate: to sops/roles/receptionist.yml to count it.") in delegation.plain
    home = page(site, "")
    assert "Delegating frees $590 of the owner's time a week" in home.plain
    assert "1 delegated task without a rate is left out of these figures." in home.plain


def test_an_owner_without_a_rate_leaves_every_figure_unknown_and_says_so(tmp_path: Path) -> None:
    project = _clinic(tmp_path, **{"sops/roles/dentist.yml": "title: Dentist\nsummary: Treats patients.\n"})
    result = run(project, "validate")
    assert ("sops/roles/dentist.yml:1:1: warning: rate: no rate: the owner's time has no value, so what "
            "delegating frees is unknown for every task; add 'rate: …'") in result.output
    site = _build(project)
    home = page(site, "")
    assert "Delegating frees" not in home.plain
    assert "What delegating frees is unknown: a rate is missing Dentist has no rate." in home.plain
    delegation = page(site, "delegation/")
    assert "2 delegated tasks left out of these figures: no rate Dentist has no rate" in delegation.plain
    assert not [r for r in delegation.rows if r[0] == "A week"]
    # the work the owner would not do needs no owner's rate: it is still counted
    assert "Besides, 7.5 h a week of work the owner would not do herself (2 tasks) costs $163" in delegation.plain


# -- publish_money: false: pay and money stay off everything handed to staff ------------------

MONEY = re.compile(r"(?:€|EUR)\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|EUR)\b|\b(?:Rate|[Ff]rees the owner|[Vv]alue freed|Delegating frees|an hour)\b")
"""A money figure in euros (the symbol or code beside digits, either side), or the words that introduce one."""


def _money_in(site: Path) -> dict[str, list[str]]:
    """Every money figure in every file of a built site (see :func:`_found_in`)."""
    return _found_in(site, MONEY)


def _found_in(site: Path, pattern: re.Pattern[str]) -> dict[str, list[str]]:
    """Every match of ``pattern`` in every file of a built site, by file: pages, search index,
    sitemap (gzipped too), scripts, and the text of every PDF."""
    import gzip

    from pypdf import PdfReader

    found: dict[str, list[str]] = {}
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        data = file.read_bytes()
        if file.suffix == ".pdf":
            text = "\n".join(page.extract_text() or "" for page in PdfReader(file).pages)
        else:
            if file.suffix == ".gz":
                data = gzip.decompress(data)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue  # images and fonts carry no text
        hits = [m.group(0) for m in pattern.finditer(text)]
        if hits:
            found[file.relative_to(site).as_posix()] = hits
    return found


def _clinic_site(tmp_path: Path, *, publish: bool) -> Path:
    project = _clinic(tmp_path, **{"sops/organization.yml": (
        f"name: Smile Clinic\nowner: dentist\ncurrency: EUR\npublish_money: {str(publish).lower()}\n")})
    result = run(project, "build", "--pdf", "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    return project / "site"


def test_publish_money_false_leaves_no_money_figure_in_any_file_of_the_site(tmp_path: Path) -> None:
    # the same project publishing its money shows it everywhere the walk looks: the walk can fail
    shown = _money_in(_clinic_site(tmp_path / "shown", publish=True))
    assert "delegation/index.html" in shown and "index.html" in shown and "roles/cleaner/index.html" in shown
    assert any(path.endswith(".pdf") for path in shown), shown
    assert any("320" in hit for hits in shown.values() for hit in hits)

    site = _clinic_site(tmp_path / "private", publish=False)
    assert _money_in(site) == {}
    assert not (site / "delegation").exists()
    home = page(site, "")
    assert home.rows[0] == ["Role", "Reports to", "SOPs", "Hours a week"]  # hours are not money: they stay
    assert home.row("Cleaner")[3] == "2.5 h"
    assert not [href for href, _ in home.links if "delegation" in href]
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "delegation/" not in html  # nor in the navigation
    search = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "delegation" not in search and "Sterilise instruments" in search
    assert "delegation" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert {p.name for p in (site / "pdf").glob("*.pdf")} >= {"handbook.pdf", "cleaner.pdf"}


def test_publish_money_false_withholds_money_from_a_template_that_forgets_to_ask(tmp_path: Path) -> None:
    # a role template ejected before publish_money existed still prints the rate
    project = _clinic(tmp_path, **{
        "sops/organization.yml": "name: Smile Clinic\nowner: dentist\ncurrency: EUR\npublish_money: false\n",
        "templates/role.md.j2": "# {{ role.title|text }}\n\nPay: {{ money(role.rate) }}, {{ money(role.value_freed, per=52) }}\n"})
    site = _build(project)
    assert "Pay: —, —" in page(site, "roles/cleaner/").plain
    assert _money_in(site) == {}


def test_publish_money_false_keeps_money_out_of_a_rendered_project_too(tmp_path: Path) -> None:
    project = _clinic(tmp_path, **{
        "sops/organization.yml": "name: Smile Clinic\nowner: dentist\ncurrency: EUR\npublish_money: false\n"})
    out = tmp_path / "rendered"
    result = run(project, "render", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "docs/index.md").is_file() and not (out / "docs/delegation.md").exists()
    assert "delegation" not in (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert _money_in(out) == {}


# -- the owner's private report ---------------------------------------------------------------

def test_owner_report_has_the_money_the_site_withholds_and_the_overdue_reviews(tmp_path: Path) -> None:
    from pypdf import PdfReader

    project = _clinic(tmp_path, **{
        "sops/organization.yml": "name: Smile Clinic\nowner: dentist\ncurrency: EUR\npublish_money: false\n",
        "sops/tasks/answer-phone.yml": ("title: Answer the phone\nrole: receptionist\npurpose: P.\nreviewed: 2020-01-02\n"
                                        "frequency: weekly\nduration: 5h\nsteps: [{do: x}]\n")})
    result = run(project, "report", "-o", str(tmp_path / "private/owner.pdf"))
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "private/owner.pdf")
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert len(pages) >= 4  # cover, contents, delegation, reviews
    cover = pages[0]
    assert "SMILE CLINIC" in cover and "Owner's report" in cover  # the name in capitals, as styled
    assert "Delegating frees €2,090 a week" in cover and "Overdue reviews 1" in cover
    text = " ".join(pages)
    assert "Rate: €25 an hour" in text and "The owner’s time is valued at €320 an hour" in text  # as typeset
    assert "Order supplies 2 h €640 €50 €590 €30,680" in text
    assert "Sterilise instruments 5 h — €125 — (the owner would not do this) —" in text
    reviews = next(p for p in pages if "Reviews Every SOP" in p)  # a page of its own, after delegation
    assert pages.index(reviews) > next(i for i, p in enumerate(pages) if "Delegation What" in p)
    assert "Overdue (1) SOP Role Maintainer Reviewed Next review Answer the phone Receptionist — 2020-01-02 2020-07-02" in reviews
    assert [item.title for item in reader.outline if not isinstance(item, list)][-2:] == ["Delegation", "Reviews"]


@pytest.mark.parametrize("where", ["site/owner.pdf", "sops/owner.pdf", "sops/roles/owner.pdf", "docs/owner.pdf",
                                   "templates/owner.pdf", ".git/owner.pdf"])
def test_owner_report_is_never_written_where_staff_or_sources_are(tmp_path: Path, where: str) -> None:
    project = _clinic(tmp_path)
    result = run(project, "report", "-o", str(project / where))
    assert result.exit_code == 1
    assert "refused to write the owner's report into" in result.output and "Traceback" not in result.output
    assert not (project / where).exists()


@pytest.mark.parametrize(("folder", "name", "business", "site_name"), [
    ("my-handbook", None, "My Business", "My Business handbook"),
    ("acme-handbook", None, "Acme", "Acme handbook"),
    ("handbook", None, "My Business", "My Business handbook"),
    ("Dental Clinic", None, "Dental Clinic", "Dental Clinic handbook"),
    ("acme_plumbing_sops", None, "Acme Plumbing", "Acme Plumbing handbook"),
    ("ACME-docs", None, "ACME", "ACME handbook"),
    ("x", "Harbor Lane Handbook", "Harbor Lane Handbook", "Harbor Lane Handbook"),
    ("x", "Smith & Sons: plumbing #1", "Smith & Sons: plumbing #1", "Smith & Sons: plumbing #1 handbook"),
])
def test_init_names_the_business_and_the_site(tmp_path: Path, folder: str, name: str | None, business: str,
                                              site_name: str) -> None:
    import yaml

    project = tmp_path / folder
    result = cli("init", str(project), *(["--name", name] if name else []))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((project / "sops/organization.yml").read_text())["name"] == business
    config = (project / "mkdocs.yml").read_text()
    assert yaml.safe_load(config.replace("!!python", ""))["site_name"] == site_name


def test_a_role_with_nothing_to_onboard_or_tick_gets_no_empty_page(base_project: Path, tmp_path: Path) -> None:
    """The owner has no onboarding and no SOPs; the bookkeeper SOPs but no onboarding: no empty
    onboarding or checklists page for either, and no link to one (pages, navigation, PDFs)."""
    from pypdf import PdfReader

    role = base_project / "sops/roles/bookkeeper.yml"
    role.write_text(role.read_text().split("onboarding:")[0])
    site = tmp_path / "site"
    result = run(base_project, "build", "-d", str(site))
    assert result.exit_code == 0, result.output
    assert (site / "roles/bookkeeper/checklists/index.html").is_file()
    for gone in ("roles/owner/onboarding", "roles/owner/checklists", "roles/bookkeeper/onboarding"):
        assert not (site / gone).exists(), gone
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for gone in ("owner/onboarding", "owner/checklists", "bookkeeper/onboarding"):
            assert gone not in html, f"{page.relative_to(site)} links to {gone}"
    assert 'href="checklists/"' in (site / "roles/bookkeeper/index.html").read_text(encoding="utf-8")
    for pdf in ("bookkeeper.pdf", "handbook.pdf"):
        reader = PdfReader(site / "pdf" / pdf)
        titles = [item.title for item in reader.outline if not isinstance(item, list)] + [
            item.title for items in reader.outline if isinstance(items, list) for item in items
            if not isinstance(item, list)]
        assert not [t for t in titles if t.startswith("Onboarding")], (pdf, titles)
        assert any(t.startswith("Checklists") for t in titles), (pdf, titles)
