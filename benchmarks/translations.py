"""What a translation costs: ``sopgen build --no-pdf`` of a project with and without ``translations``.

    python benchmarks/translations.py [--tasks 300] [--rounds 3]

On a generated project of ``--tasks`` tasks, the same build three ways, each given as a ratio to the
build without a translation measured in the same run: with ``translations: [es]`` and every text
translated (the whole site built again under /es/, no stale marks), and with ``translations: [es]``
and nothing translated yet (every text of /es/ stale: marked, counted, bannered). Also the time of
``sopgen i18n update es`` making the catalog of the whole project, and of ``sopgen i18n status``
reading it back. The best of ``--rounds`` runs counts; the user's cache folder is a temporary one,
warmed once for sopgen's compiled templates.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PY = sys.executable


def timed(command: list[str], project: Path, env: dict[str, str], *, check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run([PY, "-m", "sopgen", *command], cwd=project, env=env, check=check,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build(project: Path, env: dict[str, str]) -> float:
    return timed(["build", "--no-pdf", "-q", "-d", str(project.parent / f"{project.name}-site"),
                  "-f", str(project / "mkdocs.yml")], project, env)


def translated(project: Path, target: Path, env: dict[str, str], *, fill: bool) -> tuple[Path, float, float]:
    """A copy of ``project`` publishing Spanish, its catalog made by ``sopgen i18n update es`` (every
    text translated when ``fill``: each as its own source text); the times of update and status."""
    shutil.copytree(project, target)
    organization = target / "sops/organization.yml"
    organization.write_text(organization.read_text(encoding="utf-8") + "translations: [es]\n", encoding="utf-8")
    update = timed(["i18n", "update", "es"], target, env)
    po_path = target / "sops/locale/es.po"
    if fill:
        with po_path.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if message.id:
                message.string = message.id
        with po_path.open("wb") as f:
            write_po(f, catalog, width=100)
    status = timed(["i18n", "status", "es"], target, env)
    return target, update, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=300, help="tasks of the generated project (default: 300)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each build; the best counts (default: 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopgen-translations-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        source = work / "source"
        subprocess.run([PY, str(HERE / "make_corpus.py"), "--tasks", str(args.tasks), "--out", str(source)],
                       check=True, stdout=subprocess.DEVNULL)
        full, update, status = translated(source, work / "translated", env, fill=True)
        empty, _, _ = translated(source, work / "untranslated", env, fill=False)
        build(source, env)  # sopgen's compiled templates, for every build alike
        projects = {"no translation": source, "translations: [es], all translated": full,
                    "translations: [es], nothing translated": empty}
        times = {name: min(build(project, env) for _ in range(args.rounds)) for name, project in projects.items()}
    floor = times["no translation"]
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, best of {args.rounds}; "
          f"{args.tasks} generated tasks\n")
    print("| `sopgen build --no-pdf` | time | ratio |")
    print("|---|--:|--:|")
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.2f} s | {seconds / floor:.2f}× |")
    print(f"\n`sopgen i18n update es` (a new catalog of the whole project): {update:.2f} s; "
          f"`sopgen i18n status es`: {status:.2f} s")


if __name__ == "__main__":
    main()
