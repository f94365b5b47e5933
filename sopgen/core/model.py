"""The source format as pydantic models: one class per kind of YAML mapping.

Every field carries a description: it becomes the JSON Schema that editors
use for completion, and the format reference in the docs. Field names are a
contract with users (README.md, "The source format"): add, never rename.
The types of their values (text, Markdown, ids, numbers, dates, durations)
are in :mod:`sopgen.core.fields` and :mod:`sopgen.core.durations`.

The models check the shape of one file. Checks that need the whole project
(references, cycles, images, review dates) live in :mod:`sopgen.core.validate`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .durations import Duration, DurationField
from .fields import (
    COLOR_PATTERN,
    DateField,
    Id,
    Index,
    LanguageCode,
    Markdown,
    NonNegative,
    Number,
    Order,
    ResultValue,
    Text,
    Version,
    WebAddress,
    slugify,
)
from .frequencies import Frequency

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

    @field_validator("*", mode="after")
    @classmethod
    def _required_text_is_written(cls, value: Any, info: ValidationInfo) -> Any:
        # `title: ""` (or a form's field left empty) would make a page with no heading and a blank
        # line in the navigation: a field the format requires needs words.
        if isinstance(value, str) and not value.strip() and info.field_name is not None \
                and cls.model_fields[info.field_name].is_required():
            raise ValueError("is empty: write its text (this field is required)")
        return value


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
    language: LanguageCode = Field("en", description=(
        "The language of the sources and of every word sopgen adds to the site and the PDFs (headings, "
        "labels, buttons, dates, money), as a BCP 47 code: en, de, es, fr, pt."))
    translations: tuple[LanguageCode, ...] = Field((), description=(
        "Languages to publish besides `language`, each from sops/locale/<lang>.po: [es] publishes the "
        "site again under /es/ and its PDFs under /es/pdf/."))
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

    @field_validator("translations")
    @classmethod
    def _translations_are_other_languages(cls, codes: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        seen = {str(info.data.get("language", "en")).replace("_", "-").lower(): "language"}
        for index, code in enumerate(codes):
            key = code.replace("_", "-").lower()
            if key in seen:
                said = "is the sources' own language" if seen[key] == "language" else "is listed twice"
                raise ValueError(f"[{index}] '{code}' {said}: list only the other languages to publish")
            seen[key] = "translations"
        return codes


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


class Task(Model):
    """sops/tasks/<id>.yml: one task and its standard operating procedure."""

    title: Text = Field(description="Name of the task, as an action: \"Send client invoices\".")
    role: Id = Field(description="Role id of who performs it.")
    purpose: Markdown = Field(description="Why the task matters (Markdown).")
    status: Status = Field("active", description="draft, active or retired; retired SOPs leave the checklists.")
    frequency: Optional[Frequency] = Field(None, description=(
        "How often it runs: daily, weekly, monthly, quarterly, yearly, as-needed, `every <n> weeks`, "
        "`every <n> months`, `<n> times a week` or `<n> times a month` (\"every 2 weeks\", \"3 times a week\")."))
    order: Optional[Order] = Field(None, description=(
        "Its place in its role's lists and checklists among the SOPs of its frequency: lower first "
        "(1 before 2); SOPs without one come after, by title."))
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
