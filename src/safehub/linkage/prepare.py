"""From mentions to the table Splink links: collapse, mark, drop shared identifiers, featurise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from safehub.extracts import Mention
from safehub.linkage.engine import input_table
from safehub.linkage.people import (
    AgencyPerson,
    collapse_mentions,
    person_features,
    shared_identifiers,
)


@dataclass(slots=True)
class PreparedPeople:
    """Agency people sorted by key; a person's ``unique_id`` is its index in ``people``.

    Only ``matchable`` people go to Splink: not the insufficient (too little to match on) and not
    the restricted (formats.md: never matched outside the owning agency).
    """

    people: list[AgencyPerson]
    matchable: list[int]
    rows: list[dict[str, Any]]
    shared: dict[str, frozenset[str]]

    @property
    def insufficient(self) -> list[int]:
        return [i for i, p in enumerate(self.people) if p.is_insufficient]

    @property
    def restricted(self) -> list[int]:
        return [i for i, p in enumerate(self.people) if p.restricted]

    def table(self) -> pa.Table:
        return input_table(self.matchable, self.rows)


def prepare(
    mentions: Sequence[Mention] | None = None,
    *,
    people: list[AgencyPerson] | None = None,
    max_names_per_identifier: int = 3,
    offset: int = 0,
    also_shared: dict[str, frozenset[str]] | None = None,
) -> PreparedPeople:
    """Collapse ``mentions`` (or take ``people``) and build the Splink rows.

    ``offset`` shifts every ``unique_id`` (new people in an incremental run follow held ones).
    """
    if people is None:
        people = collapse_mentions(mentions or ())
    shared = shared_identifiers(people, max_names_per_identifier)
    for kind, values in (also_shared or {}).items():
        shared[kind] = shared.get(kind, frozenset()) | values
    matchable = [i for i, p in enumerate(people) if not (p.is_insufficient or p.restricted)]
    rows = [person_features(people[i], shared) for i in matchable]
    return PreparedPeople(people, [i + offset for i in matchable], rows, shared)
