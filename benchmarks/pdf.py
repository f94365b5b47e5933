"""PDF benchmark: our handbooks against WeasyPrint's floor, and parallel against serial.

    python benchmarks/pdf.py [--tasks 1000] [--roles N] [--keep DIR]

Generates a project (benchmarks/make_corpus.py), then measures in the same run:

* serial: every handbook (one per role and the whole business) rendered one after the other;
* parallel: the same, in one process per CPU core (what `sopgen build` does);
* floor: WeasyPrint rendering one plain HTML file with as many pages as all the
  handbooks together (text only, no cover, no contents, no bookmarks).

and prints pages per second of each and the ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sopgen import pdf  # noqa: E402
from sopgen.loader import load  # noqa: E402

PARAGRAPH = ("Check every entry against the client's engagement letter before the invoice goes out. "
             "Totals must match the time report to the cent; never adjust hours to make them agree. ") * 6


def floor(pages: int, workdir: Path) -> float:
    """Seconds WeasyPrint takes to render one plain HTML file of ``pages`` pages."""
    import weasyprint

    body = "".join(f'<section style="break-after: page"><h1>Section {i}</h1>'
                   f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><ul>{'<li>Item to check</li>' * 8}</ul></section>"
                   for i in range(pages))
    html = f"<html><head><style>@page {{ size: A4; margin: 20mm }} body {{ font-family: sans-serif }}</style>" \
           f"</head><body>{body}</body></html>"
    start = time.perf_counter()
    document = weasyprint.HTML(string=html).render()
    document.write_pdf(workdir / "floor.pdf")
    seconds = time.perf_counter() - start
    assert len(document.pages) == pages, (len(document.pages), pages)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="Generate the project here and keep it.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sopgen-pdf-bench-") as tmp:
        project = args.keep or Path(tmp) / "project"
        command = [sys.executable, str(HERE / "make_corpus.py"), "--tasks", str(args.tasks), "--out", str(project),
                   "--force"]
        if args.roles:
            command += ["--roles", str(args.roles)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        catalog = load(project)
        start = time.perf_counter()
        jobs = pdf.plan(catalog, Path(tmp) / "serial", today=date(2026, 1, 1), version="bench")
        html_seconds = time.perf_counter() - start

        start = time.perf_counter()
        serial = pdf.build(jobs, processes=1)
        serial_seconds = time.perf_counter() - start

        for job in jobs:
            job.target = Path(tmp) / "parallel" / job.target.name
        start = time.perf_counter()
        parallel = pdf.build(jobs)
        parallel_seconds = time.perf_counter() - start

        pages = sum(r.pages for r in serial)
        assert pages == sum(r.pages for r in parallel)
        floor_seconds = floor(pages, Path(tmp))

    cores = os.cpu_count()
    rate = lambda s: pages / s  # noqa: E731
    print(f"PDF benchmark: {args.tasks:,} tasks, {len(catalog.roles)} roles, {len(jobs)} handbooks, "
          f"{pages:,} pages, {cores} cores")
    print(f"{'':34} {'seconds':>9} {'pages/s':>9} {'vs floor':>9}")
    print(f"{'print HTML (templates, Markdown)':34} {html_seconds:9.1f}")
    print(f"{'sopgen, serial':34} {serial_seconds:9.1f} {rate(serial_seconds):9.1f} {rate(serial_seconds) / rate(floor_seconds):8.2f}×")
    print(f"{'sopgen, parallel':34} {parallel_seconds:9.1f} {rate(parallel_seconds):9.1f} {rate(parallel_seconds) / rate(floor_seconds):8.2f}×")
    print(f"{'WeasyPrint floor (plain HTML)':34} {floor_seconds:9.1f} {rate(floor_seconds):9.1f} {1:8.2f}×")
    print(f"parallel over serial: {serial_seconds / parallel_seconds:.2f}× faster")


if __name__ == "__main__":
    main()
