"""The public question pages' words, one module per language: ``en`` (English) and ``cy``
(Welsh). Templates read them as ``t`` and never hold words of their own; a page's language is
chosen by its address (``/report/…`` or ``/cy/report/…``), and the answers are the same draft
whichever language shows them.

Error messages come from the services in English (``ReportDraft.problems``): ``translate``
gives each its Welsh words from the Welsh module; a message without them is shown in English
rather than not at all (a test holds that every message the form can give has its Welsh).
"""

from __future__ import annotations

from typing import Any

from safehub.public.texts import cy, en

LANGUAGES: dict[str, dict[str, Any]] = {"en": en.TEXTS, "cy": cy.TEXTS}
PREFIX = {"en": "", "cy": "/cy"}
_SIZE = " must be "


def texts(language: str) -> dict[str, Any]:
    return LANGUAGES[language]


def translate(errors: dict[str, str], language: str) -> dict[str, str]:
    """The errors in the page's language (English as given)."""
    if language == "en":
        return errors
    words = LANGUAGES[language]
    known: dict[str, str] = words["errors"]
    found = {}
    for field, message in errors.items():
        if message in known:
            found[field] = known[message]
        elif _SIZE in message and message.endswith("characters or fewer"):
            most = message.split(_SIZE, 1)[1].split(" ", 1)[0]
            found[field] = words["too_long"].format(what=words["field_names"][field], most=most)
        else:
            found[field] = message
    return found
