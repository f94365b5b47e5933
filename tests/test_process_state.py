"""Process-wide state is the program's decision, not the library's: no mock in the package,
the collector left as the caller had it by `load()` and by the plugin, tuned by the CLI only."""

from __future__ import annotations

import ast
import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from conftest import BASE, REPO, run
from test_serve import free_port, wait_for, wait_until

from sopgen.core.loader import load


def test_no_module_of_the_package_imports_unittest() -> None:
    """`unittest.mock` patches other packages behind their back: production code uses their API."""
    found = []
    for path in sorted((REPO / "sopgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.relative_to(REPO).as_posix()}:{node.lineno}: {name}"
                      for name in names if name.split(".")[0] == "unittest"]
    assert found == []


@pytest.fixture
def collector_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls that would change the cycle collector's state, recorded instead of made."""
    calls: list[str] = []
    for name in ("disable", "enable", "freeze", "unfreeze", "set_threshold", "collect"):
        monkeypatch.setattr(gc, name, lambda *args, _name=name: calls.append(_name))
    return calls


def test_load_leaves_the_collector_as_the_caller_had_it(collector_calls: list[str]) -> None:
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    load(BASE)
    assert collector_calls == []
    # nothing frozen since (objects frozen by earlier tests in this process may be freed meanwhile)
    assert gc.isenabled() == enabled and gc.get_freeze_count() <= frozen


@pytest.fixture
def own_plugins() -> Iterator[None]:
    """MkDocs keeps one instance of each plugin that has ``on_startup`` for the whole process (its
    ``Plugins`` option's cache, meant for serve's rebuilds): a build made here as under serve would
    hand its plugins' state (Material's search index, dirty) to the next build of this process."""
    from mkdocs.config.defaults import MkDocsConfig

    cache = MkDocsConfig.plugins.plugin_cache
    kept = dict(cache)
    cache.clear()
    yield
    cache.clear()
    cache.update(kept)


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.usefixtures("own_plugins")
def test_the_plugin_leaves_the_collector_alone(tmp_path: Path, command: str, collector_calls: list[str]) -> None:
    """The plugin under `mkdocs build`, and under `mkdocs serve` (whose builds are dirty), neither
    freezes nor pauses the collector."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = shutil.copytree(BASE, tmp_path / "p")
    (project / "docs").mkdir(exist_ok=True)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command=command, dirty=command == "serve")
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    try:
        build(config, dirty=command == "serve")
    finally:
        config.plugins.on_shutdown()
    assert (tmp_path / "site/sops/send-invoices/index.html").is_file()
    assert collector_calls == []
    # nothing frozen since (objects frozen by earlier tests in this process may be freed meanwhile)
    assert gc.isenabled() == enabled and gc.get_freeze_count() <= frozen


def test_the_cli_freezes_the_catalog_it_keeps(tmp_path: Path) -> None:
    """A one-shot command keeps its catalog to the end: the CLI sets it out of the collector's sight."""
    project = shutil.copytree(BASE, tmp_path / "p")
    try:
        before = gc.get_freeze_count()
        result = run(project, "validate")
        assert result.exit_code == 0, result.output
        assert gc.get_freeze_count() > before
        assert gc.isenabled()
    finally:
        gc.unfreeze()


PROBE = """\
import gc
import json
from pathlib import Path


def on_serve(server, config, builder):
    Path(__file__).with_name("probe.json").write_text(json.dumps({
        "polling": server.observer.timeout, "frozen": gc.get_freeze_count() > 0, "collecting": gc.isenabled()}))
    return server
"""


def test_serve_looks_for_changes_every_fifth_of_a_second_and_freezes_its_first_build(tmp_path: Path) -> None:
    """`sopgen serve` runs MkDocs' live-reload server with a 0.2 s look for changes (MkDocs: 0.5 s),
    and has set what its first build keeps out of the collector's sight, the collector running;
    a MkDocs hook of the project's own sees the server after the first build."""
    project = shutil.copytree(BASE, tmp_path / "p")
    (project / "probe.py").write_text(PROBE)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "\nhooks:\n  - probe.py\n")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sopgen", "serve", "-a", f"127.0.0.1:{port}", "-f", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/sops/send-invoices/", "Send client invoices")
        wait_until(lambda: (project / "probe.json").is_file(), "the hook saw the server")
        assert json.loads((project / "probe.json").read_text()) == {"polling": 0.2, "frozen": True, "collecting": True}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_importing_the_package_sets_no_environment_variable() -> None:
    """The environment is the program's: importing sopgen's modules (the plugin, under plain
    `mkdocs build`) leaves it as it was; the sopgen command quiets Material's MkDocs 2.0 banner."""
    code = ("import os, sys; before = dict(os.environ)\n"
            "import sopgen.site.build, sopgen.site.engines.mkdocs.plugin, sopgen.print.pdf, sopgen.site.export, sopgen.cli.main\n"
            "sys.exit(sorted(set(os.environ.items()) ^ set(before.items())) != [])")
    env = {k: v for k, v in __import__("os").environ.items() if k != "NO_MKDOCS_2_WARNING"}
    assert subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO).returncode == 0
    shown = subprocess.run([sys.executable, "-c", "import os; from sopgen.cli.main import main\n"
                            "try:\n    main(['schema', '--help'])\nexcept SystemExit:\n    pass\n"
                            "print(os.environ.get('NO_MKDOCS_2_WARNING'))"],
                           env=env, cwd=REPO, capture_output=True, text=True)
    assert shown.stdout.splitlines()[-1] == "1"
