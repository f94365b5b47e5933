"""The source format as pydantic models: one class per kind of YAML mapping.

Every field carries a description: it becomes the JSON Schema that editors
use for completion, and the format reference in the docs. Field names are a
contract with users (README.md, "The source format"): add, never rename.

The models check the shape of one file. Checks that need the whole project
(references, cycles, images, review dates) live in :mod:`sopgen.core.validate`.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Annotated, Any, Iterator, Literal, Optional, Union, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    model_validator,
)

from .yamlsource import YamlFloat, YamlInt

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
TAKEN_IDS = {
    "role": {"handbook": "/pdf/handbook.pdf, the PDF handbook of the whole business"},
    "task": {"index": "/sops/, the address of the SOP folder itself (not /sops/index/)"},
    "person": {},
}
"""Ids whose pages or PDFs would land on another generated address (README, "The site's addresses"):
a role's PDF is /pdf/<role>.pdf, an SOP's page sops/<task>.md."""


def slugify(text: str) -> str:
    """``Office Manager`` → ``office-manager``: an id made of what ``text`` holds (may be empty)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def taken_id(kind: str, ident: str) -> Optional[tuple[str, str]]:
    """Why ``ident`` cannot be the id of a ``kind`` (role or task) and an id that can be, or ``None``."""
    address = TAKEN_IDS[kind].get(ident)
    if address is None:
        return None
    return f"the {kind} id '{ident}' would take the site's address {address}", f"{ident}-{kind}"


def _as_text(value: Any) -> Any:
    # `title: 1.10` is text to its author, not the float 1.1: keep what was written.
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.raw
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_as_text)]
"""Plain text, shown literally."""
_MARKDOWN = WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"})
Markdown = Annotated[str, BeforeValidator(_as_text), _MARKDOWN]
"""Markdown text."""
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def _web_address(value: Any) -> Any:
    value = _as_text(value)
    if isinstance(value, str) and not _WEB_ADDRESS.match(value.strip()):
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise ValueError(f"'{shown}' is not a web address: write one that starts with https:// (or http://)")
    return value


WebAddress = Annotated[str, BeforeValidator(_web_address),
                       WithJsonSchema({"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"})]
"""An http or https address: other schemes (``javascript:``, ``data:``, ``file:``) are refused."""
Id = Annotated[str, BeforeValidator(_as_text), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
"""A reference to a role or task: its file name without `.yml`."""


LARGEST_NUMBER = 1_000_000_000
"""The largest number a numeric field takes (rates, hours, minutes): sums and products of such
numbers stay exact enough to show, and ``1e400`` (infinity to YAML) is refused."""


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


def _number(value: Any) -> Any:
    value = _not_bool(value)
    if isinstance(value, (int, float)) and not math.isnan(value) and abs(value) > LARGEST_NUMBER:
        shown = getattr(value, "raw", value)
        if value < 0:
            raise ValueError(f"the number {shown} is too small: at least {-LARGEST_NUMBER:,}")
        raise ValueError(f"the number {shown} is too large: at most {LARGEST_NUMBER:,}")
    return value


Number = Annotated[float, BeforeValidator(_number)]
NonNegative = Annotated[float, Field(ge=0), BeforeValidator(_number)]
"""A number at least 0. The bound comes before the validator so that the JSON Schema says
``minimum: 0`` (given on an optional field, pydantic would write a ``ge`` no validator knows)."""
Index = Annotated[int, BeforeValidator(_number)]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LATEST_DATE = date(9899, 12, 31)
"""The latest date a field takes: a review up to 100 years later (LONGEST) still has a date."""


def _date(value: Any) -> Any:
    value = _as_text(value)
    if isinstance(value, str) and not _DATE.match(value.strip()):
        raise ValueError(f"'{value}' is not a date: write YYYY-MM-DD, e.g. 2026-01-15")
    if not isinstance(value, (str, date)):
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
    year = int(value.strip()[:4]) if isinstance(value, str) else value.year
    if year > LATEST_DATE.year:
        raise ValueError(f"'{value}' is too far ahead: write a date up to {LATEST_DATE:%Y-%m-%d}")
    return value


DateField = Annotated[date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]


# -- durations ---------------------------------------------------------------------

_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?)?\s*(?:(?P<hm>\d+)\s*m(?:in(?:utes?)?)?)?"
    r"|(?P<m>\d+)\s*m(?:in(?:utes?)?)?"
    r"|(?P<n>\d+)\s*(?P<unit>days?|weeks?|months?))\s*$"
)
DURATION_PATTERN = (
    r"^\s*(\d+(\.\d+)?\s*h(ours?)?\s*(\d+\s*m(in(utes?)?)?)?|\d+\s*m(in(utes?)?)?"
    r"|\d+\s*(days?|weeks?|months?))\s*$"
)
DURATION_HELP = "write e.g. 45m, 4h, 1h30m, 3 days, 2 weeks or 6 months"

WORKDAY_HOURS = 8
WORKWEEK_DAYS = 5


@dataclass(frozen=True)
class Duration:
    """A length of time as written: ``45m``, ``1h30m``, ``3 days``, ``6 months``.

    Minutes and hours are working time. Days, weeks and months are calendar
    time when a date is moved (review intervals) and count as working time
    (8-hour days, 5-day weeks) when a task's effort is added up.
    """

    text: str
    minutes: int = 0
    days: int = 0
    months: int = 0

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _DURATION.match(text)
        if not m:
            raise ValueError(f"'{text}' is not a duration: {DURATION_HELP}")
        if m["h"] is not None:
            minutes = float(m["h"]) * 60 + float(m["hm"] or 0)
            _at_most(text, minutes / 60, "h")
            return cls(text, minutes=round(minutes))
        if m["m"] is not None:
            _at_most(text, float(m["m"]), "min")
            return cls(text, minutes=int(m["m"]))
        unit = m["unit"].rstrip("s")
        _at_most(text, float(m["n"]), unit + "s")
        n = int(m["n"])
        if unit == "day":
            return cls(text, days=n)
        if unit == "week":
            return cls(text, days=7 * n)
        return cls(text, months=n)

    @property
    def hours(self) -> float:
        """Working hours: what one run of a task takes."""
        return float(self.exact_hours)

    @property
    def exact_hours(self) -> Fraction:
        """:attr:`hours` as an exact fraction (a month is 52/12 working weeks), for money."""
        if self.months:
            return self.months * Fraction(52, 12) * WORKWEEK_DAYS * WORKDAY_HOURS
        if self.days:
            working_days = self.days // 7 * WORKWEEK_DAYS + self.days % 7
            return Fraction(working_days * WORKDAY_HOURS)
        return Fraction(self.minutes, 60)

    def after(self, start: date) -> date:
        """The calendar date this long after ``start`` (month ends clamp: Jan 31 + 1 month = Feb 28)."""
        if self.months:
            month0 = start.month - 1 + self.months
            year, month = start.year + month0 // 12, month0 % 12 + 1
            if year > date.max.year:
                return date.max
            day = min(start.day, calendar.monthrange(year, month)[1])
            return date(year, month, day)
        return days_after(start, self.days or max(1, -(-self.minutes // (24 * 60))))

    def __str__(self) -> str:
        return self.text.strip()


LONGEST = {"months": 1200, "weeks": 5218, "days": 36_525, "h": 876_600, "min": 52_596_000}
"""The longest duration in each unit, 100 years: a review interval (or a task) beyond it is a typo,
and dates moved by it stay within the calendar (see LATEST_DATE)."""


class DurationTooLong(ValueError):
    """A duration beyond LONGEST."""


def _at_most(text: str, amount: float, unit: str) -> None:
    if amount > LONGEST[unit]:
        shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."
        raise DurationTooLong(f"'{shown}' is too long: at most {LONGEST[unit]:,} {unit} (100 years)")


def days_after(start: date, days: int) -> date:
    """``start`` plus ``days``, or the last date of the calendar when that is beyond it
    (``--today 9999-12-31`` and due-soon windows must not overflow)."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max


def _duration(value: Any) -> Any:
    value = _as_text(value)
    if isinstance(value, str):
        return Duration.parse(value)
    return value


DurationField = Annotated[
    Duration,
    BeforeValidator(_duration),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["45m", "4h", "1h30m", "6 months"]}),
]


# -- building blocks ------------------------------------------------------------------

class Model(BaseModel):
    """Base of every mapping in the format: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_default(cls, data: Any) -> Any:
        # `tools:` left empty in YAML is null; for an optional field that means "none".
        if isinstance(data, dict):
            return {
                k: v for k, v in data.items()
                if v is not None or (k in cls.model_fields and cls.model_fields[k].is_required())
            }
        return data


class Tool(Model):
    """A tool a role needs to succeed."""

    name: Text = Field(description="Name of the tool, as tasks refer to it: \"QuickBooks Online\".")
    url: Optional[WebAddress] = Field(None, description="Where to find it (http or https address).")
    purpose: Optional[Markdown] = Field(None, description="What the role uses it for (Markdown).")
    access: Optional[Markdown] = Field(None, description="How the role gets access: who invites them, which account (Markdown).")


class Recording(Model):
    """A recorded training session."""

    title: Text = Field(description="Title of the recording.")
    url: WebAddress = Field(description="Where to watch it (http or https address).")
    minutes: Optional[NonNegative] = Field(None, description="Length in minutes.")


class Training(Model):
    """How a role learns the job."""

    method: Optional[Markdown] = Field(None, description="How the role is trained: shadowing, recorded sessions, reviews (Markdown).")
    recordings: list[Recording] = Field([], description="Recorded training sessions to watch.")


class Phase(Model):
    """One phase of a role's onboarding."""

    phase: Text = Field(description="Name of the phase on the timeline: \"Day 1\", \"Week 1\", \"Day 30\".")
    goals: list[Markdown] = Field([], description="What the new hire should reach in this phase (Markdown).")
    tasks: list[Id] = Field([], description="Ids of the tasks (SOPs) to learn in this phase.")


class Benchmark(Model):
    """A measurable objective both sides agree is doable."""

    objective: Text = Field(description="What success looks like: \"Invoices out within 2 business days\".")
    measure: Optional[Text] = Field(None, description="How it is measured: \"share of invoices sent on time\".")
    target: Optional[Text] = Field(None, description="The level to reach: \"95%\".")
    by: Optional[Text] = Field(None, description=(
        "When it should be reached: \"day 30\". `day N`, `week N` and `month N` are dated from a person's `started`."))
    id: Optional[Id] = Field(None, description=(
        "How results refer to it; by default the slug of objective. Unique within its file."))
    min: Optional[Number] = Field(None, description="The lowest result that meets it (a numeric result is met when at least min and at most max).")
    max: Optional[Number] = Field(None, description="The highest result that meets it.")
    unit: Optional[Text] = Field(None, description="The unit of a numeric result: \"%\", \"days\", \"calls\".")

    @property
    def key(self) -> str:
        """The id results give: ``id``, or the slug of ``objective``."""
        return self.id or slugify(self.objective)

    def met(self, value: Union[float, str]) -> Optional[bool]:
        """Whether a numeric ``value`` is within ``min``/``max``; ``None`` when that cannot be told."""
        if isinstance(value, str) or (self.min is None and self.max is None):
            return None
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Rate(Model):
    """An hourly cost given as a range."""

    min: Number = Field(ge=0, description="Lowest hourly cost.")
    max: Number = Field(ge=0, description="Highest hourly cost.")


def _rate(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"min": value, "max": value}
    return value


RateField = Annotated[
    Rate,
    BeforeValidator(_rate),
    WithJsonSchema({
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "object", "properties": {"min": {"type": "number", "minimum": 0},
                                              "max": {"type": "number", "minimum": 0}},
             "required": ["min", "max"], "additionalProperties": False},
        ],
    }),
]


class Step(Model):
    """One step of a procedure; steps can hold sub-steps."""

    do: Markdown = Field(description="What to do, as an instruction (Markdown).")
    details: Optional[Markdown] = Field(None, description="More detail on how to do it (Markdown).")
    why: Optional[Markdown] = Field(None, description="Why this step matters (Markdown).")
    tip: Optional[Markdown] = Field(None, description="A tip that makes it easier (Markdown).")
    warning: Optional[Markdown] = Field(None, description="What can go wrong and must be avoided (Markdown).")
    image: Optional[Text] = Field(None, description="An image, as a path under sops/: \"media/invoice.png\".")
    video: Optional[WebAddress] = Field(None, description="A video showing the step (http or https address).")
    steps: list[Step] = Field([], description="Sub-steps, with the same fields.")


class QuizQuestion(Model):
    """A knowledge check on a task."""

    question: Text = Field(description="The question.")
    choices: list[Text] = Field(min_length=2, description="The possible answers (at least two).")
    answer: Index = Field(ge=0, description="Index of the right answer in choices, counting from 0.")


# -- the kinds of file -------------------------------------------------------------

class Organization(Model):
    """sops/organization.yml: the business itself."""

    name: Text = Field(description="Business name, shown on the site and on PDF covers.")
    owner: Optional[Id] = Field(None, description="Role id of the owner: the person whose time delegation frees.")
    currency: Text = Field("USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the currency of every rate, e.g. USD, EUR, GBP.")
    review_every: DurationField = Field(Duration.parse("6 months"), description="How often every SOP should be checked against reality, unless a task says otherwise.")
    logo: Optional[Text] = Field(None, description="The business's logo, as a path under sops/: \"media/logo.svg\"; shown in the site's header and on PDF covers.")
    color: Optional[Text] = Field(None, pattern=COLOR_PATTERN, description="The brand's main colour, as #RRGGBB: the site's header bar, the PDFs' headings and cover.")
    publish_people: StrictBool = Field(False, description=(
        "true puts the training records on the site: the training matrix (/people/) and a page per person "
        "(/people/<person>/). false (the default): no page, PDF or search entry of the site names a person."))
    publish_money: StrictBool = Field(True, description=(
        "false keeps pay and money off everything handed to staff: no rates, no delegation page and no "
        "figure of value freed on the site or in its PDF handbooks; the owner gets them in her private report "
        "(sopgen report)."))
    allow_html: StrictBool = Field(False, description=(
        "Let Markdown fields carry raw HTML, attributes set with {...} and links of any scheme (javascript:, data:). "
        "Off by default, so that a contributor's file cannot put script into pages that staff open; "
        "turn it on only when every author of the project is trusted."))


class Role(Model):
    """sops/roles/<id>.yml: a role (a job) and its training manual."""

    title: Text = Field(description="Name of the role: \"Bookkeeper\".")
    summary: Markdown = Field(description="What this role is for (Markdown).")
    reports_to: Optional[Id] = Field(None, description="Role id this role reports to.")
    engagement: Optional[Text] = Field(None, description="How the role is engaged: \"part-time contractor\", \"employee\".")
    rate: Optional[RateField] = Field(None, description="Hourly cost in the organization's currency: a number, or {min, max}.")
    responsibilities: list[Markdown] = Field([], description="What the role owns (Markdown).")
    skills: list[Markdown] = Field([], description="What the role needs to know (Markdown).")
    tools: list[Tool] = Field([], description="The tools the role needs to succeed.")
    training: Optional[Training] = Field(None, description="How the role is trained, and recordings to watch.")
    onboarding: list[Phase] = Field([], description="The onboarding plan, phase by phase.")
    benchmarks: list[Benchmark] = Field([], description="How success in the role is measured.")
    frees_owner: StrictBool = Field(True, description=(
        "false for work the owner would never do herself (a clinic's sterilising): its hours count, "
        "but it frees none of the owner's time, so it adds no value freed; what it costs to delegate is still shown."))


Status = Literal["draft", "active", "retired"]
Frequency = Literal["daily", "weekly", "monthly", "quarterly", "yearly", "as-needed"]


class Task(Model):
    """sops/tasks/<id>.yml: one task and its standard operating procedure."""

    title: Text = Field(description="Name of the task, as an action: \"Send client invoices\".")
    role: Id = Field(description="Role id of who performs it.")
    purpose: Markdown = Field(description="Why the task matters (Markdown).")
    status: Status = Field("active", description="draft, active or retired; retired SOPs leave the checklists.")
    frequency: Optional[Frequency] = Field(None, description="How often it runs: daily, weekly, monthly, quarterly, yearly or as-needed.")
    duration: Optional[DurationField] = Field(None, description="Time one run takes: 45m, 4h, 1h30m.")
    hours_per_week: Optional[NonNegative] = Field(None, description="Weekly hours, overriding frequency × duration.")
    trigger: Optional[Text] = Field(None, description="What starts the task: \"First business day of the month\".")
    prerequisites: list[Id] = Field([], description="Ids of tasks to learn or finish first.")
    tools: list[Text] = Field([], description="Names of the tools used; each should be one of the role's tools.")
    steps: list[Step] = Field(min_length=1, description="The procedure, step by step (at least one).")
    checklist: list[Text] = Field([], description="The printable checklist; by default each step's `do`.")
    done_when: list[Markdown] = Field([], description="The definition of done (Markdown).")
    benchmarks: list[Benchmark] = Field([], description="How success at this task is measured.")
    quiz: list[QuizQuestion] = Field([], description="Questions that check what a learner understood.")
    maintainer: Optional[Id] = Field(None, description="Role id of who keeps this SOP true.")
    reviewed: Optional[DateField] = Field(None, description="Last time someone checked the SOP against reality: YYYY-MM-DD.")
    review_every: Optional[DurationField] = Field(None, description="How often to review it, overriding the organization's.")
    tags: list[Text] = Field([], description="Free-form labels for finding SOPs.")
    frees_owner: Optional[StrictBool] = Field(None, description=(
        "As for a role, for this task alone; by default its role's."))


def _number_or_text(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number or text, got {str(value).lower()} (put it in quotes to keep it as text)")
    if isinstance(value, (int, float)):
        return _number(value)
    return value


ResultValue = Annotated[Union[float, str], BeforeValidator(_number_or_text),
                        WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}]})]
Version = Annotated[int, Field(ge=1), BeforeValidator(_number)]


class SignOff(Model):
    """A sign-off: the person can run this SOP unsupervised."""

    sop: Id = Field(description="Task id of the SOP they were signed off on.")
    on: DateField = Field(description="The day of the sign-off: YYYY-MM-DD.")
    version: Optional[Version] = Field(None, description=(
        "The SOP's version they learned (the number of commits that had changed its file); "
        "by default the version in force on `on`."))
    by: Optional[Id] = Field(None, description="Person id of who signed them off.")
    note: Optional[Text] = Field(None, description="Anything worth keeping about the sign-off.")


class Result(Model):
    """A check-in against a benchmark."""

    benchmark: Text = Field(description=(
        "The benchmark: the id of one of the role's, or `<task-id>/<benchmark-id>` for one of its SOPs'."))
    on: DateField = Field(description="The day of the check-in: YYYY-MM-DD.")
    value: ResultValue = Field(description="What was measured: a number (checked against min and max) or text.")
    note: Optional[Text] = Field(None, description="Anything worth keeping about the result.")


PersonStatus = Literal["active", "left"]


class Person(Model):
    """sops/people/<id>.yml: one person's training record."""

    name: Text = Field(description="The person's name.")
    role: Id = Field(description="Role id of the role they are trained for.")
    started: DateField = Field(description="Their day 1: YYYY-MM-DD. Onboarding phases and benchmark deadlines are dated from it.")
    status: PersonStatus = Field("active", description="active or left; people who left keep their records and leave the matrix.")
    trainer: Optional[Id] = Field(None, description="Person id of who trains them.")
    agreed_benchmarks: Optional[DateField] = Field(None, description=(
        "The day they agreed their role's benchmarks are realistic and doable: YYYY-MM-DD."))
    trained: list[SignOff] = Field([], description="Sign-offs, one per SOP learned (and again after re-learning).")
    results: list[Result] = Field([], description="Check-ins against the benchmarks of their role and its SOPs.")


KINDS: dict[str, type[Model]] = {"organization": Organization, "role": Role, "task": Task, "person": Person}
"""The kinds of source file, by the name `sopgen schema` takes."""


def _unwrap(annotation: Any) -> Any:
    """The model class behind ``Optional[list[Step]]`` and the like, if any."""
    from typing import get_args, get_origin

    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (list, Union, Optional) or str(origin) == "types.UnionType":
        for arg in get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc`` inside ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _unwrap(info.annotation) if info else None
    return current


def markdown_values(value: BaseModel, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every Markdown field of ``value`` and the models inside it, with where it sits: ``(("steps", 0, "tip"), "…")``."""
    for name, markdown in _text_fields(type(value)):
        field_value = getattr(value, name)
        if field_value is None:
            continue
        items = enumerate(field_value) if isinstance(field_value, list) else [(None, field_value)]
        for i, item in items:
            here = loc + (name,) + (() if i is None else (i,))
            if isinstance(item, BaseModel):
                yield from markdown_values(item, here)
            elif markdown and isinstance(item, str):
                yield here, item


@functools.lru_cache(maxsize=None)
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """The fields of ``model`` that may hold Markdown or other models, each with whether it is Markdown
    (worked out once per class: validation walks every role and task)."""
    fields = []
    for name, info in model.model_fields.items():
        markdown = _MARKDOWN in info.metadata or _mentions(info.annotation, _MARKDOWN)
        if markdown or _unwrap(info.annotation) is not None:
            fields.append((name, markdown))
    return tuple(fields)


def _mentions(annotation: Any, marker: Any) -> bool:
    """Whether ``marker`` is among the Annotated metadata anywhere inside ``annotation``."""
    return any(arg is marker or _mentions(arg, marker) for arg in get_args(annotation))
