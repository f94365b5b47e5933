"""The PDF handbooks: which a build makes, where they go, and the data of each, which
``templates/pdf/handbook.typ`` lays out.

``handbook(...)`` turns the catalog into one JSON-able dict per handbook (a role's manual,
onboarding guide, SOPs and checklists, :mod:`sopgen.print.rolechapters`; or all of them and the
chapters about the whole business, :mod:`sopgen.print.business`) and the list of project files it
shows (step images, the logo). A link to a page that is in the document becomes a link to its
label; any other becomes plain text (:class:`sopgen.print.printed.Printed`). This module does not
import the PDF engine (see :mod:`sopgen.print.pdf`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from ..core.addresses import checklists_path, onboarding_path, reference_pages, role_path, sop_path
from ..core.branding import Brand, brand
from ..core.catalog import Catalog
from ..core.entries import RoleEntry, TaskEntry
from ..core.ordering import learning_order
from ..text.filters import isodate, staff_money
from ..text.i18n import Language
from .business import delegation, reviews_chapter, tools_chapter
from .markup import Converter
from .printed import Printed, base, part_of, plain
from .rolechapters import checklists_chapter, choice_letter, manual_chapter, onboarding_chapter, sop_chapter
from .untranslated import cover_fact, not_translated_yet

PAGE_SIZES = ("A4", "Letter")
HANDBOOK = "handbook"
"""The name of the PDF of the whole business: ``/pdf/handbook.pdf``."""
TEMPLATE = "handbook.typ"


def pdf_roles(catalog: Catalog) -> list[RoleEntry]:
    """Roles that get a PDF of their own: those with SOPs in force."""
    return [role for role in catalog.ordered_roles if role.active_tasks]


def handbook_names(catalog: Catalog) -> list[str]:
    """The PDFs a build makes: each role with SOPs in force, then the whole business."""
    return [role.id for role in pdf_roles(catalog)] + [HANDBOOK]


def pdf_path(name: str) -> str:
    """Where a handbook goes in the site: ``pdf/<role>.pdf`` or ``pdf/handbook.pdf``."""
    return f"pdf/{name}.pdf"


def handbook(catalog: Catalog, *, role: Optional[RoleEntry], today: date, version: str,
             page_size: str = "A4", look: Optional[Brand] = None,
             converter: Optional[Converter] = None, lang: Optional[Language] = None) -> tuple[dict[str, Any], list[str]]:
    """The data of one role's handbook, or of the whole business (``role=None``), in the
    business's ``look`` (by default organization.yml's), and the project files it shows; its words
    in ``lang`` (by default the organization's ``language``). Handbooks made with the same
    ``converter`` (:func:`converter_for`) convert a text once."""
    roles = [role] if role is not None else pdf_roles(catalog)
    look = look or brand(catalog)
    labels: dict[str, str] = {}
    for r in roles:
        labels[role_path(r)] = f"role-{r.id}"
        if r.has_onboarding:
            labels[onboarding_path(r)] = f"onboarding-{r.id}"
        if r.has_checklists:
            labels[checklists_path(r)] = f"checklists-{r.id}"
        for t in r.active_tasks:
            labels[sop_path(t)] = f"sop-{t.id}"
    references = reference_pages(catalog) if role is None else {}
    for path, _title in references.values():
        labels[path] = path[:-3]
    printed = Printed(catalog, labels, converter=converter, lang=lang)
    lang = printed.lang
    _ = lang.gettext
    version = _(version)  # "not under version control" in the document's language; a commit as it is
    chapters: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    nested = role is None
    for r in roles:
        level = 2 if nested else 1
        with part_of(r, printed):  # a role or an SOP nobody has translated yet says so once, in its note
            chapters.append(manual_chapter(printed, r))
        if r.has_onboarding:
            with part_of(r, printed):  # the role's texts too, which its manual's note speaks for
                chapters.append(onboarding_chapter(printed, r, level))
        sops = in_learning_order(r)
        chapters.append({"kind": "part", "label": f"procedures-{r.id}", "title": _("Procedures"), "level": level,
                         "role": r.title, "sops": [printed.ref(t, t.title) for t in sops]})
        for n, t in enumerate(sops):
            with part_of(t, printed) as quiet:  # its answers too, unmarked as in its part
                chapters.append(sop_chapter(printed, t, level + 1, first=n == 0))
                if t.quiz:
                    answers.append({"sop": printed.ref(t, t.title),
                                    "untranslated": not_translated_yet(printed) if quiet else None, "answers": [
                        {"letter": choice_letter(q.answer), **plain(choice=q.choices[q.answer])} for q in t.quiz]})
        if r.has_checklists:
            chapters.append(checklists_chapter(printed, r, level))
    if role is None:
        chapters.append(tools_chapter(printed))
        if "delegation" in references:
            chapters.append(delegation(printed, look, staff_money(catalog.organization, lang)))
        chapters.append(reviews_chapter(printed, today))
    if role is not None:
        title = _("%(role)s handbook", role=role.title)
        facts = [[_("Date"), isodate(today, lang)], [_("Version"), version],
                 [_("Procedures"), _("%(count)s in force", count=len(role.active_tasks))]]
    else:
        title = _("Operations handbook")
        facts = [[_("Date"), isodate(today, lang)], [_("Version"), version], [_("Roles"), str(len(catalog.ordered_roles))],
                 [_("Procedures"), _("%(count)s in force", count=len(catalog.active_tasks))]]
    stale = cover_fact(printed, [*roles, *(t for r in roles for t in r.active_tasks)])
    if stale:
        facts.append(stale)
    data = base(catalog, title=title, today=today, version=version, page_size=page_size, look=look, printed=printed)
    data.update(
        kind="role" if role is not None else "business",
        summary=printed.md(role.summary, 1) if role is not None else None,
        summary_text=None if role is not None else _("Every role, its procedures, onboarding and checklists."),
        cover_facts=facts,
        cover_note=_("A printed copy is a snapshot: the procedures in force are those of the handbook site. "
                     "Check the version above against it."),
        chapters=chapters,
        answers=answers,
    )
    return data, printed.files


def in_learning_order(role: RoleEntry) -> list[TaskEntry]:
    """A role's SOPs in force, in onboarding order first, then by title."""
    seen: list[TaskEntry] = []
    for phase in role.onboarding:
        seen += [t for t in phase.tasks if t.status != "retired" and t.role is role]
    rest = [t for t in role.active_tasks if t not in seen]
    return learning_order(list(dict.fromkeys(seen + rest)))
