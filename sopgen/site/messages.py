"""The scripts' words: what ``sopgen.js`` (ticks, progress, quizzes) and ``serve.js`` say, in the
site's interface language.

Each page loads :data:`MESSAGES_JS` before the scripts: a file the build makes in memory that
sets ``window.sopgenMessages`` to the messages below, translated from the package's catalogs.
The scripts hold no words of their own: they look a message up by its key and fill its
``%(name)s`` placeholders.
"""

from __future__ import annotations

import json

from ..text.i18n import N_, Language

MESSAGES_JS = "assets/sopgen/messages.js"
"""Where the scripts' words are in the site."""

MESSAGES = {
    "done": N_("%(done)s of %(total)s done"),
    "goals": N_("%(done)s of %(total)s goals"),
    "reset": N_("Reset"),
    "reset_label": N_("Reset this checklist"),
    "right": N_("Right."),
    "wrong": N_("Not quite: the answer is %(answer)s."),
    "score": N_("Score: %(right)s of %(total)s"),
    "search": N_("Search"),
    "serve_failed": N_("Your last save could not be built: this is the last good build"),
    "serve_fix": N_("Fix the file and save it: the page reloads by itself."),
    "edit": N_("Edit"),
    "new_sop": N_("New SOP"),
    "new_role": N_("New role"),
}
"""The scripts' messages by key, in English (the catalogs' msgids)."""


def messages(lang: Language) -> dict[str, str]:
    """:data:`MESSAGES` in ``lang``."""
    return {key: lang.gettext(message) for key, message in MESSAGES.items()}


def messages_js(lang: Language, *, translation: bool = False) -> str:
    """The script that hands the other scripts their words in ``lang``; in a ``translation`` (a site
    under ``/<lang>/``), it also says where the handbook's root is, one folder up, where sopgen.js
    keeps a reader's ticks: the same SOP ticked in either language."""
    words = json.dumps(messages(lang), ensure_ascii=False, sort_keys=True, indent=1).replace("</", "<\\/")
    root = 'window.sopgenRoot = "../../..";\n' if translation else ""
    return f"// sopgen's interface words in {json.dumps(lang.code)}, for sopgen's scripts\n" \
           f"window.sopgenMessages = {words};\n{root}"
