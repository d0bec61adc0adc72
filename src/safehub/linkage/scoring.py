"""The in-process scorer for the real-time intake check: no Splink, no database.

It evaluates the same comparison levels as Splink (``comparisons.py`` holds both forms) with the
model's m and u probabilities and the name frequencies saved with it, field by field, so the page
can show why a candidate was suggested (a waterfall of match weights).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from safehub.linkage.comparisons import COMPARISONS
from safehub.linkage.explain import FieldExplanation, MatchExplanation
from safehub.linkage.levels import ComparisonSpec
from safehub.linkage.model import LinkageModel
from safehub.linkage.people import AgencyPerson, person_features

PersonLike = AgencyPerson | Mapping[str, Any]


def score_candidate(
    model: LinkageModel, query_person: PersonLike, candidate_person: PersonLike
) -> MatchExplanation:
    """Score one candidate against the person being checked, with a per-field explanation.

    >>> from safehub.linkage.people import AgencyPerson
    >>> from safehub.extracts import PartialDate
    >>> from safehub.linkage.model import LinkageModel, LevelParameters
    >>> a = AgencyPerson("LA", "1", "Mohammed", "Hussain", date_of_birth=PartialDate(2010, 3, 4))
    >>> b = AgencyPerson("POL", "9", "Muhammad", "Hussein", date_of_birth=PartialDate(2010, 4, 3))
    >>> e = score_candidate(_example_model(), a, b)
    >>> e.field("given_name").level, e.field("dob").level
    ('same name or known variant', 'day and month swapped')
    """
    left = _features(query_person)
    right = _features(candidate_person)
    fields = tuple(_field(model, spec, left, right) for spec in COMPARISONS)
    return MatchExplanation(model.prior_weight, fields)


def _features(person: PersonLike) -> Mapping[str, Any]:
    return person_features(person) if isinstance(person, AgencyPerson) else person


def _field(
    model: LinkageModel, spec: ComparisonSpec, left: Mapping[str, Any], right: Mapping[str, Any]
) -> FieldExplanation:
    level = spec.levels[spec.level_of(left, right)]
    if level.is_null:
        # Splink reports every null level alike (weight 0), so the first one names them all.
        return FieldExplanation(spec.name, next(v.label for v in spec.levels if v.is_null), 0.0)
    weight = model.level(spec.name, level.label).match_weight
    tf = _tf_adjustment(model, spec, level.tf_column, left, right) if level.tf_column else 0.0
    return FieldExplanation(spec.name, level.label, weight + tf, tf)


def _tf_adjustment(
    model: LinkageModel,
    spec: ComparisonSpec,
    column: str,
    left: Mapping[str, Any],
    right: Mapping[str, Any],
) -> float:
    """Splink's term-frequency adjustment: log2(u of an exact match) - log2(frequency of the name).

    A common name agreeing is weaker evidence than a rare one; this is where false merges on
    common names are held back.
    """
    table = model.term_frequencies.get(column, {})
    tf_left = table.get(left.get(column) or "")
    tf_right = table.get(right.get(column) or "")
    known = [t for t in (tf_left, tf_right) if t is not None]
    if not known:
        return 0.0
    exact = next(level for level in spec.levels if level.tf_column == column)
    u_exact = model.level(spec.name, exact.label).u
    return math.log2(u_exact) - math.log2(max(known))


def _example_model() -> LinkageModel:
    """A hand-set model for the docstring example (real ones come from ``train_model``)."""
    from safehub.linkage.model import LevelParameters

    parameters = {
        spec.name: {
            level.label: LevelParameters(0.9 if i == 1 else 0.05, 0.01 if i == 1 else 0.2)
            for i, level in enumerate(spec.levels)
            if not level.is_null
        }
        for spec in COMPARISONS
    }
    return LinkageModel(probability_two_random_records_match=1e-4, parameters=parameters)
