"""Hostile sources: a contributor's file must not put script into pages, read files or write outside the site.

The YAML limits (size, depth, aliases, tags) are tested in test_yamlsource.py,
the PDF fetcher in test_pdf.py, and random mutations in test_fuzz.py.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import markdown
import pytest

from conftest import build_tree, run
from sopgen.core.errors import TemplateFailed
from sopgen.core.loader import load
from sopgen.core.mdcheck import findings, scheme
from sopgen.site.pagecheck import neutralise
from sopgen.core.svgcheck import svg_problem
from sopgen.core.model import Step, Tool
from sopgen.site.pages import render
from sopgen.core.markdown import EXTENSIONS
from sopgen.text.templating import environment
from sopgen.core.validate import errors_in, validate

TODAY = date(2026, 11, 25)


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in errors_in(validate(load(project), today=TODAY))]


# -- what a Markdown field may carry ---------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "shown"), [
    ("<script>alert(1)</script>", "html", "<script>alert(1)</script>"),
    ("Click <img src=x onerror=alert(1)> here", "html", "<img src=x onerror=alert(1)>"),
    ("<iframe src='https://evil.example'></iframe>", "html", "<iframe src='https://evil.example'></iframe>"),
    ("Text <!-- hidden from reviewers -->", "html", "<!-- hidden from reviewers -->"),
    ("<div markdown>\n*x*\n</div>", "html", "<div>"),
    ("<javascript:alert(1)>", "html", "<javascript:alert(1)>"),
    ("para\n\n    <b>indented code</b>", "html", "<b>"),  # a code block here, inline HTML in a checklist
    ("Para\n{: onclick=\"alert(1)\" }", "attribute", "onclick=alert(1)"),
    ("*x*{onmouseover=\"alert(1)\"}", "attribute", "onmouseover=alert(1)"),
    ("Pay | {: onclick=alert(1) }", "attribute", "onclick=alert(1)"),  # an attribute of the table cell
    ("Para\n{: style=\"position:fixed;inset:0\" }", "attribute", "style=position:fixed;inset:0"),
    ("[x](https://ok.example){: href=\"javascript:alert(1)\" }", "attribute", "href=javascript:alert(1)"),
    ("[x](javascript:alert(1))", "link", "javascript:alert(1)"),
    ("[x](JaVaScRiPt:alert(1))", "link", "JaVaScRiPt:alert(1)"),
    ("[x]( javascript:alert(1))", "link", "javascript:alert(1)"),
    ("[x](<javascript:alert(1)>)", "link", "javascript:alert(1)"),
    ("[x](jav&#x09;ascript:alert(1))", "link", "jav&#x09;ascript:alert(1)"),
    ("[x][r]\n\n[r]: javascript:alert(1)", "link", "javascript:alert(1)"),
    ("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "link",
     "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"),
    ("[x](vbscript:msgbox(1))", "link", "vbscript:msgbox(1)"),
    ("[x](file:///etc/passwd)", "link", "file:///etc/passwd"),
    ('--8<-- ".env"', "include", '--8<-- ".env"'),
    ('```\n-8<- ".git/config"\n```', "include", '-8<- ".git/config"'),
])
def test_markdown_that_could_carry_script_is_found(text: str, kind: str, shown: str) -> None:
    found = findings(text)
    assert [f.kind for f in found][:1] == [kind]
    assert found[0].shown[0] == shown


@pytest.mark.parametrize("text", [
    "a < b and c > d",
    "Use `<script>` tags",
    "```\n<script>alert(1)</script>\n```",
    "See <https://example.com/x?a=1&b=2> or <ops@example.com>",
    "[site](https://example.com) [rel](../x.md) [top](#steps) [call](tel:+15551234) [mail](mailto:a@b.example)",
    "![screen](media/x.png){ width=300 loading=lazy .wide }",
    "Type {{ 7*7 }} and {% raw %} as written",
    "Ratio 3:1 [approx]",
    "Use `<b>|</b>` here",
    "&lt;script&gt; written as entities",
])
def test_ordinary_markdown_is_fine(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(("address", "expected"), [
    ("https://x", "https"), ("  JAVASCRIPT:x", "javascript"), ("\x01java\tscript:x", "javascript"),
    ("jav&#x61;script:x", "javascript"), ("../x.md", ""), ("#top", ""), ("//host/x", ""), ("a/b:c", ""),
])
def test_scheme_is_read_as_a_browser_reads_it(address: str, expected: str) -> None:
    assert scheme(address) == expected


FIELDS = {  # every Markdown field of the format, with where it is in the files below
    "sops/roles/bookkeeper.yml": ["summary", "responsibilities[0]", "skills[0]", "tools[0].purpose",
                                  "tools[0].access", "training.method", "onboarding[0].goals[0]"],
    "sops/tasks/send-invoices.yml": ["purpose", "steps[0].do", "steps[0].details", "steps[0].why",
                                     "steps[0].tip", "steps[0].warning", "steps[0].steps[0].do", "done_when[0]"],
}
BAD = '"<b onclick=alert(1)>x</b>"'


def _every_markdown_field(project: Path, organization_extra: str = "") -> None:
    build_tree(project, {
        "sops/organization.yml": f"name: Base\nowner: owner\n{organization_extra}",
        "sops/roles/bookkeeper.yml": f"""
            title: Bookkeeper
            summary: {BAD}
            reports_to: owner
            responsibilities: [{BAD}]
            skills: [{BAD}]
            tools:
              - name: QuickBooks Online
                purpose: {BAD}
                access: {BAD}
            training:
              method: {BAD}
            onboarding:
              - phase: Week 1
                goals: [{BAD}]
                tasks: [send-invoices]
        """,
        "sops/tasks/send-invoices.yml": f"""
            title: Send client invoices
            role: bookkeeper
            purpose: {BAD}
            steps:
              - do: {BAD}
                details: {BAD}
                why: {BAD}
                tip: {BAD}
                warning: {BAD}
                steps:
                  - do: {BAD}
            done_when: [{BAD}]
        """,
    })


def test_every_markdown_field_is_checked(base_project: Path) -> None:
    _every_markdown_field(base_project)
    found = {(m.group(1), m.group(2)) for p in problems_of(base_project)
             if (m := re.match(r"^(\S+):\d+:\d+: (\S+): raw HTML '<b onclick=alert\(1\)>', '</b>' are not allowed", p))}
    assert found == {(path, field) for path, fields in FIELDS.items() for field in fields}


def test_allow_html_lets_the_project_use_html(base_project: Path) -> None:
    _every_markdown_field(base_project, "allow_html: true\n")
    assert problems_of(base_project) == []


def test_the_message_names_the_project_organization_file(base_project: Path) -> None:
    (base_project / "sops/organization.yml").unlink()
    (base_project / "sops/roles/owner.yml").write_text("title: Owner\nsummary: Runs it <b>all</b>.\n")
    assert problems_of(base_project) == [
        "sops/roles/owner.yml:2:10: summary: raw HTML '<b>', '</b>' are not allowed in Markdown: write it as text "
        "(in `backticks` it shows as code), or set 'allow_html: true' in sops/organization.yml "
        "if every author of the project is trusted"]


# -- plain text reaches the pages as text ----------------------------------------------------

SCRIPT = "<script>alert(1)</script> {{ 7*7 }} {: onclick=alert(2) } [x](javascript:alert(3))"


def test_plain_text_fields_never_become_html_or_templates(base_project: Path) -> None:
    s = f'"{SCRIPT}"'
    build_tree(base_project, {
        "sops/organization.yml": f"name: {s}\nowner: owner\n",
        "sops/roles/bookkeeper.yml": f"""
            title: {s}
            summary: Keeps the books.
            reports_to: owner
            engagement: {s}
            rate: 30
            tools:
              - name: {s}
                url: https://example.com/?q="><script>alert(4)</script>
            training:
              recordings:
                - title: {s}
                  url: https://example.com/a b"onmouseover=alert(5)
            onboarding:
              - phase: {s}
                tasks: [send-invoices]
            benchmarks:
              - {{objective: {s}, measure: {s}, target: {s}, by: {s}}}
        """,
        "sops/tasks/send-invoices.yml": f"""
            title: {s}
            role: bookkeeper
            purpose: Invoices.
            trigger: {s}
            tools: [{s}]
            steps:
              - do: Send them.
            checklist: [{s}]
            benchmarks:
              - {{objective: {s}}}
            quiz:
              - question: {s}
                choices: [{s}, {s}]
                answer: 1
            tags: [{s}]
        """,
    })
    catalog = load(base_project)
    assert errors_in(validate(catalog, today=TODAY)) == []
    site = render(catalog, environment(base_project), today=TODAY)
    convert = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSIONS)
    for path, page in site.pages.items():
        html = convert.reset().convert(page.markdown)
        assert "<script" not in html, path
        assert not re.search(r"<[^>]+\son\w+=", html), path
        assert 'href="javascript' not in html.lower(), path
        # {{ 7*7 }} printed as written, never evaluated (a chart's coordinates and colours are numbers: not counted)
        assert "49" not in re.sub(r'="#?[\da-fA-F. -]*"', "", page.markdown), path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in site.pages["sops/send-invoices.md"].markdown


# -- addresses of tools, recordings and videos -------------------------------------------------

@pytest.mark.parametrize("address", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>",
                                     "file:///etc/passwd", "//evil.example/x", "https://", "http:/x", "ftp://x"])
def test_web_addresses_must_be_http(address: str) -> None:
    with pytest.raises(ValueError, match="is not a web address"):
        Step(do="x", video=address)
    with pytest.raises(ValueError, match="is not a web address"):
        Tool(name="x", url=address)


@pytest.mark.parametrize("address", ["https://example.com", "HTTP://EXAMPLE.COM/a?b#c", " https://x.example "])
def test_http_addresses_are_fine(address: str) -> None:
    assert Step(do="x", video=address).video == address


# -- paths: nothing read outside sops/ or templates/, nothing written outside the site -----------

def test_an_image_link_leading_outside_sops_is_refused(base_project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG secret")
    os.symlink(secret, base_project / "sops/media/leak.png")
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("media/screen.svg", "media/leak.png"))
    assert problems_of(base_project) == [
        "sops/tasks/send-invoices.yml:9:12: steps[0].image: 'media/leak.png' points outside sops/; keep images in sops/media/"]


def test_a_folder_link_leading_outside_sops_is_refused(base_project: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/x.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    os.symlink(tmp_path / "elsewhere", base_project / "sops/media/shared")
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("media/screen.svg", "media/shared/x.svg"))
    assert problems_of(base_project)[0].endswith("'media/shared/x.svg' points outside sops/; keep images in sops/media/")


def test_an_image_path_cannot_aim_the_copy_outside_the_site(base_project: Path, tmp_path: Path) -> None:
    # resolves inside sops/, but the site would copy it to assets/sops/../../../<...>: outside the site
    sneaky = f"../../../{base_project.parent.name}/{base_project.name}/sops/media/screen.svg"
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("media/screen.svg", sneaky))
    assert problems_of(base_project) == [
        f"sops/tasks/send-invoices.yml:9:12: steps[0].image: '{sneaky}' must not contain '..': "
        "write the path from sops/, such as 'media/screen.svg'"]
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run(base_project, "render", str(tmp_path / "out"))
    assert result.exit_code == 1 and "must not contain '..'" in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_source_file_linking_outside_sops_is_not_read(base_project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "ci-secrets.yml"
    secret.write_text("aws_secret_access_key: AKIA-TOP-SECRET\n")
    os.symlink(secret, base_project / "sops/tasks/leak.yml")
    problems = problems_of(base_project)
    assert problems == ["sops/tasks/leak.yml:1:1: the file is a link to a file outside sops/, "
                        "which sopgen does not read; put the file itself here"]
    assert "AKIA" not in " ".join(problems) and "aws_secret" not in " ".join(problems)


def test_templates_cannot_include_files_outside_the_project(base_project: Path) -> None:
    build_tree(base_project, {"templates/tools.md.j2": '{% include "../../../../../../etc/passwd" %}\n'})
    with pytest.raises(TemplateFailed, match="etc/passwd"):
        render(load(base_project), environment(base_project), today=TODAY)


def test_a_template_that_links_outside_templates_is_refused(base_project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    build_tree(base_project, {"templates/tools.md.j2": '# Tools\n\n{% include "notes.md.j2" %}\n'})
    os.symlink(secret, base_project / "templates/notes.md.j2")
    with pytest.raises(TemplateFailed, match="templates/notes.md.j2 is a link to a file outside templates/"):
        render(load(base_project), environment(base_project), today=TODAY)


def test_allow_html_does_not_allow_script_addresses(base_project: Path) -> None:
    organization = base_project / "sops/organization.yml"
    organization.write_text(organization.read_text() + "allow_html: true\n")
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("    image: media/screen.svg", "    video: javascript:alert(1)"))
    assert problems_of(base_project) == [
        "sops/tasks/send-invoices.yml:9:12: steps[0].video: 'javascript:alert(1)' is not a web address: "
        "write one that starts with https:// (or http://)"]


# -- reports ------------------------------------------------------------------------------------

def test_a_report_line_cannot_be_split_or_disguised(base_project: Path) -> None:
    (base_project / "sops/roles/owner.yml").write_text(
        'title: Owner\nsummary: Runs it.\n"x\\rsops/roles/owner.yml:1:1: all good\\e[2K": 1\nrate: "\\u202e05"\n')
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert "sops/roles/owner.yml:3:1: x\\rsops/roles/owner.yml:1:1: all good\\x1b[2K: unknown field" in result.output
    assert "\r" not in result.output and "\x1b" not in result.output and "\u202e" not in result.output


# -- templates run in Jinja's sandbox ------------------------------------------------------------

@pytest.mark.parametrize("escape", [
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ organization.__class__.__init__.__globals__ }}",
    "{{ link.__globals__ }}",
    "{{ money.one.__func__.__globals__ }}",
    "{{ catalog.roles.clear() }}",
    "{{ roles.append(1) }}",
    "{{ catalog.root.joinpath('PWNED').write_text('x') }}",  # a path reaches the disk through its methods
    "{{ catalog.root.parent.parent.joinpath('etc/passwd').read_text() }}",
    "{{ (catalog.tasks.values()|first).source.file.open().read() }}",
    "{{ catalog.sops.iterdir()|list }}",
])
def test_a_template_cannot_reach_python(base_project: Path, escape: str) -> None:
    build_tree(base_project, {"templates/tools.md.j2": f"# Tools\n\n{escape}\n"})
    with pytest.raises(TemplateFailed, match=r"^templates/tools.md.j2:3: .*unsafe|^templates/tools.md.j2:3: .*undefined"
                                             r"|^templates/tools.md.j2:3: .*not safely callable") as caught:
        render(load(base_project), environment(base_project), today=TODAY)
    assert "Traceback" not in str(caught.value)
    assert not (Path.cwd() / "PWNED").exists() and not (base_project / "PWNED").exists()


def test_a_sandbox_escape_in_a_template_stops_the_build_with_its_line(base_project: Path) -> None:
    build_tree(base_project, {"templates/tools.md.j2": "# Tools\n\n{{ cycler.__init__.__globals__.os }}\n"})
    result = run(base_project, "build")
    assert result.exit_code == 1, result.output
    assert "templates/tools.md.j2:3: access to attribute '__init__' of 'type' object is unsafe" in result.output
    assert "Traceback" not in result.output


# -- ids that would take a generated address ---------------------------------------------------------

def test_a_role_id_that_takes_the_whole_business_pdf_is_refused_once(base_project: Path) -> None:
    (base_project / "sops/roles/bookkeeper.yml").rename(base_project / "sops/roles/handbook.yml")
    for task in ("send-invoices", "reconcile-bank"):
        _path = base_project / f"sops/tasks/{task}.yml"
        _path.write_text(_path.read_text().replace("role: bookkeeper", "role: handbook"))
    owner = base_project / "sops/roles/owner.yml"
    assert problems_of(base_project) == [
        "sops/roles/handbook.yml:1:1: the role id 'handbook' would take the site's address /pdf/handbook.pdf, "
        "the PDF handbook of the whole business: rename the file, e.g. 'handbook-role.yml' (and the references to it)"]
    result = run(base_project, "build")
    assert result.exit_code == 1 and not (base_project / "site").exists() and owner.exists()


@pytest.mark.parametrize(("kind", "ident"), [("role", "handbook"), ("task", "index")])
def test_sopgen_new_refuses_an_id_that_takes_an_address(base_project: Path, kind: str, ident: str) -> None:
    extra = ["--role", "bookkeeper"] if kind == "task" else []
    result = run(base_project, "new", kind, ident, *extra)
    assert result.exit_code == 2, result.output
    assert f"the {kind} id '{ident}' would take the site's address" in result.output
    assert not (base_project / f"sops/{kind}s/{ident}.yml").exists()


# -- Markdown as each page assembles it ----------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "shown"), [
    ("[portal]: javascript:alert(document.domain)", "link", "javascript:alert(document.domain)"),
    ("Intro.\n\n[p]: <javascript:alert(1)>", "link", "javascript:alert(1)"),
    ("[p]:\n  JAVASCRIPT:alert(1) 'title'", "link", "JAVASCRIPT:alert(1)"),
    ("[p]: jav&#x61;script:alert(1)", "link", "jav&#x61;script:alert(1)"),
    ("[p]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "link",
     "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("[p]: vbscript:msgbox(1)", "link", "vbscript:msgbox(1)"),
    ("```", "fence", "```"),
    ("Before\n\n~~~~ python\nx = 1", "fence", "~~~~ python"),
    ("- item\n\n    ```\n    text", "fence", "```"),
])
def test_what_another_field_could_use_is_found(text: str, kind: str, shown: str) -> None:
    found = findings(text)
    assert [f.kind for f in found][:1] == [kind], found
    assert found[0].shown[0] == shown


@pytest.mark.parametrize("text", [
    "[docs]: https://example.com/docs\n\nSee [the docs][docs].",
    "```\ncode\n```",
    "~~~\n```\n~~~",
    "Use ```` `` ```` in text",
    "```python\nx = 1\n```\n\n```\ny\n```",
    "```\ncode\n```   ",  # spaces after the closing fence
])
def test_safe_definitions_and_closed_fences_are_fine(text: str) -> None:
    assert findings(text) == []


def test_a_link_defined_in_one_field_and_used_in_another_is_refused_where_it_is_defined(base_project: Path) -> None:
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text()
                    .replace("purpose: Clients pay on time when invoices go out on time.",
                             'purpose: "Clients pay on time.\\n\\n[portal]: javascript:alert(document.domain)"')
                    .replace("  - do: Send the invoices.", "  - do: Send the invoices from [the portal][portal]."))
    assert problems_of(base_project) == [
        "sops/tasks/send-invoices.yml:3:10: purpose: the address 'javascript:alert(document.domain)' is not allowed "
        "in a link or image: use http(s), mailto: or tel: addresses or relative ones, or set 'allow_html: true' in "
        "sops/organization.yml if every author of the project is trusted"]


def test_the_fix_for_an_open_fence_names_its_marks() -> None:
    assert findings("~~~~ python\nx = 1")[0].message("sops/organization.yml") == (
        "the code fence '~~~~ python' is not closed: end the code with a line of ~~~~ "
        "(an open fence would pair with one of another field on the page)")


def test_a_fence_left_open_in_one_field_is_refused(base_project: Path) -> None:
    # alone, each field is harmless; on the page, the first fence pairs with the second's and the script is live
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text()
                    .replace("purpose: Clients pay on time when invoices go out on time.", 'purpose: "```"')
                    .replace("  - do: Send the invoices.",
                             '  - do: Send the invoices.\n    tip: "```\\n<script>alert(1)</script>\\n```"'))
    assert problems_of(base_project) == [
        "sops/tasks/send-invoices.yml:3:10: purpose: the code fence '```' is not closed: end the code with a line of "
        "``` (an open fence would pair with one of another field on the page)"]


# -- the last look: what reaches a generated page's HTML -------------------------------------------

@pytest.mark.parametrize(("html", "left", "removed"), [
    ('<p><a href="javascript:alert(1)">x</a></p>', "<p><a>x</a></p>", "href=javascript:alert(1)"),
    ('<p><a href=" JaVa&#x53;cript:alert(1)" title="t">x</a></p>', '<p><a title="t">x</a></p>', "href= JaVaScript:alert(1)"),
    ('<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="a">', '<img alt="a">',
     "src=data:image/svg+xml,<svg onload=alert(1)>"),
    ('<p onclick="alert(1)" class="c">x</p>', '<p class="c">x</p>', "onclick=alert(1)"),
    ('<td ONMOUSEOVER=alert(1) style="text-align: right;">x</td>', '<td style="text-align: right;">x</td>',
     "onmouseover=alert(1)"),
    ('<form action="vbscript:x"><button formaction="javascript:y">b</button></form>',
     "<form><button>b</button></form>", "action=vbscript:x"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>"),
    ('<iframe src="https://evil.example"></iframe>', '&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;',
     '<iframe src="https://evil.example">'),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "<svg><a><text>x</text></a></svg>",
     "xlink:href=javascript:alert(1)"),
])
def test_a_page_never_carries_script(html: str, left: str, removed: str) -> None:
    out, found = neutralise(html)
    assert out == left
    assert found[0] == removed


@pytest.mark.parametrize("html", [
    '<p><a href="../sops/x/">x</a> <a href="https://example.com/?a=1&amp;b=2">y</a> <a href="#top">t</a></p>',
    '<form class="sopgen-quiz" id="quiz-x" action="#quiz-x"><input type="radio" name="q" value="1"/></form>',
    '<p><a href="mailto:a@b.example">m</a> <a href="tel:+1555">t</a> <img src="../assets/sops/media/x.svg" alt=""/></p>',
    "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; javascript:x onclick=y</code></pre>",
    '<table><tr><td style="text-align: right;">$1,000</td><td data-x="javascript:1">x</td></tr></table>',
])
def test_ordinary_pages_are_left_byte_for_byte(html: str) -> None:
    assert neutralise(html) == (html, [])


def test_what_validation_missed_never_reaches_the_site(base_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the last line of defence, seen alone: the field checks turned off, the pages are still clean
    monkeypatch.setattr("sopgen.core.validate.findings", lambda text: [])
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text()
                    .replace("purpose: Clients pay on time when invoices go out on time.",
                             'purpose: "```\\n\\n[portal]: javascript:alert(document.domain)"')
                    .replace("  - do: Send the invoices.",
                             '  - do: Send the invoices from [the portal][portal].\n'
                             '    tip: "```\\n<script>alert(1)</script> <b onclick=alert(2)>x</b>\\n```"'))
    result = run(base_project, "build", "--no-pdf")
    assert result.exit_code == 0, result.output
    for page in ("sops/send-invoices/index.html", "roles/bookkeeper/checklists/index.html"):
        body = (base_project / "site" / page).read_text()
        content = body[body.index("<article"):body.index("</article>")]  # the theme's own scripts aside
        assert "the portal" in content, page
        assert "<script" not in content and not re.search(r"<[^>]+\son\w+=", content), page
        assert "javascript:" not in content.lower(), page
    assert "<a>the portal</a>" in (base_project / "site/sops/send-invoices/index.html").read_text()
    assert ("sopgen: sops/send-invoices.md (from sops/tasks/send-invoices.yml): removed from the page, as it could "
            "run script: href=javascript:alert(document.domain)") in result.output
    assert "index.md" not in result.output and "delegation.md" not in result.output  # the others are left alone


# -- SVG pictures run in the site's origin when opened at their address ----------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize(("body", "found"), [
    ("<script>alert(1)</script>", "carries a <script> element (line 1)"),
    ('\n<rect width="1" onload="alert(1)"/>', "carries the event handler onload= (line 2)"),
    ('<g ONCLICK="alert(1)"/>', "carries the event handler onclick= (line 1)"),
    ('<image href="https://tracker.example/p.png"/>', "carries a reference to 'https://tracker.example/p.png' (line 1)"),
    ('<a xlink:href="javascript:alert(1)"><text>x</text></a>', "carries a reference to 'javascript:alert(1)' (line 1)"),
    ('<use href="other.svg#x"/>', "carries a reference to 'other.svg#x' (line 1)"),
    ('<a href="https://example.com/"><text>a link out</text></a>', "carries a reference to 'https://example.com/' (line 1)"),
    ('<set attributeName="href" to=" JaVa&#x09;Script:alert(1)"/>', "carries a reference to 'JaVa Script:alert(1)' (line 1)"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
     "carries a <foreignObject> element (line 1)"),
    ("<style>@import url(https://evil.example/x.css);</style>", "carries a style that loads '@import' (line 1)"),
    ('<rect style="fill: url(https://evil.example/x)"/>', "carries a style that loads 'url(https://evil.example/x)' (line 1)"),
    (r"<style>@\69mport 'https://evil.example/x.css';</style>", r"carries a style that loads '\69mport' (line 1)"),
    (r'<rect style="fill: \75 rl(https://evil.example/x)"/>', r"carries a style that loads '\75' (line 1)"),
    ("<style>svg { background: image-set('https://evil.example/x.png' 1x) }</style>",
     "carries a style that loads 'image-set(' (line 1)"),
    ('<animate attributeName="href" values="javascript:alert(1)"/>', "carries a reference to 'javascript:alert(1)' (line 1)"),
    ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://x.example"/>', "carries a <iframe> element (line 1)"),
])
def test_an_svg_that_could_run_or_load_something_is_refused(tmp_path: Path, body: str, found: str) -> None:
    svg = tmp_path / "x.svg"
    svg.write_text(SVG.format(body))
    assert svg_problem(svg) == found


@pytest.mark.parametrize(("text", "found"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
     '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "carries a DOCTYPE (line 2)"),
    ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg/>',
     "carries a DOCTYPE (line 1)"),
    ('<?xml-stylesheet href="https://evil.example/x.css"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
     "carries the processing instruction <?xml-stylesheet?> (line 1)"),
    ("<svg><rect></svg>", "is not well-formed XML: mismatched tag: line 1, column 13"),
])
def test_an_svg_with_entities_or_stylesheets_is_refused(tmp_path: Path, text: str, found: str) -> None:
    svg = tmp_path / "x.svg"
    svg.write_text(text)
    assert svg_problem(svg) == found


@pytest.mark.parametrize("body", [
    '<rect width="10" height="10" fill="url(#grad)"/><linearGradient id="grad"/>',
    '<use href="#shape"/><use xlink:href="#shape"/>',
    '<image href="data:image/png;base64,iVBORw0KGgo="/>',
    "<style>text { font-family: Helvetica; fill: #1f2937 } .a { stroke: url(#g) }</style>",
    "<!-- a comment --><title>Logo</title>",
])
def test_an_ordinary_svg_is_fine(tmp_path: Path, body: str) -> None:
    svg = tmp_path / "x.svg"
    svg.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + SVG.format(body))
    assert svg_problem(svg) is None


def test_the_example_pictures_are_fine() -> None:
    for svg in (Path(__file__).parent.parent / "sops/media").glob("*.svg"):
        assert svg_problem(svg) is None, svg


def test_an_svg_step_image_or_logo_with_script_is_refused(base_project: Path) -> None:
    (base_project / "sops/media/screen.svg").write_text(SVG.format("<script>alert(document.domain)</script>"))
    (base_project / "sops/media/logo.svg").write_text(SVG.format('\n\n<circle r="4" onload="alert(1)"/>'))
    organization = base_project / "sops/organization.yml"
    organization.write_text(organization.read_text() + "logo: media/logo.svg\n")
    assert problems_of(base_project) == [
        "sops/organization.yml:4:7: logo: 'media/logo.svg' carries the event handler onload= (line 3): a picture of "
        "the site may not run script or load anything from elsewhere; remove it from the SVG, save the picture again "
        "without scripts and links, or use a PNG",
        "sops/tasks/send-invoices.yml:9:12: steps[0].image: 'media/screen.svg' carries a <script> element (line 1): "
        "a picture of the site may not run script or load anything from elsewhere; remove it from the SVG, save the "
        "picture again without scripts and links, or use a PNG"]
    result = run(base_project, "build")
    assert result.exit_code == 1 and not (base_project / "site").exists()


def test_allow_html_lets_the_project_use_any_svg(base_project: Path) -> None:
    (base_project / "sops/media/screen.svg").write_text(SVG.format("<script>console.log(1)</script>"))
    organization = base_project / "sops/organization.yml"
    organization.write_text(organization.read_text() + "allow_html: true\n")
    assert problems_of(base_project) == []


def test_a_malformed_svg_is_named(base_project: Path) -> None:
    (base_project / "sops/media/screen.svg").write_text("<svg><rect></svg>")
    assert problems_of(base_project) == [
        "sops/tasks/send-invoices.yml:9:12: steps[0].image: 'media/screen.svg' is not well-formed XML: mismatched tag: "
        "line 1, column 13: save the picture again as SVG, or use a PNG"]


def test_a_pdf_never_links_where_a_page_may_not(base_project: Path) -> None:
    """What a check of the fields missed (the catalog is not validated here) cannot make a PDF
    link to a script or show raw HTML: the link stays its text, the tag is shown as written."""
    from sopgen.print.handbook import handbook

    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace(
        "  - do: Send the invoices.",
        '  - do: "Send [them][p] <img src=x onerror=alert(1)>.\\n\\n[p]: javascript:alert(2)"'))
    catalog = load(base_project)  # not validated: what a check of the fields missed
    data, files = handbook(catalog, role=None, today=TODAY, version="v1")
    step = next(c for c in data["chapters"] if c.get("label") == "sop-send-invoices")["steps"][-1]["do"]
    assert "javascript" not in step.lower() and "#link" not in step
    assert "them" in step and "onerror" in step and "#image" not in step