"""The owner's private report (``sopgen report -o owner.pdf``): what is hers alone.

Pay and money are the owner's business. With ``publish_money: false`` they stay
off the site and the staff's handbooks (see :func:`sopgen.render.reference_pages`
and :class:`sopgen.filters.Withheld`); this report is where she reads them: what
delegating costs and frees, role by role and task by task; who is trained on
what (the training matrix, made by :func:`sopgen.trainrecord.matrix_html`, whatever
``publish_people`` says); and which SOPs are overdue for review. It is print HTML in the handbooks' look, made from the same
page templates; :mod:`sopgen.pdf` turns it into a PDF. This module does not
import WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Optional

import jinja2

from .branding import Brand, brand
from .catalog import Catalog
from .filters import Money
from .printing import Chapter, Printer
from .render import context, review_groups
from .trainrecord import matrix_html
from .training import PersonStatus

REPORT_TEMPLATE = "pdf/report.html.j2"


def report_html(catalog: Catalog, env: jinja2.Environment, *, today: date, version: str,
                page_size: str = "A4", look: Optional[Brand] = None, training: Sequence[PersonStatus] = ()) -> str:
    """The print HTML of the owner's report: delegation with money, whatever ``publish_money``
    says (it is the owner's own copy); the training matrix of ``training`` (each active person's
    status, see :func:`sopgen.training.team_status`), if anyone is in training; then the reviews
    that are overdue or due."""
    shared = context(catalog, today)
    shared["money"] = Money(catalog.organization.currency)
    look = look or brand(catalog)
    # links to the site's pages become plain text: the report stands alone
    printer = Printer(catalog, env, shared, lambda target: "#missing:", chapter_what="owner's report, {title}")
    totals = catalog.delegation_totals()
    reviews = review_groups(catalog, today)
    chapters = [
        printer.delegation(look),
        printer.chapter("reviews.md.j2", "reviews", "Reviews", 1, "reference", reviews=reviews),
    ]
    if training:
        chapters.insert(1, Chapter("training", "Training", 1, matrix_html(catalog, env, training, today=today),
                                   "reference"))
    return printer.document(
        REPORT_TEMPLATE, what="the owner's report", page_size=page_size, look=look,
        title="Owner's report", role=None, chapters=chapters, version=version,
        totals=totals, reviews=reviews, training=list(training),
        training_counts={state: sum(len(t.with_state(state)) for t in training) for state in ("relearn", "overdue")})
