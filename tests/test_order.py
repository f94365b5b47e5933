"""The task field ``order`` and the order of a role's SOPs wherever they are listed: its page, its
checklists, the navigation (grouped or not), the PDF handbook, onboarding and the training
matrix. One rule (:func:`sopgen.core.ordering.place`): by frequency (the most runs a week first),
then ``order`` (lower first, unset after), then title.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import build_tree, run

from sopgen.core.loader import load
from sopgen.print.handbook import handbook
from sopgen.site.navigation import NAV_LIST, navigation
from sopgen.site.pages import Site, render
from sopgen.text.templating import environment

TODAY = date(2026, 11, 25)

ROLE = """
    title: Front desk
    summary: Greets patients and keeps the desk running.
    rate: 25
    onboarding:
      - phase: Day 1
        tasks: [close-front-desk, open-front-desk, answer-phones]
    """


def task(title: str, frequency: str, order: Any = None, **more: str) -> str:
    lines = [f"title: {title}", "role: front-desk", "purpose: Keeps the clinic running.",
             f"frequency: {frequency}", "duration: 30m"]
    if order is not None:
        lines.append(f"order: {order}")
    lines += [f"{key}: {value}" for key, value in more.items()]
    lines += ["steps:", f"  - do: {title}."]
    return "\n".join(lines) + "\n"


FRONT_DESK = {
    "mkdocs.yml": "site_name: Clinic\nplugins: [sopgen]\n",
    "sops/organization.yml": "name: Clinic\nowner: owner\n",
    "sops/roles/owner.yml": "title: Owner\nsummary: Runs the clinic.\nrate: 250\n",
    "sops/roles/front-desk.yml": ROLE,
    # alphabetically: Answer, Close, Count, Deep-clean, Open, Order, Restock, Update
    "sops/tasks/open-front-desk.yml": task("Open the front desk", "daily", 1),
    "sops/tasks/close-front-desk.yml": task("Close the front desk", "daily", 2),
    "sops/tasks/answer-phones.yml": task("Answer the phones", "daily"),
    "sops/tasks/restock-rooms.yml": task("Restock the treatment rooms", "3 times a week"),
    "sops/tasks/order-supplies.yml": task("Order supplies", "weekly"),
    "sops/tasks/deep-clean.yml": task("Deep-clean the waiting room", "every 2 weeks"),
    "sops/tasks/count-inventory.yml": task("Count the inventory", "monthly"),
    "sops/tasks/update-forms.yml": task("Update the patient forms", "as-needed"),
}
IN_ORDER = ["Open the front desk", "Close the front desk", "Answer the phones", "Restock the treatment rooms",
            "Order supplies", "Deep-clean the waiting room", "Count the inventory", "Update the patient forms"]
GROUPS = ["Daily", "3 times a week", "Weekly", "Every 2 weeks", "Monthly", "As needed"]


def site_of(project: Path) -> Site:
    catalog = load(project)
    return render(catalog, environment(project), today=TODAY)


def titles_in(text: str) -> list[str]:
    """The SOP titles of ``IN_ORDER`` in the order ``text`` shows them."""
    found = {title: text.find(title) for title in IN_ORDER if title in text}
    return sorted(found, key=found.__getitem__)


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "clinic", FRONT_DESK)


def test_role_page_lists_sops_by_frequency_then_order_then_title(clinic: Path) -> None:
    page = site_of(clinic).pages["roles/front-desk/index.md"].markdown
    assert titles_in(page.split("## Procedures", 1)[1]) == IN_ORDER


def test_checklists_are_grouped_by_runs_a_week_and_ordered_within_each(clinic: Path) -> None:
    page = site_of(clinic).pages["roles/front-desk/checklists.md"].markdown
    assert re.findall(r"^## (.+)$", page, re.M) == GROUPS
    assert titles_in(page) == IN_ORDER
    daily = page.split("## Daily", 1)[1].split("## 3 times a week", 1)[0]
    assert titles_in(daily) == IN_ORDER[:3]


def test_navigation_lists_a_roles_sops_in_the_same_order(clinic: Path) -> None:
    nav = navigation(load(clinic))
    sops = _role_sops(nav, "Front desk")
    assert [next(iter(entry)) for entry in sops] == IN_ORDER


def test_navigation_beyond_twenty_sops_groups_by_frequency_and_keeps_the_order(clinic: Path) -> None:
    extra = {f"sops/tasks/file-chart-{i:02d}.yml": task(f"File chart {i:02d}", "every 2 weeks", 100 - i)
             for i in range(NAV_LIST)}
    build_tree(clinic, extra)
    sops = _role_sops(navigation(load(clinic)), "Front desk")
    assert [next(iter(group)) for group in sops] == GROUPS
    daily = next(iter(sops[0].values()))
    assert [next(iter(entry)) for entry in daily] == IN_ORDER[:3]
    fortnightly = next(iter(sops[3].values()))  # 21 SOPs: two runs, in the role's order, not alphabetical
    runs = [entry for run in fortnightly for entry in next(iter(run.values()))]
    names = [next(iter(entry)) for entry in runs]
    assert names[:3] == ["File chart 19", "File chart 18", "File chart 17"]
    assert names[-1] == "Deep-clean the waiting room"  # no order: after those with one


def _role_sops(nav: list[Any], role: str) -> list[Any]:
    roles = next(item["Roles"] for item in nav if "Roles" in item)
    section = next(entry[role] for entry in roles if role in entry)
    return next(item["SOPs"] for item in section if isinstance(item, dict) and "SOPs" in item)


def _handbook(project: Path) -> dict[str, Any]:
    catalog = load(project)
    data, _files = handbook(catalog, role=catalog.roles["front-desk"], today=TODAY, version="v1")
    return data


def test_pdf_handbook_lists_procedures_and_checklists_in_the_same_order(clinic: Path) -> None:
    chapters = _handbook(clinic)["chapters"]
    manual = next(c for c in chapters if c["kind"] == "manual")
    assert titles_in(repr(manual["procedures"])) == IN_ORDER
    checklists = next(c for c in chapters if c["kind"] == "checklists")
    assert [g["title"] for g in checklists["groups"]] == GROUPS
    assert titles_in(repr(checklists["groups"])) == IN_ORDER


def test_pdf_procedures_part_teaches_onboarding_first_then_the_roles_order(clinic: Path) -> None:
    part = next(c for c in _handbook(clinic)["chapters"] if c["kind"] == "part")
    onboarding = ["Close the front desk", "Open the front desk", "Answer the phones"]  # as Day 1 lists them
    assert titles_in(repr(part["sops"])) == onboarding + IN_ORDER[3:]


def test_onboarding_keeps_the_phases_own_order_and_puts_prerequisites_first(clinic: Path) -> None:
    page = site_of(clinic).pages["roles/front-desk/onboarding.md"].markdown
    assert titles_in(page) == ["Close the front desk", "Open the front desk", "Answer the phones"]
    build_tree(clinic, {"sops/tasks/close-front-desk.yml": task(
        "Close the front desk", "daily", 2, prerequisites="[open-front-desk]")})
    page = site_of(clinic).pages["roles/front-desk/onboarding.md"].markdown
    assert titles_in(page) == ["Open the front desk", "Close the front desk", "Answer the phones"]


def test_training_matrix_follows_the_roles_order(clinic: Path) -> None:
    build_tree(clinic, {
        "sops/organization.yml": "name: Clinic\nowner: owner\npublish_people: true\n",
        "sops/people/ana.yml": "name: Ana Ruiz\nrole: front-desk\nstarted: 2026-11-01\n"})
    page = site_of(clinic).pages["people/index.md"].markdown
    assert titles_in(page) == IN_ORDER


def test_without_order_a_frequency_group_is_alphabetical(clinic: Path) -> None:
    build_tree(clinic, {"sops/tasks/open-front-desk.yml": task("Open the front desk", "daily"),
                        "sops/tasks/close-front-desk.yml": task("Close the front desk", "daily")})
    page = site_of(clinic).pages["roles/front-desk/checklists.md"].markdown
    daily = page.split("## Daily", 1)[1].split("\n## ", 1)[0]
    assert titles_in(daily) == ["Answer the phones", "Close the front desk", "Open the front desk"]


# -- validation of order ------------------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("first", "order: expected a whole number, got 'first'"),
    ("1.5", "order: expected a whole number, got the number 1.5"),
    ("true", "order: expected a number, got true"),
    ("[1, 2]", "order: expected a whole number, got a list"),
])
def test_an_order_that_is_not_a_whole_number_is_a_located_error(clinic: Path, value: str, message: str) -> None:
    build_tree(clinic, {"sops/tasks/open-front-desk.yml": task("Open the front desk", "daily", value)})
    result = run(clinic, "validate")
    assert result.exit_code == 1, result.output
    assert f"sops/tasks/open-front-desk.yml:6:8: {message}" in result.output
    assert "Traceback" not in result.output


def test_two_sops_of_one_role_and_frequency_with_the_same_order_is_a_warning(clinic: Path) -> None:
    build_tree(clinic, {"sops/tasks/close-front-desk.yml": task("Close the front desk", "daily", 1)})
    result = run(clinic, "validate")
    assert result.exit_code == 0, result.output
    assert ("sops/tasks/open-front-desk.yml:6:8: warning: order: order 1 is also that of 'Close the front desk' "
            "(sops/tasks/close-front-desk.yml), of the same role and frequency (daily); give one of them "
            "another number (until then, their titles decide which comes first)") in result.output
    assert result.output.count("is also that of") == 1
    assert run(clinic, "validate", "--strict").exit_code == 1
    json_out = run(clinic, "validate", "--format", "json").output
    assert '"rule": "same-order"' in json_out


def test_the_same_order_in_another_frequency_or_a_retired_sop_is_no_warning(clinic: Path) -> None:
    build_tree(clinic, {"sops/tasks/order-supplies.yml": task("Order supplies", "weekly", 1),
                        "sops/tasks/old-desk.yml": task("Open the old desk", "daily", 1, status="retired")})
    result = run(clinic, "validate", "--strict")
    assert result.exit_code == 0, result.output


def test_schema_describes_order_as_a_whole_number() -> None:
    from sopgen.core.schema import json_schema

    order = json_schema("task")["properties"]["order"]
    assert {"type": "integer"} in order["anyOf"]
    assert "lower first" in order["description"]



def test_the_new_task_scaffold_offers_order_and_the_new_frequencies(clinic: Path) -> None:
    result = run(clinic, "new", "task", "empty-bins", "--role", "front-desk", "--title", "Empty the bins")
    assert result.exit_code == 0, result.output
    path = clinic / "sops" / "tasks" / "empty-bins.yml"
    text = path.read_text(encoding="utf-8")
    assert "every 2 weeks" in text and "# order: 1 " in text
    path.write_text(text.replace("# order: 1 ", "order: 3 ").replace("frequency: weekly", "frequency: every 2 weeks"))
    result = run(clinic, "validate")
    assert result.exit_code == 0, result.output
    page = site_of(clinic).pages["roles/front-desk/checklists.md"].markdown
    group = page.split("## Every 2 weeks", 1)[1].split("\n## ", 1)[0]
    assert group.index("Empty the bins") < group.index("Deep-clean the waiting room")
