"""Checks across files: references, cycles, images, quiz answers, tools, reviews.

``validate(catalog)`` returns every problem of the project: those found while
reading each file (on ``catalog.problems``) followed by these, sorted by file
and line so that a report reads top to bottom.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Iterable, Iterator, Optional

from .catalog import Catalog
from .entries import Entry, PersonEntry, RoleEntry, TaskEntry, benchmarks_of
from .errors import Problem
from .i18ncheck import UNLISTED, translation_problems
from .images import image_file, image_problem, markdown_images
from .mdcheck import findings
from .model import Benchmark, Step
from .svgcheck import svg_problem
from .walk import markdown_values
from .yamldoc import Loc

REVIEW_OVERDUE = "review-overdue"
"""The rule of overdue-review warnings: editorial state, so a site build only notes them."""
NOTED = frozenset({REVIEW_OVERDUE, UNLISTED})
"""The rules of warnings that a site build only notes (no warning, so --strict passes): an overdue
review, a translation the site does not publish yet."""
FOLDERS = {"role": "roles", "task": "tasks", "person": "people"}


def validate(catalog: Catalog, *, today: Optional[date] = None) -> list[Problem]:
    """Every problem of ``catalog``, errors and warnings, in file order."""
    today = today or date.today()
    found = list(catalog.problems)
    found += _organization(catalog)
    for role in catalog.roles.values():
        found += _role(catalog, role)
        found += _same_order(role)
    for task in catalog.tasks.values():
        found += _task(catalog, task, today)
    for person in catalog.people.values():
        found += _person(catalog, person)
    found += _markup(catalog)
    found += translation_problems(catalog, lambda image: _image_problem(catalog, image))
    found += _cycles(catalog.tasks.values(), "prerequisites", lambda t: t.prerequisites, "prerequisites form a cycle")
    found += _cycles(catalog.roles.values(), "reports_to", lambda r: [r.reports_to] if r.reports_to else [],
                     "reporting lines form a cycle")
    return sorted(set(found), key=lambda p: (p.path, p.line, p.col, p.field, p.message))


def errors_in(problems: Iterable[Problem], *, strict: bool = False) -> list[Problem]:
    """The problems that fail a build: errors, and warnings too under ``strict``."""
    return [p for p in problems if strict or p.severity == "error"]


def _ref(catalog: Catalog, entry_or_none: Optional[Entry], loc: Loc, ident: str, kind: str) -> Iterator[Problem]:
    """A problem when ``ident`` names no role/task (``kind``) of the catalog."""
    folder = FOLDERS[kind]
    table = getattr(catalog, folder)
    if ident in table or (folder, ident) in catalog.broken:
        return
    source = entry_or_none.source if entry_or_none is not None else catalog.organization_source
    if source is None:
        return
    close = difflib.get_close_matches(ident, list(table), n=1, cutoff=0.8)
    if close:
        hint = f" — did you mean '{close[0]}'?"
    elif table:
        hint = f"; known {folder}: {', '.join(sorted(table)[:8])}{', …' if len(table) > 8 else ''}"
    else:
        hint = f"; there is no sops/{folder}/{ident}.yml"
    yield source.doc.problem(loc, f"unknown {kind} '{ident}'{hint}")


def _organization(catalog: Catalog) -> Iterator[Problem]:
    org = catalog.organization
    if org.owner and catalog.organization_source:
        yield from _ref(catalog, None, ("owner",), org.owner, "role")
    if catalog.organization_source and org.review_every.minutes:
        yield catalog.organization_source.doc.problem(("review_every",), _too_short(org.review_every))
    if catalog.organization_source and org.logo:
        problem = _image_problem(catalog, org.logo)
        if problem:
            yield catalog.organization_source.doc.problem(("logo",), problem)


def _no_rate(catalog: Catalog, role: RoleEntry) -> Problem:
    """A role without a rate leaves delegation figures unknown: the owner's, every task's."""
    currency = catalog.organization.currency
    if role.is_owner:
        why = ("the owner's time has no value, so what delegating frees is unknown for every task; "
               f"add 'rate: …' (what an hour of the owner's time is worth in {currency}, e.g. 'rate: 250')")
    else:
        why = ("what its work costs to delegate is unknown, so its tasks are left out of the delegation figures; "
               f"add 'rate: …' (its hourly cost in {currency}, e.g. 'rate: 30' or 'rate: {{min: 25, max: 50}}')")
    return role.source.doc.problem(("rate",), f"no rate: {why}", severity="warning", rule="no-rate")


def _too_short(interval: object) -> str:
    return f"'{interval}' is too short for a review interval: use days, weeks or months"


def _role(catalog: Catalog, role: RoleEntry) -> Iterator[Problem]:
    data = role.data
    if data.reports_to == role.id:
        yield role.source.doc.problem(("reports_to",), "a role cannot report to itself")
    elif data.reports_to:
        yield from _ref(catalog, role, ("reports_to",), data.reports_to, "role")
    for i, phase in enumerate(data.onboarding):
        for j, ident in enumerate(phase.tasks):
            yield from _ref(catalog, role, ("onboarding", i, "tasks", j), ident, "task")
    yield from _onboarding_order(catalog, role)
    if data.rate and data.rate.min > data.rate.max:
        yield role.source.doc.problem(("rate",), f"min ({data.rate.min:g}) is more than max ({data.rate.max:g}); swap them")
    if data.rate is None:
        yield _no_rate(catalog, role)
    names = {}
    for i, tool in enumerate(data.tools):
        key = tool.name.strip().lower()
        if key in names:
            yield role.source.doc.problem(("tools", i, "name"), f"tool '{tool.name}' is listed twice (also tools[{names[key]}])")
        names.setdefault(key, i)
    yield from _benchmarks(role, data.benchmarks)


def _onboarding_order(catalog: Catalog, role: RoleEntry) -> Iterator[Problem]:
    """A warning for each SOP an onboarding phase teaches before one of its prerequisites (or of
    theirs), which a later phase teaches."""
    phases = role.data.onboarding
    taught: dict[str, int] = {}
    for i, phase in enumerate(phases):
        for ident in phase.tasks:
            taught.setdefault(ident, i)
    for i, phase in enumerate(phases):
        for j, ident in enumerate(phase.tasks):
            for needed, through in _prerequisites(catalog, ident):
                later = taught.get(needed, -1)
                if later > i:
                    via = f" (through '{through}')" if through else ""
                    yield role.source.doc.problem(
                        ("onboarding", i, "tasks", j),
                        f"'{ident}' is taught in '{phase.phase}', before its prerequisite '{needed}'{via}, taught in "
                        f"'{phases[later].phase}': teach '{needed}' in '{phase.phase}' or earlier, or '{ident}' in "
                        f"'{phases[later].phase}' or later", severity="warning", rule="onboarding-order")


def _prerequisites(catalog: Catalog, ident: str) -> list[tuple[str, Optional[str]]]:
    """Every prerequisite of task ``ident``, of its prerequisites too, each with the direct
    prerequisite of ``ident`` it comes through (``None`` for a direct one); a cycle ends the walk."""
    task = catalog.tasks.get(ident)
    if task is None:
        return []
    found: dict[str, Optional[str]] = {}
    stack = [(p, None) for p in reversed(task.prerequisites)]
    while stack:
        entry, through = stack.pop()
        if entry.id in found or entry.id == ident:
            continue
        found[entry.id] = through
        stack += [(p, through or entry.id) for p in reversed(entry.prerequisites)]
    return list(found.items())


def _task(catalog: Catalog, task: TaskEntry, today: date) -> Iterator[Problem]:
    data, doc = task.data, task.source.doc
    yield from _ref(catalog, task, ("role",), data.role, "role")
    if data.maintainer:
        yield from _ref(catalog, task, ("maintainer",), data.maintainer, "role")
    for i, ident in enumerate(data.prerequisites):
        if ident == task.id:
            yield doc.problem(("prerequisites", i), "a task cannot be its own prerequisite")
        else:
            yield from _ref(catalog, task, ("prerequisites", i), ident, "task")
    for i, question in enumerate(data.quiz):
        if question.answer >= len(question.choices):
            yield doc.problem(("quiz", i, "answer"),
                              f"answer {question.answer} is out of range: there are {len(question.choices)} choices, "
                              f"counted from 0 (so 0 to {len(question.choices) - 1})")
    if data.review_every and data.review_every.minutes:
        yield doc.problem(("review_every",), _too_short(data.review_every))
    if data.hours_per_week is None and data.frequency and data.frequency != "as-needed" and data.duration is None:
        yield doc.problem(("frequency",), "the task has a frequency but no duration, so its weekly hours count as 0; "
                                          "add 'duration' (e.g. 45m) or 'hours_per_week'", severity="warning",
                          rule="no-duration")
    yield from _images(catalog, task, data.steps, ("steps",))
    yield from _benchmarks(task, data.benchmarks)
    if task.role is not None:
        known = {t.name.strip().lower(): t.name for t in task.role.data.tools}
        for i, name in enumerate(data.tools):
            if name.strip().lower() not in known:
                close = difflib.get_close_matches(name, list(known.values()), n=1, cutoff=0.6)
                hint = f" — did you mean '{close[0]}'?" if close else f"; add it to the tools of {task.role.source.rel}"
                yield doc.problem(("tools", i), f"tool '{name}' is not among the tools of role '{task.role.id}'{hint}",
                                  severity="warning", rule="unknown-tool")
    # a build is dated by its last commit: a review written since, not yet committed, is not ahead
    latest = max(today, date.today())
    if data.reviewed is not None and data.reviewed > latest:
        yield doc.problem(("reviewed",), f"{data.reviewed:%Y-%m-%d} is after today ({latest:%Y-%m-%d}): write the "
                                         "day the SOP was last checked against reality (a date ahead would keep "
                                         "its review from ever falling due)", severity="warning",
                          rule="reviewed-ahead")
    if task.status != "retired" and task.review_state(today) == "overdue":
        yield doc.problem(("reviewed",), f"review overdue since {task.next_review:%Y-%m-%d} "
                                         f"(reviewed {data.reviewed:%Y-%m-%d}, every {task.review_interval}); "
                                         "check the SOP against reality and update 'reviewed'", severity="warning",
                          rule=REVIEW_OVERDUE)


def _same_order(role: RoleEntry) -> Iterator[Problem]:
    """A warning on each SOP in force whose ``order`` an earlier one of its role and frequency
    already has: which comes first is then left to their titles."""
    first: dict[tuple[Optional[str], int], TaskEntry] = {}
    for task in role.active_tasks:  # in the role's order, so the first of equals is the earlier title
        if task.data.order is None:
            continue
        key = (task.data.frequency, task.data.order)
        if key not in first:
            first[key] = task
            continue
        other = first[key]
        yield task.source.doc.problem(
            ("order",), f"order {task.data.order} is also that of '{other.title}' ({other.source.rel}), of the same "
                        f"role and frequency ({task.data.frequency or 'none'}); give one of them another number "
                        "(until then, their titles decide which comes first)", severity="warning", rule="same-order")


def _benchmarks(entry: Entry, benchmarks: list[Benchmark]) -> Iterator[Problem]:
    """Ids given twice in one file (results could not tell them apart), and min above max."""
    doc = entry.source.doc
    seen: dict[str, int] = {}
    for i, benchmark in enumerate(benchmarks):
        key = benchmark.key
        if not key:
            yield doc.problem(("benchmarks", i, "objective"), "the objective makes no id (it holds no letter or "
                                                              "digit): give the benchmark an 'id'")
        elif key in seen:
            how = "its id" if benchmark.id else "the id made of its objective"
            loc = ("benchmarks", i, "id") if benchmark.id else ("benchmarks", i, "objective")
            yield doc.problem(loc, f"{how} '{key}' is also the id of benchmarks[{seen[key]}]: results could not tell "
                                   f"them apart; give one of them another 'id'")
        seen.setdefault(key, i)
        if benchmark.min is not None and benchmark.max is not None and benchmark.min > benchmark.max:
            yield doc.problem(("benchmarks", i, "min"), f"min ({benchmark.min:g}) is more than max "
                                                        f"({benchmark.max:g}); swap them")


def _person(catalog: Catalog, person: PersonEntry) -> Iterator[Problem]:
    """A person's references (role, trainer, SOPs, benchmarks, who signed off), dates and repeated records."""
    data, doc = person.data, person.source.doc
    yield from _ref(catalog, person, ("role",), data.role, "role")
    if data.trainer == person.id:
        yield doc.problem(("trainer",), "a person cannot be their own trainer")
    elif data.trainer:
        yield from _ref(catalog, person, ("trainer",), data.trainer, "person")
    started = f"{data.started:%Y-%m-%d}"
    signed: dict[tuple[str, date], int] = {}
    # a shallow clone counts only the commits it has: a version beyond them may still have been
    complete = catalog.history is not None and catalog.history.note is None
    for i, record in enumerate(data.trained):
        yield from _ref(catalog, person, ("trained", i, "sop"), record.sop, "task")
        if record.by:
            yield from _ref(catalog, person, ("trained", i, "by"), record.by, "person")
        if record.on < data.started:
            yield doc.problem(("trained", i, "on"), f"signed off on {record.on:%Y-%m-%d}, before {person.id} "
                                                    f"started ({started}): correct the date, or 'started'")
        if (record.sop, record.on) in signed:
            yield doc.problem(("trained", i), f"'{record.sop}' is signed off on {record.on:%Y-%m-%d} twice "
                                              f"(also trained[{signed[record.sop, record.on]}]); remove one")
        signed.setdefault((record.sop, record.on), i)
        task = catalog.tasks.get(record.sop)
        versions = task.history.version if complete and task is not None and task.history is not None else 0
        if record.version is not None and versions and record.version > versions:
            yield doc.problem(("trained", i, "version"), f"'{record.sop}' never had version {record.version}: "
                                                         f"its versions are 1 to {versions} (the commits that changed "
                                                         f"{task.source.rel}); correct it, or leave it out for the "
                                                         f"version in force on {record.on:%Y-%m-%d}")
    known = benchmarks_of(person.role) if person.role is not None else None
    reported: dict[tuple[str, date], int] = {}
    for i, result in enumerate(data.results):
        if known is not None and result.benchmark not in known:
            yield doc.problem(("results", i, "benchmark"), _unknown_benchmark(result.benchmark, known, person))
        if result.on < data.started:
            yield doc.problem(("results", i, "on"), f"a result of {result.on:%Y-%m-%d}, before {person.id} "
                                                    f"started ({started}): correct the date, or 'started'")
        if (result.benchmark, result.on) in reported:
            yield doc.problem(("results", i), f"a result for '{result.benchmark}' on {result.on:%Y-%m-%d} is "
                                              f"already given (results[{reported[result.benchmark, result.on]}]); "
                                              "remove one, or correct its date")
        reported.setdefault((result.benchmark, result.on), i)


def _unknown_benchmark(ident: str, known: dict, person: PersonEntry) -> str:
    close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.6)
    if close:
        hint = f" — did you mean '{close[0]}'?"
    elif known:
        hint = f"; the benchmarks of role '{person.data.role}' are: {', '.join(sorted(known)[:8])}" + \
            (", …" if len(known) > 8 else "")
    else:
        hint = f"; role '{person.data.role}' and its SOPs have no benchmarks"
    return (f"unknown benchmark '{ident}'{hint} (a role's benchmark by its id, an SOP's as "
            f"<task-id>/<benchmark-id>)")


def _images(catalog: Catalog, task: TaskEntry, steps: list[Step], loc: Loc) -> Iterator[Problem]:
    doc = task.source.doc
    for i, step in enumerate(steps):
        here = loc + (i,)
        if step.image:
            problem = _image_problem(catalog, step.image)
            if problem:
                yield doc.problem(here + ("image",), problem)
        yield from _images(catalog, task, step.steps, here + ("steps",))


def _image_problem(catalog: Catalog, image: str) -> Optional[str]:
    """Why ``image`` cannot be shown on the site: its path, or what an SVG carries (unless HTML is allowed)."""
    problem = image_problem(catalog.sops, image)
    if problem is None and image.lower().endswith(".svg") and not catalog.organization.allow_html:
        found = svg_problem(catalog.sops / image)
        if found is not None and found.startswith("carries"):
            problem = (f"'{image}' {found}: a picture of the site may not run script or load anything from "
                       "elsewhere; remove it from the SVG, save the picture again without scripts and links, "
                       "or use a PNG")
        elif found is not None:
            problem = f"'{image}' {found}: save the picture again as SVG, or use a PNG"
    return problem


def _markup(catalog: Catalog) -> Iterator[Problem]:
    """Images of Markdown fields that are not there; raw HTML, attributes and script links in them,
    unless the project allows HTML."""
    allowed = catalog.organization.allow_html
    source = catalog.organization_source
    organization = source.rel if source else f"{catalog.sops.relative_to(catalog.root).as_posix()}/organization.yml"
    for entry in [*catalog.roles.values(), *catalog.tasks.values()]:
        for loc, text in markdown_values(entry.data):
            for address in markdown_images(text):
                problem = _image_problem(catalog, image_file(address))
                if problem:
                    yield entry.source.doc.problem(loc, f"the image '{address}' in the text: {problem}")
            if not allowed:
                for finding in findings(text):
                    yield entry.source.doc.problem(loc, finding.message(organization))


def _cycles(entries: Iterable[Entry], field: str, edges, message: str) -> Iterator[Problem]:
    """One problem per cycle, reported on the entry of the cycle whose id sorts first.

    An iterative depth-first search: a chain of prerequisites can be thousands long.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()
    for root in sorted(entries, key=lambda e: e.id):
        if root.id in state:
            continue
        path: list[Entry] = [root]
        stack = [iter(edges(root))]
        state[root.id] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                state[path.pop().id] = 2
                continue
            if nxt is path[-1]:
                continue  # a self-reference is reported on its own
            if state.get(nxt.id) == 1:
                cycle = path[path.index(nxt):]
                key = frozenset(e.id for e in cycle)
                if key not in reported:
                    reported.add(key)
                    start = min(range(len(cycle)), key=lambda k: cycle[k].id)
                    ordered = cycle[start:] + cycle[:start]
                    first, second = ordered[0], ordered[1 % len(ordered)]
                    ids = " → ".join(e.id for e in ordered + [ordered[0]])
                    raw = getattr(first.data, field)
                    loc: Loc = (field, raw.index(second.id)) if isinstance(raw, list) else (field,)
                    yield first.source.doc.problem(loc, f"{message}: {ids}; remove one of these links")
            elif nxt.id not in state:
                state[nxt.id] = 1
                path.append(nxt)
                stack.append(iter(edges(nxt)))
