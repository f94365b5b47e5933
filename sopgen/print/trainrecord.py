"""Training on paper: one person's printable record, and the owner's training matrix.

``record`` is the data of the sheet an auditor asks for as evidence of training
(``sopgen train report PERSON -o FILE.pdf``, laid out by
``templates/pdf/training-record.typ``): the person, their role, start and
trainer; every SOP of the role with the version signed off, its date and who
signed; blank signature lines for each SOP still open; the benchmarks agreed on
and the results. ``matrix`` is the owner's report's chapter of people × SOPs
(``templates/pdf/training-matrix.typ``). Both take
:class:`sopgen.core.training.PersonStatus` as :func:`sopgen.core.training.person_status`
decides it: the states are never worked out again here, only said in words,
so that they read without colour. Data only; :mod:`sopgen.print.pdf` makes the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Optional

from ..core.branding import Brand, brand
from ..core.catalog import Catalog
from ..core.entries import PersonEntry
from ..core.model import Result
from ..core.training import PersonStatus, SopStatus, shown
from ..text.filters import isodate, plural
from ..text.progress import result_charts
from .handbook import in_learning_order as handbook_order
from .printed import Printed, base

TEMPLATE = "training-record.typ"


def record(catalog: Catalog, status: PersonStatus, *, today: date, version: str, page_size: str = "A4",
           look: Optional[Brand] = None) -> tuple[dict[str, Any], list[str]]:
    """The data of ``status.person``'s training record, printed on ``today`` from the handbook at
    ``version``, and the project files it shows (the logo)."""
    person = status.person
    look = look or brand(catalog)
    printed = Printed(catalog)
    trainer = _name(catalog, person.data.trainer) if person.data.trainer else None
    sops = in_learning_order(status.sops)
    to_sign = [s for s in sops if s.state != "current"] if person.active else []
    facts = [["Person", person.name, person.id], ["Role", _role_title(person)],
             ["Started", isodate(person.data.started)], ["Trainer", trainer or "—"],
             ["Procedures", f"{len(status.with_state('current'))} of {len(status.sops)} signed off and current"]]
    if not person.active:
        facts.append(["Status", "Has left; the record is kept"])
    facts += [["Printed", isodate(today)], ["Handbook version", version]]
    data = base(catalog, title=f"Training record: {person.name}", today=today, version=version,
                page_size=page_size, look=look, printed=printed)
    data.update(
        person={"name": person.name, "id": person.id, "active": person.active, "source": person.source.rel},
        facts=facts,
        sops=[_sop_row(catalog, s, person) for s in sops],
        to_sign=[_to_sign(catalog, s, person) for s in to_sign],
        trainer_line=f"Trainer signature: {trainer}" if trainer else "Trainer signature",
        benchmarks=_benchmarks(status, look),
    )
    return data, printed.files


def _name(catalog: Catalog, ident: Optional[str]) -> str:
    """A person's name from their id, as the record says it (the id itself when unknown)."""
    if not ident:
        return "—"
    return catalog.people[ident].name if ident in catalog.people else ident


def _role_title(person: PersonEntry) -> str:
    return person.role.title if person.role else str(person.data.role)


def _version(number: Optional[int]) -> str:
    return f"v{number}" if number else "—"


def state_words(s: SopStatus, *, active: bool = True) -> str:
    """Where a person stands with an SOP, in words (the record's State column)."""
    if s.state == "current":
        return "Signed off, current"
    if not active:
        return "Not signed off"
    if s.state == "relearn":
        return f"Must re-learn: v{s.version} is in force, to sign again"
    if s.state == "overdue":
        return f"Overdue: {s.phase}, due {isodate(s.due)}"
    if s.state == "due":
        return f"To learn: {s.phase}, by {isodate(s.due)}"
    return f"To learn: {s.phase}" if s.phase else "To learn"


def _sop_row(catalog: Catalog, s: SopStatus, person: PersonEntry) -> dict[str, Any]:
    signed = s.signed
    return {
        "title": s.task.title, "id": s.task.id, "note": signed.note if signed and signed.note else None,
        "version": _version(s.version),
        "signed": "—" if not signed else (f"v{s.learned}, " if s.learned else "") + isodate(signed.on),
        "by": _name(catalog, signed.by) if signed else "—",
        "state": s.state, "state_text": state_words(s, active=person.active),
    }


def _to_sign(catalog: Catalog, s: SopStatus, person: PersonEntry) -> dict[str, Any]:
    relearn = None
    if s.state == "relearn" and s.signed:
        by = f" by {_name(catalog, s.signed.by)}" if s.signed.by else ""
        relearn = {
            "signed": f"Signed off on v{s.learned} on {isodate(s.signed.on)}{by}; since then its steps changed:",
            "changes": [f"v{c.version}, {isodate(c.day)}: {c.subject} ({plural(len(c.steps), 'step')} changed)"
                        for c in s.changes],
            "again": f"It must be signed again, on v{s.version}.",
        }
    return {"title": s.task.title, "id": s.task.id, "version": _version(s.version), "state": s.state,
            "state_text": state_words(s, active=person.active), "relearn": relearn}


def _benchmarks(status: PersonStatus, look: Brand) -> dict[str, Any]:
    person = status.person
    results: dict[str, list[Result]] = {}
    for result in sorted(person.data.results, key=lambda r: r.on):
        results.setdefault(result.benchmark, []).append(result)
    charts = result_charts(status, look.color)
    agreed = person.data.agreed_benchmarks
    rows = []
    for b in status.benchmarks:
        bench = b.benchmark
        chart = charts.get(b.key)
        rows.append({
            "objective": bench.objective, "measure": bench.measure or None, "key": b.key,
            "target": bench.target or "—",
            "deadline": isodate(b.deadline) if b.deadline else None, "by": bench.by or None,
            "results": [{"text": shown(r.value, bench.unit) + " on " + isodate(r.on)
                         + {True: ", met", False: ", not met", None: ""}[bench.met(r.value)],
                         "note": r.note or None} for r in results.get(b.key, [])],
            "chart": str(chart) if chart else None,
            "chart_alt": chart.alt if chart else None,
        })
    return {
        "rows": rows,
        "agreed": f"Agreed on {isodate(agreed)} as realistic and doable." if agreed else "Not agreed on yet.",
        "to_agree": bool(rows) and not agreed and person.active,
    }


STATE_CELLS = {
    "current": "signed off{learned}, current",
    "relearn": "must re-learn (v{s.learned} → v{s.version})",
    "overdue": "overdue (due {due})",
    "due": "not yet due ({due})",
    "open": "to learn",
}


def _cell(s: SopStatus) -> dict[str, str]:
    """One person's state on one SOP, in the matrix: the state and its words."""
    text = STATE_CELLS[s.state].format(s=s, learned=f" v{s.learned}" if s.learned else "", due=isodate(s.due))
    return {"state": s.state, "text": text}


def matrix(printed: Printed, training: Sequence[PersonStatus], *, today: date) -> dict[str, Any]:
    """The owner's report's chapter *Training*: how far each person is, who must re-learn what,
    and for each role with people in training its SOPs against its people, with a count per person."""
    by_role: dict[str, list[PersonStatus]] = {}
    for status in training:
        if status.person.role is not None:
            by_role.setdefault(status.person.role.id, []).append(status)
    groups = []
    for role in printed.catalog.ordered_roles:
        people = by_role.get(role.id)
        if people and people[0].sops:  # the people of a role have the same SOPs: a row per SOP
            by_task = [{s.task.id: s for s in p.sops} for p in people]
            groups.append({
                "role": printed.ref(role, role.title), "label": f"training-{role.id}",
                "people": [p.person.name for p in people],
                "rows": [{"sop": printed.ref(sop.task, sop.task.title), "id": sop.task.id,
                          "cells": [_cell(theirs[sop.task.id]) for theirs in by_task]}
                         for sop in in_learning_order(people[0].sops)],
                "counts": [f"{len(p.with_state('current'))} of {len(p.sops)}" for p in people],
            })
    return {
        "kind": "training", "label": "training", "title": "Training", "level": 1, "on": isodate(today),
        "people": [{"name": t.person.name, "role": _role_title(t.person), "started": isodate(t.person.data.started),
                    "current": f"{len(t.with_state('current'))} of {len(t.sops)}",
                    "relearn": str(len(t.with_state("relearn"))), "overdue": str(len(t.with_state("overdue"))),
                    "later": str(len(t.with_state("due", "open")))} for t in training],
        "relearn": [{"person": t.person.name, "sop": printed.ref(s.task, s.task.title), "id": s.task.id,
                     "text": _relearn(s)} for t in training for s in t.with_state("relearn")],
        "groups": groups,
    }


def _relearn(s: SopStatus) -> str:
    """What an SOP to re-learn was signed off on, and what changed its steps since."""
    changes = ", ".join(f"v{c.version} ({isodate(c.day)}, “{c.subject}”)" for c in s.changes)
    signed = isodate(s.signed.on) if s.signed else "—"
    return f"signed off on v{s.learned} ({signed}), now v{s.version}; its steps changed in {changes}."


def in_learning_order(sops: list[SopStatus]) -> list[SopStatus]:
    """``sops`` (of one role) in the order the handbook teaches them: onboarding first, then prerequisites."""
    if not sops or sops[0].task.role is None:
        return sops
    rank = {task.id: i for i, task in enumerate(handbook_order(sops[0].task.role))}
    return sorted(sops, key=lambda s: rank.get(s.task.id, len(rank)))
