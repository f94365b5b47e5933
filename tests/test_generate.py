"""The one entry point (sopgen.site.generate): what it makes is what the MkDocs plugin hands MkDocs
and what `sopgen render` writes; the build's date reaches MkDocs through SOURCE_DATE_EPOCH for
the build only; and mkdocs.yml has one reader (sopgen.site.config), which keeps its tags."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Optional

import pytest

from conftest import REPO, build_tree, run

from sopgen.site.config import read
from sopgen.site.generate import Generated, Handover, generate

RECORDER = """\
import json
from pathlib import Path

seen = {}


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is not None:
        seen[page.file.src_uri] = {"markdown": markdown, "title": page.meta.get("title"),
                                   "search": page.meta.get("search")}
    return markdown


def on_post_build(config):
    Path(__file__).with_name("handed.json").write_text(json.dumps(seen))
"""


def example(tmp_path: Path) -> Path:
    """The repository's example project (people, charts, hand-written pages), its charts coloured by
    the theme's palette (organization.yml gives no colour), with a hook that records what MkDocs was handed."""
    project = tmp_path / "example"
    for name in ("sops", "docs", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, project / name)
    organization = project / "sops/organization.yml"
    organization.write_text("".join(line for line in organization.read_text(encoding="utf-8").splitlines(True)
                                    if not line.startswith(("color:", "translations:"))),  # the source's site alone
                            encoding="utf-8")
    build_tree(project, {
        "mkdocs.yml": "site_name: Harbor Lane\ntheme:\n  name: material\n  palette:\n    primary: teal\n"
                      "plugins:\n  - search\n  - sopgen\nhooks:\n  - recorder.py\n",
        "recorder.py": RECORDER,
    })
    return project


def own_plugins() -> Any:
    """MkDocs' cache of plugin instances, emptied (a build here must not reuse another's plugin)."""
    from mkdocs.config.defaults import MkDocsConfig

    cache = MkDocsConfig.plugins.plugin_cache
    kept = dict(cache)
    cache.clear()
    return cache, kept


def built_by_the_plugin(project: Path, site: Path, command: str = "build",
                        handover: Optional[Handover] = None) -> Generated:
    """Build ``project`` with MkDocs in this process as ``command`` does (serve: dirty); what the plugin generated."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (project / "docs").mkdir(exist_ok=True)
    cache, kept = own_plugins()
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        plugin = config.plugins["sopgen"]
        config.plugins.on_startup(command=command, dirty=command == "serve")
        if handover is not None:
            plugin.hand_over(handover)
        try:
            build(config, dirty=command == "serve")
        finally:
            config.plugins.on_shutdown()
        assert plugin.generated is not None
        return plugin.generated
    finally:
        cache.clear()
        cache.update(kept)


def front_matter_and_markdown(text: str) -> tuple[dict[str, Any], str]:
    head, _, markdown = text.partition("\n---\n\n")
    import yaml

    return yaml.safe_load(head.removeprefix("---\n")), markdown


def test_the_plugin_and_render_get_the_entry_points_pages(tmp_path: Path) -> None:
    """The same set of pages, the same Markdown, titles and search settings by both routes, and the
    same as generate() gives on its own; charts in the theme's colour on both."""
    project = example(tmp_path)
    config = read(project / "mkdocs.yml")
    alone = generate(project, sops_dir=config.sops_dir, site_name=config.site_name, theme=config.theme,
                     docs_dir=config.docs_dir)
    assert len(alone.site.pages) > 20 and alone.pdfs == {}
    by_plugin = built_by_the_plugin(project, tmp_path / "site", handover=Handover(pdf=False))
    handed = json.loads((project / "handed.json").read_text(encoding="utf-8"))
    own = {p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md")}
    expected = {path: page for path, page in alone.site.pages.items() if path not in own}
    assert set(handed) == set(expected) and set(by_plugin.site.pages) == set(alone.site.pages)
    for path, page in expected.items():
        assert handed[path]["markdown"] == page.markdown, path
        meta = alone.front_matter(path)
        assert handed[path]["title"] == meta["title"] and handed[path]["search"] == meta.get("search"), path

    assert run(project, "render", str(tmp_path / "rendered")).exit_code == 0
    docs = tmp_path / "rendered" / "docs"
    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} - own
    assert written == set(expected)
    for path, page in expected.items():
        meta, markdown = front_matter_and_markdown((docs / path).read_text(encoding="utf-8"))
        assert markdown == page.markdown, path
        assert meta["title"] == alone.front_matter(path)["title"], path
        assert meta.get("search") == alone.front_matter(path).get("search"), path
    assert alone.look.color == "#009485"  # Material's teal
    charted = [p for p in expected.values() if "#009485" in p.markdown]
    assert {p.kind for p in charted} >= {"delegation", "person"}


def git(root: Path, *args: str, date: str = "2026-03-01T09:00:00+00:00") -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME="A",
               GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_NAME="A", GIT_COMMITTER_EMAIL="a@example.com")
    subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


@pytest.fixture
def committed(base_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The base project in git, last committed on 2026-03-01; SOURCE_DATE_EPOCH unset."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = base_project / "mkdocs.yml"
    config.write_text(config.read_text() + "site_url: https://handbook.example.com/\n")  # the sitemap lists pages
    git(base_project, "init", "-q", "-b", "main")
    git(base_project, "add", "-A")
    git(base_project, "commit", "-q", "-m", "First procedures")
    return base_project


def sitemap_gz(site: Path) -> bytes:
    return (site / "sitemap.xml.gz").read_bytes()


@pytest.mark.parametrize("command", ["build", "serve"])
def test_the_builds_date_reaches_mkdocs_for_the_build_only(committed: Path, tmp_path: Path, command: str) -> None:
    """MkDocs dates the sitemap and its gzip header by the last commit, the same bytes at each build;
    the environment is as it was after each build (under serve too, whose rebuilds share the plugin)."""
    first = built_by_the_plugin(committed, tmp_path / "one", command, Handover(pdf=False))
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert first.epoch == str(1772355600) and str(first.today) == "2026-03-01"
    assert "<lastmod>2026-03-01</lastmod>" in (tmp_path / "one/sitemap.xml").read_text()
    stamp = int.from_bytes(sitemap_gz(tmp_path / "one")[4:8], "little")  # the gzip header's time: the page's date
    assert stamp == 1772323200 and gzip.decompress(sitemap_gz(tmp_path / "one")).count(b"2026-03-01") > 1
    built_by_the_plugin(committed, tmp_path / "two", command, Handover(pdf=False))
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert sitemap_gz(tmp_path / "one") == sitemap_gz(tmp_path / "two")


def test_the_users_source_date_epoch_wins_and_stays(committed: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775088000")  # 2026-04-02
    generated = built_by_the_plugin(committed, tmp_path / "site", "build", Handover(pdf=False))
    assert generated.epoch is None and str(generated.today) == "2026-04-02"
    assert "<lastmod>2026-04-02</lastmod>" in (tmp_path / "site/sitemap.xml").read_text()
    assert os.environ["SOURCE_DATE_EPOCH"] == "1775088000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " ")  # set, but empty: the commit dates the build, then it is put back
    built_by_the_plugin(committed, tmp_path / "again", "build", Handover(pdf=False))
    assert "<lastmod>2026-03-01</lastmod>" in (tmp_path / "again/sitemap.xml").read_text()
    assert os.environ["SOURCE_DATE_EPOCH"] == " "


def test_a_failed_build_puts_the_environment_back(committed: Path, tmp_path: Path) -> None:
    """A build that fails after sopgen made the site (here: a hook of the project's own raises)
    leaves SOURCE_DATE_EPOCH as it was, as does `sopgen build`, which runs the same plugin."""
    build_tree(committed, {"boom.py": "def on_post_page(output, page, config):\n    raise RuntimeError('boom')\n"})
    (committed / "mkdocs.yml").write_text((committed / "mkdocs.yml").read_text() + "hooks:\n  - boom.py\n")
    with pytest.raises(RuntimeError, match="boom"):
        built_by_the_plugin(committed, tmp_path / "site", "build", Handover(pdf=False))
    assert "SOURCE_DATE_EPOCH" not in os.environ
    result = run(committed, "build", "--no-pdf", "-d", str(tmp_path / "cli"))
    assert result.exit_code == 1 and "boom" in result.output
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_sopgen_build_hands_the_plugin_its_catalog_and_progress(base_project: Path, tmp_path: Path) -> None:
    """`sopgen build` validated the catalog already: the plugin builds that very catalog (here one
    changed in memory only), and calls the progress callbacks it was handed."""
    from sopgen.core.loader import load
    from sopgen.site.engines.mkdocs.build import build

    catalog = load(base_project)
    catalog.tasks["send-invoices"].title = "Handed over in memory"
    started: list[int] = []
    pages: list[str] = []
    handbooks: list[tuple[int, Optional[str]]] = []
    result = build(base_project / "mkdocs.yml", site_dir=str(tmp_path / "site"), preloaded=(catalog, []),
                   on_start=started.append, on_page=pages.append, pdf=True,
                   on_pdf=lambda total, name: handbooks.append((total, name)), echo=lambda message: None)
    assert "Handed over in memory" in (tmp_path / "site/sops/send-invoices/index.html").read_text()
    assert started == [result.pages] and len(pages) == result.pages and "sops/send-invoices.md" in pages
    assert handbooks[0] == (len(result.pdfs), None) and sorted(n for _, n in handbooks[1:]) == \
        sorted(p.stem for p in result.pdfs)
