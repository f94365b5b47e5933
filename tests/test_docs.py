"""The documentation says what the code does."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from conftest import REPO
from test_cli import all_commands
from sopgen.core import model
from sopgen.cli.main import main
from sopgen.core.reference import BEGIN, END, SECTIONS, reference

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_build_and_test_commands() -> None:
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1).splitlines()
    assert block[0].startswith("python3 -m pip install . && python3 -m sopgen build")
    assert block[1].startswith("scripts/test")
    assert "scripts/test" in (REPO / ".ci/run").read_text()


def test_readme_format_reference_is_generated_from_the_models() -> None:
    start, end = README.index(BEGIN), README.index(END) + len(END)
    assert README[start:end] == reference(), "run: python -m sopgen.core.reference, and paste it into README.md"


@pytest.mark.parametrize("cls", [m for _, m in SECTIONS], ids=lambda m: m.__name__)
def test_every_field_has_a_description(cls: type[BaseModel]) -> None:
    for name, info in cls.model_fields.items():
        assert info.description and len(info.description) > 10, f"{cls.__name__}.{name}"


def test_every_model_is_in_the_reference() -> None:
    models = {obj for obj in vars(model).values()
              if isinstance(obj, type) and issubclass(obj, model.Model) and obj is not model.Model}
    assert models - {model.Rate} == {m for _, m in SECTIONS}  # a rate is shown as "number or {min, max}"


def test_every_command_is_in_the_readme() -> None:
    for name, command in main.commands.items():
        assert f"`sopgen {name}" in README, f"sopgen {name} is not documented in README.md"


def test_every_default_template_is_documented() -> None:
    for path in sorted((REPO / "templates").glob("*.md.j2")):
        assert f"`{path.name}`" in README, path.name


def test_readme_cli_reference_is_generated_from_the_commands() -> None:
    from sopgen.cli import reference as clireference

    start, end = README.index(clireference.BEGIN), README.index(clireference.END) + len(clireference.END)
    assert README[start:end] == clireference.reference(main), \
        "run: python -m sopgen.cli.reference, and paste it into README.md"


def test_cli_reference_has_every_command_and_option() -> None:
    from sopgen.cli.reference import reference

    text = reference(main)
    for path, command in all_commands():
        assert f"#### `sopgen {' '.join(path)}`" in text
        for param in command.params:
            if param.param_type_name == "option":
                assert f"`{', '.join(param.opts)}" in text or param.opts[0] in text, (path, param.opts)


@pytest.mark.parametrize("lang", ["yaml", "json"])
def test_every_yaml_and_json_example_in_the_readme_parses(lang: str) -> None:
    import json

    import yaml

    blocks = re.findall(rf"```{lang}\n(.*?)```", README, re.S)
    assert blocks
    for block in blocks:
        if lang == "json":
            json.loads(block)
        else:
            yaml.safe_load(block)


def test_the_code_points_at_documents_the_repository_has() -> None:
    """A docstring or comment that sends the reader to a file of the repository names one that is there
    (the format contract is README.md's "The source format", not a document of its own)."""
    named = set()
    for path in [*(REPO / "sopgen").rglob("*.py"), *(REPO / "tests").glob("*.py"), *(REPO / "templates").rglob("*.*")]:
        named |= {(path.relative_to(REPO).as_posix(), name)
                  for name in re.findall(r"\b([A-Z][A-Z_]*\.md)\b", path.read_text(encoding="utf-8"))}
    missing = sorted(f"{where} names {name}" for where, name in named if not (REPO / name).is_file())
    assert not missing, missing


@pytest.mark.parametrize("editor", [None, "my-editor"])
def test_the_quick_starts_edit_line_runs_with_or_without_editor(tmp_path, editor: str | None) -> None:
    """The quick start's line that opens the SOP in an editor runs as written whether $EDITOR is set or
    not (unset, a bare `$EDITOR FILE` runs FILE itself: "Permission denied")."""
    import os
    import subprocess

    block = re.search(r"```sh\n(.*?)```", README[README.index("<!-- quick-start:"):], re.S).group(1)
    [line] = [re.split(r"\s{2,}#", s)[0].strip() for s in block.splitlines() if "EDITOR" in s]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("nano", "my-editor"):  # stand-ins that say what they were asked to open
        (bin_dir / name).write_text(f'#!/bin/sh\necho "{name} $@"\n')
        (bin_dir / name).chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    if editor:
        env["EDITOR"] = editor
    done = subprocess.run(["sh", "-c", line], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{editor or 'nano'} sops/tasks/triage-inbox.yml\n"
