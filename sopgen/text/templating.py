"""The one Jinja environment, and where templates are found.

A template is looked up in the project's own ``templates/`` folder first,
then in sopgen's defaults; ``default:NAME`` always names the default, so an
override can extend it::

    {% extends "default:role.md.j2" %}

Templates produce Markdown (or YAML for starter files). SOP text is data: it
is passed in as values and never compiled as a template, so a ``{{ x }}`` in
a step prints as written. Templates run in Jinja's immutable sandbox: what a
project's override can do is read its context, never run Python.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path, PurePath
from typing import Any, Callable, Optional

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .filters import FILTERS, localized
from .i18n import Language, language
from .stale import marking
from .views import review_sections


def default_templates() -> Path:
    """sopgen's own templates: inside the installed package, or the repo's ``templates/``."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


def search_path(project_dir: Optional[Path]) -> list[Path]:
    """Folders searched for a template, most specific first."""
    folders = []
    if project_dir is not None and (project_dir / "templates").is_dir():
        folders.append(project_dir / "templates")
    folders.append(default_templates())
    return folders


class _ProjectLoader(jinja2.FileSystemLoader):
    """The project's ``templates/`` folder, refusing a template that is a link to a file outside it.

    (Jinja itself refuses names with ``..``; a symbolic link committed to the
    repository would otherwise let ``{% include %}`` read any file of the machine.)
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise jinja2.TemplateError(f"templates/{template} is a link to a file outside templates/, "
                                       "which sopgen does not read; put the template itself there")
        return source, filename, uptodate


PURE_PATH = frozenset({"name", "stem", "suffix", "suffixes", "parts", "parent", "parents", "anchor", "as_posix",
                       "relative_to", "is_relative_to", "with_name", "with_suffix", "with_stem", "joinpath", "match"})
"""What a template may use of a path (``task.source.file``): its parts, never what reads or writes the disk."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which also keeps a template off the disk: the context holds paths,
    and a path's own methods (``read_text``, ``write_text``, ``open``) would read or write any file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decided: dict[tuple[type, str, type], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Jinja's rules (and ours) look only at the object's type and the attribute's name (the
        # value's type too, in case a later Jinja does), so each is decided once: a site reads
        # the same few attributes of the same few types tens of thousands of times
        key = (type(obj), attr, type(value))
        decided = self._decided.get(key)
        if decided is None:
            decided = self._decided[key] = self._decide(obj, attr, value)
        return decided

    def _decide(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) and attr not in PURE_PATH:
            return False
        if isinstance(obj, gettext.NullTranslations):  # `install()` would change Python's builtins
            return False
        return super().is_safe_attribute(obj, attr, value)


def environment(project_dir: Optional[Path] = None, *, filters: Optional[dict[str, Callable[..., Any]]] = None,
                lang: Optional[Language] = None) -> jinja2.Environment:
    """The Jinja environment for a project (``None``: the defaults only), its words in ``lang``
    (English by default): ``{% trans %}``, ``_()``, ``ngettext()`` and the filters of numbers,
    dates and money speak it."""
    lang = lang or language()
    defaults = jinja2.FileSystemLoader(default_templates())
    loaders: list[jinja2.BaseLoader] = []
    if project_dir is not None and (project_dir / "templates").is_dir():
        loaders.append(_ProjectLoader(project_dir / "templates"))
    loaders += [jinja2.PrefixLoader({"default": defaults}, delimiter=":"), defaults]
    # the sandbox: a template reads the values it is given and calls their public methods, but
    # cannot climb to Python itself (`cycler.__init__.__globals__.os`) nor change those values; a
    # project's templates/ is then no more powerful than its YAML
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # a template is loaded once per environment, not looked at again at every page; a render
        # that reuses the environment (`sopgen serve`) empties its cache first (an edited template
        # is then read afresh, and compiled again only when its text changed: the bytecode
        # cache is keyed by the text)
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        # Markdown output escapes through explicit filters; the print templates (*.html.j2) autoescape
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        bytecode_cache=bytecode_cache(),
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle: `_("%(n)s of %(total)s", n=…)` fills the placeholders and autoescapes them
    env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} paragraph is one message, its line breaks spaces
    env.globals["lang"] = lang
    env.filters.update(FILTERS)  # text, cell, md…: how values become Markdown (see filters.py)
    env.filters.update(localized(lang))
    env.filters.update(marking(env.filters, lang))  # a stale text of a translation shows marked (stale.py)
    env.globals["review_sections"] = review_sections(lang)  # the reviews page's sections, the PDFs' too
    env.filters.update(filters or {})
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, which a failed write never stops, and which
    tells apart the environments a template was compiled for.

    Jinja keys a compiled template by its name and source only, but the code it compiles
    depends on the environment too: a filter that takes the template's context
    (``@pass_context``) is called with it, one that does not, without. So a release of sopgen
    whose filter changed kind would run the last release's compiled templates and fail
    (``page_md() missing 1 required positional argument``); the key includes how each filter
    and test is called."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: Optional[str],
                   source: str) -> jinja2.bccache.Bucket:
        bucket = jinja2.bccache.Bucket(environment, self.get_cache_key(name, filename),
                                       self.get_source_checksum(source + _compiled_for(environment)))
        self.load_bytecode(bucket)
        return bucket

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_for(environment: jinja2.Environment) -> str:
    """What of ``environment`` the code of a compiled template depends on beside its source: how
    each filter and test is called (with the context, the environment, or neither)."""
    return "\n" + repr(sorted((kind, name, str(getattr(func, "jinja_pass_arg", "")))
                              for kind, table in (("filter", environment.filters), ("test", environment.tests))
                              for name, func in table.items())) + repr(sorted(environment.extensions))


def bytecode_cache() -> Optional[jinja2.BytecodeCache]:
    """Compiled templates kept between runs in the user's cache folder (keyed by each template's
    source, so an edited template is compiled again); ``None`` when that folder can't be made."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "sopgen" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _BytecodeCache(str(folder))
