"""YAML mistakes of someone who does not know YAML, and the messages she gets (issue 17, section 2).

The seven cases the issue names are corpus cases (tests/corpus/yaml-colon-in-text, …); these are
the mistakes of the same kinds beside them: each as written, and the exact report line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_tree, run
from sopgen.core.yamlsource import load_text

SYNTAX = [
    # ': ' in other text fields and in list items
    ("steps:\n  - do: Check: the rate\n",
     "f.yml:2:14: invalid YAML: this text contains ': ', so put it in double quotes: - do: \"Check: the rate\""),
    ("skills:\n  - HIPAA basics: never: ever\n",
     "f.yml:2:24: invalid YAML: this text contains ': ', so put it in double quotes: - \"HIPAA basics: never: ever\""),
    ("title: Spore test:\n",
     "f.yml:1:18: invalid YAML: this text ends in ':', so put it in double quotes: title: \"Spore test:\""),
    ("title: a \"b\": c\n",
     "f.yml:1:13: invalid YAML: this text contains ': ', so put it in double quotes: title: 'a \"b\": c'"),
    # quotes closed inside the text
    ("steps:\n  - do: 'Pick the customer. Check the billing email\n      is not the owner's own.'\n",
     "f.yml:3:23: invalid YAML: the apostrophe in \"owner's\" closes the single quotes that open the text on "
     "line 2; put that text in double quotes instead"),
    ("steps:\n  - do: 'Call the client's office'\n",
     "f.yml:2:25: invalid YAML: the apostrophe in \"client's\" closes the single quotes that open the text; "
     "put the text in double quotes instead: - do: \"Call the client's office\""),
    ("title: \"Say \"hello\" to clients\"\n",
     "f.yml:1:13: invalid YAML: the \" before \"hello\" closes the double quotes that open the text; "
     "put the text in single quotes instead: title: 'Say \"hello\" to clients'"),
    ("choices: ['it's', no]\n",
     "f.yml:1:14: invalid YAML: the apostrophe in \"it's\" closes the single quotes that open the text; "
     "put the text in double quotes instead: choices: [\"it's\", no]"),
    ("title: \"Spore test\" weekly\n",
     "f.yml:1:21: invalid YAML: the text goes on after its closing \"; to keep the quotes as part of the text, "
     "put all of it in single quotes: title: '\"Spore test\" weekly'"),
    ("title: 'Order the weeks supplies\nrole: x\n",
     "f.yml:1:8: invalid YAML: the apostrophe that opens this text is never closed; end the text with ' too: "
     "title: 'Order the weeks supplies'"),
    # tabs elsewhere, and mixed with spaces
    ("title: x\n\trole: y\n",
     "f.yml:2:1: invalid YAML: this line is indented with a tab, and YAML does not allow tabs for indentation; use spaces"),
    ("steps:\n  - do: x\n  \t- do: y\n",
     "f.yml:3:3: invalid YAML: this line is indented with a tab, and YAML does not allow tabs for indentation; use spaces"),
    ("steps:\n  - do: x\n    steps:\n    \t- do: y\n",
     "f.yml:4:5: invalid YAML: this line is indented with a tab, and YAML does not allow tabs for indentation; use spaces"),
    ("steps:\n  -\tdo: x\n",
     "f.yml:2:4: invalid YAML: this line is indented with a tab, and YAML does not allow tabs for indentation; use spaces"),
    # items and fields that do not line up
    ("steps:\n  - do: Create\n    steps:\n      - do: Check the rate.\n    - do: Check the terms.\n",
     "f.yml:5:5: invalid YAML: this '- ' item starts in column 5, but the items of the lists above it start in "
     "column 7 (line 4) and column 3 (line 2); indent it with spaces to line up with the items of its own list"),
    ("steps:\n  - do: Create\n - do: Send.\n",
     "f.yml:3:2: invalid YAML: this '- ' item starts in column 2, but the items of the lists above it start in "
     "column 3 (line 2); indent it with spaces to line up with the items of its own list"),
    ("steps:\n  - do: x\n  image: y\n",
     "f.yml:3:3: invalid YAML: 'image:' starts in column 3, but the fields above it start in column 5 (line 2) "
     "and column 1 (line 1); indent it with spaces to line up with the fields it belongs with"),
    ("title: x\n role: y\n",
     "f.yml:2:2: invalid YAML: 'role:' starts in column 2, but the fields above it start in column 1 (line 1); "
     "indent it with spaces to line up with the fields it belongs with; if it is more of the text above, "
     "put that whole text in double quotes"),
    # a field without its ':'
    ("title Send invoices\nrole: x\n",
     "f.yml:1:1: invalid YAML: this line has no ':' after its field name; write it as title: Send invoices"),
    ("title: x\nrole bookkeeper\npurpose: y\n",
     "f.yml:2:1: invalid YAML: this line has no ':' after its field name; write it as role: bookkeeper"),
    ("steps:\n  - do Check the rate\n    image: media/a.png\n",
     "f.yml:2:5: invalid YAML: this line has no ':' after its field name; write it as - do: Check the rate"),
    ("steps:\n  - do: x\n    video:https://example.com/a\n    image: y\n",
     "f.yml:3:11: invalid YAML: a field's ':' needs a space after it; write it as video: https://example.com/a"),
    ("steps:\n  - do:\nConfirm last week's time first.\n    details: x\n",
     "f.yml:3:1: invalid YAML: this line is not a field ('name: value') or a '- ' item; if it is text that belongs "
     "to the field above it, indent it further than that field"),
    # a first character YAML keeps for itself
    ("title: @home visits\n",
     "f.yml:1:8: invalid YAML: a text cannot begin with '@' in YAML; put it in double quotes: title: \"@home visits\""),
    ("title: *bold* text\n",
     "f.yml:1:8: invalid YAML: a text cannot begin with '*' in YAML; put it in double quotes: title: \"*bold* text\""),
    ("title: - thing\n",
     "f.yml:1:8: invalid YAML: a text cannot begin with '-' in YAML; put it in double quotes: title: \"- thing\""),
    ("title: [draft] Spore test\n",
     "f.yml:1:8: invalid YAML: a text that begins with '[' is read as a list; put the whole text in double quotes: "
     "title: \"[draft] Spore test\""),
    # lists in [ ]
    ("tools: [QuickBooks Online\nrole: x\n",
     "f.yml:1:8: invalid YAML: the list that '[' opens is not closed; end it with ']' on the same line: "
     "tools: [QuickBooks Online]"),
    ("tools: [Gmail #inbox, Slack]\n",
     "f.yml:1:15: invalid YAML: the text after '#' was read as a comment, so the list is not closed; "
     "put the item with '#' in double quotes"),
]


@pytest.mark.parametrize("text, expected", SYNTAX, ids=[t for t, _ in SYNTAX])
def test_a_syntax_mistake_gets_a_plain_sentence_and_the_fix(text: str, expected: str) -> None:
    doc, problems = load_text(text, "f.yml")
    assert doc is None
    assert [str(p) for p in problems] == [expected]


WARNED = [
    ("title: Submit claims #1 priority\n", "f.yml:1:22: warning: title: the text from '#' on was read as a comment, "
     "so the value is only \"Submit claims\"; to keep it, put the whole text in double quotes: "
     "title: \"Submit claims #1 priority\" (for a comment, write a space after '#')"),
    ("steps:\n  - do: Post the total in #billing\n", "f.yml:2:27: warning: steps[0].do: the text from '#' on was read "
     "as a comment, so the value is only \"Post the total in\"; to keep it, put the whole text in double quotes: "
     "- do: \"Post the total in #billing\" (for a comment, write a space after '#')"),
    ("title: #1 priority\n", "f.yml:1:8: warning: title: the text from '#' on was read as a comment, so the value "
     "is empty; to keep it, put the whole text in double quotes: title: \"#1 priority\" (for a comment, write a "
     "space after '#')"),
    ("details: Ask the owner in\n  #billing to fix vague notes.\n", "f.yml:2:3: warning: details: the text from '#' "
     "on was read as a comment, so the value is only \"Ask the owner in\"; to keep it, put the whole text in double "
     "quotes (for a comment, write a space after '#')"),
    ("choices: [A, Nobody, just call]\n", "f.yml:1:22: warning: choices[2]: \"Nobody\" and \"just call\" may be one "
     "text split at the comma (in [ ], every comma starts a new item); to keep them together, put the text in "
     "double quotes: choices: [A, \"Nobody, just call\"]"),
    ("goals: [Send the first invoices, then reconcile]\n", "f.yml:1:34: warning: goals[1]: \"Send the first "
     "invoices\" and \"then reconcile\" may be one text split at the comma (in [ ], every comma starts a new item); "
     "to keep them together, put the text in double quotes: goals: [\"Send the first invoices, then reconcile\"]"),
]

NOT_WARNED = [
    "frequency: weekly  # Fridays\n",          # an ordinary comment: a space after '#'
    "title: Send invoices # see the wiki\n",
    "title: \"Submit claims\" #1\n",            # quoted: the author chose where the text ends
    "steps:\n  - do: x\n    #image: media/x.png\n",  # a field commented out, at the fields' column
    "title: x\n#role: y\n",
    "details: |\n  Post in #billing.\n",       # a block of text keeps its '#'
    "title: Issue#1 of the year\n",            # no space before '#': part of the text
    "choices: [Friday, Monday]\n",
    "tools: [email, phone]\n",
    "tools: [QuickBooks Online, Gmail]\n",
    "choices: [A, \"Nobody, just call\"]\n",   # quoted: one item
    "choices:\n  - A\n  - Nobody, just call\n",  # a list one item a line: the comma stays in the text
]


@pytest.mark.parametrize("text, expected", WARNED, ids=[t for t, _ in WARNED])
def test_text_probably_lost_is_a_warning(text: str, expected: str) -> None:
    doc, problems = load_text(text, "f.yml")
    assert doc is not None
    assert [str(p) for p in problems] == [expected]
    assert problems[0].severity == "warning" and problems[0].rule in ("hash-comment", "comma-split")


@pytest.mark.parametrize("text", NOT_WARNED)
def test_ordinary_comments_and_lists_are_not_warned(text: str) -> None:
    doc, problems = load_text(text, "f.yml")
    assert doc is not None and problems == []


def test_a_warning_does_not_stop_the_file_being_checked(base_project: Path) -> None:
    """The warning is one more line of the report; the file's other mistakes are still found."""
    build_tree(base_project, {"sops/tasks/x.yml": """
        title: Submit claims #1 priority
        role: bookkeeper
        purpose: Claims go out.
        setps: []
    """})
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert "sops/tasks/x.yml:1:22: warning: title: the text from '#' on was read as a comment" in result.output
    assert "sops/tasks/x.yml:4:1: setps: unknown field 'setps'" in result.output


@pytest.mark.parametrize("written, expected", [
    ("  - Note:\n", "skills[0]: expected text, got a mapping: the ': ' after \"Note\" made it a field and its "
     "value; put the whole line in double quotes: - \"Note:\""),
    ("  - Rule 1: no means no\n", "skills[0]: expected text, got a mapping: the ': ' after \"Rule 1\" made it "
     "a field and its value; put the whole line in double quotes: - \"Rule 1: no means no\""),
    ("  - [Step 1: prepare]\n", "skills[0]: expected text, got a list"),
])
def test_a_text_read_as_a_field_and_value_says_why(base_project: Path, written: str, expected: str) -> None:
    role = base_project / "sops/roles/bookkeeper.yml"
    role.write_text(role.read_text() + "skills:\n" + written)
    result = run(base_project, "validate")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"sops/roles/bookkeeper.yml:13:5: {expected}" in result.output, result.output


def test_a_text_field_read_as_a_field_and_value_says_why(base_project: Path) -> None:
    task = base_project / "sops/tasks/send-invoices.yml"
    text = task.read_text()
    task.write_text(text.replace("purpose: Clients pay on time", "purpose:\n  Clients pay: on time"))
    result = run(base_project, "validate")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("sops/tasks/send-invoices.yml:4:3: purpose: expected text, got a mapping: the ': ' after \"Clients pay\" "
            "made it a field and its value; put the whole line in double quotes: "
            "\"Clients pay: on time when invoices go out on time.\"\n") in result.output, result.output
