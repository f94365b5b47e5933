"""Commands that make the site: ``build``, ``serve`` and ``render``.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import click

from ..core.loader import find_config
from ..core.validate import NOTED, errors_in
from ..site.engines import DEFAULT as DEFAULT_ENGINE
from ..site.engines import ENGINES
from .common import Progress, config_option, counts, load_checked, shown_path, stop_on_errors
from .console import say


def engine_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
        help="What builds the site: MkDocs, ProperDocs or Zensical (installed in sopgen's environment).",
    )(func)


@click.command()
@config_option
@click.option("--strict", is_flag=True, help="Fail on any warning, sopgen's or MkDocs' (overdue reviews excepted).")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), default=None,
              help="Where to write the site. Default: site_dir of mkdocs.yml (site/).")
@click.option("--pdf/--no-pdf", "pdf", default=None,
              help="Build the PDF handbooks too (default: the plugin's `pdf` option, on).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print the engine's own progress messages too.")
@engine_option
def build(config_file: Optional[str], strict: bool, site_dir: Optional[str], pdf: Optional[bool],
          quiet: bool, verbose: bool, engine: str) -> None:
    """Validate the sources, then build the training site.

    Every page is rendered before anything is written, and the new site
    replaces the old one only when the whole build succeeded: a failure
    leaves the last good site in place.
    """
    from ..core.outputs import lock
    from ..site.build import check_output, recover
    from ..site.config import read as read_config
    from ..site.engines import require
    from ..site.engines.mkdocs.build import build as build_site

    require(engine)
    if engine == "properdocs":  # the same command, on ProperDocs, in a process of its own
        from ..site.engines import properdocs

        options = ["--strict"] * strict + ["-d", site_dir] * bool(site_dir) + ["-q"] * quiet + ["-v"] * verbose
        options += [] if pdf is None else ["--pdf" if pdf else "--no-pdf"]
        sys.exit(properdocs.run(["build", "-f", str(find_config(config_file)), *options]))
    config, catalog, problems = load_checked(config_file, with_history=True)
    final = Path(site_dir).resolve() if site_dir else read_config(config).site_dir
    check_output(config, Path(site_dir) if site_dir else None, shown=site_dir)  # before anything is touched
    tell = (lambda msg, kind="": None) if quiet else say
    with lock(final, echo=lambda m: say(m, "warning")):  # a second build waits for this one
        recover(final)
        failing = [p for p in errors_in(problems, strict=strict) if p.rule not in NOTED]
        stop_on_errors(problems, failing=failing, warnings=not quiet, outcome="nothing was built")
        tell(f"Validated {counts(catalog)}")
        if catalog.history is not None and catalog.history.note:
            tell(f"note: {catalog.history.note}")
        progress = Progress(quiet)
        try:
            if engine == "zensical":
                from ..site.engines import zensical

                result = zensical.build(config, catalog, site_dir=site_dir, strict=strict, pdf=pdf,
                                        on_pdf=progress.pdf, echo=lambda m: click.echo(m, err=True), quiet=quiet,
                                        verbose=verbose)
            else:
                result = build_site(config, site_dir=site_dir, strict=strict, preloaded=(catalog, problems),
                                    on_start=lambda n: progress.start(n, "Building pages"),
                                    on_page=lambda _path: progress.advance(),
                                    pdf=pdf, on_pdf=progress.pdf,
                                    echo=lambda m: click.echo(m, err=True), verbose=verbose, quiet=quiet)
        finally:
            progress.stop()
    where = shown_path(result.site_dir)
    handbooks = f" and {len(result.pdfs)} PDF handbooks" if result.pdfs else ""
    tell(f"✓ Built {where}/: {result.pages:,} pages{handbooks} in {result.seconds:.1f} s"
         + (f", {len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}" if result.warnings else ""),
         "ok")


@click.command()
@config_option
@click.option("-a", "--dev-addr", metavar="IP:PORT", default=None, help="Address to serve on. Default: 127.0.0.1:8000.")
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("-v", "--verbose", is_flag=True, help="Print MkDocs' debug messages too.")
@click.option("--editor-port", type=click.IntRange(1, 65535), default=None, metavar="PORT",
              help="The editor's port on 127.0.0.1. Default: the site's port + 1, or a free one if that is taken.")
@click.option("--no-editor", is_flag=True, help="Serve without the editor: no Edit or New buttons on the pages.")
@engine_option
def serve(config_file: Optional[str], dev_addr: Optional[str], open_browser: bool, verbose: bool,
          editor_port: Optional[int], no_editor: bool, engine: str) -> None:
    """Serve the site locally and rebuild it when a YAML file or template changes.

    Saving a file under sops/ or templates/ reloads the page in the browser.
    The SOP and role pages get an Edit button, and the home page New SOP and
    New role buttons: they open the editor, a form on 127.0.0.1 that saves
    the YAML file (see README, "Editing in the browser").
    Stop with Ctrl+C.
    """
    from ..site.build import check_output
    from ..site.engines import require
    from ..site.engines.mkdocs.serve import serve as serve_site

    require(engine)
    config = find_config(config_file)
    if engine == "properdocs":  # the same command, on ProperDocs, in a process of its own
        from ..site.engines import properdocs

        options = ["-a", dev_addr] * bool(dev_addr) + ["-o"] * open_browser + ["-v"] * verbose
        options += ["--editor-port", str(editor_port)] * bool(editor_port) + ["--no-editor"] * no_editor
        sys.exit(properdocs.run(["serve", "-f", str(config), *options]))
    check_output(config)  # the site folder that `build` would refuse
    with _editor(config, dev_addr, editor_port, enabled=not no_editor) as editor_url:
        if engine == "zensical":  # renders again at each save; Zensical's live reload shows it
            from ..site.engines import zensical

            zensical.serve(config, dev_addr=dev_addr, open_browser=open_browser,
                           echo=lambda m: click.echo(m, err=True), editor_url=editor_url)
            return
        # What the first build keeps (caches of every page and source) is set out of the cycle
        # collector's sight once, so that a collection during a rebuild walks only what the rebuild
        # made: at 1,000 tasks, pauses of 0.2 s fewer per save.
        serve_site(config, dev_addr=dev_addr, open_browser=open_browser, after_first_build=gc.freeze,
                   echo=lambda m: click.echo(m, err=True), verbose=verbose, editor_url=editor_url)


DEFAULT_ADDRESS = ("127.0.0.1", 8000)
"""Where serve serves the site when neither ``-a`` nor mkdocs.yml's ``dev_addr`` says (MkDocs' default)."""


@contextlib.contextmanager
def _editor(config: Path, dev_addr: Optional[str], port: Optional[int], *, enabled: bool) -> Iterator[str]:
    """The editor beside the served site, on 127.0.0.1 (its address, "" without it), stopped with serve."""
    if not enabled:
        yield ""
        return
    from ..site.config import read as read_config
    from ..site.editor.server import start

    project = read_config(config)
    host, _, site_port = (dev_addr or str(project.value("dev_addr") or "")).rpartition(":")
    host, site_port = (host, int(site_port)) if site_port.isdigit() else DEFAULT_ADDRESS
    site = f"http://{'127.0.0.1' if host in ('', '0.0.0.0', '::', '[::]') else host}:{site_port}"
    try:
        editor = start(project.project, sops_dir=project.sops_dir, port=port or (site_port + 1) % 65536, site=site)
    except OSError as exc:
        if port:
            raise click.ClickException(f"--editor-port {port}: the editor cannot listen there ({exc.strerror}); "
                                       "choose another port, or leave the option out to take a free one") from None
        editor = start(project.project, sops_dir=project.sops_dir, port=0, site=site)
    say(f"Editor: {editor.url} (the Edit buttons of the served pages open it; it answers this computer only)")
    try:
        yield editor.url
    finally:
        editor.stop()


@click.command("render")
@click.argument("directory", type=click.Path(file_okay=False))
@config_option
@click.option("--force", is_flag=True, help="Replace an earlier render in DIRECTORY.")
def render_command(directory: str, config_file: Optional[str], force: bool) -> None:
    """Write a self-contained MkDocs project into DIRECTORY.

    DIRECTORY/mkdocs.yml carries the navigation, theme features and Markdown
    extensions; DIRECTORY/docs/ holds every page and image. Plain 'mkdocs
    build' (or Zensical) builds it without the sopgen plugin.

    Each language of translations is a project of its own in
    DIRECTORY/LANG/ (its site goes to site/LANG/ of the source's: mkdocs
    build -f DIRECTORY/LANG/mkdocs.yml -d DIRECTORY/site/LANG, after the
    source's build).

    DIRECTORY must be new, empty, or an earlier render: render never deletes
    a file it did not write.
    """
    from ..core.outputs import lock, writing
    from ..site.build import check_output
    from ..site.export import check_target, export

    config, catalog, problems = load_checked(config_file, with_history=True)
    stop_on_errors(problems, warnings=True, outcome="nothing was written")
    target = Path(directory)
    check_output(config, target, what="the rendered project", shown=directory, example="rendered")
    org = catalog.organization
    codes = [code for code in org.translations if code != org.language]  # each its own project, DIRECTORY/<lang>/
    with lock(target, echo=lambda m: say(m, "warning")), writing(target, "the rendered project"):
        check_target(target, force=force, shown=directory)
        for code in codes:
            check_target(target / code, force=force, shown=f"{directory}/{code}")
        written = export(config, catalog, target)
    then = "".join(f", then mkdocs build -f {directory}/{code}/mkdocs.yml -d {directory}/site/{code}" for code in codes)
    each = "".join(f" and {directory}/{code}/mkdocs.yml" for code in codes)
    click.echo(f"✓ Wrote {directory}/mkdocs.yml{each} and {written:,} files under {'their docs/' if codes else directory + '/docs/'}; "
               f"build it with: mkdocs build -f {directory}/mkdocs.yml{then}", err=True)
