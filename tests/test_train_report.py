"""`sopgen train report PERSON -o FILE.pdf` (the printable training record) and the owner's report's
training matrix, opened as a reader would: the PDF's text page by page, and its bookmarks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASE, REPO, build_tree, run
from test_history_git import TASK, commit, edit, project
from test_train_cli import EXAMPLE_TODAY

BENCHMARKS = ("benchmarks:\n  - objective: Invoices out within 2 business days\n    id: invoices-on-time\n"
              "    measure: share of invoices sent on time\n    target: 95%\n    by: day 30\n"
              "    min: 95\n    unit: '%'\n")
ANN = """\
name: Ann Lee
role: bookkeeper
started: 2026-01-05
trainer: bo
agreed_benchmarks: 2026-01-06
trained:
  - sop: send-invoices
    on: 2026-01-06
    by: bo
    note: sent the first run alone
  - sop: reconcile-bank
    on: 2026-01-07
    by: bo
results:
  - {benchmark: invoices-on-time, on: 2026-01-20, value: 90}
  - {benchmark: invoices-on-time, on: 2026-02-03, value: 97}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Ann signed off on both SOPs of the bookkeeper; then a commit changed a step of send-invoices."""
    root = project(tmp_path / "repo")
    build_tree(root, {
        "sops/roles/bookkeeper.yml": (root / "sops/roles/bookkeeper.yml").read_text() + BENCHMARKS,
        "sops/people/ann.yml": ANN,
        "sops/people/bo.yml": "name: Bo Ray\nrole: owner\nstarted: 2025-01-01\n",
        "sops/people/cy.yml": "name: Cy Park\nrole: bookkeeper\nstarted: 2026-02-01\n",
    })
    commit(root, "Training records", date="2026-01-07T17:00:00+00:00")
    edit(root / TASK, "Send the invoices.", "Send the invoices by email.")
    commit(root, "Invoices go by email", date="2026-01-10T09:00:00+00:00")
    return root


def pages_of(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


def bookmarks(pdf: Path) -> list:
    from pypdf import PdfReader

    def titles(outline: list) -> list:
        return [titles(item) if isinstance(item, list) else item.title for item in outline]

    return titles(PdfReader(pdf).outline)


def test_a_record_shows_who_signed_what_and_what_must_be_signed_again(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "records/ann.pdf"
    result = run(repo, "train", "report", "ann", "-o", str(out), "--today", "2026-02-10")
    assert result.exit_code == 0, result.output
    pages = pages_of(out)
    first = pages[0]
    assert first.startswith("BASE CONSULTING Training record: Ann Lee Evidence of training")
    assert "Person Ann Lee ann Role Bookkeeper Started 2026-01-05 Trainer Bo Ray" in first
    assert "Procedures 1 of 2 signed off and current Printed 2026-02-10 Handbook version" in first
    # the table: a signed SOP shows the version, date and trainer; the changed one says what is in force
    assert ("Reconcile the bank account reconcile-bank v1 v1, 2026-01-07 Bo Ray Signed off, current" in first)
    assert ("Send client invoices send-invoices sent the first run alone v2 v1, 2026-01-06 Bo Ray "
            "Must re-learn: v2 is in force, to sign again") in first
    assert first.index("Send client invoices") < first.index("Reconcile")  # the handbook's order: onboarding first
    text = " ".join(pages)
    to_sign = text[text.index("To sign Sign each procedure"):text.index("Benchmarks Agreed")]
    # one box to sign, for the SOP to re-learn only; the current one has none
    assert "Send client invoices send-invoices · version in force: v2" in to_sign
    assert "Signed off on v1 on 2026-01-06 by Bo Ray; since then its steps changed: " \
           "• v2, 2026-01-10: Invoices go by email (1 step changed) It must be signed again, on v2." in to_sign
    assert "Reconcile" not in to_sign
    assert to_sign.count("Trainee signature: Ann Lee Date Trainer signature: Bo Ray Date") == 1
    assert ("Benchmarks Agreed on 2026-01-06 as realistic and doable. Benchmark Target Deadline Results "
            "Invoices out within 2 business days share of invoices sent on time invoices-on-time 95% 2026-02-03 "
            "day 30 90% on 2026-01-20, not met 97% on 2026-02-03, met") in text
    # every page says when it was printed, and from which version of the handbook
    version = re.search(r"Handbook version (\S+)", first)[1]
    for page in pages:
        assert f"Training record of Ann Lee · printed 2026-02-10 · handbook version {version}" in page
        assert re.search(r"Page \d of \d", page)
    assert bookmarks(out) == ["Training record: Ann Lee", ["Procedures", "To sign", ["Send client invoices"],
                                                           "Benchmarks"]]
    from pypdf import PdfReader

    assert PdfReader(out).metadata.title == "Base Consulting: Training record: Ann Lee"


def test_an_open_sop_and_benchmarks_not_agreed_get_signature_lines(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "cy.pdf"
    result = run(repo, "train", "report", "cy", "-o", str(out), "--today", "2026-02-10")
    assert result.exit_code == 0, result.output
    text = " ".join(pages_of(out))
    assert "Trainer — Procedures 0 of 2 signed off and current" in text
    assert "Send client invoices send-invoices v2 — — To learn: Week 1, by 2026-02-08" not in text  # past: overdue
    assert "Send client invoices send-invoices v2 — — Overdue: Week 1, due 2026-02-08" in text
    assert "Reconcile the bank account reconcile-bank v1 — — To learn" in text
    assert text.count("Trainee signature: Cy Park Date Trainer signature Date") == 3  # two SOPs, the benchmarks
    assert "Not agreed on yet." in text and "We agree these benchmarks are realistic and doable." in text
    assert "No result yet" in text


def test_the_example_record_of_someone_mid_onboarding(tmp_path: Path) -> None:
    out = tmp_path / "dana.pdf"
    result = run(REPO, "train", "report", "dana-whitfield", "-o", str(out), "--today", EXAMPLE_TODAY)
    assert result.exit_code == 0, result.output
    pages = pages_of(out)
    assert "Training record: Dana Whitfield" in pages[0] and "Role Bookkeeper Started 2026-10-26" in pages[0]
    text = " ".join(pages)
    assert "Send client invoices send-client-invoices first invoice run done alone on Friday v" in text
    assert "Overdue: Month 1, due 2026-11-26" in text and "To learn: Day 60, by 2026-12-24" in text
    assert text.count("Trainee signature: Dana Whitfield") == 2
    assert "Agreed on 2026-10-30 as realistic and doable." in text
    assert "75% on 2026-11-20, not met (one run late while learning the template)" in text


def test_the_record_of_someone_who_left_has_no_lines_to_sign(repo: Path, tmp_path: Path) -> None:
    edit(repo / "sops/people/cy.yml", "started:", "status: left\nstarted:")
    out = tmp_path / "cy.pdf"
    assert run(repo, "train", "report", "cy", "-o", str(out), "--today", "2026-02-10").exit_code == 0
    text = " ".join(pages_of(out))
    assert "Status Has left; the record is kept" in text and "Not signed off" in text
    assert "Trainee signature" not in text and "Overdue" not in text


def test_a_record_outside_git_with_markup_in_its_text(tmp_path: Path) -> None:
    """Names and notes are text, never markup or a template; without git, versions are unknown."""
    root = tmp_path / "plain"
    shutil.copytree(BASE, root)
    build_tree(root, {"sops/people/zoe.yml": ('name: "Zoë <b>Ünal</b> {{ 7*7 }}"\nrole: bookkeeper\nstarted: 2026-01-05\n'
                                              'trained:\n  - sop: reconcile-bank\n    on: 2026-01-06\n'
                                              '    note: "<i>fine</i> {% raw %}"\n')})
    out = tmp_path / "zoe.pdf"
    result = run(root, "train", "report", "zoe", "-o", str(out), "--today", "2026-01-07")
    assert result.exit_code == 0, result.output
    text = " ".join(pages_of(out))
    assert "Training record: Zoë <b>Ünal</b> {{ 7*7 }}" in text and "<i>fine</i> {% raw %}" in text
    assert "Reconcile the bank account reconcile-bank <i>fine</i> {% raw %} — 2026-01-06 — Signed off, current" in text
    assert "Handbook version not under version control" in text
    assert "Send client invoices send-invoices · version in force: — · To learn: Week 1, by 2026-01-12" in text


def test_typst_syntax_in_a_name_a_note_and_a_title_shows_as_written(tmp_path: Path) -> None:
    """The PDFs are Typst documents: text that is Typst code in a person's name, a sign-off's note or an
    SOP's title is shown, never run (it could read a file, or break the page)."""
    root = tmp_path / "plain"
    shutil.copytree(BASE, root)
    edit(root / "sops/tasks/reconcile-bank.yml", "title: Reconcile the bank account",
         'title: "Reconcile #emph[the] bank $x$"')
    build_tree(root, {"sops/people/zoe.yml": ('name: "Zoë #strong[Ünal] @ann <me>"\nrole: bookkeeper\n'
                                              'started: 2026-01-05\ntrained:\n  - sop: reconcile-bank\n'
                                              '    on: 2026-01-06\n    note: \'#read("/etc/passwd") ] \\ /* // x\'\n')})
    out = tmp_path / "zoe.pdf"
    result = run(root, "train", "report", "zoe", "-o", str(out), "--today", "2026-01-07")
    assert result.exit_code == 0, result.output
    text = " ".join(pages_of(out))
    assert "Training record: Zoë #strong[Ünal] @ann <me>" in text
    assert 'Reconcile #emph[the] bank $x$ reconcile-bank #read("/etc/passwd") ] \\ /* // x' in text
    owner = tmp_path / "owner.pdf"
    assert run(root, "report", "-o", str(owner)).exit_code == 0
    report = " ".join(pages_of(owner))
    assert "Zoë #strong[Ünal] @ann <me>" in report and "Reconcile #emph[the] bank $x$" in report


def test_an_unknown_person_is_refused_with_a_suggestion(repo: Path, tmp_path: Path) -> None:
    result = run(repo, "train", "report", "anne", "-o", str(tmp_path / "anne.pdf"))
    assert result.exit_code == 1
    assert "unknown person 'anne' — did you mean 'ann'?" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "anne.pdf").exists()


@pytest.mark.parametrize("where", ["site/ann.pdf", "sops/ann.pdf", "sops/people/ann.pdf", "docs/ann.pdf",
                                   "templates/ann.pdf", ".git/ann.pdf"])
def test_a_record_is_never_written_where_staff_or_sources_are(repo: Path, where: str) -> None:
    result = run(repo, "train", "report", "ann", "-o", str(repo / where))
    assert result.exit_code == 1
    assert "refused to write the training record into" in result.output and "Traceback" not in result.output
    assert not (repo / where).exists()


def test_the_record_template_is_overridden_by_file_name(repo: Path, tmp_path: Path) -> None:
    """A project's templates/pdf/training-record.typ replaces sopgen's: here, sopgen's own with its
    closing note rewritten, as someone who copied it to change one line would have it."""
    default = (REPO / "templates/pdf/training-record.typ").read_text(encoding="utf-8")
    closing = default[default.index("#block(breakable: false, text(size: 8.5pt"):]
    build_tree(repo, {"templates/pdf/training-record.typ": default.replace(
        closing, "#block[Filed by the office manager.]\n")})
    out = tmp_path / "ann.pdf"
    result = run(repo, "train", "report", "ann", "-o", str(out), "--today", "2026-02-10")
    assert result.exit_code == 0, result.output
    text = " ".join(pages_of(out))
    assert "Filed by the office manager." in text and "A signature on this sheet counts" not in text
    assert "Training record: Ann Lee" in text  # the rest is sopgen's, as it was


# -- the owner's report: the training matrix ----------------------------------------------------

def test_owner_report_has_the_training_matrix(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1770681600")  # 2026-02-10: the report's day
    out = tmp_path / "owner.pdf"
    result = run(repo, "report", "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = pages_of(out)
    assert "Training 1 to re-learn, 1 overdue" in pages[0]
    training = next(p for p in pages if "Training Who is signed off" in p)
    assert ("People Person Role Started Signed off, current Must re-learn Overdue Not yet due "
            "Ann Lee Bookkeeper 2026-01-05 1 of 2 1 0 0 Bo Ray Owner 2025-01-01 0 of 0 0 0 0 "
            "Cy Park Bookkeeper 2026-02-01 0 of 2 0 1 1") in training
    assert ("Who must re-learn what • Ann Lee: Send client invoices send-invoices, signed off on v1 (2026-01-06), "
            "now v2; its steps changed in v2 (2026-01-10, “Invoices go by email”).") in training
    assert ("Bookkeeper SOP Ann Lee Cy Park Send client invoices must re-learn (v1 → v2) overdue (due 2026-02-08) "
            "Reconcile the bank account signed off v1, current to learn "
            "Signed off and current 1 of 2 0 of 2") in training  # the handbook's order: onboarding first
    assert "Owner SOP" not in training  # a role without SOPs has no matrix
    titles = [t for t in bookmarks(out) if not isinstance(t, list)]
    assert titles[-3:] == ["Delegation", "Training", "Reviews"]


def test_owner_report_without_people_has_no_training_chapter(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    out = tmp_path / "owner.pdf"
    assert run(root, "report", "-o", str(out)).exit_code == 0
    assert "Training" not in [t for t in bookmarks(out) if not isinstance(t, list)]
    assert "re-learn" not in " ".join(pages_of(out))


def test_a_role_with_many_people_gets_its_matrix_in_tables_of_four(repo: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Six people side by side would leave each a column too narrow for "overdue (due 2026-02-08)"."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1770681600")  # 2026-02-10
    build_tree(repo, {f"sops/people/p{n}.yml": f"name: Person {n}\nrole: bookkeeper\nstarted: 2026-01-26\n"
                      for n in range(1, 5)})
    out = tmp_path / "owner.pdf"
    assert run(repo, "report", "-o", str(out)).exit_code == 0
    text = " ".join(pages_of(out))
    first = text.index("Bookkeeper SOP Ann Lee Cy Park Person 1 Person 2 Send client invoices")
    second = text.index("SOP Person 3 Person 4 Send client invoices overdue (due 2026-02-02) "
                        "overdue (due 2026-02-02) Reconcile", first)
    assert text.count("Signed off and current", first) == 2 and "0 of 2 0 of 2" in text[second:]


def test_the_record_charts_numeric_results_under_their_benchmark(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ann.pdf"
    result = run(repo, "train", "report", "ann", "-o", str(out), "--today", "2026-02-10")
    assert result.exit_code == 0, result.output
    text = " ".join(pages_of(out))
    # the results in the table, then the chart of them: the target in words, the day 30 deadline
    # (dated from started, 2026-01-05), the missed result said in words, each day on the time axis
    row = text.index("90% on 2026-01-20, not met")
    chart = text.index("Invoices out within 2 business days", row)
    assert chart < text.index("target: at least 95%", chart) < text.index("by day 30: 2026-02-03", chart)
    assert "90% (misses the target)" in text[chart:] and "97%" in text[chart:]
    assert "2026-01-20" in text[chart:] and "2026-02-03" in text[chart:]


# -- the data the templates receive (sopgen.print.trainrecord, sopgen.print.report) --------------------------

def _catalog(root: Path):
    from sopgen.history.log import attach, read_history
    from sopgen.core.loader import load

    catalog = load(root)
    attach(catalog, read_history(root))
    return catalog


def _record(root: Path, person: str, today: str) -> dict:
    from datetime import date

    from sopgen.history.steps import StepHistory
    from sopgen.print.trainrecord import record
    from sopgen.core.training import person_status

    catalog = _catalog(root)
    status = person_status(catalog.people[person], today=date.fromisoformat(today), changes=StepHistory(root))
    data, files = record(catalog, status, today=date.fromisoformat(today), version="abc")
    json.dumps(data)  # what the template reads is JSON
    assert files == []  # the base project has no logo
    return data


def _report(root: Path, today: str, *, people: bool = True) -> dict:
    from datetime import date

    from sopgen.print.report import report
    from sopgen.history.steps import StepHistory
    from sopgen.core.training import team_status

    catalog = _catalog(root)
    day = date.fromisoformat(today)
    training = team_status(list(catalog.people.values()), today=day, changes=StepHistory(root)) if people else []
    data, _files = report(catalog, today=day, version="abc", training=training)
    json.dumps(data)
    return data


def test_the_record_data_lists_to_sign_only_what_is_not_signed_off_and_current(repo: Path) -> None:
    ann = _record(repo, "ann", "2026-02-10")
    assert ann["title"] == "Training record: Ann Lee" and ann["facts"][0] == ["Person", "Ann Lee", "ann"]
    assert [(s["id"], s["version"], s["signed"], s["by"], s["state_text"]) for s in ann["sops"]] == [
        ("send-invoices", "v2", "v1, 2026-01-06", "Bo Ray", "Must re-learn: v2 is in force, to sign again"),
        ("reconcile-bank", "v1", "v1, 2026-01-07", "Bo Ray", "Signed off, current")]
    assert [s["id"] for s in ann["to_sign"]] == ["send-invoices"]
    assert ann["to_sign"][0]["relearn"] == {
        "signed": "Signed off on v1 on 2026-01-06 by Bo Ray; since then its steps changed:",
        "changes": ["v2, 2026-01-10: Invoices go by email (1 step changed)"],
        "again": "It must be signed again, on v2."}
    assert ann["trainer_line"] == "Trainer signature: Bo Ray"
    # before Week 1's date an open SOP is due by it, after it overdue; with no phase, just to learn
    early = _record(repo, "cy", "2026-02-03")
    assert [s["state_text"] for s in early["to_sign"]] == ["To learn: Week 1, by 2026-02-08", "To learn"]
    late = _record(repo, "cy", "2026-02-10")
    assert [(s["state"], s["state_text"], s["relearn"]) for s in late["to_sign"]] == [
        ("overdue", "Overdue: Week 1, due 2026-02-08", None), ("open", "To learn", None)]
    assert late["trainer_line"] == "Trainer signature"  # no trainer named: a line to fill in


def test_the_record_data_of_someone_who_left_has_nothing_to_sign(repo: Path) -> None:
    edit(repo / "sops/people/cy.yml", "started:", "status: left\nstarted:")
    cy = _record(repo, "cy", "2026-02-10")
    assert cy["to_sign"] == [] and not cy["benchmarks"]["to_agree"]
    assert ["Status", "Has left; the record is kept"] in cy["facts"]
    assert {s["state_text"] for s in cy["sops"]} == {"Not signed off"}


def test_the_record_data_has_the_benchmarks_their_results_and_a_described_chart(repo: Path) -> None:
    benchmarks = _record(repo, "ann", "2026-02-10")["benchmarks"]
    assert benchmarks["agreed"] == "Agreed on 2026-01-06 as realistic and doable." and not benchmarks["to_agree"]
    [row] = benchmarks["rows"]
    assert (row["objective"], row["target"], row["deadline"], row["by"]) == (
        "Invoices out within 2 business days", "95%", "2026-02-03", "day 30")
    assert [r["text"] for r in row["results"]] == ["90% on 2026-01-20, not met", "97% on 2026-02-03, met"]
    assert row["chart"].startswith("<svg")
    # PDF/UA: the image's alternative text says what the chart shows, every figure in words
    alt = row["chart_alt"]
    assert alt.startswith("Invoices out within 2 business days. ")
    assert "95%" in alt and "90%" in alt and "97%" in alt and "2026-01-20" in alt
    cy = _record(repo, "cy", "2026-02-10")["benchmarks"]
    assert cy["agreed"] == "Not agreed on yet." and cy["to_agree"]
    assert cy["rows"][0]["results"] == [] and cy["rows"][0]["chart"] is None


def test_the_report_data_has_the_training_matrix_from_the_statuses(repo: Path) -> None:
    data = _report(repo, "2026-02-10")
    assert [c["kind"] for c in data["chapters"]] == ["delegation", "training", "reviews"]
    assert ["Training", "1 to re-learn, 1 overdue"] in data["cover_facts"]
    training = data["chapters"][1]
    assert [(p["name"], p["current"], p["relearn"], p["overdue"], p["later"]) for p in training["people"]] == [
        ("Ann Lee", "1 of 2", "1", "0", "0"), ("Bo Ray", "0 of 0", "0", "0", "0"), ("Cy Park", "0 of 2", "0", "1", "1")]
    [relearn] = training["relearn"]
    assert (relearn["person"], relearn["sop"]["text"], relearn["id"]) == ("Ann Lee", "Send client invoices",
                                                                         "send-invoices")
    assert relearn["text"] == ("signed off on v1 (2026-01-06), now v2; its steps changed in "
                               "v2 (2026-01-10, “Invoices go by email”).")
    [group] = training["groups"]  # the owner's role has no SOPs: no matrix of its own
    assert group["role"]["text"] == "Bookkeeper" and group["people"] == ["Ann Lee", "Cy Park"]
    assert [(r["id"], [(c["state"], c["text"]) for c in r["cells"]]) for r in group["rows"]] == [
        ("send-invoices", [("relearn", "must re-learn (v1 → v2)"), ("overdue", "overdue (due 2026-02-08)")]),
        ("reconcile-bank", [("current", "signed off v1, current"), ("open", "to learn")])]
    assert group["counts"] == ["1 of 2", "0 of 2"]
    early = _report(repo, "2026-02-03")["chapters"][1]["groups"][0]["rows"][0]["cells"][1]
    assert early == {"state": "due", "text": "not yet due (2026-02-08)"}


def test_the_report_data_without_anyone_in_training_has_no_training_chapter(repo: Path) -> None:
    data = _report(repo, "2026-02-10", people=False)
    assert [c["kind"] for c in data["chapters"]] == ["delegation", "reviews"]
    assert not [fact for fact in data["cover_facts"] if fact[0] == "Training"]


def test_the_report_data_has_the_money_the_site_withholds(tmp_path: Path) -> None:
    from test_site import _clinic

    project = _clinic(tmp_path, **{
        "sops/organization.yml": "name: Smile Clinic\nowner: dentist\ncurrency: EUR\npublish_money: false\n"})
    data = _report(project, "2026-02-10", people=False)
    assert ["Delegating frees", "€2,090 a week"] in data["cover_facts"]
    delegation = data["chapters"][0]
    assert delegation["owner_rate"] == "€320" and delegation["chart"].startswith("<svg")
    assistant = next(r for r in delegation["roles"] if r["role"]["text"] == "Dental assistant")
    assert assistant["rate"] == "Rate: €25 an hour."
    assert [t[0]["text"] for t in assistant["tasks"]] == ["Sterilise instruments", "Order supplies"]  # daily before weekly
    assert assistant["tasks"][1][1:] == ["2 h", "€640", "€50", "€590", "€30,680"]
    # the report links nowhere: none of its SOPs is in it
    assert {t[0]["label"] for r in delegation["roles"] for t in r["tasks"]} == {None}


def test_a_charts_alternative_text_is_its_title_and_description_as_text() -> None:
    from datetime import date

    from sopgen.text.linechart import Point, Target, line_chart

    alt = line_chart([Point(date(2026, 1, 20), 90.0, "90%", False)], ident="r", title='Tom & "Jerry" <b>',
                     summary="Zoë's results", target=Target(95, None, "at least 95%"), color="#336699").alt
    assert alt.startswith('Tom & "Jerry" <b>. ') and "&amp;" not in alt and "&#" not in alt
    assert "at least 95%" in alt and "90%" in alt and "2026-01-20" in alt


def test_the_report_and_a_record_of_the_same_commit_are_the_same_bytes(repo: Path, tmp_path: Path) -> None:
    for args in (("report",), ("train", "report", "ann", "--today", "2026-02-10")):
        made = []
        for n in (1, 2):
            out = tmp_path / f"{n}.pdf"
            assert run(repo, *args, "-o", str(out)).exit_code == 0
            made.append(out.read_bytes())
        assert made[0] == made[1], args
