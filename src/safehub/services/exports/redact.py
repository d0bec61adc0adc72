"""Redacting third parties from a subject access request: other people's names become a marker.

A subject access request gives a person *their own* information (UK GDPR Art. 15); other people
named in the same records are third parties whose names are withheld (DPA 2018 Sch. 2 para 16).
We know who else is named because agencies record every person a record mentions: their names
and aliases, as each record gives them, are the names to hide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from safehub.db.queries import exports as q
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork

THIRD_PARTY = "[third party]"
_MIN_TOKEN = 2


@dataclass(frozen=True, slots=True)
class Redactor:
    """Replaces third parties' names in text; the subject's own names are left alone.

    A whole name is replaced wherever it appears, in any case; a single part of a name (a given
    name or a family name on its own) only where it is written as a name, capitalised, so that a
    third party called "May" or "Will" does not swallow ordinary words.

    >>> brother = [("Tom Hussain", ["Tom", "Hussain"])]
    >>> redactor = Redactor.from_names(brother, subject_words={"amy", "hussain"})
    >>> redactor("Tom Hussain collected her; Tom may call. Aisha Hussain went home.")
    '[third party] collected her; [third party] may call. Aisha Hussain went home.'
    """

    full_names: re.Pattern[str] | None
    words: re.Pattern[str] | None
    # How many third parties the names belong to (for the disclosure's audit entry).
    count: int = 0

    @classmethod
    def from_names(
        cls, names: Iterable[tuple[str, list[str]]], *, subject_words: set[str]
    ) -> Redactor:
        """``names``: each third party's full names (as recorded) and the words they are made of."""
        fulls: set[str] = set()
        words: set[str] = set()
        for full, parts in names:
            if full.strip():
                fulls.add(full.strip())
            words |= {p for p in parts if len(p) >= _MIN_TOKEN and p.lower() not in subject_words}
        return cls(_alternation(fulls), _alternation(words))

    def __call__(self, text: str) -> str:
        if self.full_names is not None:
            text = self.full_names.sub(THIRD_PARTY, text)
        if self.words is not None:
            text = self.words.sub(_capitalised_only, text)
        return text


def _capitalised_only(match: re.Match[str]) -> str:
    return THIRD_PARTY if match.group(0)[0].isupper() else match.group(0)


def _alternation(values: set[str]) -> re.Pattern[str] | None:
    if not values:
        return None
    # Longest first, so that "Mohammed Khan" wins over "Mohammed"; whole words only.
    ordered = sorted(values, key=lambda v: (-len(v), v))
    body = "|".join(re.escape(v) for v in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def third_party_redactor(uow: UnitOfWork, *, subjects: list[int]) -> Redactor:
    """A redactor for everyone named alongside ``subjects`` in their records.

    The names are read as the partnership (``system_step``), past row-level security: a person
    whom the user may not see (restricted by another agency) can still be named in a narrative
    the user does see, and must be hidden too. The names never leave this function except as
    ``[third party]``.
    """
    with system_step(uow):
        mentions = q.names_in_records_of(uow.session, subjects)
    own = {w.lower() for m in mentions if m.person_id in subjects for w in _parts(m)}
    others: dict[int, list[q.MentionedName]] = {}
    for mention in mentions:
        if mention.person_id not in subjects:
            others.setdefault(mention.person_id, []).append(mention)
    names = [
        (full, _parts(m)) for group in others.values() for m in group for full in _full_names(m)
    ]
    redactor = Redactor.from_names(names, subject_words=own)
    return Redactor(redactor.full_names, redactor.words, len(others))


def _parts(mention: q.MentionedName) -> list[str]:
    text = " ".join(filter(None, [mention.given_names, mention.family_name, *mention.aliases]))
    return [w for w in re.split(r"[\s,]+", text) if w]


def _full_names(mention: q.MentionedName) -> list[str]:
    given = (mention.given_names or "").strip()
    family = (mention.family_name or "").strip()
    names = [f"{given} {family}".strip(), f"{family} {given}".strip(), *mention.aliases]
    return [n for n in names if n]
