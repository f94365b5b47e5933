"""The fonts of the PDFs: sopgen's bundled ones (``sopgen/print/fonts``) and Typst's embedded ones,
never the machine's, so another machine gives the same bytes; the one exception is a font for
Chinese, Japanese or Korean text, searched among the machine's fonts when a document holds such text
(bundling one would add 20 MB).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Optional

import typst

FONTS = Path(__file__).parent / "fonts"
"""The fonts bundled with sopgen (Roboto)."""
CJK_FAMILIES = ("Noto Sans CJK", "Noto Serif CJK", "Source Han Sans", "Source Han Serif", "WenQuanYi",
                "Droid Sans Fallback", "AR PL", "IPAexGothic", "IPAGothic", "IPA")
"""Installed fonts that show Chinese, Japanese and Korean text, by family name, the preferred first."""
NO_CJK_FONT = ("the PDFs hold Chinese, Japanese or Korean text, and no font for it is installed: install "
               "Noto Sans CJK (Debian/Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install "
               "google-noto-sans-cjk-fonts; elsewhere from https://github.com/notofonts/noto-cjk) and build "
               "again; until then that text prints as empty boxes, and those PDFs are not PDF/UA-1")
"""Said once per build, however many PDFs and characters it concerns."""


CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
                 "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")
"""Han, Hiragana, Katakana and Hangul characters, and their punctuation."""
_REGION = {"ja": " JP", "ko": " KR", "zh": " SC", "zh-tw": " TC", "zh-hk": " HK"}


def cjk_font(lang: str = "") -> Optional[tuple[str, list[str]]]:
    """An installed font for Chinese, Japanese and Korean text, the variant of ``lang`` when there
    is one: its family and its files; ``None`` when the machine has none."""
    families = installed_cjk_fonts()
    if not families:
        return None
    region = _REGION.get(lang.lower()) or _REGION.get(lang.lower().split("-")[0], " SC")
    family = next((f for f in families if f.endswith(region)), next(iter(families)))
    return family, families[family]


@functools.lru_cache(maxsize=None)
def installed_cjk_fonts() -> dict[str, list[str]]:
    """The machine's fonts of :data:`CJK_FAMILIES`, preferred first: family → files (searched once)."""
    fonts = [f for f in typst.Fonts(include_system_fonts=True, include_embedded_fonts=False).fonts() if f.path]
    found: dict[str, list[str]] = {}
    for prefix in CJK_FAMILIES:
        for family in sorted({f.family for f in fonts if f.family.startswith(prefix)}):
            found.setdefault(family, sorted({str(f.path) for f in fonts if f.family == family}))
    return found
