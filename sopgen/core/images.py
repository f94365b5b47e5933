"""Images: paths under sops/, named by a step's ``image`` field, the logo, or Markdown text.

Whatever names it, an image is a file under ``sops/`` (``media/x.png``), and the site copies it
to ``assets/sops/<path>`` (:func:`sopgen.core.addresses.image_path`). An image written in
Markdown (``![the receipt](media/x.png)``) is one too: :func:`markdown_images` finds those of a
field as the site's Markdown reads it, and :func:`rebased` points them at that copy from the page
that shows the field. Addresses with a scheme (``https:``) or from the site's root (``/img/x.png``)
are not sopgen's and stay as written (:mod:`sopgen.core.mdcheck` rules on their schemes).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Optional
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor

from .addresses import image_path, relative
from .markdown import EXTENSIONS
from .mdcheck import scheme

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def is_project_image(address: str) -> bool:
    """Whether a Markdown image's ``address`` names a file under sops/: relative, with no scheme."""
    return bool(address) and not scheme(address) and not address.startswith(("/", "\\", "#", "?"))


def image_file(address: str) -> str:
    """The path under sops/ that a Markdown image's ``address`` names: ``media/my%20shot.png#x`` →
    ``media/my shot.png`` (an address is a URL: the browser decodes it)."""
    return unquote(re.split(r"[?#]", address, maxsplit=1)[0])


@lru_cache(maxsize=4096)
def markdown_images(text: str) -> tuple[str, ...]:
    """The addresses of the images under sops/ that Markdown ``text`` shows, in order, each once
    (inline ``![a](x)`` and by reference ``![a][r]``; not what is in code)."""
    if "![" not in text:
        return ()
    return tuple(dict.fromkeys(address for tag, address in markdown_addresses(text)
                               if tag == "img" and is_project_image(address)))


@lru_cache(maxsize=4096)
def markdown_addresses(text: str) -> tuple[tuple[str, str], ...]:
    """The links and images that Markdown ``text`` makes, in order, each once, as (tag, address):
    ``("img", "media/x.png")``, ``("a", "https://example.com")``; not what is in code."""
    if "[" not in text and "<" not in text:
        return ()
    md = _reader()
    md.reset()
    md.found = []
    md.convert(text)
    return tuple(dict.fromkeys(md.found))


def rebased(text: str, page: Optional[str]) -> str:
    """``text`` (Markdown) with its images under sops/ pointed at their copy in the site, from
    ``page`` (a page path, ``sops/x.md``); as it is without a page. A link to the same file
    (``[the form](media/form.png)``) is pointed there too."""
    found = markdown_images(text) if page else ()
    if not found:
        return text
    targets = {address: relative(page, image_path(address)) for address in found}  # type: ignore[arg-type]
    pattern = "|".join(re.escape(a) for a in sorted(found, key=len, reverse=True))
    # an address follows '](' (optionally '<') or starts a reference definition '[r]: '
    where = re.compile(rf"(\]\(\s*<?|^[ ]{{0,3}}\[[^\]\n]+\]:[ \t]*<?)({pattern})(?=[\s)>\"']|$)", re.MULTILINE)
    return where.sub(lambda m: m.group(1) + targets[m.group(2)], text)


@lru_cache(maxsize=1)
def _reader() -> markdown.Markdown:
    """Python-Markdown with the site's extensions, noting every link and image it makes."""
    configs = {name: dict(options) for name, options in EXTENSIONS.items()}
    md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=configs)
    md.treeprocessors.register(_Addresses(md), "sopgen_addresses", -1)
    return md


class _Addresses(Treeprocessor):
    def run(self, root: Element) -> None:
        self.md.found += [(el.tag, el.get("href") or el.get("src") or "")  # type: ignore[attr-defined]
                          for el in root.iter() if el.tag in ("a", "img")]


# -- checks -------------------------------------------------------------------------------

def image_problem(sops: Path, image: str) -> Optional[str]:
    """Why ``image`` (a path under ``sops``) cannot be used, or ``None`` when it can."""
    if "://" in image or image.startswith(("/", "\\")) or (len(image) > 1 and image[1] == ":"):
        return f"'{image}' must be a path under sops/, such as 'media/{Path(image).name or 'picture.png'}'"
    if not image.isprintable():  # a NUL byte would make the operating system refuse the path itself
        return f"'{image}' is not a file name: it holds a control character"
    if ".." in image.replace("\\", "/").split("/"):
        # the site copies the image to assets/sops/<image>: a '..' could aim that copy outside the site
        return f"'{image}' must not contain '..': write the path from sops/, such as 'media/{Path(image).name}'"
    target = sops / image
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError, ValueError):
        return f"'{image}' cannot be resolved"
    if not resolved.is_relative_to(sops.resolve()):
        return f"'{image}' points outside sops/; keep images in sops/media/"
    if not resolved.is_file():
        return f"file '{image}' does not exist under sops/{_meant(sops, image)}"
    if resolved.suffix.lower() not in IMAGE_SUFFIXES:
        return f"'{image}' is not an image ({', '.join(IMAGE_SUFFIXES)})"
    return None


def _meant(sops: Path, image: str) -> str:
    """`` — did you mean '…'?`` naming the file ``image`` was meant to be, if one is near enough:
    the same path in another case (``Media/X.PNG``), the path written from the project rather than
    from sops/ (``sops/media/x.png``), or a close spelling."""
    files = _images_under(sops)
    if not files:
        return ""
    written = PurePosixPath(image.replace("\\", "/"))
    by_case = {f.casefold(): f for f in files}
    parts = written.parts
    if len(parts) > 1 and parts[0].casefold() == sops.name.casefold():
        inner = PurePosixPath(*parts[1:]).as_posix()
        if inner.casefold() in by_case:
            return f" — did you mean '{by_case[inner.casefold()]}'? (image paths start from {sops.name}/)"
    if written.as_posix().casefold() in by_case:
        return f" — did you mean '{by_case[written.as_posix().casefold()]}'?"
    close = difflib.get_close_matches(written.as_posix().casefold(), list(by_case), n=1, cutoff=0.8)
    return f" — did you mean '{by_case[close[0]]}'?" if close else ""


def _images_under(sops: Path) -> list[str]:
    """The images under ``sops`` (paths from it), hidden folders left out."""
    found = []
    for path in sops.rglob("*"):
        rel = path.relative_to(sops)
        if path.suffix.lower() in IMAGE_SUFFIXES and not any(p.startswith(".") for p in rel.parts) \
                and path.is_file():
            found.append(rel.as_posix())
    return sorted(found)
