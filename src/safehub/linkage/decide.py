"""From scored pairs to accepted links and a review queue, and from links to people.

Rules (architecture.md "False merges fall on common names"):
- a pair at or above the model's accept threshold is linked, unless either side is an adult of
  concern and no strong identifier agrees, or the records conflict outright (different NHS
  numbers, or dates of birth far apart: a parent and child of the same name at one address):
  then it waits for a person to confirm (review);
- a pair sharing an NHS number (the national identifier for children) is linked even below the
  threshold, unless names and date of birth all disagree (a keying error, sent for review);
- a pair between the review and accept thresholds goes to review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from safehub.linkage.comparisons import COMPARISONS, ELSE, STRONG_COMPARISONS
from safehub.linkage.model import LinkageModel

NHS_UNION_REASON = "same NHS number"


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


def decide(pairs: pa.Table, model: LinkageModel, of_concern: np.ndarray) -> Decisions:
    """Accept, send to review, or drop each scored pair (vectorised: a million pairs is fine)."""
    probability = pairs.column("match_probability").to_numpy(zero_copy_only=False)
    left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)
    right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)
    strong = np.zeros(len(probability), dtype=bool)
    for name in STRONG_COMPARISONS:
        strong |= _at_level(pairs, model, name, "same")
    nhs = _at_level(pairs, model, "nhs", "same")
    all_disagree = np.ones(len(probability), dtype=bool)
    for name in ("given_name", "family_name", "dob"):
        all_disagree &= _at_level(pairs, model, name, ELSE)
    conflict = _at_level(pairs, model, "nhs", "different") | _at_level(pairs, model, "dob", ELSE)
    concern = of_concern[left] | of_concern[right]
    above = probability >= model.accept_threshold
    nhs_link = nhs & ~all_disagree
    accepted = (above & ~conflict & (~concern | strong)) | nhs_link
    review = ~accepted & (probability >= model.review_threshold)
    flags = zip(accepted, concern & ~strong, conflict, nhs_link, above, strict=True)
    reasons = [_reason(*(bool(f) for f in row)) for row in flags]
    return Decisions(accepted, review, reasons)


def _reason(accepted: bool, weak_concern: bool, conflict: bool, nhs: bool, above: bool) -> str:
    if accepted:
        return NHS_UNION_REASON if nhs and not above else "above the match threshold"
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
    first_seen: dict[int, int] = {}
    order = np.empty(size, dtype=np.int64)
    for index, label in enumerate(labels.tolist()):
        order[index] = first_seen.setdefault(label, len(first_seen))
    return order


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
