"""The site's addresses (README.md, "What you get"; with MkDocs' directory URLs).

``index.md`` → ``/``, ``roles/<id>/index.md`` → ``/roles/<id>/``, ``sops/<id>.md`` →
``/sops/<id>/``, and so on: the pages link by them, and the PDFs name their parts after them.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from typing import Union

from .catalog import Catalog
from .entries import PersonEntry, RoleEntry, TaskEntry


def home_path() -> str:
    return "index.md"


def role_path(role: RoleEntry) -> str:
    return f"roles/{role.id}/index.md"


def onboarding_path(role: RoleEntry) -> str:
    return f"roles/{role.id}/onboarding.md"


def checklists_path(role: RoleEntry) -> str:
    return f"roles/{role.id}/checklists.md"


def sop_path(task: TaskEntry) -> str:
    return f"sops/{task.id}.md"


def people_path() -> str:
    """The training matrix: ``/people/``."""
    return "people/index.md"


def person_path(person: PersonEntry) -> str:
    """One person's training record: ``/people/<person>/``."""
    return f"people/{person.id}.md"


def image_path(image: str) -> str:
    return f"assets/sops/{image}"


REFERENCE = {"tools": ("tools.md", "Tools"), "delegation": ("delegation.md", "Delegation"),
             "reviews": ("reviews.md", "Reviews"), "changelog": ("changelog.md", "Changelog")}


CHANGELOG_LENGTH = 100
"""How many commits the changelog page lists."""


def reference_pages(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """The reference pages a project publishes, as :data:`REFERENCE`: the delegation page is all
    money, so it is left out when ``publish_money`` is false."""
    return {kind: page for kind, page in REFERENCE.items()
            if kind != "delegation" or catalog.organization.publish_money}


def published_people(catalog: Catalog) -> list[PersonEntry]:
    """The people the site shows, by name: everyone with a file, when ``publish_people`` is true;
    nobody otherwise, so that no page, search entry or PDF names a person."""
    if not catalog.organization.publish_people:
        return []
    return sorted(catalog.people.values(), key=lambda p: (p.name.casefold(), p.id))


def path_of(target: Union[str, RoleEntry, TaskEntry, PersonEntry]) -> str:
    if isinstance(target, TaskEntry):
        return sop_path(target)
    if isinstance(target, RoleEntry):
        return role_path(target)
    if isinstance(target, PersonEntry):
        return person_path(target)
    if target == "people":
        return people_path()
    if target in REFERENCE:
        return REFERENCE[target][0]
    return target


def relative(from_page: str, target: str) -> str:
    """A Markdown link from one page to another page or file, as MkDocs resolves them."""
    return _relative(posixpath.dirname(from_page) or ".", target)


@lru_cache(maxsize=65536)
def _relative(start: str, target: str) -> str:
    # pages link to the same few hundred targets from the same few folders: compute each pair once
    return posixpath.relpath(target, start)
