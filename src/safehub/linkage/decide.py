"""From scored pairs to accepted links and a review queue, and from links to people.

Rules (architecture.md "False merges fall on common names"):
- a pair at or above the model's accept threshold is linked, unless either side is an adult of
  concern and no strong identifier agrees, or the records conflict outright (different NHS
  numbers, or dates of birth far apart: a parent and child of the same name at one address):
  then it waits for a person to confirm (review);
- a pair sharing an NHS number (the national identifier for children) is linked even below the
  threshold, unless given name and date of birth both disagree (a keying error, sent for review);
- a pair between the review and accept thresholds goes to review;
- dates of birth that differ in two of day, month and year (siblings, a parent and child) are a
  conflict, whatever the other fields say;
- a date-of-birth conflict is overridden by an agreeing personal identifier (NHS number or
  licence number: a parent and child of the same name never share one, while a typed date of
  birth is often wrong), unless the given names differ too: a number shared by two records that
  differ in given name and date of birth is a relative's number keyed on the record (a mother's
  NHS number on her baby's), and a person must confirm;
- two people the records themselves tell apart are never linked automatically: two person refs
  named in one record, or one recorded as a parent, carer or licence holder before the other was
  old enough to be one (a mother and daughter of the same name at one address): such a pair
  waits for a person to confirm, however high it scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from safehub.linkage.comparisons import (
    COMPARISONS,
    CROSSED,
    PERSONAL_COMPARISONS,
    STRONG_COMPARISONS,
    TYPING_SLIP,
)
from safehub.linkage.levels import ELSE
from safehub.linkage.model import LinkageModel
from safehub.linkage.people import AgencyPerson

NHS_UNION_REASON = "same NHS number"
APART_REASON = (
    "the records tell them apart (named apart in one record, or too young for a role), "
    "or one has a name and nothing else; confirm"
)
_NO_YEAR = -1
_ANY_YEAR = 1 << 30


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the decision knows of each person beyond the pair's scores, indexed by unique_id.

    ``together`` holds ``i * size + j`` (``i < j``) for every two people named in one record.
    """

    of_concern: np.ndarray
    dob_year: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    born_by: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    together: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    thin: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @classmethod
    def of(cls, people: Sequence[AgencyPerson], together: np.ndarray | None = None) -> PersonFacts:
        """Facts of ``people`` (index = unique_id); ``together`` defaults to their own records."""
        return cls(
            of_concern=np.array([p.is_adult_of_concern for p in people], dtype=bool),
            dob_year=np.array(
                [p.date_of_birth.year if p.date_of_birth else _NO_YEAR for p in people],
                dtype=np.int64,
            ),
            born_by=np.array(
                [_ANY_YEAR if p.born_by is None else p.born_by for p in people], dtype=np.int64
            ),
            together=together_codes(enumerate(people), len(people))
            if together is None
            else together,
            thin=np.array([p.is_insufficient for p in people], dtype=bool),
        )

    def too_thin(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs where one side has a name and nothing else: a person must confirm them."""
        if len(self.thin) == 0:
            return np.zeros(len(left), dtype=bool)
        return np.asarray(self.thin[left] | self.thin[right], dtype=bool)

    def apart(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs the records tell apart (see the module docstring)."""
        if len(self.dob_year) == 0:
            return np.zeros(len(left), dtype=bool)
        too_young = (self.dob_year[left] > self.born_by[right]) | (
            self.dob_year[right] > self.born_by[left]
        )
        size = len(self.dob_year)
        low, high = np.minimum(left, right), np.maximum(left, right)
        named_apart = np.isin(low.astype(np.int64) * size + high, self.together)
        return np.asarray(too_young | named_apart, dtype=bool)


def together_codes(indexed: Iterable[tuple[int, AgencyPerson]], size: int) -> np.ndarray:
    """Sorted codes ``i * size + j`` of every two people named in one agency record."""
    by_record: dict[tuple[str, str], list[int]] = {}
    for index, person in indexed:
        for record in person.record_ids:
            by_record.setdefault((person.agency_code, record), []).append(index)
    codes = [
        min(a, b) * size + max(a, b)
        for members in by_record.values()
        if len(members) > 1
        for n, a in enumerate(members)
        for b in members[n + 1 :]
    ]
    return np.unique(np.array(codes, dtype=np.int64))


@dataclass(frozen=True, slots=True)
class Decisions:
    accepted: np.ndarray
    needs_review: np.ndarray
    reasons: list[str]


def level_weights(model: LinkageModel, comparison: str) -> dict[float, str]:
    """Match weight → level label (Splink returns weights, not levels; first label wins a tie)."""
    spec = next(c for c in COMPARISONS if c.name == comparison)
    null_label = next(level.label for level in spec.levels if level.is_null)
    weights: dict[float, str] = {0.0: null_label}
    for level in spec.levels:
        if not level.is_null and model.parameters:
            weights.setdefault(model.level(comparison, level.label).match_weight, level.label)
    return weights


def decide(
    pairs: pa.Table,
    model: LinkageModel,
    of_concern: np.ndarray,
    facts: PersonFacts | None = None,
) -> Decisions:
    """Accept, send to review, or drop each scored pair (vectorised: a million pairs is fine)."""
    probability = pairs.column("match_probability").to_numpy(zero_copy_only=False)
    left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)
    right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)
    strong = np.zeros(len(probability), dtype=bool)
    for name in STRONG_COMPARISONS:
        strong |= _at_level(pairs, model, name, "same")
    dob_apart = _at_level(pairs, model, "dob", ELSE) | _at_level(
        pairs, model, "dob", "within a year"
    )
    # Given name and date of birth both different: a relative, whatever number they share.
    given_differs = _at_level(pairs, model, "given_name", ELSE) | _at_level(
        pairs, model, "given_name", CROSSED
    )
    relative = dob_apart & given_differs
    personal = _personal(pairs, model) & ~relative
    nhs = _at_level(pairs, model, "nhs", "same")
    conflict = _at_level(pairs, model, "nhs", "different") | (dob_apart & ~personal)
    facts = facts or PersonFacts(of_concern)
    apart = facts.apart(left, right)
    thin = facts.too_thin(left, right)
    concern = of_concern[left] | of_concern[right]
    above = probability >= model.accept_threshold
    nhs_link = nhs & ~relative
    accepted = ((above & ~conflict & (~concern | strong)) | nhs_link) & ~apart & ~thin
    review = ~accepted & (probability >= model.review_threshold)
    flags = zip(accepted, concern & ~strong, conflict, nhs_link, above, apart | thin, strict=True)
    reasons = [_reason(*(bool(f) for f in row)) for row in flags]
    return Decisions(accepted, review, reasons)


def _personal(pairs: pa.Table, model: LinkageModel) -> np.ndarray:
    """An NHS or licence number agrees (a licence number even with one typing slip)."""
    found = _at_level(pairs, model, "licence", TYPING_SLIP)
    for name in PERSONAL_COMPARISONS:
        found |= _at_level(pairs, model, name, "same")
    return found


def _reason(
    accepted: bool, weak_concern: bool, conflict: bool, nhs: bool, above: bool, apart: bool
) -> str:
    if accepted:
        return NHS_UNION_REASON if nhs and not above else "above the match threshold"
    if apart:
        return APART_REASON
    if above and conflict:
        return "conflicting NHS number or date of birth; confirm"
    if above and weak_concern:
        return "adult of concern: name and date of birth alone are not enough; confirm"
    return "uncertain: between the review and match thresholds"


def _at_level(pairs: pa.Table, model: LinkageModel, comparison: str, label: str) -> np.ndarray:
    weights = pairs.column(f"mw_{comparison}").to_numpy(zero_copy_only=False)
    target = [w for w, name in level_weights(model, comparison).items() if name == label]
    if not target:
        return np.zeros(len(weights), dtype=bool)
    return np.isin(weights, target)


def cluster(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components over accepted links; component labels follow the smallest member.

    >>> cluster(4, np.array([2]), np.array([0])).tolist()
    [0, 1, 0, 2]
    """
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    # Renumber so that components are numbered in the order of their smallest member.
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return np.asarray(rank[labels], dtype=np.int64)


def person_id(number: int) -> str:
    """``P000001`` for the first person; wider past a million people."""
    return f"P{number:06d}"


def explain_row(row: dict[str, Any], model: LinkageModel) -> list[tuple[str, str, float, float]]:
    """(field, level label, match weight incl. TF, TF part) for one predicted pair."""
    fields = []
    for spec in COMPARISONS:
        weight = float(row[f"mw_{spec.name}"])
        tf = float(row.get(f"mw_tf_adj_{spec.name}") or 0.0)
        label = level_weights(model, spec.name).get(weight, "?")
        fields.append((spec.name, label, weight + tf, tf))
    return fields


def weights_to_columns(names: Sequence[str]) -> list[str]:
    columns = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    for name in names:
        columns.append(f"mw_{name}")
    columns += ["mw_tf_adj_given_name", "mw_tf_adj_family_name"]
    return columns
