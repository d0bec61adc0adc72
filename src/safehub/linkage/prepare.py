"""From mentions to the table Splink links: collapse, mark, drop shared identifiers, featurise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from safehub.bulk import cyclic_gc_paused
from safehub.extracts import Mention
from safehub.extracts.columns import ExtractTable
from safehub.linkage.blocking import add_blocking_keys
from safehub.linkage.collapse import collapse_mentions, collapse_table
from safehub.linkage.engine import input_table
from safehub.linkage.people import AgencyPerson, person_features, shared_identifiers


@dataclass(slots=True)
class PreparedPeople:
    """Agency people sorted by key; a person's ``unique_id`` is its index in ``people``.

    Only ``matchable`` people go to Splink: not the restricted (docs/extract-format.md: never matched outside
    the owning agency) nor the nameless without an NHS or licence number. The insufficient (a name
    and nothing else) are scored, but only ever reach the review queue.
    """

    people: list[AgencyPerson]
    matchable: list[int]
    rows: list[dict[str, Any]]
    shared: dict[str, frozenset[str]]
    _table: pa.Table | None = field(default=None, repr=False)

    @property
    def insufficient(self) -> list[int]:
        return [i for i, p in enumerate(self.people) if p.is_insufficient]

    @property
    def restricted(self) -> list[int]:
        return [i for i, p in enumerate(self.people) if p.restricted]

    def table(self) -> pa.Table:
        """The Splink input (built once: training, prediction and the result share it)."""
        if self._table is None:
            with cyclic_gc_paused():  # half a million rows are alive: each collection walks them
                self._table = input_table(self.matchable, self.rows)
        return self._table

    def release_rows(self) -> None:
        """Keep only the table: at a million people the row dictionaries hold over a gigabyte."""
        self.table()
        self.rows = []


def prepare(
    mentions: Sequence[Mention] | ExtractTable | None = None,
    *,
    people: list[AgencyPerson] | None = None,
    max_names_per_identifier: int = 3,
    offset: int = 0,
    also_shared: dict[str, frozenset[str]] | None = None,
) -> PreparedPeople:
    """Collapse ``mentions`` (or take ``people``) and build the Splink rows.

    ``offset`` shifts every ``unique_id`` (new people in an incremental run follow held ones).
    """
    with cyclic_gc_paused():
        return _prepare(mentions, people, max_names_per_identifier, offset, also_shared or {})


def _prepare(
    mentions: Sequence[Mention] | ExtractTable | None,
    people: list[AgencyPerson] | None,
    max_names_per_identifier: int,
    offset: int,
    also_shared: dict[str, frozenset[str]],
) -> PreparedPeople:
    if isinstance(mentions, ExtractTable):
        people = collapse_table(mentions)
    elif people is None:
        people = collapse_mentions(mentions or ())
    shared = shared_identifiers(people, max_names_per_identifier)
    for kind, values in also_shared.items():
        shared[kind] = shared.get(kind, frozenset()) | values
    # A name alone is compared (a reviewer may confirm a rare name) but never merged automatically.
    matchable = [
        i
        for i, p in enumerate(people)
        if not p.restricted and (p.has_name or not p.is_insufficient)
    ]
    rows = [person_features(people[i], shared) for i in matchable]
    add_blocking_keys(rows)
    return PreparedPeople(people, [i + offset for i in matchable], rows, shared)
