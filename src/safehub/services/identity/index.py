"""From database rows to the linkage engine and back: mentions, features, blocking keys, scores.

The engine (``safehub.linkage``) reads ``Mention`` objects; ``mentions_from_rows`` builds them
from the current mentions in the database. Blocking keys mirror the engine's prediction
blocking rules (names, names with dates, date with postcode or address, every strong
identifier), so the indexed candidate search finds the pairs a bulk run would have compared.
Scored pairs go through the engine's own decision rules (``decide``), so the real-time and
incremental paths accept, review or drop a pair exactly as a bulk run would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from safehub.db.queries.identity.resolution import (
    MentionRow,
    list_current_mentions,
    list_mention_identifiers,
)
from safehub.extracts import Mention
from safehub.extracts.identifiers import PartialDate
from safehub.extracts.model import Identifier
from safehub.linkage import (
    AgencyPerson,
    LinkageModel,
    MatchExplanation,
    collapse_mentions,
    score_candidate,
)
from safehub.linkage.comparisons import COMPARISONS
from safehub.linkage.decide import PersonFacts, decide, level_weights, weights_to_columns
from safehub.linkage.people import ID_COLUMNS, STRONG_KINDS, name_key, person_features

Features = dict[str, Any]


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One agency person as the candidate index holds them."""

    agency_person_id: int
    features: Features
    name_key: str
    matchable: bool
    of_concern: bool
    keys: tuple[str, ...]

    def row(self) -> tuple[int, Features, str, bool, bool]:
        return (
            self.agency_person_id,
            self.features,
            self.name_key,
            self.matchable,
            self.of_concern,
        )


@dataclass(frozen=True, slots=True)
class ScoredLink:
    """A pair of agency people scored and decided, with the evidence a person can read."""

    left: int
    right: int
    match_probability: float
    match_weight: float
    prior_weight: float
    evidence: tuple[dict[str, Any], ...]
    accepted: bool
    needs_review: bool
    reason: str
    # The records contradict it (``Decisions.held``): the review queue puts it last, or leaves
    # it out when nothing is at stake (``linkage.queue``).
    held: bool = False

    def pending_row(self) -> dict[str, Any]:
        return {
            "l": self.left,
            "r": self.right,
            "p": self.match_probability,
            "w": self.match_weight,
            "pw": self.prior_weight,
            "e": list(self.evidence),
            "reason": self.reason,
        }


def mentions_from_rows(
    rows: Sequence[MentionRow], identifiers: Iterable[tuple[int, str, str, str | None]]
) -> list[Mention]:
    """Engine mentions from database rows (``file`` is "database", ``row`` the mention id)."""
    by_mention: dict[int, list[Identifier]] = {}
    for mention_id, kind, raw, normalised in identifiers:
        by_mention.setdefault(mention_id, []).append(Identifier(kind, raw, normalised))
    return [_mention(row, by_mention.get(row.mention_id, [])) for row in rows]


def agency_people_of(session: Session, agency_person_ids: Iterable[int]) -> dict[int, AgencyPerson]:
    """These agency people as the engine knows them (their current mentions collapsed), by id."""
    ids = sorted(agency_person_ids)
    rows = list_current_mentions(session, ids)
    mentions = mentions_from_rows(rows, list_mention_identifiers(session, ids))
    ap_of = {(r.agency_code, r.person_ref): r.agency_person_id for r in rows}
    return {ap_of[p.key]: p for p in collapse_mentions(mentions)}


def _mention(row: MentionRow, identifiers: list[Identifier]) -> Mention:
    values = {
        "agency_code": row.agency_code,
        "record_id": row.record_ref,
        "person_ref": row.person_ref,
        "person_role": row.person_role,
        "given_names": row.given_names or "",
        "family_name": row.family_name or "",
        "address": row.address or "",
        "restricted": "Y" if row.restricted else "",
        "sex": row.sex or "",
        "record_type": row.record_type,
    }
    values = {k: v for k, v in values.items() if v}
    return Mention(
        file="database",
        row=row.mention_id,
        values=values,
        record_date=row.record_date,
        date_of_birth=parse_partial_date(row.date_of_birth),
        identifiers=identifiers,
        aliases=tuple(row.aliases or ()),
    )


def parse_partial_date(value: str | None) -> PartialDate | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as stored; ``None`` when empty or unreadable.

    >>> parse_partial_date("2011-07")
    PartialDate(year=2011, month=7, day=None)
    """
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
    except ValueError:
        return None
    return PartialDate(parts[0], *(parts[1:3] + [None] * (3 - len(parts[:3]))))  # type: ignore[arg-type]


def index_entry(
    agency_person_id: int, person: AgencyPerson, shared: Mapping[str, frozenset[str]]
) -> IndexEntry:
    """Features and blocking keys; restricted and too-thin people are kept but never matchable."""
    features = person_features(person, shared)
    matchable = not (person.restricted or person.is_insufficient)
    return IndexEntry(
        agency_person_id,
        features,
        name_key(person.given, person.family),
        matchable,
        person.is_adult_of_concern,
        tuple(block_keys(features)) if matchable else (),
    )


def block_keys(features: Mapping[str, Any]) -> list[str]:
    """The keys the engine blocks on, as ``kind|value`` strings (see ``comparisons.py``).

    >>> block_keys({"given_name": "aisha", "family_name": "husain", "dob": "2011-07-03",
    ...             "dob_y": 2011, "family_skel": "hsn", "given_skel": None})
    ['n|aisha|husain', 'fy|hsn|2011', 'gd|aisha|2011-07-03']
    """
    f = features
    keys = []
    if f.get("given_name") and f.get("family_name"):
        keys.append(f"n|{f['given_name']}|{f['family_name']}")
    if f.get("family_skel") and f.get("dob_y") is not None:
        keys.append(f"fy|{f['family_skel']}|{f['dob_y']}")
    if f.get("given_skel") and f.get("dob"):
        keys.append(f"sd|{f['given_skel']}|{f['dob']}")
    if f.get("given_name") and f.get("dob"):
        keys.append(f"gd|{f['given_name']}|{f['dob']}")
    if f.get("dob") and f.get("address"):
        keys.append(f"da|{f['dob']}|{f['address']}")
    for postcode in (f.get("postcode") or []) if f.get("dob") else []:
        keys.append(f"dp|{f['dob']}|{postcode}")
    for kind in STRONG_KINDS:
        column = ID_COLUMNS[kind]
        keys += [f"{column}|{v}" for v in f.get(column) or []]
    return keys


def query_keys(features: Mapping[str, Any]) -> list[str]:
    """Block keys plus the name swapped (given and family names recorded the wrong way round)."""
    keys = block_keys(features)
    if features.get("given_name") and features.get("family_name"):
        keys.append(f"n|{features['family_name']}|{features['given_name']}")
    return keys


def score_links(
    model: LinkageModel,
    pairs: Sequence[tuple[int, int]],
    features: Mapping[int, Features],
    of_concern: Mapping[int, bool],
    people: Mapping[int, AgencyPerson] | None = None,
) -> list[ScoredLink]:
    """Score pairs in process and decide them by the engine's rules (accept, review or drop).

    ``people`` (by agency person id) are what the rules read beyond a pair's levels: roles and
    ages, sexes, records naming both, the twins the records show among them (``PersonFacts``).
    Without them only the rules on the pair's own levels hold.
    """
    if not pairs:
        return []
    nodes = sorted({n for pair in pairs for n in pair})
    index = {n: i for i, n in enumerate(nodes)}
    explained = [score_candidate(model, features[a], features[b]) for a, b in pairs]
    table = _pair_table(model, pairs, index, explained)
    concern = np.array([of_concern[n] for n in nodes], dtype=bool)
    facts = None
    if people is not None and all(n in people for n in nodes):
        facts = PersonFacts.of([people[n] for n in nodes])
    decisions = decide(table, model, concern, facts)
    links = []
    for i, ((left, right), e) in enumerate(zip(pairs, explained, strict=True)):
        if not (decisions.accepted[i] or decisions.needs_review[i]):
            continue
        links.append(
            ScoredLink(
                left,
                right,
                e.match_probability,
                e.match_weight,
                e.prior_weight,
                evidence(e),
                bool(decisions.accepted[i]),
                bool(decisions.needs_review[i]),
                decisions.reasons[i],
                bool(decisions.held[i]),
            )
        )
    return links


def evidence(explanation: MatchExplanation) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "field": f.field,
            "level": f.level,
            "weight": round(f.match_weight, 4),
            "tf_weight": round(f.tf_weight, 4),
        }
        for f in explanation.fields
    )


def _pair_table(
    model: LinkageModel,
    pairs: Sequence[tuple[int, int]],
    index: Mapping[int, int],
    explained: Sequence[MatchExplanation],
) -> pa.Table:
    """The shape Splink's predictions have, so ``decide`` reads in-process scores unchanged.

    ``mw_<field>`` is the level's own weight (without the name-frequency part), looked up by
    level label so that it equals the engine's level weights exactly.
    """
    weight_of = {
        spec.name: {label: w for w, label in level_weights(model, spec.name).items()}
        for spec in COMPARISONS
    }
    columns: dict[str, list[Any]] = {
        c: [] for c in weights_to_columns([c.name for c in COMPARISONS])
    }
    for (left, right), e in zip(pairs, explained, strict=True):
        columns["unique_id_l"].append(index[left])
        columns["unique_id_r"].append(index[right])
        columns["match_weight"].append(e.match_weight)
        columns["match_probability"].append(e.match_probability)
        for f in e.fields:
            columns[f"mw_{f.field}"].append(weight_of[f.field].get(f.level, 0.0))
            if f"mw_tf_adj_{f.field}" in columns:
                columns[f"mw_tf_adj_{f.field}"].append(f.tf_weight)
    return pa.table(columns)
