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
from ..text.i18n import Language
from ..text.views import REVIEW_SECTIONS
from .business import delegation, reviews_chapter
from .printed import Printed, base
from .trainrecord import matrix

TEMPLATE = "report.typ"


def report(catalog: Catalog, *, today: date, version: str, page_size: str = "A4", look: Optional[Brand] = None,
           training: Sequence[PersonStatus] = (), lang: Optional[Language] = None) -> tuple[dict[str, Any], list[str]]:
    """The data of the owner's report, and the project files it shows: delegation with money,
    whatever ``publish_money`` says (it is the owner's own copy); the training matrix of
    ``training`` (each active person's status, see :func:`sopgen.core.training.team_status`), if anyone
    is in training; then the reviews (overdue, due soon, never reviewed, up to date). Its words are
    in ``lang`` (by default the organization's ``language``)."""
    look = look or brand(catalog)
    printed = Printed(catalog, lang=lang)  # no SOP is in the report: titles are plain text, never links
    lang = printed.lang
    _ = lang.gettext
    money = Money(catalog.organization.currency, lang)
    version = _(version)  # "not under version control" in the report's language; a commit as it is
    totals = catalog.delegation_totals()
    reviews = reviews_chapter(printed, today)
    chapters = [delegation(printed, look, money)]
    if training:
        chapters.append(matrix(printed, training, today=today))
    chapters.append(reviews)
    overdue = reviews["sections"][[s.key for s in REVIEW_SECTIONS].index("overdue")]
    facts = [[_("Date"), isodate(today, lang)], [_("Version"), version],
             [_("Delegating frees"), _("%(amount)s a week", amount=money(totals["value_freed"]))
              if totals["value_freed"] else _("unknown")]]
    if training:
        relearn = sum(len(t.with_state("relearn")) for t in training)
        late = sum(len(t.with_state("overdue")) for t in training)
        facts.append([_("Training"), _("%(relearn)s to re-learn, %(overdue)s overdue", relearn=relearn, overdue=late)])
    facts.append([_("Overdue reviews"), str(len(overdue["sops"]))])
    data = base(catalog, title=_("Owner's report"), today=today, version=version, page_size=page_size, look=look,
                printed=printed)
    data.update(
        summary=_("Private: pay, what delegating costs and frees, who is trained on what, and the SOPs due for "
                  "review. For the owner, not for the staff's handbook."),
        cover_facts=facts,
        chapters=chapters,
    )
    return data, printed.files
