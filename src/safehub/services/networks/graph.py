"""The network graph from the database: stored mentions become engine mentions, and a worker keeps
the graph of the latest run in memory so that the next run only adds what arrived since.

The graph in memory is a cache, never the record: it is used only when it was built by the latest
successful run (same token); otherwise it is rebuilt from the stored mentions up to that run's
watermark, which gives the same graph (the engine's incremental update equals a rebuild).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safehub.db.queries.networks import MentionRow, PossibleMatch
from safehub.extracts.identifiers import PartialDate
from safehub.extracts.model import Identifier, Mention

if TYPE_CHECKING:  # the engine loads networkit and pandas: imported where it runs, not here
    from safehub.network import NetworkAnalysis, NetworkGraph
    from safehub.network.alerts import PossiblySame
    from safehub.network.concern_index import ConcernIndex

PersonIds = dict[tuple[str, str], str]


def to_mention(row: MentionRow) -> Mention:
    """An engine mention from a stored row, with only the columns the network rules read.

    >>> from datetime import date
    >>> row = MentionRow(1, 1, "POL", "police", "CR-1", "crime_report", date(2025, 1, 2), None,
    ...     None, "E1", False, "P-1", "suspect", (1990, None, None), None, (), False, 7,
    ...     (("phone", "07700 900123", "+447700900123"),), given_names="Dean")
    >>> m = to_mention(row)
    >>> m.key, m.date_of_birth, m.valid_identifiers("phone"), m.get("given_names")
    (('POL', 'CR-1', 'P-1'), PartialDate(year=1990, month=None, day=None), ['+447700900123'], 'Dean')
    """
    postcode = next((raw for kind, raw, _ in row.identifiers if kind == "postcode"), "")
    values = {
        "agency_code": row.agency_code,
        "agency_type": row.agency_type,
        "record_id": row.record_ref,
        "record_type": row.record_type,
        "record_date": row.record_date.isoformat(),
        "person_ref": row.person_ref,
        "person_role": row.person_role,
        "location_name": row.location_name or "",
        "location_postcode": row.location_postcode or "",
        "area_code": row.area_code or "",
        "group_based": "Y" if row.group_based else "",
        "address": row.address or "",
        "postcode": postcode,
        "restricted": "Y" if row.restricted else "",
        "offence_code": row.offence_code,
        "given_names": row.given_names,
        "family_name": row.family_name,
    }
    year, month, day = row.dob
    return Mention(
        file="database",
        row=row.mention_id,
        values={k: v for k, v in values.items() if v},
        record_date=row.record_date,
        date_of_birth=PartialDate(year, month, day) if year else None,
        identifiers=[Identifier(k, raw, norm) for k, raw, norm in row.identifiers],
        indicators=row.indicators,
    )


def to_mentions(rows: Sequence[MentionRow]) -> tuple[list[Mention], PersonIds]:
    """Engine mentions and the person resolution they need, in mention id order."""
    mentions = [to_mention(r) for r in rows]
    person_ids = {(r.agency_code, r.person_ref): str(r.person_id) for r in rows}
    return mentions, person_ids


def by_record(rows: Iterable[MentionRow]) -> list[list[MentionRow]]:
    """Rows grouped by record, records in the order their first row arrived."""
    grouped: dict[tuple[str, str], list[MentionRow]] = {}
    for row in rows:
        grouped.setdefault((row.agency_code, row.record_ref), []).append(row)
    return list(grouped.values())


def restricted_people(graph: NetworkGraph) -> set[str]:
    """People recorded anywhere as restricted: never shown in results, charts, exports, alerts."""
    return {f.person_id for f in graph.mentions.values() if f.restricted}


@dataclass
class NetworkState:
    """The graph and analysis a run left behind, with what it had read."""

    token: str
    graph: NetworkGraph
    analysis: NetworkAnalysis
    mention_watermark: int
    link_watermark: int
    # The partnership's concern table kept beside the graph: each run redoes only the people
    # that arrived or changed since the last (the analysis equals a rebuild's).
    index: ConcernIndex | None = None


# One entry per database (keyed by its URL): a worker process serves one deployment.
_STATES: dict[str, NetworkState] = {}


def cached_state(database_key: str, token: str) -> NetworkState | None:
    state = _STATES.get(database_key)
    return state if state is not None and state.token == token else None


def keep_state(database_key: str, state: NetworkState) -> None:
    _STATES[database_key] = state


def forget_state(database_key: str) -> None:
    _STATES.pop(database_key, None)


def pair_words(match: PossibleMatch) -> str:
    """A pair as alerts and reasons name it: the two agency records a person would compare."""
    return f"{match.left} and {match.right}"


def possibly_same(matches: Iterable[PossibleMatch]) -> dict[str, list[PossiblySame]]:
    """Person id -> the people they are possibly the same as (both ways), each with the pair a
    person would confirm."""
    from safehub.network.alerts import PossiblySame

    found: dict[str, list[PossiblySame]] = {}
    for m in matches:
        pair = pair_words(m)
        found.setdefault(str(m.person_id), []).append(PossiblySame(str(m.other_person_id), pair))
        found.setdefault(str(m.other_person_id), []).append(PossiblySame(str(m.person_id), pair))
    return found


def usable_matches(
    matches: Iterable[PossibleMatch], hidden: set[str], graph: NetworkGraph
) -> list[PossibleMatch]:
    """The pairs the analysis may count: never one with a person an agency restricted (their
    existence is not revealed, not even as half of a pair to confirm), and never one that would
    count as one person two people whose dates of birth are apart, directly or through the
    other pairs (``network.possible.joinable``): the likeliest pairs are taken first."""
    from safehub.network.possible import born_apart, joinable

    shown = sorted(
        (
            m
            for m in matches
            if str(m.person_id) not in hidden and str(m.other_person_id) not in hidden
        ),
        key=lambda m: (-m.probability, m.pair_id),
    )
    pairs = [(str(m.person_id), str(m.other_person_id)) for m in shown]
    people = {p for pair in pairs for p in pair}
    born = {
        p: {f.date_of_birth for f in graph.person_mentions(p) if f.date_of_birth} for p in people
    }
    kept = joinable(pairs, born_apart(born))
    return sorted((m for m, ok in zip(shown, kept, strict=True) if ok), key=lambda m: m.pair_id)


def analyse_possible(
    graph: NetworkGraph,
    index: ConcernIndex | None,
    matches: Sequence[PossibleMatch],
    *,
    seed: int,
    previous: Mapping[str, Collection[str]] | None,
) -> NetworkAnalysis:
    """The analysis of the worker's graph with the pending pairs as "possibly the same person"
    links: the engine's rule (``network.possible.analyse_possibly_same``), run on the graph in
    memory, whose rows of each set are counted under its representative for the second analysis
    and put back after it (the graph the worker keeps is always the one of resolved people)."""
    from safehub.network import analyse
    from safehub.network.possible import PossiblySame, analyse_possibly_same

    possibly = PossiblySame.of((str(m.person_id), str(m.other_person_id)) for m in matches)
    people = sorted(possibly.representative)
    if not people:
        return analyse(graph, seed=seed, previous=previous, index=index)
    own = {(f.key[0], f.key[2]): f.person_id for p in people for f in graph.person_mentions(p)}

    def analyse_with(person_ids: Mapping[tuple[str, str], str]) -> NetworkAnalysis:
        graph.repoint(person_ids, among=people)
        return analyse(graph, seed=seed, previous=previous, index=index)

    try:
        return analyse_possibly_same(own, possibly, analyse_with)
    finally:
        graph.repoint(own, among=people)
