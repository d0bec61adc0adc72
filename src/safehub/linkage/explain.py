"""Why two records were (or were not) judged the same person: a match weight, field by field."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldExplanation:
    """One comparison's contribution: the level reached and its match weight (log2 Bayes factor).

    ``match_weight`` includes the term-frequency adjustment on names (``tf_weight``).
    """

    field: str
    level: str
    match_weight: float
    tf_weight: float = 0.0

    @property
    def bayes_factor(self) -> float:
        return float(2.0**self.match_weight)


@dataclass(frozen=True, slots=True)
class MatchExplanation:
    """The prior and every field's weight; they add up to ``match_weight`` (a waterfall).

    >>> e = MatchExplanation(-10.0, (FieldExplanation("dob", "same date", 12.0),))
    >>> e.match_weight, round(e.match_probability, 3)
    (2.0, 0.8)
    """

    prior_weight: float
    fields: tuple[FieldExplanation, ...]

    @property
    def match_weight(self) -> float:
        return self.prior_weight + sum(f.match_weight for f in self.fields)

    @property
    def match_probability(self) -> float:
        return probability(self.match_weight)

    def field(self, name: str) -> FieldExplanation:
        return next(f for f in self.fields if f.field == name)


def probability(match_weight: float) -> float:
    """Match probability from a match weight (log2 odds), safe at the extremes."""
    if match_weight > 60:
        return 1.0
    odds = math.pow(2.0, match_weight)
    return odds / (1.0 + odds)
