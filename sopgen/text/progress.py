"""A person's training as the pages and the training record show it: the matrix, the phases,
what to learn again and the words that changed, sign-offs, results and their charts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from ..core.catalog import Catalog
from ..core.entries import PersonEntry, benchmarks_of
from ..core.stepdiff import changed_words  # the training pages' words that changed, as in `sopgen changes`
from ..core.training import PersonStatus, due_date, learned_version, shown
from .charts import Chart
from .i18n import Language, language
from .linechart import Point, Target, line_chart


def training_matrix(catalog: Catalog, statuses: dict[str, PersonStatus]) -> list[dict[str, Any]]:
    """The training matrix, one table per role that has active people: ``role``, its SOPs in
    force (``tasks``, in the role's order) and ``people``: each active person's
    :class:`PersonStatus` with ``cells``, the :class:`SopStatus` of each of those SOPs."""
    tables = []
    for role in catalog.ordered_roles:
        team = [s for s in statuses.values() if s.person.role is role and s.person.active]
        if not team:
            continue
        tasks = [t for t in role.tasks if t.status == "active"]
        rows = [{"status": s, "person": s.person, "cells": {sop.task.id: sop for sop in s.sops}} for s in team]
        tables.append({"role": role, "tasks": tasks, "people": rows})
    return tables


def worded(status: PersonStatus, catalog: Catalog) -> PersonStatus:
    """A status worked out from the source catalog (due dates come from its phase names, ``Day 30``),
    its person, SOPs, phases and benchmarks as ``catalog``, a translation of it, words them."""
    person = catalog.people[status.person.id]
    if person.role is None or status.person.role is None:
        return replace(status, person=person)
    phases = {old.phase: new.phase for old, new in zip(status.person.role.onboarding, person.role.onboarding)}
    marks = benchmarks_of(person.role)
    return PersonStatus(
        person, [replace(sop, task=catalog.tasks[sop.task.id], phase=phases.get(sop.phase, sop.phase)) for sop in status.sops],
        [replace(b, benchmark=marks[b.key][0], source=marks[b.key][1]) if b.key in marks else b for b in status.benchmarks])


def person_phases(status: PersonStatus, source: Optional[PersonEntry] = None) -> list[dict[str, Any]]:
    """The onboarding phases of the person's role with their due date (``None`` for a phase not
    named ``Day N``/``Week N``/``Month N``; from the phases of ``source``, the person in the source
    catalog, when the status is :func:`worded` in a translation), the :class:`SopStatus` of each of
    their SOPs, and ``state``: done (every SOP signed off and current), relearn (signed off, one to
    re-learn), overdue, open, or goals (a phase with no SOP)."""
    role = status.person.role
    if role is None:
        return []
    named = (source or status.person).role or role
    dues = [due_date(phase.phase, status.person.data.started) for phase in named.onboarding]
    by_task = {sop.task.id: sop for sop in status.sops}
    out = []
    for index, phase in enumerate(role.onboarding):
        sops = [by_task[t.id] for t in phase.tasks if t.id in by_task]
        states = {sop.state for sop in sops}
        if not sops:
            state = "goals"
        elif states == {"current"}:
            state = "done"
        elif states <= {"current", "relearn"}:
            state = "relearn"
        elif "overdue" in states:
            state = "overdue"
        else:
            state = "open"
        out.append({"phase": phase.phase, "goals": phase.goals, "due": dues[index], "sops": sops, "state": state})
    return out


def person_relearn(status: PersonStatus) -> list[dict[str, Any]]:
    """What the person must re-learn: each SOP (``sop``, a :class:`SopStatus`) with the versions that
    changed its steps (``versions``: each ``change`` and its ``steps``, each ``step`` with ``words``,
    the runs of words that changed in a reworded step: (before, now), either may be empty; and
    ``fields``, each other field of the step that changed: ``field``, ``old``, ``new`` (``None``
    when it was not there) and its ``words``)."""
    return [{"sop": sop, "versions": [
        {"change": change, "steps": [{"step": step, "words": changed_words(step.old, step.new)
                                      if step.kind == "reworded" else [],
                                      "fields": [{"field": t.field, "old": t.old, "new": t.new,
                                                  "words": changed_words(t.old, t.new) if t.old and t.new else []}
                                                 for t in step.texts]} for step in change.steps]}
        for change in sop.changes]} for sop in status.with_state("relearn")]


def person_signoffs(catalog: Catalog, person: PersonEntry) -> list[dict[str, Any]]:
    """Every sign-off of the person, newest first: ``record`` (as written), ``task`` (or nothing,
    for an SOP no longer in the project), ``version`` (given, or the one in force on its day) and
    ``by`` (the person who signed them off, or nothing)."""
    out = []
    for record in sorted(person.data.trained, key=lambda r: r.on, reverse=True):
        task = catalog.tasks.get(record.sop)
        out.append({"record": record, "task": task, "version": learned_version(record, task) if task else record.version,
                    "by": catalog.people.get(record.by or "")})
    return out


def person_results(person: PersonEntry) -> list[dict[str, Any]]:
    """Every result of the person, newest first: ``on``, ``key``, ``benchmark`` (or nothing, for a
    benchmark no longer in force), ``value`` as people write it, ``met`` (True, False, or None when
    it cannot be told) and ``note``."""
    known = benchmarks_of(person.role) if person.role is not None else {}
    out = []
    for result in sorted(person.data.results, key=lambda r: (r.on, r.benchmark), reverse=True):
        benchmark = known.get(result.benchmark, (None, None))[0]
        out.append({"on": result.on, "key": result.benchmark, "benchmark": benchmark,
                    "value": shown(result.value, benchmark.unit if benchmark else None),
                    "met": benchmark.met(result.value) if benchmark else None, "note": result.note})
    return out


def result_charts(status: PersonStatus, color: str, lang: Optional[Language] = None) -> dict[str, Chart]:
    """A line chart of the person's numeric results against its target, by benchmark key, for each
    benchmark of their role (in the role's order) that has ``min`` or ``max`` and at least one numeric
    result; results written as text ("4 of 5 days") are left to the table. For the person page and
    the printed training record. Their words are in ``lang`` (English by default)."""
    lang = lang or language()
    person = status.person
    charts = {}
    for mark in status.benchmarks:
        benchmark = mark.benchmark
        if benchmark.min is None and benchmark.max is None:
            continue
        points = [Point(r.on, float(r.value), shown(r.value, benchmark.unit), benchmark.met(r.value))
                  for r in person.data.results if r.benchmark == mark.key and not isinstance(r.value, str)]
        if not points:
            continue
        charts[mark.key] = line_chart(
            points, ident=f"results-{mark.key}", title=benchmark.objective, color=color,
            summary=lang.gettext("%(name)s's results for %(objective)s, by date", name=person.name,
                                 objective=benchmark.objective),
            target=Target(benchmark.min, benchmark.max, target_words(benchmark.min, benchmark.max, benchmark.unit, lang)),
            deadline=(mark.deadline, benchmark.by or "") if mark.deadline else None, lang=lang)
    return charts


def target_words(low: Optional[float], high: Optional[float], unit: Optional[str],
                 lang: Optional[Language] = None) -> str:
    """A benchmark's ``min``/``max`` in words: ``at least 95%``, ``at most 2 days``, ``90% to 100%``."""
    _ = (lang or language()).gettext
    if low is not None and high is not None:
        return _("%(low)s to %(high)s", low=shown(low, unit), high=shown(high, unit))
    return _("at least %(value)s", value=shown(low, unit)) if low is not None else \
        _("at most %(value)s", value=shown(high, unit))
