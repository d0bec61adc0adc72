"""The public question pages' words, one module per language: ``en`` (English) and ``cy``
(Welsh). Templates read them as ``t`` and never hold words of their own; a page's language is
chosen by its address (``/report/…`` or ``/cy/report/…``), and the answers are the same draft
whichever language shows them.

Error messages come from the services in English (``ReportDraft.problems``): ``translate``
gives each its Welsh words from the Welsh module; a message without them is shown in English
rather than not at all (a test holds that every message the form can give has its Welsh).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from safehub.public.texts import cy, en

LANGUAGES: dict[str, dict[str, Any]] = {"en": en.TEXTS, "cy": cy.TEXTS}
PREFIX = {"en": "", "cy": "/cy"}
_SIZE = " must be "


_LONDON = ZoneInfo("Europe/London")


def texts(language: str) -> dict[str, Any]:
    return LANGUAGES[language]


def language_of(path: str) -> str:
    """A page's language is its address: Welsh under ``/cy``."""
    return "cy" if path == "/cy" or path.startswith("/cy/") else "en"


def page_words(language: str, path: str) -> dict[str, Any]:
    """What every page is given: its words, its language and the other language's address
    (``path`` is the English one)."""
    return {
        "t": texts(language),
        "language": language,
        "prefix": PREFIX[language],
        "english_path": path.lstrip("/"),
        "welsh_path": path,
    }


def say_date(value: datetime, language: str) -> str:
    """A time as GOV.UK writes it, in the page's language ("7 Ebrill 2024 am 2:05yh")."""
    words = LANGUAGES[language]
    local = value.astimezone(_LONDON) if value.tzinfo else value
    clock = f"{local.hour % 12 or 12}:{local.minute:02d}".replace(":00", "")
    half = words["am"] if local.hour < 12 else words["pm"]
    month = words["months"][local.month - 1]
    return f"{local.day} {month} {local.year} {words['at']} {clock}{half}"


def say_years(years: int, language: str) -> str:
    """A number of years in the page's language. Welsh mutates the noun after a numeral
    ("2 flynedd", "5 mlynedd"); "N o flynyddoedd" is correct after any numeral above 2.

    >>> say_years(2, "en"), say_years(1, "en"), say_years(2, "cy"), say_years(6, "cy")
    ('2 years', '1 year', '2 flynedd', '6 o flynyddoedd')
    """
    if language == "cy":
        return {1: "1 flwyddyn", 2: "2 flynedd"}.get(years, f"{years} o flynyddoedd")
    return f"{years} year" if years == 1 else f"{years} years"


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
