"""The three engines side by side: ``sopgen build --no-pdf --engine mkdocs|properdocs|zensical``.

    python benchmarks/engines.py [--tasks 300] [--rounds 3]

On the repository's example and on a generated project of ``--tasks`` tasks, each engine builds
the same site (same addresses: tests/test_engines.py checks it); the best of ``--rounds`` runs
counts, and each figure is given as a ratio to MkDocs' measured in the same run. Zensical is timed
cold (its cache and the project rendered for it removed before each run) and warm (both kept from
the run before). The user's cache folder is a temporary one, warmed once for sopgen's compiled
templates, which every engine then shares. ProperDocs and Zensical must be installed in this
Python (``pip install 'sopgen[properdocs,zensical]'``).
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable


def build(project: Path, site: Path, engine: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([PY, "-m", "sopgen", "build", "--no-pdf", "-q", "--engine", engine, "-d", str(site),
                    "-f", str(project / "mkdocs.yml")], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(project: Path, work: Path, env: dict[str, str], rounds: int) -> dict[str, float]:
    """The best of ``rounds`` builds with each engine (Zensical cold and warm)."""
    zensical_cache = Path(env["XDG_CACHE_HOME"]) / "sopgen" / "zensical"
    site = work / "site"
    times: dict[str, list[float]] = {"mkdocs": [], "properdocs": [], "zensical, cold": [], "zensical, warm": []}
    for _ in range(rounds):
        for engine in ("mkdocs", "properdocs"):
            times[engine].append(build(project, site, engine, env))
        shutil.rmtree(zensical_cache, ignore_errors=True)
        times["zensical, cold"].append(build(project, site, "zensical", env))
        times["zensical, warm"].append(build(project, site, "zensical", env))
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=300, help="tasks of the generated project (default: 300)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each build; the best counts (default: 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopgen-engines-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        generated = work / f"corpus-{args.tasks}"
        subprocess.run([PY, str(HERE / "make_corpus.py"), "--tasks", str(args.tasks), "--out", str(generated)],
                       check=True, stdout=subprocess.DEVNULL)
        build(REPO, work / "site", "mkdocs", env)  # sopgen's compiled templates, for every engine alike
        projects = {"the example": REPO, f"{args.tasks} tasks": generated}
        results = {name: measure(project, work, env, args.rounds) for name, project in projects.items()}
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, best of {args.rounds}; "
          "`sopgen build --no-pdf --engine …`\n")
    print("| engine | " + " | ".join(results) + " |")
    print("|---|" + "--:|" * len(results))
    for engine in next(iter(results.values())):
        cells = [f"{r[engine]:.2f} s ({r[engine] / r['mkdocs']:.2f}×)" for r in results.values()]
        print(f"| {engine} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
