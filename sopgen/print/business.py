"""The chapters about the whole business, as data for the PDF templates: the tools, the
delegation arithmetic and the review status; the business's handbook and the owner's report
(:mod:`sopgen.print.report`) both hold them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.branding import Brand
from ..text.filters import Money, hours, isodate, plural
from ..text.views import (
    REVIEW_SECTIONS,
    review_groups,
    tool_index,
    value_freed_chart,
)
from .printed import Printed


def tools_chapter(printed: Printed) -> dict[str, Any]:
    """The chapter *Tools*: every tool, the roles that use it (with how they get access, and what for
    when they use it for different things) and its SOPs."""
    return {
        "kind": "tools", "label": "tools", "title": "Tools", "level": 1,
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
    (:data:`sopgen.text.views.REVIEW_SECTIONS`)."""
    groups = review_groups(printed.catalog, today)
    return {
        "kind": "reviews", "label": "reviews", "title": "Reviews", "level": 1,
        "every": str(printed.catalog.organization.review_every), "on": isodate(today),
        "sections": [{"title": section.title, "kind": section.kind, "sops": [
            {"sop": printed.ref(t, t.title), "role": t.role.title if t.role else "",
             "maintainer": t.maintainer.title if t.maintainer else "—",
             "reviewed": isodate(t.reviewed), "next": isodate(t.next_review)} for t in groups[section.key]]}
            for section in REVIEW_SECTIONS],
    }


def delegation(printed: Printed, look: Brand, money: Money) -> dict[str, Any]:
    """The chapter *Delegation*: what each delegated task costs in the owner's time, what it costs
    to delegate, and the value freed; with ``money`` as the document shows it."""
    catalog = printed.catalog
    totals, owner = catalog.delegation_totals(), catalog.owner
    not_freeing = totals["not_freeing"]

    def row(values: list[Any]) -> list[str]:
        return [str(v) for v in values]

    roles = []
    for role in catalog.ordered_roles:
        if role.is_owner:
            continue
        tasks = []
        for task in role.active_tasks:
            if task.frees_owner:
                tasks.append([printed.ref(task, task.title), hours(task.weekly_hours), money(task.owner_cost),
                              money(task.delegate_cost), money(task.value_freed), money(task.value_freed, per=52)])
            else:
                tasks.append([printed.ref(task, task.title), hours(task.weekly_hours), "—", money(task.delegate_cost),
                              "— (the owner would not do this)", "—"])
        roles.append({
            "role": printed.ref(role, role.title),
            "rate": f"Rate: {money(role.rate)} an hour." if role.rate else
                    f"No rate set: add rate: to {role.source.rel} to see what delegating costs.",
            "frees_nothing": role.frees_nothing,
            "tasks": tasks,
            "total": row([hours(role.weekly_hours), money(role.owner_cost), money(role.delegate_cost),
                          "— (the owner would not do this)" if role.frees_nothing else money(role.value_freed),
                          "—" if role.frees_nothing else money(role.value_freed, per=52)]),
        })
    chart = str(value_freed_chart(catalog, money, look.color))
    unpriced = totals["unpriced"]
    return {
        "kind": "delegation", "label": "delegation", "title": "Delegation", "level": 1,
        "owner": owner.title if owner else None,
        "owner_rate": money(owner.rate) if owner and owner.rate else None,
        "totals": None if not totals["value_freed"] else {
            "week": row([hours(totals["weekly_hours"]), money(totals["owner_cost"]), money(totals["delegate_cost"]),
                         money(totals["value_freed"])]),
            "year": row([hours(totals["weekly_hours"] * 52), money(totals["owner_cost"], per=52),
                         money(totals["delegate_cost"], per=52), money(totals["value_freed"], per=52)]),
        },
        "chart": chart or None,
        "not_freeing": None if not not_freeing["tasks"] else (
            f"Besides, {hours(not_freeing['weekly_hours'])} a week of work the owner would not do herself "
            f"({plural(len(not_freeing['tasks']), 'task')}) costs {money(not_freeing['delegate_cost'])} a week to "
            f"delegate ({money(not_freeing['delegate_cost'], per=52)} a year). It frees nothing, so it is not in "
            "the figures above."),
        "unpriced": None if not (owner and unpriced) else {
            "title": f"{plural(len(unpriced), 'delegated task')} left out of these figures: no rate",
            "text": f"{', '.join(r.title for r in totals['unpriced_roles'])} "
                    f"{'has' if len(totals['unpriced_roles']) == 1 else 'have'} no rate, so what the work costs is "
                    f"unknown. Add rate: to {', '.join(r.source.rel for r in totals['unpriced_roles'])} to count it."},
        "roles": roles,
        "kept": None if not (owner and owner.active_tasks) else {
            "title": f"Kept by {owner.title}",
            "tasks": [[printed.ref(t, t.title), f"{hours(t.weekly_hours)} a week"] for t in owner.active_tasks]},
    }
