"""``mkdocs.yml``, read once, and what ``sopgen render`` adds to it.

:func:`read` parses the file (and the one its ``INHERIT`` names, merged as MkDocs merges it) once
per content, keeping the tags it does not interpret (``!ENV``, ``!relative``, ``!!python/name:…``)
as :class:`Tagged` values, so that ``sopgen render`` writes them back as they were; the answers
(:class:`ProjectConfig`: the plugin's options, ``site_dir``, ``docs_dir``, ``theme``, ``nav``)
resolve ``!ENV`` the way MkDocs does. MkDocs' own ``load_config`` still reads the file to build
with MkDocs; nothing here imports an engine.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

import yaml

from ..core.errors import SopgenError
from ..core.markdown import markdown_extensions
from .pages import FEATURES


class ConfigInvalid(SopgenError):
    """``mkdocs.yml`` (or the file it inherits from) cannot be read."""


class Tagged:
    """A value under a tag sopgen does not interpret, kept to be written back as it was."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tagged) and (self.tag, self.value) == (other.tag, other.value)

    def __repr__(self) -> str:
        return f"Tagged({self.tag!r}, {self.value!r})"


class _KeepTags(yaml.SafeLoader):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(node.tag, value)


_KeepTags.add_multi_constructor("!", _construct_tagged)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def dump(config: Mapping[str, Any]) -> str:
    """``config`` as YAML, its tags written back as they were read."""
    return yaml.dump(dict(config), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


@dataclass(frozen=True)
class ProjectConfig:
    """What sopgen asks of a project's ``mkdocs.yml``."""

    file: Path
    raw: dict[str, Any]
    """The file as written (what it inherits merged in), tags kept: what ``sopgen render`` rewrites."""

    def value(self, key: str, default: Any = None) -> Any:
        """The value of a top-level ``key``, ``!ENV`` resolved as MkDocs resolves it."""
        return env_value(self.raw.get(key, default), default)

    @property
    def project(self) -> Path:
        return self.file.parent.resolve()

    @property
    def plugins(self) -> dict[str, Any]:
        """The plugins ``plugins:`` lists, by name, with their options (None where it gives none)."""
        plugins = self.value("plugins") or []
        items = plugins.items() if isinstance(plugins, dict) else (
            next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins)
        return {str(name): options for name, options in items}

    @property
    def plugin_options(self) -> dict[str, Any]:
        """The options given to ``sopgen`` under ``plugins:``."""
        return {k: env_value(v) for k, v in dict(self.plugins.get("sopgen") or {}).items()}

    @property
    def sops_dir(self) -> str:
        return str(self.plugin_options.get("sops_dir", "sops"))

    @property
    def site_dir_as_written(self) -> str:
        return str(self.value("site_dir", "site"))

    @property
    def site_dir(self) -> Path:
        """The site folder (``site/`` by default)."""
        return (self.file.parent / self.site_dir_as_written).resolve()

    @property
    def docs_dir_as_written(self) -> str:
        return str(self.value("docs_dir", "docs"))

    @property
    def docs_dir(self) -> Path:
        return self.file.parent / self.docs_dir_as_written

    @property
    def theme(self) -> dict[str, Any]:
        """``theme`` as a mapping (``theme: material`` is ``{"name": "material"}``)."""
        theme = self.value("theme") or {}
        return dict(theme) if isinstance(theme, dict) else {"name": theme}

    @property
    def site_name(self) -> Optional[str]:
        name = self.value("site_name")
        return str(name) if name else None

    @property
    def nav(self) -> Any:
        return self.value("nav")


def read(config_file: Path) -> ProjectConfig:
    """``config_file`` read (once per content of the file, however many questions are asked)."""
    digest = hashlib.blake2b(Path(config_file).read_bytes(), digest_size=16).digest()
    return ProjectConfig(Path(config_file), _parsed(str(config_file), digest))


@functools.lru_cache(maxsize=8)
def _parsed(path: str, _digest: bytes) -> dict[str, Any]:
    return _load(Path(path), seen=())


def _load(path: Path, *, seen: tuple[Path, ...]) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = yaml.load(fh, Loader=_KeepTags) or {}  # noqa: S506 - a SafeLoader that keeps tags as data
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path.name}:{mark.line + 1}:{mark.column + 1}" if mark else path.name
        raise ConfigInvalid(f"{where}: not valid YAML: {exc.problem}; fix it and try again") from None
    except yaml.YAMLError as exc:
        raise ConfigInvalid(f"{path.name}: not valid YAML: {exc}; fix it and try again") from None
    if not isinstance(data, dict):
        raise ConfigInvalid(f"{path.name}: a mapping of settings was expected (site_name: …)")
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    inherited = (path.parent / str(env_value(parent))).resolve()
    if not inherited.is_file() or inherited in seen:
        raise ConfigInvalid(f"{path.name}: INHERIT: '{parent}' is not a configuration file that can be read "
                            f"(looked for {inherited})")
    return _merged(_load(inherited, seen=(*seen, path.resolve())), data)


def _merged(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``own`` over ``base``, mappings merged key by key (as MkDocs' INHERIT merges them)."""
    merged = dict(base)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def marks(config_file: Path) -> dict[str, str]:
    """``file:line:col`` of ``hooks`` and of each plugin's name in ``mkdocs.yml``, by name."""
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return {}

    def at(node: yaml.Node) -> str:
        return f"{config_file.name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    marks: dict[str, str] = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if key.value == "hooks":
            marks["hooks"] = at(key)
        if key.value != "plugins":
            continue
        items = [k for k, _ in value.value] if isinstance(value, yaml.MappingNode) else [
            item.value[0][0] if isinstance(item, yaml.MappingNode) and item.value else item
            for item in (value.value if isinstance(value, yaml.SequenceNode) else [])]
        marks.update({item.value: at(item) for item in items if isinstance(item, yaml.ScalarNode)})
    return marks


def env_value(value: Any, default: Any = None) -> Any:
    """``value``, or what its ``!ENV`` tag names, as MkDocs (``pyyaml_env_tag``) resolves it: the
    first variable that is set of ``!ENV [A, B, fallback]``, typed as YAML types a plain value;
    else the fallback, else ``default``."""
    if not isinstance(value, Tagged) or value.tag != "!ENV":
        return value
    names, fallback = [value.value], None
    if isinstance(value.value, list):
        names, fallback = (value.value[:-1], value.value[-1]) if len(value.value) > 1 else (value.value, None)
    for name in names:
        if str(name) in os.environ:
            text = os.environ[str(name)]
            loader = yaml.SafeLoader("")
            return loader.construct_object(yaml.ScalarNode(loader.resolve(yaml.ScalarNode, text, (True, False)), text))
    return default if fallback is None else fallback


# -- what sopgen adds to mkdocs.yml as written (`sopgen render`) ----------------------------------

def with_extensions(extensions: Any) -> list[Any]:
    """``markdown_extensions`` with the set the templates need (:func:`markdown_extensions`)."""
    if isinstance(extensions, dict):
        own = dict(extensions)
    else:
        own = {}
        for item in extensions or []:
            own.update(item if isinstance(item, dict) else {item: None})
    return [{name: options} if options else name for name, options in markdown_extensions(own).items()]


def with_features(theme: Any, *, language: str = "en", translation: bool = False) -> dict[str, Any]:
    """``theme`` with Material's features the navigation relies on, no fonts from Google, and the
    interface ``language`` unless it sets its own (a ``translation``'s language always wins)."""
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    if theme.get("name") == "material":
        features = list(theme.get("features") or [])
        theme["features"] = features + [f for f in FEATURES if f not in features]
        theme.setdefault("font", False)  # no fonts from Google: the handbook makes no outside request
        # the search plugin's `lang` follows it
        if translation or "language" not in theme:
            theme["language"] = theme_language(language, material_templates())
    return theme


THEME_REGIONS = frozenset({"pt-BR", "zh-TW", "zh-Hant", "ku-IQ"})
"""The languages Material (and Zensical) translate by region too; any other by its language alone."""


def theme_language(code: str, theme_dirs: Sequence[Union[str, Path]] = ()) -> str:
    """Material's ``theme.language`` for BCP 47 ``code``: ``de`` for ``de-AT``, ``pt-BR`` for ``pt-br``;
    given the theme's template folders, English when the theme has no words in that language (its
    templates would fail to find them)."""
    wanted = code.replace("_", "-").split("-")[0].lower()
    for known in THEME_REGIONS:
        if known.lower() == code.replace("_", "-").lower():
            wanted = known
    if theme_dirs and not any((Path(folder) / "partials" / "languages" / f"{wanted}.html").is_file()
                              for folder in theme_dirs):
        return "en"
    return wanted


def material_templates() -> list[Path]:
    """Material's template folders, found without importing it (for :func:`theme_language`); none
    when it is not installed."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(folder) / "templates" for folder in spec.submodule_search_locations]


def without_sopgen(plugins: Any) -> Any:
    """``plugins`` without sopgen's entry (``search`` when there were none)."""
    if plugins is None:
        return ["search"]
    if isinstance(plugins, dict):
        return {k: v for k, v in plugins.items() if k != "sopgen"}
    return [p for p in plugins if p != "sopgen" and not (isinstance(p, dict) and "sopgen" in p)]
