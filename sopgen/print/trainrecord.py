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
from ..text.filters import isodate
from ..text.i18n import N_, Language
from ..text.progress import result_charts
from .handbook import in_learning_order as handbook_order
from .printed import Printed, base

TEMPLATE = "training-record.typ"


def record(catalog: Catalog, status: PersonStatus, *, today: date, version: str, page_size: str = "A4",
           look: Optional[Brand] = None, lang: Optional[Language] = None) -> tuple[dict[str, Any], list[str]]:
    """The data of ``status.person``'s training record, printed on ``today`` from the handbook at
    ``version``, and the project files it shows (the logo); its words in ``lang`` (by default the
    organization's ``language``)."""
    person = status.person
    look = look or brand(catalog)
    printed = Printed(catalog, lang=lang)
    lang = printed.lang
    _ = lang.gettext
    version = _(version)  # "not under version control" in the record's language; a commit as it is
    trainer = _name(catalog, person.data.trainer) if person.data.trainer else None
    sops = in_learning_order(status.sops)
    to_sign = [s for s in sops if s.state != "current"] if person.active else []
    facts = [[_("Person"), person.name, person.id], [_("Role"), _role_title(person)],
             [_("Started"), isodate(person.data.started, lang)], [_("Trainer"), trainer or "—"],
             [_("Procedures"), _("%(done)s of %(total)s signed off and current",
                                 done=len(status.with_state("current")), total=len(status.sops))]]
    if not person.active:
        facts.append([_("Status"), _("Has left; the record is kept")])
    facts += [[_("Printed"), isodate(today, lang)], [_("Handbook version"), version]]
    data = base(catalog, title=_("Training record: %(name)s", name=person.name), today=today, version=version,
                page_size=page_size, look=look, printed=printed)
    data.update(
        person={"name": person.name, "id": person.id, "active": person.active, "source": person.source.rel},
        facts=facts,
        sops=[_sop_row(catalog, s, person, lang) for s in sops],
        to_sign=[_to_sign(catalog, s, person, lang) for s in to_sign],
        trainer_line=_("Trainer signature: %(name)s", name=trainer) if trainer else _("Trainer signature"),
        benchmarks=_benchmarks(status, look, lang),
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


def state_words(s: SopStatus, lang: Language, *, active: bool = True) -> str:
    """Where a person stands with an SOP, in words (the record's State column)."""
    _ = lang.gettext
    if s.state == "current":
        return _("Signed off, current")
    if not active:
        return _("Not signed off")
    if s.state == "relearn":
        return _("Must re-learn: v%(version)s is in force, to sign again", version=s.version)
    if s.state == "overdue":
        return _("Overdue: %(phase)s, due %(date)s", phase=s.phase, date=isodate(s.due, lang))
    if s.state == "due":
        return _("To learn: %(phase)s, by %(date)s", phase=s.phase, date=isodate(s.due, lang))
    return _("To learn: %(phase)s", phase=s.phase) if s.phase else _("To learn")


def _sop_row(catalog: Catalog, s: SopStatus, person: PersonEntry, lang: Language) -> dict[str, Any]:
    signed = s.signed
    return {
        "title": s.task.title, "id": s.task.id, "note": signed.note if signed and signed.note else None,
        "version": _version(s.version),
        "signed": "—" if not signed else (f"v{s.learned}, " if s.learned else "") + isodate(signed.on, lang),
        "by": _name(catalog, signed.by) if signed else "—",
        "state": s.state, "state_text": state_words(s, lang, active=person.active),
    }


def _to_sign(catalog: Catalog, s: SopStatus, person: PersonEntry, lang: Language) -> dict[str, Any]:
    _ = lang.gettext
    relearn = None
    if s.state == "relearn" and s.signed:
        values = {"version": s.learned, "date": isodate(s.signed.on, lang), "name": _name(catalog, s.signed.by)}
        relearn = {
            "signed": _("Signed off on v%(version)s on %(date)s by %(name)s; since then its steps changed:", **values)
            if s.signed.by else _("Signed off on v%(version)s on %(date)s; since then its steps changed:", **values),
            "changes": [lang.ngettext("v%(version)s, %(date)s: %(subject)s (%(num)s step changed)",
                                      "v%(version)s, %(date)s: %(subject)s (%(num)s steps changed)",
                                      len(c.steps), version=c.version, date=isodate(c.day, lang), subject=c.subject)
                        for c in s.changes],
            "again": _("It must be signed again, on v%(version)s.", version=s.version),
        }
    return {"title": s.task.title, "id": s.task.id, "version": _version(s.version), "state": s.state,
            "state_text": state_words(s, lang, active=person.active), "relearn": relearn}


def _benchmarks(status: PersonStatus, look: Brand, lang: Language) -> dict[str, Any]:
    person = status.person
    results: dict[str, list[Result]] = {}
    for result in sorted(person.data.results, key=lambda r: r.on):
        results.setdefault(result.benchmark, []).append(result)
    charts = result_charts(status, look.color, lang)
    agreed = person.data.agreed_benchmarks
    rows = []
    for b in status.benchmarks:
        bench = b.benchmark
        chart = charts.get(b.key)
        rows.append({
            "objective": bench.objective, "measure": bench.measure or None, "key": b.key,
            "target": bench.target or "—",
            "deadline": isodate(b.deadline, lang) if b.deadline else None, "by": bench.by or None,
            "results": [{"text": lang.gettext("%(value)s on %(date)s", value=shown(r.value, bench.unit),
                                              date=isodate(r.on, lang))
                         + {True: ", " + lang.gettext("met"), False: ", " + lang.gettext("not met"),
                            None: ""}[bench.met(r.value)],
                         "note": r.note or None} for r in results.get(b.key, [])],
            "chart": str(chart) if chart else None,
            "chart_alt": chart.alt if chart else None,
        })
    return {
        "rows": rows,
        "agreed": lang.gettext("Agreed on %(date)s as realistic and doable.", date=isodate(agreed, lang)) if agreed
        else lang.gettext("Not agreed on yet."),
        "to_agree": bool(rows) and not agreed and person.active,
    }


STATE_CELLS = {
    "current": N_("signed off, current"),
    "relearn": N_("must re-learn (v%(learned)s → v%(version)s)"),
    "overdue": N_("overdue (due %(date)s)"),
    "due": N_("not yet due (%(date)s)"),
    "open": N_("to learn"),
}


def _cell(s: SopStatus, lang: Language) -> dict[str, str]:
    """One person's state on one SOP, in the matrix: the state and its words."""
    if s.state == "current" and s.learned:
        text = lang.gettext("signed off v%(learned)s, current", learned=s.learned)
    else:
        text = lang.gettext(STATE_CELLS[s.state], learned=s.learned, version=s.version, date=isodate(s.due, lang))
    return {"state": s.state, "text": text}


def matrix(printed: Printed, training: Sequence[PersonStatus], *, today: date) -> dict[str, Any]:
    """The owner's report's chapter *Training*: how far each person is, who must re-learn what,
    and for each role with people in training its SOPs against its people, with a count per person."""
    lang = printed.lang
    _ = lang.gettext
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
                          "cells": [_cell(theirs[sop.task.id], lang) for theirs in by_task]}
                         for sop in in_learning_order(people[0].sops)],
                "counts": [_("%(done)s of %(total)s", done=len(p.with_state("current")), total=len(p.sops))
                           for p in people],
            })
    return {
        "kind": "training", "label": "training", "title": _("Training"), "level": 1, "on": isodate(today, lang),
        "people": [{"name": t.person.name, "role": _role_title(t.person),
                    "started": isodate(t.person.data.started, lang),
                    "current": _("%(done)s of %(total)s", done=len(t.with_state("current")), total=len(t.sops)),
                    "relearn": str(len(t.with_state("relearn"))), "overdue": str(len(t.with_state("overdue"))),
                    "later": str(len(t.with_state("due", "open")))} for t in training],
        "relearn": [{"person": t.person.name, "sop": printed.ref(s.task, s.task.title), "id": s.task.id,
                     "text": _relearn(s, lang)} for t in training for s in t.with_state("relearn")],
        "groups": groups,
    }


def _relearn(s: SopStatus, lang: Language) -> str:
    """What an SOP to re-learn was signed off on, and what changed its steps since."""
    changes = ", ".join(f"v{c.version} ({isodate(c.day, lang)}, “{c.subject}”)" for c in s.changes)
    signed = isodate(s.signed.on, lang) if s.signed else "—"
    return lang.gettext("signed off on v%(learned)s (%(date)s), now v%(version)s; its steps changed in %(changes)s.",
                        learned=s.learned, date=signed, version=s.version, changes=changes)


def in_learning_order(sops: list[SopStatus]) -> list[SopStatus]:
    """``sops`` (of one role) in the order the handbook teaches them: onboarding first, then prerequisites."""
    if not sops or sops[0].task.role is None:
        return sops
    rank = {task.id: i for i, task in enumerate(handbook_order(sops[0].task.role))}
    return sorted(sops, key=lambda s: rank.get(s.task.id, len(rank)))
