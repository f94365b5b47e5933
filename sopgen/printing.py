"""Print HTML for the PDF handbooks, from the same catalog and page templates.

``handbook_html(...)`` renders the chapters of a handbook (a role's manual,
onboarding guide, SOPs and checklists; or all of them, for the whole
business) with the page templates the site uses, turns their Markdown into
HTML, and puts them into ``pdf/handbook.html.j2`` with a cover and a table of
contents. Links between chapters become anchors inside the document. This
module does not import WeasyPrint (see :mod:`sopgen.pdf`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import jinja2
import markdown
from markupsafe import Markup

from .branding import Brand, brand
from .catalog import Catalog, RoleEntry, TaskEntry
from .ordering import learning_order
from .pagecheck import neutralise
from .render import (
    EXTENSIONS,
    reference_pages,
    _checklist_groups,
    _phases,
    render_template,
    checklists_path,
    onboarding_path,
    path_of,
    role_path,
    sop_path,
    context,
    review_groups,
    tool_index,
    value_freed_chart,
)

PAGE_SIZES = ("A4", "Letter")
HANDBOOK = "handbook"
"""The name of the PDF of the whole business: ``/pdf/handbook.pdf``."""


@dataclass
class Chapter:
    """One part of a handbook: its anchor, title, bookmark level and HTML."""

    anchor: str
    title: str
    level: int
    html: str = ""
    kind: str = ""
    children: list[Chapter] = field(default_factory=list)


def pdf_roles(catalog: Catalog) -> list[RoleEntry]:
    """Roles that get a PDF of their own: those with SOPs in force."""
    return [role for role in catalog.ordered_roles if role.active_tasks]


def handbook_names(catalog: Catalog) -> list[str]:
    """The PDFs a build makes: each role with SOPs in force, then the whole business."""
    return [role.id for role in pdf_roles(catalog)] + [HANDBOOK]


def pdf_path(name: str) -> str:
    """Where a handbook goes in the site: ``pdf/<role>.pdf`` or ``pdf/handbook.pdf``."""
    return f"pdf/{name}.pdf"


class _Converter:
    """Markdown → HTML with the site's extensions; one instance per heading level."""

    def __init__(self) -> None:
        self._by_level: dict[int, markdown.Markdown] = {}

    def __call__(self, text: str, *, baselevel: int, prefix: str) -> str:
        md = self._by_level.get(baselevel)
        if md is None:
            configs = {name: dict(options) for name, options in EXTENSIONS.items()}
            configs["toc"] = {"baselevel": baselevel, "permalink": False}
            md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=configs)
            self._by_level[baselevel] = md
        html = md.reset().convert(text)
        # heading ids repeat across chapters ("steps"): make them unique per chapter
        return re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}--{m.group(1)}"', html)


class Printer:
    """What every print document shares: chapters rendered from the site's templates, their
    Markdown made HTML and given the pages' last look (see pagecheck.py), and the document around
    them in the business's look."""

    def __init__(self, catalog: Catalog, env: jinja2.Environment, shared: dict[str, Any],
                 link: Callable[[Any], str], *, chapter_what: str = "PDF chapter {title}") -> None:
        self.catalog, self.env, self.shared, self.link = catalog, env, shared, link
        self.chapter_what = chapter_what
        """How an error names a chapter (``{title}`` is its title)."""
        self.convert = _Converter()

    def html(self, text: str, level: int, prefix: str) -> str:
        html = self.convert(text, baselevel=level, prefix=prefix)
        return html if self.catalog.organization.allow_html else neutralise(html)[0]

    def chapter(self, template: str, anchor: str, title: str, level: int, kind: str, **extra: Any) -> Chapter:
        values = dict(self.shared, page_path="", page_title=title, link=self.link, pdf=True, pdfs={}, **extra)
        text = render_template(self.env, template, values, root=self.catalog.root,
                               what=self.chapter_what.format(title=title))
        return Chapter(anchor, title, level, self.html(text, level, anchor), kind)

    def delegation(self, look: Brand) -> Chapter:
        return self.chapter("delegation.md.j2", "delegation", "Delegation", 1, "reference",
                            totals=self.catalog.delegation_totals(),
                            chart=value_freed_chart(self.catalog, self.shared["money"], look.color))

    def document(self, template: str, *, what: str, page_size: str, look: Brand, **values: Any) -> str:
        self.env.filters["markdown"] = lambda text: Markup(self.html(str(text or ""), 3, "md"))
        html = render_template(
            self.env, template,
            dict(self.shared, page_size=page_size, stylesheet=Markup(print_css(page_size)), flatten=_flatten,
                 brand=look, **values),
            root=self.catalog.root, what=what)
        return _unlink_missing(html)


def handbook_html(
    catalog: Catalog,
    env: jinja2.Environment,
    *,
    role: Optional[RoleEntry],
    today: date,
    version: str,
    page_size: str = "A4",
    look: Optional[Brand] = None,
) -> str:
    """The print HTML of one role's handbook, or of the whole business (``role=None``), in the
    business's ``look`` (by default the one organization.yml gives, see :mod:`sopgen.branding`)."""
    shared = context(catalog, today)
    roles = [role] if role is not None else pdf_roles(catalog)
    look = look or brand(catalog)
    included: dict[str, str] = {}  # page path → anchor, for links between chapters

    def plan(r: RoleEntry) -> None:
        included[role_path(r)] = f"role-{r.id}"
        included[onboarding_path(r)] = f"onboarding-{r.id}"
        included[checklists_path(r)] = f"checklists-{r.id}"
        for t in r.active_tasks:
            included[sop_path(t)] = f"sop-{t.id}"

    for r in roles:
        plan(r)
    if role is None:
        for path, _title in reference_pages(catalog).values():
            included[path] = path[:-3]

    def link(target: Any) -> str:
        path = path_of(target)
        if path.startswith("assets/sops/"):
            return (catalog.sops / path[len("assets/sops/"):]).relative_to(catalog.root).as_posix()
        return f"#{included[path]}" if path in included else f"#missing:{path}"

    printer = Printer(catalog, env, shared, link)
    chapter = printer.chapter

    def role_chapters(r: RoleEntry, *, nested: bool) -> list[Chapter]:
        """The manual heads the role's part; in the whole handbook the rest nests under it."""
        level = 2 if nested else 1
        manual = chapter("role.md.j2", f"role-{r.id}", r.title, 1, "manual", role=r)
        sops = Chapter(f"procedures-{r.id}", "Procedures", level, kind="part")
        sops.children = [chapter("sop.md.j2", f"sop-{t.id}", t.title, level + 1, "sop", task=t)
                         for t in _in_learning_order(r)]
        rest = [
            chapter("onboarding.md.j2", f"onboarding-{r.id}", f"Onboarding: {r.title}", level, "onboarding",
                    role=r, phases=_phases(r)),
            sops,
            chapter("checklists.md.j2", f"checklists-{r.id}", f"Checklists: {r.title}", level, "checklists",
                    role=r, groups=_checklist_groups(r)),
        ]
        if nested:
            manual.children = rest
            return [manual]
        return [manual, *rest]

    if role is not None:
        chapters = role_chapters(role, nested=False)
        title = f"{role.title} handbook"
    else:
        chapters = [c for r in roles for c in role_chapters(r, nested=True)]
        chapters.append(chapter("tools.md.j2", "tools", "Tools", 1, "reference", tools=tool_index(catalog)))
        if "delegation" in reference_pages(catalog):
            chapters.append(printer.delegation(look))
        chapters.append(chapter("reviews.md.j2", "reviews", "Reviews", 1, "reference",
                                reviews=review_groups(catalog, today)))
        title = "Operations handbook"

    return printer.document("pdf/handbook.html.j2", what="PDF document", page_size=page_size, look=look,
                            title=title, role=role, chapters=chapters, version=version)


def _in_learning_order(role: RoleEntry) -> list[TaskEntry]:
    """A role's SOPs in force, in onboarding order first, then by title."""
    seen: list[TaskEntry] = []
    for phase in role.onboarding:
        seen += [t for t in phase.tasks if t.status != "retired" and t.role is role]
    rest = [t for t in role.active_tasks if t not in seen]
    return learning_order(list(dict.fromkeys(seen + rest)))


def _flatten(chapters: list[Chapter]) -> list[Chapter]:
    out: list[Chapter] = []
    for c in chapters:
        out.append(c)
        out += _flatten(c.children)
    return out


def _unlink_missing(html: str) -> str:
    """Links to chapters that are not in this handbook become plain text."""
    return re.sub(r'<a href="#missing:[^"]*"[^>]*>(.*?)</a>', r"\1", html, flags=re.S)


@functools.lru_cache(maxsize=4)
def print_css(page_size: str) -> str:
    """sopgen's print stylesheet, for ``page_size`` (A4 or Letter)."""
    css = (Path(__file__).parent / "assets" / "print.css").read_text(encoding="utf-8")
    return css.replace("size: A4;", f"size: {page_size};")
