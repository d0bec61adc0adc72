"""Redacting free text for an oversight audit sample: known names become pseudonyms, and
identifiers (email addresses, phone and NHS numbers, postcodes, street addresses, vehicle
registrations, handles, references, dates) become a bracketed word saying what was there.

An inspector reads how a case was handled, not who it was about: "Child A", "Adult 1" and
"Social worker" carry everything the checklist needs. Names the system knows (the children on
the case, everyone else named in the same records, the staff involved) are replaced wherever
they appear; a name it does not know is caught only after words such as "called" or "friend",
so the patterns err towards removing too much.

>>> names = pseudonym_map({"Child A": ["Ayesha Hussein"], "Adult 1": ["Mohammed Khan"]})
>>> redact("Ayesha (07700 900123) was seen with Khan in YX19 ABC at BD1 4AB.", names)
'Child A ([phone]) was seen with Adult 1 in [registration] at [postcode].'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Order matters: an email before a handle, a date before a phone number (both are digits).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<![\w@])@\w{2,}"), "[handle]"),
    (re.compile(r"\bhttps?://\S+", re.I), "[link]"),
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"), "[date]"),
    (
        re.compile(
            r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
            r"[a-z]*\.?(?:\s+\d{4})?\b",
            re.I,
        ),
        "[date]",
    ),
    (re.compile(r"(?<!\w)\+?\d[\d ()-]{8,}\d\b"), "[phone]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I), "[postcode]"),
    (re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b|\b[A-Z]\d{1,3}\s?[A-Z]{3}\b"), "[registration]"),
    (
        re.compile(
            r"\b(?:(?:flat|apartment)\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+(?:[A-Z][\w']+\s+){1,3}"
            r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Court|Ct|Place|Crescent|"
            r"Terrace|Grove|Gardens|Park|Hill|Square|Walk|Row|Mews|View|Parade|Rise)\b",
            re.I,
        ),
        "[address]",
    ),
    (
        re.compile(
            r"\b(?:[A-Z][a-z']+\s+){1,2}(?:Street|Road|Lane|Avenue|Close|Drive|Crescent|Terrace|"
            r"Grove|Gardens|Square|Mews|Parade)\b"
        ),
        "[address]",
    ),
    # Case and record references ("CASE-00012", "CR-2", "REF-9") and "case 12": a file must not
    # lead back to the case it was drawn from.
    (re.compile(r"\b[A-Z]{1,6}-\d+\b"), "[reference]"),
    (
        re.compile(r"\b(case|referral|record)\s+(?:no\.?\s*|number\s*)?#?\d+\b", re.I),
        r"\1 [reference]",
    ),
    (re.compile(r"\b\d{5,}\b"), "[number]"),
)
# A name the system does not know, after words that introduce one.
_INTRODUCED = re.compile(
    r"\b(called|named|known as|nicknamed|calls himself|calls herself|boyfriend|girlfriend|friend|"
    r"brother|sister|mum|mother|dad|father|uncle|aunt|auntie|cousin|stepdad|stepfather|"
    r"stepmum|stepmother|partner)(,?\s+)(?:'|\")?([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]*)?)"
)
_LABEL_WORDS = frozenset({"Child", "Adult"})


def pseudonym_map(labels: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Every way a known person may be written (full name, each name, alias) → their label.

    ``labels`` maps a label ("Child A") to the names known for that person. A single name of two
    letters or fewer is left alone (it would redact "Jo" out of "Jordan" only by accident)."""
    found: dict[str, str] = {}
    for label, names in labels.items():
        for name in names:
            cleaned = " ".join((name or "").split())
            if not cleaned:
                continue
            found.setdefault(cleaned.casefold(), label)
            for part in cleaned.split(" "):
                if len(part) > 2 and part not in _LABEL_WORDS:
                    found.setdefault(part.casefold(), label)
    return found


def redact(text: str | None, names: Mapping[str, str]) -> str:
    """``text`` with identifiers replaced by what they were, and known names by pseudonyms."""
    if not text:
        return ""
    redacted = text
    for pattern, replacement in _PATTERNS:
        redacted = pattern.sub(replacement, redacted)
    redacted = _replace_names(redacted, names)
    return _INTRODUCED.sub(_introduced, redacted)


def _replace_names(text: str, names: Mapping[str, str]) -> str:
    if not names:
        return text
    # Longest first, so that "Ayesha Hussein" becomes one "Child A", not "Child A Child A".
    alternatives = sorted(names, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w])(" + "|".join(re.escape(n) for n in alternatives) + r")(?![\w])", re.I
    )
    return pattern.sub(lambda m: names[m.group(1).casefold()], text)


def _introduced(match: re.Match[str]) -> str:
    word, gap, name = match.group(1), match.group(2), match.group(3)
    first = name.split(" ")[0]
    if first in _LABEL_WORDS or name.startswith(("Social", "Police", "Team", "Head")):
        return match.group(0)
    return f"{word}{gap}[name]"
