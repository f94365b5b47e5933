"""Images uploaded into ``sops/media/`` from the form, and the list of those there to choose from.

An upload must be what its name says (a PNG's bytes for ``.png``, and so on), at most
:data:`MAX_IMAGE_BYTES`, and an SVG must pass sopgen's own check (nothing that runs, nothing
fetched: :mod:`sopgen.core.svgcheck`). It never replaces a file: a name already taken by other
bytes is refused (409), the same bytes again are simply there.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ...core.svgcheck import svg_problem
from .places import IMAGE_TYPES, MEDIA, Refused, media_place

MAX_IMAGE_BYTES = 10 * 1024 * 1024
"""The largest image the editor takes: a screenshot is a few hundred kilobytes."""
SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
              ".gif": (b"GIF87a", b"GIF89a")}


def images(sops: Path) -> list[str]:
    """The images under ``sops/media/``, as a step names them (``media/x.png``)."""
    folder = sops / MEDIA
    if not folder.is_dir() or not folder.resolve().is_relative_to(sops.resolve()):
        return []
    return sorted(f"{MEDIA}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*")
                  if p.suffix.lower() in IMAGE_TYPES and p.is_file() and not p.name.startswith("."))


def upload(sops: Path, name: object, content_type: str, body: bytes) -> str:
    """Write ``body`` to ``sops/media/NAME`` and return the path a step names it by (``media/NAME``)."""
    target = media_place(sops, name)
    suffix = target.suffix
    if content_type.split(";")[0].strip().lower() != IMAGE_TYPES[suffix]:
        raise Refused(415, f"'{target.name}' must be sent as {IMAGE_TYPES[suffix]}, not {content_type or 'no type'}")
    if not _looks_like(body, suffix):
        raise Refused(415, f"'{target.name}' is not a {suffix[1:].upper()} image: its bytes are of another kind "
                           "of file; choose the picture itself")
    shown = f"{MEDIA}/{target.name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o644)
        if suffix == ".svg":
            problem = svg_problem(Path(temporary))
            if problem:
                raise Refused(415, f"'{target.name}' {problem}: sopgen does not publish such a picture")
        try:
            os.link(temporary, target)  # never over a file of that name, even one made a moment ago
        except FileExistsError:
            if target.read_bytes() != body:
                raise Refused(409, f"sops/{shown} exists and is another picture: give this one another name") from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return shown


def _looks_like(body: bytes, suffix: str) -> bool:
    if suffix == ".webp":
        return body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    if suffix == ".svg":
        return b"<svg" in body[:4096]
    return body.startswith(SIGNATURES[suffix])
