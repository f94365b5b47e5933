"""mkdocs.yml has one reader, sopgen.site.config: it keeps the tags it does not interpret (for
`sopgen render` to write them back), resolves !ENV as MkDocs does, merges INHERIT, and says where
a file that is not YAML goes wrong."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO, build_tree, run

from sopgen.site.config import ConfigInvalid, Tagged, dump, read

TAGGED = """\
site_name: Tagged
site_dir: !ENV [SOPGEN_TEST_SITE, public]
theme:
  name: material
  palette:
    primary: !ENV [SOPGEN_TEST_PRIMARY, teal]
plugins:
  - search
  - sopgen:
      sops_dir: !ENV [SOPGEN_TEST_SOPS, sops]
      pdf: false
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.snippets:
      base_path: !relative $config_dir
"""


def test_tags_are_kept_to_be_written_back(tmp_path: Path) -> None:
    config = read(build_tree(tmp_path, {"mkdocs.yml": TAGGED}) / "mkdocs.yml")
    emoji = config.raw["markdown_extensions"][0]["pymdownx.emoji"]
    assert emoji["emoji_index"] == Tagged("tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", "")
    assert config.raw["site_dir"] == Tagged("!ENV", ["SOPGEN_TEST_SITE", "public"])
    written = dump(config.raw)
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji ''" in written
    assert "site_dir: !ENV\n- SOPGEN_TEST_SITE\n- public\n" in written
    assert "base_path: !relative '$config_dir'" in written
    assert read(build_tree(tmp_path / "again", {"mkdocs.yml": written}) / "mkdocs.yml").raw == config.raw
    assert read(tmp_path / "mkdocs.yml").raw == config.raw  # the same answers, read again


def test_options_resolve_env_as_mkdocs_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(tmp_path, {"mkdocs.yml": TAGGED})
    for name in ("SOPGEN_TEST_SITE", "SOPGEN_TEST_PRIMARY", "SOPGEN_TEST_SOPS"):
        monkeypatch.delenv(name, raising=False)
    config = read(tmp_path / "mkdocs.yml")
    assert config.site_dir == (tmp_path / "public").resolve() and config.site_dir_as_written == "public"
    assert config.plugin_options == {"sops_dir": "sops", "pdf": False} and config.sops_dir == "sops"
    assert config.theme["palette"]["primary"] == Tagged("!ENV", ["SOPGEN_TEST_PRIMARY", "teal"])  # as written
    assert config.docs_dir == tmp_path / "docs" and config.site_name == "Tagged"
    monkeypatch.setenv("SOPGEN_TEST_SITE", "out/site")
    monkeypatch.setenv("SOPGEN_TEST_SOPS", "procedures")
    assert read(tmp_path / "mkdocs.yml").site_dir == (tmp_path / "out/site").resolve()
    assert read(tmp_path / "mkdocs.yml").sops_dir == "procedures"


@pytest.mark.parametrize("plugins", [
    "plugins: [search, sopgen]", "plugins:\n  - search\n  - sopgen: {sops_dir: src}",
    "plugins:\n  search: {}\n  sopgen:\n    sops_dir: src", "plugins: [search]"])
def test_the_plugins_options_in_every_form(tmp_path: Path, plugins: str) -> None:
    config = read(build_tree(tmp_path, {"mkdocs.yml": f"site_name: X\ntheme: material\n{plugins}\n"}) / "mkdocs.yml")
    assert config.sops_dir == ("src" if "src" in plugins else "sops")
    assert config.theme == {"name": "material"}


def test_inherit_is_merged_as_mkdocs_merges_it(tmp_path: Path) -> None:
    build_tree(tmp_path, {
        "base/common.yml": "theme:\n  name: material\n  palette: {primary: teal}\nsite_dir: built\n"
                           "plugins: [search, sopgen]\n",
        "mkdocs.yml": "INHERIT: base/common.yml\nsite_name: Child\ntheme:\n  logo: logo.png\n",
    })
    config = read(tmp_path / "mkdocs.yml")
    assert "INHERIT" not in config.raw
    assert config.theme == {"name": "material", "palette": {"primary": "teal"}, "logo": "logo.png"}
    assert config.site_dir == (tmp_path / "built").resolve() and config.site_name == "Child"


def test_render_writes_a_configuration_that_stands_alone(base_project: Path, tmp_path: Path) -> None:
    """Tags come back as they were written; what INHERIT named is merged in (its path would not
    lead anywhere from the rendered folder)."""
    build_tree(base_project, {
        "common.yml": "theme:\n  name: material\n  palette: {primary: teal}\n",
        "mkdocs.yml": "INHERIT: common.yml\nsite_name: Corpus base\nplugins: [search, sopgen]\n"
                      "extra:\n  analytics: !ENV [SOPGEN_TEST_ANALYTICS, none]\n"
                      "markdown_extensions:\n  - pymdownx.emoji:\n"
                      "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
    })
    result = run(base_project, "render", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out/mkdocs.yml").read_text(encoding="utf-8")
    assert "INHERIT" not in written and "primary: teal" in written
    assert "!ENV" in written and "SOPGEN_TEST_ANALYTICS" in written
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in written


@pytest.mark.parametrize(("text", "where"), [
    ("site_name: x\nplugins: [sopgen\n", "mkdocs.yml:3:1"),
    ("site_name: x\n  theme: material\n", "mkdocs.yml:2:8"),
])
def test_a_file_that_is_not_yaml_is_located(tmp_path: Path, text: str, where: str) -> None:
    build_tree(tmp_path, {"mkdocs.yml": text, "sops/organization.yml": "name: X\n"})
    with pytest.raises(ConfigInvalid, match=f"^{where}: not valid YAML: "):
        read(tmp_path / "mkdocs.yml")
    result = run(tmp_path, "build")
    assert result.exit_code == 1 and f"Error: {where}: not valid YAML: " in result.output, result.output
    assert "Traceback" not in result.output


def test_inherit_of_a_missing_file_says_so(tmp_path: Path) -> None:
    build_tree(tmp_path, {"mkdocs.yml": "INHERIT: nowhere.yml\nsite_name: x\n"})
    with pytest.raises(ConfigInvalid, match="mkdocs.yml: INHERIT: 'nowhere.yml' is not a configuration file"):
        read(tmp_path / "mkdocs.yml")


def test_only_site_config_parses_mkdocs_yml() -> None:
    """One reader: no module of the package loads YAML with MkDocs' loader, and none of the site or
    the command line has a YAML loader of its own (the SOPs' reader is the core's; MkDocs' load_config,
    which builds, is the engine's)."""
    found = []
    for path in sorted((REPO / "sopgen").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mkdocs.utils.yaml"):
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.ClassDef) and path.parent.name in ("site", "cli") and path.name != "config.py" \
                    and any(isinstance(b, ast.Attribute) and getattr(b.value, "id", "") == "yaml" for b in node.bases):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
