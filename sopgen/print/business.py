"""The chapters about the whole business, as data for the PDF templates: the tools, the
delegation arithmetic and the review status; the business's handbook and the owner's report
(:mod:`sopgen.print.report`) both hold them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.branding import Brand
from ..core.escape import markdown_text
from ..text.filters import Money, duration, hours, isodate
from ..text.i18n import N_
from ..text.views import review_groups, review_sections, tool_index, value_freed_chart
from .printed import Printed


def tools_chapter(printed: Printed) -> dict[str, Any]:
    """The chapter *Tools*: every tool, the roles that use it (with how they get access, and what for
    when they use it for different things) and its SOPs."""
    return {
        "kind": "tools", "label": "tools", "title": printed.lang.gettext("Tools"), "level": 1,
        "tools": [{"name": tool["name"], "url": tool["url"], "purpose": printed.md(tool["purpose"]),
                   "purpose_by_role": tool["purpose_by_role"],
                   "uses": [{"role": printed.ref(use["role"], use["role"].title),
                             "purpose": printed.md(use["purpose"]),
                             "access": printed.md(use["access"])} for use in tool["roles"]],
                   "sops": [printed.ref(t, t.title) for t in tool["tasks"]]}
                  for tool in tool_index(printed.catalog)],
    }


def reviews_chapter(printed: Printed, today: date) -> dict[str, Any]:
    """The chapter *Reviews*: the SOPs in force by review state, in the sections of the reviews page
    (:func:`sopgen.text.views.review_sections`)."""
    groups, lang = review_groups(printed.catalog, today), printed.lang
    return {
        "kind": "reviews", "label": "reviews", "title": lang.gettext("Reviews"), "level": 1,
        "every": duration(printed.catalog.organization.review_every, lang), "on": isodate(today, lang),
        "sections": [{"title": section.title, "kind": section.kind, "sops": [
            {"sop": printed.ref(t, t.title), "role": t.role.title if t.role else "",
             "maintainer": t.maintainer.title if t.maintainer else "—",
             "reviewed": isodate(t.reviewed, lang), "next": isodate(t.next_review, lang)} for t in groups[section.key]]}
            for section in review_sections(lang)],
    }


def delegation(printed: Printed, look: Brand, money: Money) -> dict[str, Any]:
    """The chapter *Delegation*: what each delegated task costs in the owner's time, what it costs
    to delegate, and the value freed; with ``money`` as the document shows it."""
    catalog, lang = printed.catalog, printed.lang
    _, ngettext = lang.gettext, lang.ngettext
    totals, owner = catalog.delegation_totals(), catalog.owner
    not_freeing = totals["not_freeing"]
    refused = "— (" + _("the owner would not do this") + ")"

    def hours_(value: Any) -> str:
        return hours(value, lang)

    def row(values: list[Any]) -> list[str]:
        return [str(v) for v in values]

    roles = []
    for role in catalog.ordered_roles:
        if role.is_owner:
            continue
        tasks = []
        for task in role.active_tasks:
            if task.frees_owner:
                tasks.append([printed.ref(task, task.title), hours_(task.weekly_hours), money(task.owner_cost),
                              money(task.delegate_cost), money(task.value_freed), money(task.value_freed, per=52)])
            else:
                tasks.append([printed.ref(task, task.title), hours_(task.weekly_hours), "—", money(task.delegate_cost),
                              refused, "—"])
        roles.append({
            "role": printed.ref(role, role.title),
            # plain text, as the page's sentence without its Markdown code marks
            "rate": _("Rate: %(amount)s an hour.", amount=money(role.rate)) if role.rate else
                    _("No rate set: add `rate:` to `%(file)s` to see what delegating costs.",
                      file=role.source.rel).replace("`", ""),
            "frees_nothing": role.frees_nothing,
            "tasks": tasks,
            "total": row([hours_(role.weekly_hours), money(role.owner_cost), money(role.delegate_cost),
                          refused if role.frees_nothing else money(role.value_freed),
                          "—" if role.frees_nothing else money(role.value_freed, per=52)]),
        })
    chart = str(value_freed_chart(catalog, money, look.color))
    unpriced, unpriced_roles = totals["unpriced"], totals["unpriced_roles"]
    # the delegation page's sentences (its messages), as Markdown made Typst markup; names as plain text
    intro = lang.typeset(N_(
        "What each delegated task would cost in %(owner)s's time, what it costs to delegate, and the "
        "difference: the value freed for work only the owner can do. Weekly hours are runs a week × the "
        "time one run takes (daily = 5 runs, monthly = 12/52, as-needed counts only its `hours_per_week`). "
        "Work the owner would never do herself (`frees_owner: false`) costs what it costs to delegate and "
        "frees nothing."), owner=markdown_text(owner.title) if owner else _("the owner"))
    if owner and owner.rate:
        intro += " " + lang.typeset(N_("The owner's time is valued at %(amount)s an hour."), amount=money(owner.rate))
    return {
        "kind": "delegation", "label": "delegation", "title": _("Delegation"), "level": 1,
        "owner": owner.title if owner else None,
        "owner_rate": money(owner.rate) if owner and owner.rate else None,
        "intro": printed.md(intro),
        "no_owner": printed.md(_("Set `owner:` in `sops/organization.yml` to the role whose time delegation "
                                 "frees, and give that role a `rate`.")),
        "totals": None if not totals["value_freed"] else {
            "week": row([hours_(totals["weekly_hours"]), money(totals["owner_cost"]), money(totals["delegate_cost"]),
                         money(totals["value_freed"])]),
            "year": row([hours_(totals["weekly_hours"] * 52), money(totals["owner_cost"], per=52),
                         money(totals["delegate_cost"], per=52), money(totals["value_freed"], per=52)]),
        },
        "chart": chart or None,
        "not_freeing": None if not not_freeing["tasks"] else ngettext(
            "Besides, %(hours)s a week of work the owner would not do herself (%(count)s task) costs %(cost)s a "
            "week to delegate (%(year)s a year). It frees nothing, so it is not in the figures above.",
            "Besides, %(hours)s a week of work the owner would not do herself (%(count)s tasks) costs %(cost)s a "
            "week to delegate (%(year)s a year). It frees nothing, so it is not in the figures above.",
            len(not_freeing["tasks"]), count=len(not_freeing["tasks"]), hours=hours_(not_freeing["weekly_hours"]),
            cost=money(not_freeing["delegate_cost"]), year=money(not_freeing["delegate_cost"], per=52)),
        "unpriced": None if not (owner and unpriced) else {
            "title": ngettext("%(count)s delegated task left out of these figures: no rate",
                              "%(count)s delegated tasks left out of these figures: no rate",
                              len(unpriced), count=len(unpriced)),
            "text": printed.md(ngettext(
                "%(roles)s has no `rate`, so what the work costs is unknown. Add `rate:` to `%(files)s` to count it.",
                "%(roles)s have no `rate`, so what the work costs is unknown. Add `rate:` to `%(files)s` to count it.",
                len(unpriced_roles), roles=markdown_text(", ".join(r.title for r in unpriced_roles)),
                files="`, `".join(r.source.rel for r in unpriced_roles)))},
        "roles": roles,
        "kept": None if not (owner and owner.active_tasks) else {
            "title": _("Kept by %(owner)s", owner=owner.title),
            "tasks": [[printed.ref(t, t.title), _("%(hours)s a week", hours=hours_(t.weekly_hours))]
                      for t in owner.active_tasks]},
    }
