"""What every engine's build shares: the site folder that ``mkdocs.yml`` names, checked before
anything is written (:func:`check_output`), and the new site put in its place in one step only
when the whole build succeeded (:func:`swap`, :func:`recover`), so that a failure leaves the
last good site as it was. The engines' adapters (:mod:`sopgen.site.engines`) run their builds.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..core import outputs
from ..core.branding import Brand, brand
from ..core.catalog import Catalog
from ..core.errors import SopgenError
from .config import read as read_config


class BuildFailed(SopgenError):
    """The engine could not build the site (or warned, under --strict)."""


@dataclass
class BuildResult:
    site_dir: Path
    pages: int
    warnings: list[str]
    seconds: float
    pdfs: list[Path]


def check_output(config_file: Path, target: Optional[Path] = None, *, what: str = "the site",
                 shown: Optional[str] = None, example: str = "site", replaces: bool = True) -> None:
    """Refuse ``target`` (``shown`` as the user gave it), by default the site folder that
    ``mkdocs.yml`` names, as an output folder of this project (see :func:`outputs.refusal`)."""
    source = ""
    if target is None:
        config = read_config(config_file)
        target, shown = config.site_dir, config.site_dir_as_written
        source = f"site_dir in {config_file.name}"
    outputs.check(target, project=config_file.parent.resolve(), kept=_kept(config_file), what=what,
                  shown=shown or str(target), example=example, source=source, replaces=replaces)


def check_private_file(config_file: Path, target: Path, *, what: str, shown: str) -> None:
    """Refuse a private file (the owner's report) in the project's folders of work, and in the
    site folder too: whatever lies there is served to the staff."""
    kept, config = _kept(config_file), read_config(config_file)
    site = config.site_dir_as_written.rstrip("/\\")
    kept[f"site folder ({site}/)"] = config.site_dir
    outputs.check(target.parent, project=config_file.parent.resolve(), kept=kept, what=what, shown=shown,
                  example="reports", replaces=False)


def _kept(config_file: Path) -> dict[str, Path]:
    """The project's folders of work (:func:`outputs.kept_folders`), as ``mkdocs.yml`` names them."""
    config = read_config(config_file)
    return outputs.kept_folders(config.project, sops_dir=config.sops_dir, docs_dir=config.docs_dir_as_written)


def brand_of(config_file: Path, catalog: Catalog) -> Brand:
    """The PDFs' brand: organization.yml's, completed by what mkdocs.yml's ``theme`` says."""
    config = read_config(config_file)
    return brand(catalog, theme=config.theme, docs_dir=config.docs_dir)


_exchange = outputs.exchange


def swap(new: Path, final: Path) -> None:
    """Put ``new`` where ``final`` is. Where the system can exchange two folders in one step
    (Linux), ``final`` is never missing, even to a process killed mid-swap; elsewhere the old
    site is set aside, and put back by the next build if a kill came between the two renames.
    A ``final`` that cannot be moved (a mount point, such as a Docker volume) gets its contents
    replaced instead."""
    old = final.parent / f".{final.name}.sopgen-old"
    try:
        if final.exists() and _exchange(new, final):
            shutil.rmtree(new, ignore_errors=True)  # the old site, now
            return
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
    except OSError as exc:
        if exc.errno != errno.EBUSY:
            raise
        _replace_contents(new, final)
        return
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _replace_contents(new: Path, final: Path) -> None:
    """Replace what ``final`` holds by what ``new`` holds, keeping ``final`` itself: the old
    contents are set aside inside ``final`` first, and put back if the move fails."""
    aside = final / f".sopgen-old-{os.getpid()}-{secrets.token_hex(3)}"
    aside.mkdir()
    old_entries = [e for e in final.iterdir() if e != aside]
    for entry in old_entries:
        entry.rename(aside / entry.name)
    moved: list[Path] = []
    try:
        for entry in sorted(new.iterdir()):
            moved.append(final / entry.name)
            shutil.move(str(entry), str(final / entry.name))  # copies across file systems
    except BaseException:
        for path in moved:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        for entry in old_entries:
            (aside / entry.name).rename(entry)
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)


def recover(final: Path) -> None:
    """Put back a site that a build killed mid-swap had set aside (see :func:`swap`)."""
    old = final.parent / f".{final.name}.sopgen-old"
    if old.is_dir() and not final.exists():
        old.rename(final)
