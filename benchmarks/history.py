"""History benchmark: what reading git history costs in a build.

    python benchmarks/history.py [--tasks 1000] [--commits 2000]

Generates a project (benchmarks/make_corpus.py), makes a repository of
`--commits` commits with `git fast-import` (the first adds every file, each
other one changes one SOP; every 50th renames one and the next renames it
back), then measures in the same
run: `read_history` alone, and `sopgen build --no-pdf` of the whole site, and
prints the share of the build that history takes.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sopgen.history.log import read_history  # noqa: E402


def fast_import_stream(project: Path, commits: int, seed: int = 7) -> bytes:
    """A git fast-import stream: all files in commit 1, then one change per commit."""
    rng = random.Random(seed)
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    contents = {f: (project / f).read_bytes() for f in files}
    tasks = [f for f in files if f.startswith("sops/tasks/")]
    out: list[bytes] = []
    stamp = 1_700_000_000

    def commit(n: int, message: str, ops: list[bytes]) -> None:
        data = message.encode()
        out.append(b"commit refs/heads/main\n")
        out.append(f"mark :{n}\n".encode())
        out.append(f"author Bench Author <b@example.com> {stamp + n * 3600} +0000\n".encode())
        out.append(f"committer Bench Author <b@example.com> {stamp + n * 3600} +0000\n".encode())
        out.append(f"data {len(data)}\n".encode() + data + b"\n")
        if n > 1:
            out.append(f"from :{n - 1}\n".encode())
        out.extend(ops)

    def modify(path: str, body: bytes) -> bytes:
        return f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n"

    commit(1, "Import the procedures", [modify(f, contents[f]) for f in files])
    final = dict(contents)
    # (each other commit changes one SOP; every 50th renames one, and the next renames it back)
    renamed: tuple[str, str] | None = None
    for n in range(2, commits + 1):
        path = rng.choice(tasks)
        if renamed is not None:  # and back, so that references to the id hold at the end
            old, new = renamed
            renamed = None
            commit(n, f"Rename {Path(new).stem} back", [f"R {new} {old}\n".encode()])
            continue
        if n % 50 == 0:  # a rename now and then, as people tidy up names
            renamed = (path, path.replace(".yml", "-draft.yml"))
            commit(n, f"Rename {Path(path).stem}", [f"R {path} {renamed[1]}\n".encode()])
            continue
        final[path] = final[path] + f"# revised in change {n}\n".encode()
        commit(n, f"Revise {Path(path).stem} (change {n})", [modify(path, final[path])])
    return b"".join(out) + b"done\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopgen-history-bench-") as tmp:
        project = Path(tmp) / "project"
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), "--tasks", str(args.tasks), "--out",
                        str(project)], check=True, stdout=subprocess.DEVNULL)
        stream = fast_import_stream(project, args.commits)
        subprocess.run(["git", "init", "-q", "-b", "main", str(project)], check=True)
        subprocess.run(["git", "-C", str(project), "fast-import", "--quiet", "--done"], input=stream, check=True)
        subprocess.run(["git", "-C", str(project), "checkout", "-q", "-f", "main"], check=True)

        start = time.perf_counter()
        history = read_history(project)
        history_seconds = time.perf_counter() - start
        versions = [h.version for h in history.files.values()]

        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sopgen", "build", "-q", "--no-pdf", "-f", str(project / "mkdocs.yml"),
                        "-d", str(Path(tmp) / "site")], check=True)
        build_seconds = time.perf_counter() - start

    print(f"History benchmark: {args.tasks:,} tasks, {args.commits:,} commits "
          f"({len(history.changes):,} touching sops/), {len(history.files):,} files with history, "
          f"versions up to {max(versions)}")
    print(f"read_history (one git log pass): {history_seconds:6.2f} s")
    print(f"sopgen build --no-pdf (whole):   {build_seconds:6.2f} s")
    print(f"history share of the build:      {100 * history_seconds / build_seconds:6.1f} %  (target < 10 %)")


if __name__ == "__main__":
    main()
