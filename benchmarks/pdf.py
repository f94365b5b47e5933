"""PDF benchmark: the Typst engine against the last WeasyPrint engine, in one run.

    python benchmarks/pdf.py [--tasks 300 1000] [--jobs N] [--baseline REV] [--keep DIR]

The same generated projects (benchmarks/make_corpus.py) are built by two sopgens, each with its
own command, ``sopgen pdf -o DIR -f PROJECT/mkdocs.yml -q -j N``, timed by the wall clock:

* WeasyPrint: the newest commit of this repository that still made its PDFs with WeasyPrint
  (its pyproject.toml depends on weasyprint and its sopgen/pdf.py imports it; ``--baseline REV``
  names another), exported with ``git archive`` into the cache folder
  (``$XDG_CACHE_HOME/sopgen-bench/weasyprint-REV/``) and installed there into a venv of its own
  from that commit's lock. The first run takes a minute or so to install it; later runs reuse it.
* Typst: this checkout, run by the Python running this script.

For each size it prints the PDFs written, their pages (counted with pypdf), seconds, pages per
second and the ratio of the two throughputs, with the issue's target (at least 10 times at 1,000
tasks). Then the example's full ``sopgen build`` (site and all PDFs) by each engine, in a clone of
the engine's own commit, best of 3 after a warm-up (target: under 2 s with Typst), with the
checkout's site alone (``--no-pdf``) for scale; and this checkout's PDFs one handbook at a time
(``-j 1``) against ``-j N`` at the largest size, which says whether compiling several at once still pays.

Progress goes to standard error, the results to standard output.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_TASKS = 1000
TARGET_RATIO = 10.0
TARGET_EXAMPLE_SECONDS = 2.0
ROUNDS = 3
"""How many times the example is built, after a warm-up (the best counts)."""
APT = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
"""What WeasyPrint needs from a Debian or Ubuntu system (its documentation's list)."""


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


# --- the WeasyPrint engine: which commit --------------------------------------------------------


def lists_weasyprint(pyproject: str) -> bool:
    """Whether a pyproject.toml's dependencies name WeasyPrint."""
    try:
        dependencies = tomllib.loads(pyproject).get("project", {}).get("dependencies", [])
    except tomllib.TOMLDecodeError:
        return False
    names = (re.match(r"[A-Za-z0-9._-]*", d.strip()).group(0) for d in dependencies)  # type: ignore[union-attr]
    return any(re.sub(r"[-_.]+", "-", name).lower() == "weasyprint" for name in names)


def imports_weasyprint(source: str) -> bool:
    return re.search(r"^\s*(import|from)\s+weasyprint\b", source, re.MULTILINE) is not None


def is_weasyprint_engine(pyproject: str, pdf_module: str, printing_module: str = "") -> bool:
    """Whether a tree made its PDFs with WeasyPrint: it depends on it, its PDF module uses it, and
    what that module takes from ``sopgen/printing.py`` is there. The dependency alone is not
    enough: the engine may have changed a few commits before the dependency went; nor are the
    two: the print data may have changed a few commits before the engine did."""
    return (lists_weasyprint(pyproject) and imports_weasyprint(pdf_module)
            and all(defines(printing_module, name) for name in imported_from_printing(pdf_module)))


def imported_from_printing(source: str) -> list[str]:
    """The names a module imports with ``from .printing import ...``."""
    found = re.search(r"^from \.printing import \(?([\w\s,]+?)\)?$", source, re.MULTILINE)
    return [name.strip() for name in found.group(1).split(",") if name.strip()] if found else []


def defines(source: str, name: str) -> bool:
    return re.search(rf"^(def|class) {name}\b|^{name}\s*[:=]", source, re.MULTILINE) is not None


ENGINE_FILES = ("pyproject.toml", "sopgen/pdf.py", "sopgen/printing.py")


def weasyprint_commits(repo: Path, revs: list[str]) -> Iterator[tuple[str, bool]]:
    """Each commit, and whether it made its PDFs with WeasyPrint. One ``git cat-file`` names the
    files' blobs at every commit, and each distinct pair is read once: a long history costs little."""
    blobs = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch-check=%(objectname)"], check=True,
                           input="".join(f"{rev}:{path}\n" for rev in revs for path in ENGINE_FILES),
                           capture_output=True, text=True).stdout.splitlines()

    def read(blob: str) -> str:
        return "" if blob.endswith(" missing") else git(repo, "cat-file", "blob", blob)

    seen: dict[tuple[str, ...], bool] = {}
    for i, rev in enumerate(revs):
        pair = tuple(blobs[len(ENGINE_FILES) * i: len(ENGINE_FILES) * (i + 1)])
        if pair not in seen:
            seen[pair] = is_weasyprint_engine(*map(read, pair))
        yield rev, seen[pair]


WEASYPRINT_ENGINE = ("pyproject.toml depending on weasyprint, sopgen/pdf.py importing it, and what it takes "
                     "from sopgen/printing.py there")


def find_baseline(repo: Path) -> str:
    """The newest commit on HEAD's first-parent line (the main line, not a merged branch's own
    commits) that made its PDFs with WeasyPrint."""
    revs = git(repo, "rev-list", "--first-parent", "HEAD").split()
    for rev, weasyprint in weasyprint_commits(repo, revs):
        if weasyprint:
            return rev
    raise SystemExit(f"no commit of this repository makes its PDFs with WeasyPrint ({WEASYPRINT_ENGINE}): "
                     "name one with --baseline REV")


def check_named_baseline(repo: Path, name: str) -> str:
    """The commit that ``--baseline`` names, if it made its PDFs with WeasyPrint."""
    found = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit(f"--baseline {name}: no such commit")
    rev = found.stdout.strip()
    if not next(weasyprint_commits(repo, [rev]))[1]:
        raise SystemExit(f"--baseline {name}: commit {rev[:7]} does not make its PDFs with WeasyPrint "
                         f"({WEASYPRINT_ENGINE})")
    return rev


# --- the WeasyPrint engine: its venv ------------------------------------------------------------


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sopgen-bench"


def venv_python(tree: Path) -> Path:
    return tree / ".venv" / "bin" / "python"


def install_baseline(repo: Path, rev: str, cache: Path) -> Path:
    """The folder holding the tree of ``rev`` and, in its .venv, its sopgen: made the first time,
    reused after."""
    tree = cache / f"weasyprint-{rev[:12]}"
    ready = tree / ".venv" / "sopgen-bench-ready"  # written last: an interrupted install is done again
    if ready.exists():
        say(f"WeasyPrint engine: reusing {tree}")
        return tree
    say(f"WeasyPrint engine: exporting {rev[:12]} into {tree} and installing it into a venv of its own "
        "(about a minute; later runs reuse it)")
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(repo), "archive", rev], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
    archive.stdout.close()  # type: ignore[union-attr]
    if archive.wait() != 0:
        raise SystemExit(f"git archive {rev} failed")
    say(f"  {sys.executable} -m venv .venv")
    subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
    lock = ["-c", "requirements/test.lock"] if (tree / "requirements" / "test.lock").exists() else []
    install = ["pip", "install", "--quiet", "--disable-pip-version-check", *lock, "-e", "."]
    say(f"  {' '.join(install)}")
    subprocess.run([str(venv_python(tree)), "-m", *install], cwd=tree, check=True)
    ready.touch()
    return tree


def check_baseline(tree: Path) -> None:
    """Stop with what to install when WeasyPrint cannot load, or when the venv's sopgen is not
    the exported one."""
    probe = subprocess.run([str(venv_python(tree)), "-c", "import sopgen, weasyprint; print(sopgen.__file__)"],
                           capture_output=True, text=True, cwd=tempfile.gettempdir(), env=clean_env())
    if probe.returncode != 0:
        if "OSError" in probe.stderr:
            raise SystemExit(f"WeasyPrint cannot load its system libraries:\n{tail(probe.stderr)}\n"
                             f"On Debian or Ubuntu: apt-get install {APT}")
        raise SystemExit(f"the WeasyPrint engine's venv does not work:\n{tail(probe.stderr)}")
    if not Path(probe.stdout.strip()).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"the WeasyPrint engine's venv imports sopgen from {probe.stdout.strip()}, not {tree}")


# --- running an engine --------------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of each sopgen: no PYTHONPATH of ours leads the baseline to this checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return dict(env, NO_MKDOCS_2_WARNING="1", **extra)


@dataclass
class Engine:
    name: str      # "WeasyPrint", "Typst"
    source: str    # where it comes from: "6c72d76", "checkout 8c01147"
    python: Path
    env: dict[str, str]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.source})"

    def sopgen(self, *args: str, cwd: Path) -> float:
        """Seconds that ``sopgen ARGS`` takes; stops the benchmark with its output if it fails."""
        start = time.perf_counter()
        done = subprocess.run([str(self.python), "-m", "sopgen", *args], cwd=cwd, env=self.env,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{self.label}: sopgen {' '.join(args)} failed ({done.returncode}):\n"
                             f"{tail(done.stdout + done.stderr)}")
        return seconds


def tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


@dataclass
class Run:
    tasks: int
    engine: str
    pdfs: int
    pages: int
    seconds: float
    jobs: int = 1

    @property
    def rate(self) -> float:
        return self.pages / self.seconds


def count_pages(folder: Path) -> tuple[int, int]:
    """The PDFs in a folder and their pages."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise SystemExit("counting pages needs pypdf: pip install -c requirements/test.lock -e '.[test]'") from None
    files = sorted(folder.glob("*.pdf"))
    return len(files), sum(len(PdfReader(f).pages) for f in files)


def build_pdfs(engine: Engine, tasks: int, project: Path, out: Path, jobs: int, work: Path) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    say(f"  {tasks:,} tasks: {engine.label}, sopgen pdf -j {jobs}")
    seconds = engine.sopgen("pdf", "-o", str(out), "-f", str(project / "mkdocs.yml"), "-q", "-j", str(jobs), cwd=work)
    pdfs, pages = count_pages(out)
    return Run(tasks, engine.label, pdfs, pages, seconds, jobs)


EXAMPLE = ("mkdocs.yml", "sops", "docs")
"""The example project's sources in the repository (its templates/ are sopgen's own)."""


def clone_example(rev: str, into: Path) -> Path:
    """A clone of the repository at ``rev``: the example with its git history, which the build reads
    (revisions, sign-offs), and nothing written in the checkout. Each engine builds the example of
    its own commit: the repository's templates/ are that commit's default templates, which another
    commit's sopgen would take for the project's overrides."""
    shutil.rmtree(into, ignore_errors=True)
    git(REPO, "clone", "--quiet", "--no-checkout", str(REPO), str(into))
    git(into, "checkout", "--quiet", "--detach", git(REPO, "rev-parse", rev))
    return into


def build_example(engine: Engine, example: Path, site: Path, work: Path, *options: str) -> float:
    """Best of ROUNDS full builds of the example (site and every PDF), after one not counted."""
    say(f"  the example: {engine.label}, {' '.join(('sopgen build', *options))}, a warm-up and {ROUNDS} rounds")
    command = ("build", "-q", *options, "-f", str(example / "mkdocs.yml"), "-d", str(site))
    engine.sopgen(*command, cwd=work)
    return min(engine.sopgen(*command, cwd=work) for _ in range(ROUNDS))


# --- the report ---------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "met" if met else "not met"


def report(runs: list[tuple[Run, Run]], example: Optional[tuple[float, float, float]],
           serial: Optional[tuple[Run, Run]], *, old: str, new: str) -> str:
    """The results as text: ``runs`` pairs (WeasyPrint, Typst) per size, ``example`` the example's
    build times (WeasyPrint, Typst, and the site alone), ``serial`` the checkout at -j 1 and at -j N."""
    width = max(len(old), len(new), len("engine"))
    ratio_title = f"{new.split()[0]}/{old.split()[0]}"
    lines = [f"{'tasks':>6}  {'engine':{width}} {'PDFs':>5} {'pages':>7} {'seconds':>8} {'pages/s':>8}  {ratio_title}"]
    for before, after in runs:
        for run in (before, after):
            ratio = f"  {f'{after.rate / before.rate:.1f}×':>{len(ratio_title)}}" if run is after else ""
            lines.append(f"{run.tasks:6,}  {run.engine:{width}} {run.pdfs:5} {run.pages:7,} {run.seconds:8.1f} "
                         f"{run.rate:8.1f}{ratio}")
    at_target = [after.rate / before.rate for before, after in runs if before.tasks == TARGET_TASKS]
    lines.append(f"target: ≥ {TARGET_RATIO:.0f}× at {TARGET_TASKS:,} tasks: "
                 + (f"{verdict(at_target[0] >= TARGET_RATIO)} ({at_target[0]:.1f}×)" if at_target
                    else f"not measured (no run of {TARGET_TASKS:,} tasks)"))
    if example:
        before, after, site = example
        lines += ["", f"the example's sopgen build (site and all PDFs), best of {ROUNDS} after a warm-up:",
                  f"  {old:{width}} {before:6.2f} s",
                  f"  {new:{width}} {after:6.2f} s  ({before / after:.1f}× as fast); "
                  f"target: < {TARGET_EXAMPLE_SECONDS:.0f} s: {verdict(after < TARGET_EXAMPLE_SECONDS)}",
                  f"  {'of which the site alone':{width}} {site:6.2f} s  ({new}, sopgen build --no-pdf)"]
    if serial:
        one, many = serial
        lines += ["", f"{new}, {one.tasks:,} tasks: -j {one.jobs} {one.seconds:.1f} s, -j {many.jobs} "
                      f"{many.seconds:.1f} s: {one.seconds / many.seconds:.2f}× faster in parallel"]
    return "\n".join(lines)


# --- the run ------------------------------------------------------------------------------------


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, nargs="+", default=[300, TARGET_TASKS], metavar="N",
                        help="Sizes of the generated projects (default: 300 1000).")
    parser.add_argument("--roles", type=int, default=None,
                        help="Roles of the generated projects (default: the generator's).")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="Processes of each sopgen pdf, the same for both engines (default: one per core).")
    parser.add_argument("--baseline", metavar="REV", default=None,
                        help="The WeasyPrint commit (default: the newest commit that made its PDFs with WeasyPrint).")
    parser.add_argument("--no-example", dest="example", action="store_false", help="Skip the example's build.")
    parser.add_argument("--no-serial", dest="serial", action="store_false", help="Skip the -j 1 run of this checkout.")
    parser.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it (projects, PDFs).")
    args = parser.parse_args(argv)

    rev = check_named_baseline(REPO, args.baseline) if args.baseline else find_baseline(REPO)
    tree = install_baseline(REPO, rev, cache_folder())
    check_baseline(tree)
    head = git(REPO, "rev-parse", "--short", "HEAD")
    old = Engine("WeasyPrint", rev[:7], venv_python(tree), clean_env())
    here_is_weasyprint = is_weasyprint_engine((REPO / "pyproject.toml").read_text(),
                                              (REPO / "sopgen" / "pdf.py").read_text())
    new = Engine("WeasyPrint" if here_is_weasyprint else "Typst", f"checkout {head}", Path(sys.executable),
                 clean_env(PYTHONPATH=str(REPO)))
    say(f"WeasyPrint engine: {git(REPO, 'log', '-1', '--format=%h %cs %s', rev)[:100]}")
    if here_is_weasyprint:
        say("note: this checkout still makes its PDFs with WeasyPrint: the figures compare WeasyPrint with itself")

    with tempfile.TemporaryDirectory(prefix="sopgen-pdf-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        runs = []
        for tasks in args.tasks:
            project = work / f"corpus-{tasks}"
            say(f"generating {tasks:,} tasks into {project}")
            command = [sys.executable, str(HERE / "make_corpus.py"), "--tasks", str(tasks), "--out", str(project),
                       "--force"] + (["--roles", str(args.roles)] if args.roles else [])
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            runs.append((build_pdfs(old, tasks, project, work / f"pdf-{tasks}-weasyprint", args.jobs, work),
                         build_pdfs(new, tasks, project, work / f"pdf-{tasks}-checkout", args.jobs, work)))
        serial = None
        if args.serial and args.jobs > 1:
            largest = max(args.tasks)
            one = build_pdfs(new, largest, work / f"corpus-{largest}", work / f"pdf-{largest}-serial", 1, work)
            serial = (one, next(after for _, after in runs if after.tasks == largest))
        example = None
        if args.example:
            before = clone_example(rev, work / "example-weasyprint")
            after = clone_example("HEAD", work / "example-checkout")
            example = (build_example(old, before, work / "site-weasyprint", work),
                       build_example(new, after, work / "site-checkout", work),
                       build_example(new, after, work / "site-checkout", work, "--no-pdf"))

    print(f"PDF benchmark, {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, sopgen pdf -j {args.jobs}, "
          f"Python {sys.version.split()[0]}")
    print(report(runs, example, serial, old=old.label, new=new.label))
    if args.example and git(REPO, "diff", "--stat", rev, "HEAD", "--", *EXAMPLE):
        print(f"note: the example's sources changed between {rev[:7]} and HEAD (git diff {rev[:7]} HEAD -- "
              f"{' '.join(EXAMPLE)}): each engine built its own commit's")
    for before, after in runs:
        if before.pdfs != after.pdfs:
            print(f"note: at {before.tasks:,} tasks the engines wrote {before.pdfs} and {after.pdfs} PDFs")


if __name__ == "__main__":
    main()
