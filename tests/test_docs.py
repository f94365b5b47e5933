"""The documentation says what the code does."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from conftest import REPO
from sopgen import model
from sopgen.cli import main
from sopgen.reference import BEGIN, END, SECTIONS, reference

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_build_and_test_commands() -> None:
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1).splitlines()
    assert block[0].startswith("python3 -m pip install . && python3 -m sopgen build")
    assert block[1].startswith("scripts/test")
    assert "scripts/test" in (REPO / ".ci/run").read_text()


def test_readme_format_reference_is_generated_from_the_models() -> None:
    start, end = README.index(BEGIN), README.index(END) + len(END)
    assert README[start:end] == reference(), "run: python -m sopgen.reference, and paste it into README.md"


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
