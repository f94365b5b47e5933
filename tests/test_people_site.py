"""The training pages of a built site (`/people/`, `/people/<person>/`), read as a user reads them,
and `publish_people: false`: no file of the site names a person.

The example is built on the day its people were written (EXAMPLE_TODAY, through SOURCE_DATE_EPOCH):
its states move with the calendar.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import REPO, build_tree, run
from test_history_git import commit, git
from test_site import NO_PDF, _clinic, _found_in, _money_in, cli, page
from test_train_cli import EXAMPLE_TODAY


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("people") / "site"
    epoch = str(int(datetime.fromisoformat(f"{EXAMPLE_TODAY}T12:00:00").replace(tzinfo=timezone.utc).timestamp()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch)
        result = cli("build", *NO_PDF, "-f", str(REPO / "mkdocs.yml"), "-d", str(site))
    assert result.exit_code == 0, result.output
    return site


def _target(site: Path, address: str, href: str) -> Path:
    """The file a link of the page at ``address`` opens (MkDocs' directory URLs)."""
    url = urlparse(urljoin(f"http://site/{address}", href))
    path = site / url.path.lstrip("/")
    return path / "index.html" if url.path.endswith("/") else path


# -- the matrix ---------------------------------------------------------------------------------

def test_matrix_counts_each_persons_sops_by_state(example_site: Path) -> None:
    people = page(example_site, "people/")
    assert people.rows[0] == ["Person", "Role", "Current", "Re-learn", "Overdue", "To learn"]
    assert people.row("Dana Whitfield")[:6] == ["Dana Whitfield", "Bookkeeper", "2 of 4", "0", "1", "1"]
    assert people.row("Priya Nair")[:6] == ["Priya Nair", "Virtual Assistant", "3 of 4", "1", "0", "0"]
    assert people.row("Tomás Rivera")[:6] == ["Tomás Rivera", "Webmaster", "4 of 4", "0", "0", "0"]


def test_matrix_cells_say_each_state_in_words(example_site: Path) -> None:
    people = page(example_site, "people/")
    assert ["h2", "Bookkeeper"] in [list(h) for h in people.headings]
    assert people.row("Follow up on overdue payments") == ["Follow up on overdue payments", "✗ Overdue: due 2026-11-26"]
    assert people.row("Prepare the monthly financial summary")[1] == "◷ To learn by 2026-12-24"  # Day 60
    assert people.row("Send client invoices")[1] == "✓ Signed off on v1, current"
    # version 3 only set its `order` (nothing to learn): the re-learning is version 2's
    assert people.row("Screen phone calls as the owner's gatekeeper")[1] == "↻ Must re-learn: v1 → v3"
    html = (example_site / "people/index.html").read_text(encoding="utf-8")
    assert 'class="sopgen-state sopgen-state--overdue"' in html  # a badge too, beside the words


def test_matrix_links_lead_to_the_person_the_sop_and_what_changed(example_site: Path) -> None:
    people = page(example_site, "people/")
    links = dict((text, href) for href, text in people.links)
    for text, target in [("Dana Whitfield", "people/dana-whitfield/index.html"),
                         ("Virtual Assistant", "roles/virtual-assistant/index.html"),
                         ("Follow up on overdue payments", "sops/follow-up-overdue-payments/index.html")]:
        assert _target(example_site, "people/", links[text]) == example_site / target, text
    relearn = links["↻ Must re-learn: v1 → v3"]
    assert relearn.endswith("priya-nair/#relearn-screen-phone-calls")
    priya = _target(example_site, "people/", relearn).read_text(encoding="utf-8")
    assert 'id="relearn-screen-phone-calls"' in priya
    for href, _text in people.links:
        if not href.startswith(("http", "#")):
            assert _target(example_site, "people/", href).is_file(), href


# -- a person's page ----------------------------------------------------------------------------

def test_person_page_shows_which_steps_changed_old_and_new(example_site: Path) -> None:
    priya = page(example_site, "people/priya-nair/")
    assert ("h3", "Screen phone calls as the owner's gatekeeper") in priya.headings
    assert "Signed off on version 1 (2026-10-30); the SOP is now at version 3." in priya.plain
    step = priya.row("3.1")
    assert step[:2] == ["3.1", "reworded“with 🔴” → “starting with URGENT”"]  # the words that changed
    assert "DM the owner in Slack with 🔴 and one line" in step[2]
    assert "DM the owner in Slack starting with URGENT and one line" in step[3]
    # an updated step says what changed in the field, as `sopgen changes` and `sopgen train status` do
    assert priya.row("updated (details)")[:2] == ["4", "updated (details)details: “🔴.” → “URGENT first.”"]
    assert any(href.endswith("sops/screen-phone-calls/#revision-history") for href, _ in priya.links)
    assert priya.row("Day 90")[:3] == ["Day 90", "2026-10-31", "↻ Done, re-learn"]


def test_person_page_shows_role_onboarding_sign_offs_benchmarks_and_results(example_site: Path) -> None:
    dana = page(example_site, "people/dana-whitfield/")
    assert dana.headings[0] == ("h1", "Dana Whitfield")
    assert "Role: Bookkeeper Started: 2026-10-26 Trainer: — Signed off and current: 2 of 4 SOPs" in dana.plain
    assert dana.row("Week 1")[:3] == ["Week 1", "2026-11-02", "✓ Done"]
    month = dana.row("Month 1")
    assert month[:3] == ["Month 1", "2026-11-26", "✗ Overdue"]
    assert "Follow up on overdue payments: ✗ Overdue: due 2026-11-26" in month[3]
    assert dana.row("Day 60")[:3] == ["Day 60", "2026-12-24", "In progress"]
    assert dana.row("Day 1")[2] == "Goals only"
    assert dana.row("first invoice run done alone on Friday") == [
        "Send client invoices", "1", "2026-10-30", "—", "first invoice run done alone on Friday"]
    assert "Agreed on 2026-10-30 as realistic and doable." in dana.plain
    # "by: day 30" dated from started (2026-10-26): day 1 is the start, so day 30 is 29 days later
    assert dana.row("Invoices out on time") == ["Invoices out on time", "100%", "2026-11-24 (day 30)",
                                                "75% on 2026-11-20, ✗ not met"]
    assert dana.row("No invoice forgotten")[2:] == ["2026-11-24 (day 30)", "none yet, past its date"]
    assert dana.row("Invoices right the first time")[2:] == ["2026-12-24 (day 60)", "none yet"]
    assert dana.row("one run late") == ["2026-11-20", "Invoices out on time", "75%", "✗ not met",
                                        "one run late while learning the template"]
    tomas = page(example_site, "people/tomas-rivera/")
    # the latest result counts against the target; every result is listed, newest first
    assert tomas.row("Requests handled promptly") == ["Requests handled promptly", "90%", "2026-06-30 (day 30)",
                                                      "93% on 2026-07-31, ✓ met"]
    results = [r for r in tomas.rows if len(r) == 5 and r[1] == "Requests handled promptly"]
    assert [r[:4] for r in results] == [["2026-07-31", "Requests handled promptly", "93%", "✓ met"],
                                        ["2026-06-30", "Requests handled promptly", "86%", "✗ not met"]]


def test_people_in_the_navigation_and_person_pages_in_search(example_site: Path) -> None:
    html = (example_site / "sops/send-client-invoices/index.html").read_text(encoding="utf-8")
    assert ">People<" in html or "People\n" in html
    assert "people/" in html  # the section's link, on every page
    search = json.loads((example_site / "search/search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in search["docs"]}
    assert "people/dana-whitfield/" in pages and "people/" not in pages  # the matrix lists every SOP


# -- publish_people: false --------------------------------------------------------------------------

PEOPLE = {
    "sops/people/anna-berg.yml": ("name: Anna Berg\nrole: assistant\nstarted: 2026-01-05\ntrainer: marek-nowak\n"
                                  "trained:\n  - {sop: sterilise, on: 2026-01-06, by: marek-nowak}\n"),
    "sops/people/marek-nowak.yml": "name: Marek Nowak\nrole: dentist\nstarted: 2025-01-05\nstatus: left\n",
}
PERSON = re.compile(r"Anna|Berg|anna-berg|Marek|Nowak|marek-nowak|\bpeople/")
"""Either person's name or id, or the address of the training pages."""


def _private_clinic(tmp_path: Path, *, people: bool) -> Path:
    """The clinic with two people, in git, whose last commit (a sign-off) names one in its subject."""
    project = _clinic(tmp_path, **{"sops/organization.yml": (
        f"name: Smile Clinic\nowner: dentist\ncurrency: EUR\npublish_money: false\n"
        f"publish_people: {str(people).lower()}\n")})
    build_tree(project, {"mkdocs.yml": (project / "mkdocs.yml").read_text(encoding="utf-8")
                         + "site_url: https://clinic.example/\n"})  # a sitemap that lists every address
    git(project, "init", "-q", "-b", "main")
    commit(project, "The clinic's procedures", date="2026-01-05T09:00:00+00:00")
    build_tree(project, PEOPLE)
    commit(project, "Anna Berg signed off on sterilising", date="2026-01-06T17:00:00+00:00")
    # a trainee who edits an SOP is its revision's author, and a message may name anyone
    sop = project / "sops/tasks/sterilise.yml"
    sop.write_text(sop.read_text(encoding="utf-8").replace("purpose: P.", "purpose: Clean instruments, safe patients."),
                   encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "--author", "Anna Berg <anna@clinic.example>", "-m",
        "A clearer purpose for sterilising, as Anna Berg and marek-nowak agreed", date="2026-01-07T09:00:00+00:00")
    result = run(project, "build", "--pdf", "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    return project / "site"


def test_publish_people_false_names_nobody_in_any_file_of_the_site(tmp_path: Path) -> None:
    # published, the names are where the walk looks (pages, search index, sitemap): the walk can fail
    shown = _found_in(_private_clinic(tmp_path / "shown", people=True), PERSON)
    assert {"people/index.html", "people/anna-berg/index.html", "search/search_index.json", "sitemap.xml",
            "sitemap.xml.gz", "index.html"} <= set(shown), sorted(shown)

    site = _private_clinic(tmp_path / "private", people=False)
    assert any(p.suffix == ".pdf" for p in site.rglob("*")) and (site / "changelog/index.html").is_file()
    assert _found_in(site, PERSON) == {}
    assert _money_in(site) == {}
    assert not (site / "people").exists()
    sterilise = page(site, "sops/sterilise/")
    assert "Sterilise instruments" in sterilise.plain
    # the edit is there, its author and the names in its message are not
    assert "A clearer purpose for sterilising, as a team member and a team member agreed" in sterilise.plain
    assert "A clearer purpose for sterilising, as a team member and a team member agreed" in page(site, "changelog/").plain


def test_a_sign_off_commit_is_not_a_change_to_the_procedures(tmp_path: Path) -> None:
    site = _private_clinic(tmp_path, people=True)
    changelog = page(site, "changelog/")
    assert "The clinic's procedures" in changelog.plain
    assert "signed off" not in changelog.plain and "people" not in changelog.plain


def test_people_who_left_leave_the_matrix_and_keep_their_record(tmp_path: Path) -> None:
    site = _private_clinic(tmp_path, people=True)
    people = page(site, "people/")
    assert people.row("Anna Berg")[:3] == ["Anna Berg", "Dental assistant", "1 of 2"]
    assert not [r for r in people.rows if "Marek Nowak" in r[0]]  # left: no row, no column
    assert ("h2", "Left") in people.headings and "Marek Nowak" in dict((t, h) for h, t in people.links)
    anna = page(site, "people/anna-berg/")
    assert "Trainer: Marek Nowak" in anna.plain
    assert anna.row("Sterilise instruments")[:4] == ["Sterilise instruments", "1", "2026-01-06", "Marek Nowak"]
    marek = page(site, "people/marek-nowak/")
    assert "Status: left (the record is kept; nothing is due)" in marek.plain
    assert "Onboarding" not in [h for _, h in marek.headings]
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert "Marek Nowak (left)" in nav


# -- results against their target, as a chart -------------------------------------------------

def _charts_in(html: str) -> list[str]:
    return re.findall(r'<svg[^>]*class="sopgen-chart".*?</svg>', html, re.DOTALL)


def test_person_page_charts_each_numeric_benchmark_against_its_target(example_site: Path) -> None:
    import xml.etree.ElementTree as ET
    from datetime import date

    from sopgen.core.branding import brand
    from sopgen.core.loader import load
    from sopgen.text.progress import result_charts, target_words
    from sopgen.core.training import person_status, shown

    catalog = load(REPO)
    tomas = catalog.people["tomas-rivera"]
    status = person_status(tomas, today=date.fromisoformat(EXAMPLE_TODAY), changes=lambda task: [])
    html = (example_site / "people/tomas-rivera/index.html").read_text(encoding="utf-8")
    charts = _charts_in(html)
    # the page carries each chart exactly as drawn: Markdown and the HTML check left it whole
    assert charts == [str(c) for c in result_charts(status, brand(catalog).color).values()]
    # one per benchmark with min or max and a numeric result, in the role's order, above the table
    numeric = [m for m in status.benchmarks if (m.benchmark.min is not None or m.benchmark.max is not None)
               and any(r.benchmark == m.key and not isinstance(r.value, str) for r in tomas.data.results)]
    assert len(charts) == len(numeric) >= 2
    assert html.index(charts[-1]) < html.index("<table", html.index('id="results"'))
    ns = "{http://www.w3.org/2000/svg}"
    for svg, mark in zip(charts, numeric):
        root = ET.fromstring(svg)
        said = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
        benchmark = mark.benchmark
        assert said[0] == benchmark.objective
        assert f"target: {target_words(benchmark.min, benchmark.max, benchmark.unit)}" in said
        assert f"by {benchmark.by}: {mark.deadline.isoformat()}" in said  # type: ignore[union-attr]
        for result in (r for r in tomas.data.results if r.benchmark == mark.key):
            label = shown(result.value, benchmark.unit)
            assert (label if benchmark.met(result.value) else f"{label} (misses the target)") in said
            assert result.on.isoformat() in said
    # the example's line: 86% missed then 93% met, against "at least 90%", by day 30 (2026-06-30)
    first = ET.fromstring(charts[0])
    assert first.find(f"{ns}polyline") is not None
    assert first.find(f"{ns}desc").text == (  # type: ignore[union-attr]
        "Tomás Rivera's results for Requests handled promptly, by date: target at least 90%, by day 30 "
        "(2026-06-30). Results: 2026-06-30: 86% (misses the target); 2026-07-31: 93%.")
    # a benchmark whose results are words, and one without min or max, has no chart
    assert "Site always backed up" not in [ET.fromstring(c).find(f"{ns}title").text for c in charts]  # type: ignore[union-attr]


RESULTS = {
    "sops/roles/assistant.yml": ("title: Dental assistant\nsummary: Assists.\nreports_to: dentist\nrate: 25\n"
                                 "benchmarks:\n"
                                 "  - {objective: 'Chairs <ready> & \"turned\"', id: turnaround, by: week 2, max: 10,"
                                 " unit: 'min <b>'}\n"
                                 "  - {objective: Patients greeted, id: greeted, min: 95, max: 100, unit: '%'}\n"
                                 "  - {objective: Days on time, id: on-time}\n"),
    "sops/people/anna-berg.yml": ("name: Anna Berg\nrole: assistant\nstarted: 2026-01-05\n"
                                  "results:\n"
                                  "  - {benchmark: turnaround, on: 2026-01-30, value: 12}\n"
                                  "  - {benchmark: turnaround, on: 2026-01-16, value: 14}\n"
                                  "  - {benchmark: turnaround, on: 2026-02-27, value: 9}\n"
                                  "  - {benchmark: greeted, on: 2026-02-27, value: 97}\n"
                                  "  - {benchmark: on-time, on: 2026-02-27, value: 4 of 5 days}\n"),
}


@pytest.mark.parametrize("people", [True, False])
def test_results_charts_of_a_built_project_and_nothing_without_publish_people(tmp_path: Path, people: bool) -> None:
    import xml.etree.ElementTree as ET

    project = _clinic(tmp_path, **{"sops/organization.yml": (
        f"name: Smile Clinic\nowner: dentist\ncurrency: EUR\npublish_people: {str(people).lower()}\n"), **RESULTS})
    result = run(project, "build", *NO_PDF, "-d", str(project / "site"))
    assert result.exit_code == 0, result.output
    assert "removed from the page" not in result.output
    site = project / "site"
    if not people:
        found = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()
                 and re.search(r"misses the target|results-turnaround|Anna", p.read_bytes().decode("utf-8", "replace"))}
        assert found == set() and not (site / "people").exists()
        return
    charts = _charts_in((site / "people/anna-berg/index.html").read_text(encoding="utf-8"))
    assert len(charts) == 2  # turnaround (max only) and greeted (min and max); "4 of 5 days" is words
    ns = "{http://www.w3.org/2000/svg}"
    turnaround, greeted = (ET.fromstring(c) for c in charts)
    said = ["".join(t.itertext()) for t in turnaround.iter(f"{ns}text")]
    assert said[:4] == ['Chairs <ready> & "turned"', "target: at most 10 min <b>", "misses the target",
                        "by week 2: 2026-01-19"]
    # two weeks apart, "(misses the target)" would run into the next label: the crosses and the key say it
    assert {"14 min <b>", "12 min <b>", "9 min <b>"} <= set(said)
    assert len([p for p in turnaround.iter(f"{ns}path") if p.get("class") == "sopgen-chart-missed"]) == 2
    assert [t for t in said if re.fullmatch(r"\d{4}-\d\d-\d\d", t)] == ["2026-01-16", "2026-01-30", "2026-02-27"]
    assert "target: 95% to 100%" in ["".join(t.itertext()) for t in greeted.iter(f"{ns}text")]
    assert greeted.find(f"{ns}polyline") is None  # one result: a point alone
