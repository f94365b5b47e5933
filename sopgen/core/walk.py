"""Walking the models by field: which model describes the mapping at a location (for error
messages), every Markdown field of a file with where it sits (for the Markdown checks) and every
text written for people to read (for translations).
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Iterator, Optional, Union, get_args

from pydantic import BaseModel

from .fields import MARKDOWN_SCHEMA, PROSE


def _unwrap(annotation: Any) -> Any:
    """The model class behind ``Optional[list[Step]]`` and the like, if any."""
    from typing import get_args, get_origin

    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (list, Union, Optional) or str(origin) == "types.UnionType":
        for arg in get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc`` inside ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _unwrap(info.annotation) if info else None
    return current


def markdown_values(value: BaseModel, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every Markdown field of ``value`` and the models inside it, with where it sits: ``(("steps", 0, "tip"), "…")``."""
    for name, markdown in _text_fields(type(value)):
        field_value = getattr(value, name)
        if field_value is None:
            continue
        items = enumerate(field_value) if isinstance(field_value, list) else [(None, field_value)]
        for i, item in items:
            here = loc + (name,) + (() if i is None else (i,))
            if isinstance(item, BaseModel):
                yield from markdown_values(item, here)
            elif markdown and isinstance(item, str):
                yield here, item


@functools.lru_cache(maxsize=None)
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """The fields of ``model`` that may hold Markdown or other models, each with whether it is Markdown
    (worked out once per class: validation walks every role and task)."""
    fields = []
    for name, info in model.model_fields.items():
        markdown = MARKDOWN_SCHEMA in info.metadata or _mentions(info.annotation, MARKDOWN_SCHEMA)
        if markdown or _unwrap(info.annotation) is not None:
            fields.append((name, markdown))
    return tuple(fields)


def _mentions(annotation: Any, marker: Any) -> bool:
    """Whether ``marker`` is among the Annotated metadata anywhere inside ``annotation``."""
    return any(arg is marker or _mentions(arg, marker) for arg in get_args(annotation))


def is_markdown(model: type[BaseModel], loc: tuple[Any, ...]) -> bool:
    """Whether the field at ``loc`` inside ``model`` (``("steps", 0, "tip")``, list positions
    optional) holds Markdown: for the starter files' ``(md)`` marks and their test."""
    names = tuple(part for part in loc if not isinstance(part, int))
    parent = model_at(model, names[:-1]) if names else None
    return parent is not None and dict(_text_fields(parent)).get(names[-1], False)


Skip = frozenset[tuple[type, str]]
"""Fields left out of a walk, as (model class, field name)."""


def prose_values(value: BaseModel, skip: Skip = frozenset(),
                 loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, bool]]:
    """Every text of ``value`` and the models inside it written for people to read (plain text or
    Markdown, :data:`sopgen.core.fields.PROSE`), with where it sits and whether it is Markdown;
    the fields of ``skip`` left out."""
    for name, kind in prose_fields(type(value)):
        field_value = getattr(value, name)
        if field_value is None or (type(value), name) in skip:
            continue
        items = enumerate(field_value) if isinstance(field_value, (list, tuple)) else [(None, field_value)]
        for i, item in items:
            here = loc + (name,) + (() if i is None else (i,))
            if kind == "model":
                yield from prose_values(item, skip, here)
            elif isinstance(item, str):
                yield here, item, kind == "markdown"


@functools.lru_cache(maxsize=None)
def prose_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of ``model`` that hold text for people (``"text"`` or ``"markdown"``) or other
    models (``"model"``), in the model's order."""
    fields = []
    for name, info in model.model_fields.items():
        if _unwrap(info.annotation) is not None:
            fields.append((name, "model"))
        elif MARKDOWN_SCHEMA in info.metadata or _mentions(info.annotation, MARKDOWN_SCHEMA):
            fields.append((name, "markdown"))
        elif PROSE in info.metadata or _mentions(info.annotation, PROSE):
            fields.append((name, "text"))
    return tuple(fields)
