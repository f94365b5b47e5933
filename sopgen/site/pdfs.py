"""The PDF handbooks a generated site links to, written into the built site: the last step of
a build, the same for every engine's adapter (the MkDocs plugin runs it after MkDocs wrote the
site, before it is put in place)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from .generate import Generated

if TYPE_CHECKING:
    from ..print.pdf import PdfResult


def make_pdfs(generated: Generated, site_dir: Path, *, page_size: str = "A4",
              progress: Optional[Callable[[int, Optional[str]], None]] = None,
              warn: Callable[[str], None] = lambda message: None) -> list[PdfResult]:
    """Write the handbooks that ``generated`` planned (:attr:`Generated.pdfs`) at their paths under
    ``site_dir``, in its brand and dated by its date. ``progress`` is called with the number of
    handbooks, then with it and each finished one's name; ``warn`` with each handbook's warnings
    (``pdf/bookkeeper.pdf: …``), once each. Raises :class:`sopgen.core.errors.SopgenError` when
    a handbook cannot be made."""
    if not generated.pdfs:
        return []
    from ..print import pdf  # the PDF engine is loaded only when handbooks are made

    jobs = pdf.plan(generated.catalog, site_dir / "pdf", roles=list(generated.pdfs), today=generated.today,
                    page_size=page_size, look=generated.look, lang=generated.lang)
    if progress is not None:
        progress(len(jobs), None)
    results = pdf.build(jobs, on_done=lambda r: progress(len(jobs), r.name) if progress is not None else None)
    for result in results:
        for warning in dict.fromkeys(result.warnings):
            warn(f"pdf/{result.target.name}: {warning}")
    return results


def summary(results: list[PdfResult]) -> str:
    """What a build says of its handbooks: ``sopgen: 3 PDF handbooks, 41 pages``."""
    return f"sopgen: {len(results)} PDF handbooks, {sum(r.pages for r in results):,} pages"
