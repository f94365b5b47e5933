"""The owner's private report (``sopgen report -o owner.pdf``): what is hers alone.

Pay and money are the owner's business. With ``publish_money: false`` they stay
off the site and the staff's handbooks (see :func:`sopgen.core.addresses.reference_pages`
and :class:`sopgen.text.filters.Withheld`); this report is where she reads them: what
delegating costs and frees, role by role and task by task; who is trained on
what (the training matrix, :func:`sopgen.print.trainrecord.matrix`, whatever
``publish_people`` says); and which SOPs are overdue or due for review. This
module makes the report's data, which ``templates/pdf/report.typ`` lays out
with the handbook's pieces; :mod:`sopgen.print.pdf` makes the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Optional

from ..core.branding import Brand, brand
from ..core.catalog import Catalog
from ..core.training import PersonStatus
from ..text.filters import Money, isodate
from ..text.views import REVIEW_SECTIONS
from .business import delegation, reviews_chapter
from .printed import Printed, base
from .trainrecord import matrix

TEMPLATE = "report.typ"


def report(catalog: Catalog, *, today: date, version: str, page_size: str = "A4", look: Optional[Brand] = None,
           training: Sequence[PersonStatus] = ()) -> tuple[dict[str, Any], list[str]]:
    """The data of the owner's report, and the project files it shows: delegation with money,
    whatever ``publish_money`` says (it is the owner's own copy); the training matrix of
    ``training`` (each active person's status, see :func:`sopgen.core.training.team_status`), if anyone
    is in training; then the reviews (overdue, due soon, never reviewed, up to date)."""
    look = look or brand(catalog)
    money = Money(catalog.organization.currency)
    printed = Printed(catalog)  # no SOP is in the report: titles are plain text, never links
    totals = catalog.delegation_totals()
    reviews = reviews_chapter(printed, today)
    chapters = [delegation(printed, look, money)]
    if training:
        chapters.append(matrix(printed, training, today=today))
    chapters.append(reviews)
    overdue = reviews["sections"][[s.key for s in REVIEW_SECTIONS].index("overdue")]
    facts = [["Date", isodate(today)], ["Version", version],
             ["Delegating frees", f"{money(totals['value_freed'])} a week" if totals["value_freed"] else "unknown"]]
    if training:
        relearn = sum(len(t.with_state("relearn")) for t in training)
        late = sum(len(t.with_state("overdue")) for t in training)
        facts.append(["Training", f"{relearn} to re-learn, {late} overdue"])
    facts.append(["Overdue reviews", str(len(overdue["sops"]))])
    data = base(catalog, title="Owner's report", today=today, version=version, page_size=page_size, look=look,
                printed=printed)
    data.update(
        summary="Private: pay, what delegating costs and frees, who is trained on what, and the SOPs due for "
                "review. For the owner, not for the staff's handbook.",
        cover_facts=facts,
        chapters=chapters,
    )
    return data, printed.files
