"""The site's navigation, in ``mkdocs.yml``'s ``nav`` format: made from the catalog, grouped so
that no list grows past :data:`NAV_LIST` entries, and merged with a project's own ``nav``.
"""

from __future__ import annotations

from typing import Any, Optional

from ..core.addresses import (
    checklists_path,
    home_path,
    onboarding_path,
    people_path,
    person_path,
    published_people,
    reference_pages,
    role_path,
    sop_path,
)
from ..core.catalog import Catalog
from ..core.entries import RoleEntry, TaskEntry
from ..core.escape import html_text
from ..core.ordering import by_frequency
from ..text.i18n import N_, Language, language
from ..text.views import frequency_title

NAV_LIST = 20
"""The most entries a list in the navigation holds before it is grouped."""
REFERENCE_TITLES = {"tools": N_("Tools"), "delegation": N_("Delegation"), "reviews": N_("Reviews"),
                    "changelog": N_("Changelog")}
"""The reference pages' titles (:data:`sopgen.core.addresses.REFERENCE`), to be translated."""


def navigation(catalog: Catalog, lang: Optional[Language] = None) -> list[Any]:
    """Home · Roles: each role (manual, onboarding, checklists, SOPs) · Reference.

    With ``navigation.prune`` a page carries the entries of the sections it is in and one link
    per other section, so no list is let grow past NAV_LIST entries: the roles and a role's SOPs
    are grouped beyond it. The navigation of a page then stays the same size however large the
    handbook grows. Its words are in ``lang`` (by default the organization's ``language``).
    """
    lang = lang or language(catalog.organization.language)
    _ = lang.gettext
    roles = []
    for role in catalog.ordered_roles:
        section: list[Any] = [role_path(role)]
        if role.has_onboarding:
            section.append({_("Onboarding"): onboarding_path(role)})
        if role.has_checklists:
            section.append({_("Checklists"): checklists_path(role)})
        if role.tasks:
            section.append({_("SOPs"): _sops_nav(role, lang)})
        roles.append((role.title, section))
    nav = [{_("Home"): home_path()}, {_("Roles"): _runs(roles)},
           {_("Reference"): [{_(REFERENCE_TITLES[kind]): path} for kind, (path, _title) in reference_pages(catalog).items()]}]
    people = published_people(catalog)
    if catalog.organization.publish_people:  # the matrix is the section's own page; people who left are marked, as retired SOPs
        nav.append({_("People"): [people_path(), *_runs(
            [(p.name if p.active else _("%(name)s (left)", name=p.name), person_path(p)) for p in people])]})
    return nav


def _sops_nav(role: RoleEntry, lang: Language) -> list[Any]:
    """A role's SOPs; beyond NAV_LIST of them, grouped by frequency (and long groups in runs)."""
    in_force = [t for t in role.tasks if t.status != "retired"]
    retired = [t for t in role.tasks if t.status == "retired"]
    if len(role.tasks) <= NAV_LIST:
        return _runs([_sop_entry(t, lang) for t in in_force + retired])
    groups = [{frequency_title(freq, lang): _runs([_sop_entry(t, lang) for t in tasks], keep_order=True)}
              for freq, tasks in by_frequency(in_force)]
    return groups + ([{lang.gettext("Retired"): _runs([_sop_entry(t, lang) for t in retired])}] if retired else [])


def _sop_entry(task: TaskEntry, lang: Language) -> tuple[str, str]:
    marks = {"draft": N_("%(title)s (draft)"), "retired": N_("%(title)s (retired)")}
    return (lang.gettext(marks[task.status], title=task.title) if task.status in marks else task.title), sop_path(task)


def _runs(entries: list[tuple[str, Any]], *, keep_order: bool = False) -> list[dict[str, Any]]:
    """Navigation entries from (title, target) pairs; beyond NAV_LIST, cut into runs titled by
    their first and last entries' first words ("Audit – Prepare"): alphabetical runs, or runs in
    the given order with ``keep_order`` (a role's SOPs of one frequency, in the role's order)."""
    if len(entries) <= NAV_LIST:
        return [{nav_title(title): target} for title, target in entries]
    if not keep_order:
        entries = sorted(entries, key=lambda entry: entry[0].casefold())
    runs = [entries[i:i + NAV_LIST] for i in range(0, len(entries), NAV_LIST)]
    return [{f"{_first_word(run[0][0])} – {_first_word(run[-1][0])}": _runs(run)} for run in runs]


def _first_word(title: str) -> str:
    return nav_title(title.split()[0]) if title.split() else ""


def nav_title(text: str) -> str:
    """A plain-text title for the navigation, which themes insert as HTML."""
    return html_text(text)


def merge_nav(user_nav: Optional[list[Any]], generated: list[Any], handwritten: list[str]) -> list[Any]:
    """The user's nav when given (plus the generated sections it lacks), or ours with their pages after Home."""
    if user_nav:
        return list(user_nav) + _not_in(generated, _nav_paths(user_nav))
    home, rest = generated[0], generated[1:]
    pages = [p for p in handwritten if p != home_path()]
    return [home, *pages, *rest]


def _not_in(items: list[Any], mentioned: set[str]) -> list[Any]:
    """The entries of ``items`` whose pages ``mentioned`` lacks; a section keeps its missing part."""
    missing: list[Any] = []
    for item in items:
        paths = _nav_paths(item)
        if not paths & mentioned:
            missing.append(item)
        elif not paths <= mentioned and isinstance(item, dict):
            (title, children), = item.items()
            if isinstance(children, list) and (rest := _not_in(children, mentioned)):
                missing.append({title: rest})
    return missing


def _nav_paths(nav: Any) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    values = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else []
    return set().union(set(), *(_nav_paths(v) for v in values))
