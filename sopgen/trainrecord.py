"""Training on paper: one person's printable record, and the owner's training matrix.

``record_html`` is the sheet an auditor asks for as evidence of training
(``sopgen train report PERSON -o FILE.pdf``): the person, their role, start
and trainer; every SOP of the role with the version signed off, its date and
who signed; blank signature lines for each SOP still open; the benchmarks
agreed on and the results. ``matrix_html`` is the owner's report's chapter of
people × SOPs. Both take :class:`sopgen.training.PersonStatus` as
:func:`sopgen.training.person_status` decides it: the states are never worked
out again here. Print HTML only; :mod:`sopgen.pdf` makes the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Optional

import jinja2
from markupsafe import Markup

from .branding import Brand, brand
from .catalog import Catalog
from .model import Result
from .printing import _in_learning_order, print_css
from .render import context, render_template, result_charts
from .training import PersonStatus, SopStatus, shown

RECORD_TEMPLATE = "pdf/training-record.html.j2"
MATRIX_TEMPLATE = "pdf/training-matrix.html.j2"


def record_html(catalog: Catalog, env: jinja2.Environment, status: PersonStatus, *, today: date, version: str,
                page_size: str = "A4", look: Optional[Brand] = None) -> str:
    """The print HTML of ``status.person``'s training record, printed on ``today`` from the
    handbook at ``version``."""
    person = status.person
    results: dict[str, list[Result]] = {}
    for result in sorted(person.data.results, key=lambda r: r.on):
        results.setdefault(result.benchmark, []).append(result)
    sops = in_learning_order(status.sops)
    look = look or brand(catalog)
    values = dict(
        context(catalog, today), title="Training record", person=person, status=status, sops=sops,
        to_sign=[s for s in sops if s.state != "current"] if person.active else [],
        results=results, people=catalog.people, version=version, page_size=page_size,
        stylesheet=Markup(print_css(page_size)), brand=look, shown=shown,
        charts=result_charts(status, look.color))
    return render_template(env, RECORD_TEMPLATE, values, root=catalog.root,
                           what=f"the training record of {person.id}")


def matrix_html(catalog: Catalog, env: jinja2.Environment, training: Sequence[PersonStatus], *,
                today: date) -> str:
    """The owner's report's chapter *Training*: for each role with people in training, its SOPs
    against its people, a count per person, and who must re-learn what."""
    by_role: dict[str, list[PersonStatus]] = {}
    for status in training:
        if status.person.role is not None:
            by_role.setdefault(status.person.role.id, []).append(status)
    groups = []
    for role in catalog.ordered_roles:
        people = by_role.get(role.id)
        if people and people[0].sops:  # the people of a role have the same SOPs: a row per SOP
            by_task = [{s.task.id: s for s in p.sops} for p in people]
            rows = [(sop.task, [theirs[sop.task.id] for theirs in by_task])
                    for sop in in_learning_order(people[0].sops)]
            groups.append({"role": role, "people": people, "rows": rows})
    relearn = [(status, sop) for status in training for sop in status.with_state("relearn")]
    values = dict(context(catalog, today), training=list(training), groups=groups, relearn=relearn,
                  people=catalog.people)
    return render_template(env, MATRIX_TEMPLATE, values, root=catalog.root, what="the owner's report, Training")


def in_learning_order(sops: list[SopStatus]) -> list[SopStatus]:
    """``sops`` (of one role) in the order the handbook teaches them: onboarding first, then prerequisites."""
    if not sops or sops[0].task.role is None:
        return sops
    rank = {task.id: i for i, task in enumerate(_in_learning_order(sops[0].task.role))}
    return sorted(sops, key=lambda s: rank.get(s.task.id, len(rank)))
