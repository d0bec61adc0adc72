"""Who the synthetic people are: ethnicity, nationality and how agencies record them.

A person's ethnicity is sampled once, from the area's distribution, before any role exists. Roles
(victim, suspect, organiser...) are chosen later by code that never reads it, so the ethnicity
mix of victims and of suspects is the area's mix: the data carries no stereotype. Each record
then writes what an agency would: a self-defined code when the person gave one (often missing,
sometimes "not stated"), an officer-observed IC code on police records, and a nationality.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

# Approximate Census 2021 mixes (percentages) by the police 18+1 codes. Used for every role.
AREA_ETHNICITY: dict[str, dict[str, float]] = {
    "bradford": {
        "W1": 57.0,
        "W2": 0.3,
        "W3": 0.2,
        "W9": 3.5,
        "M1": 1.0,
        "M2": 0.2,
        "M3": 1.1,
        "M9": 0.6,
        "A1": 2.6,
        "A2": 25.5,
        "A3": 1.9,
        "A4": 0.2,
        "A9": 1.6,
        "B1": 0.3,
        "B2": 0.8,
        "B9": 0.2,
        "O2": 0.4,
        "O9": 2.0,
    },
    "kirklees": {
        "W1": 71.0,
        "W2": 0.4,
        "W3": 0.2,
        "W9": 3.0,
        "M1": 1.3,
        "M2": 0.2,
        "M3": 0.8,
        "M9": 0.6,
        "A1": 4.7,
        "A2": 12.0,
        "A3": 0.3,
        "A4": 0.3,
        "A9": 1.0,
        "B1": 1.0,
        "B2": 1.3,
        "B9": 0.3,
        "O2": 0.3,
        "O9": 1.3,
    },
    "rochdale": {
        "W1": 72.0,
        "W2": 0.5,
        "W3": 0.2,
        "W9": 3.0,
        "M1": 0.8,
        "M2": 0.3,
        "M3": 0.9,
        "M9": 0.5,
        "A1": 0.5,
        "A2": 12.5,
        "A3": 3.0,
        "A4": 0.3,
        "A9": 0.8,
        "B1": 0.4,
        "B2": 1.8,
        "B9": 0.3,
        "O2": 0.5,
        "O9": 2.0,
    },
}

# Self-defined code -> officer-observed IC codes an officer might choose, with weights.
_OBSERVED: dict[str, tuple[tuple[str, float], ...]] = {
    "W1": (("IC1", 1.0),),
    "W2": (("IC1", 1.0),),
    "W3": (("IC1", 1.0),),
    "W9": (("IC1", 0.7), ("IC2", 0.3)),
    "M1": (("IC3", 0.6), ("IC1", 0.4)),
    "M2": (("IC3", 0.6), ("IC1", 0.4)),
    "M3": (("IC4", 0.5), ("IC1", 0.5)),
    "M9": (("IC1", 0.5), ("IC9", 0.5)),
    "A1": (("IC4", 1.0),),
    "A2": (("IC4", 1.0),),
    "A3": (("IC4", 1.0),),
    "A4": (("IC5", 1.0),),
    "A9": (("IC4", 0.5), ("IC5", 0.5)),
    "B1": (("IC3", 1.0),),
    "B2": (("IC3", 1.0),),
    "B9": (("IC3", 1.0),),
    "O2": (("IC6", 1.0),),
    "O9": (("IC6", 0.4), ("IC4", 0.3), ("IC9", 0.3)),
}

# Self-defined code -> nationalities (ISO 3166-1 alpha-2) with weights.
_NATIONALITY: dict[str, tuple[tuple[str, float], ...]] = {
    "W2": (("GB", 0.6), ("IE", 0.4)),
    "W9": (("PL", 0.4), ("RO", 0.25), ("SK", 0.1), ("LT", 0.1), ("GB", 0.15)),
    "A1": (("GB", 0.85), ("IN", 0.15)),
    "A2": (("GB", 0.85), ("PK", 0.15)),
    "A3": (("GB", 0.85), ("BD", 0.15)),
    "A4": (("GB", 0.6), ("CN", 0.3), ("HK", 0.1)),
    "A9": (("GB", 0.5), ("NP", 0.2), ("PH", 0.2), ("LK", 0.1)),
    "B1": (("GB", 0.9), ("JM", 0.1)),
    "B2": (("GB", 0.6), ("NG", 0.15), ("SO", 0.1), ("GH", 0.05), ("ER", 0.1)),
    "B9": (("GB", 0.8), ("NG", 0.2)),
    "O2": (("GB", 0.4), ("IQ", 0.2), ("SY", 0.2), ("YE", 0.2)),
    "O9": (("GB", 0.4), ("IR", 0.2), ("AF", 0.2), ("IQ", 0.2)),
}


@dataclass(frozen=True, slots=True)
class EthnicityRecorder:
    """How often an agency fills the ethnicity columns (probabilities per mention)."""

    self_defined: float
    not_stated: float
    observed: float
    nationality: float


# Police record self-defined ethnicity for roughly half of suspects (the audit found it missing
# for about two-thirds nationally); social care, health and schools record it more often.
RECORDERS: dict[str, EthnicityRecorder] = {
    "police": EthnicityRecorder(self_defined=0.45, not_stated=0.08, observed=0.7, nationality=0.3),
    "social_care": EthnicityRecorder(
        self_defined=0.75, not_stated=0.05, observed=0.0, nationality=0.4
    ),
    "health": EthnicityRecorder(self_defined=0.7, not_stated=0.1, observed=0.0, nationality=0.1),
    "education": EthnicityRecorder(
        self_defined=0.9, not_stated=0.04, observed=0.0, nationality=0.5
    ),
    "licensing": EthnicityRecorder(self_defined=0.0, not_stated=0.0, observed=0.0, nationality=0.6),
}


def _cumulative(options: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    return [value for value, _ in options], list(accumulate(weight for _, weight in options))


# Cumulative weights computed once: sampling runs for every person of a million-row area.
_AREA_CUMULATIVE = {area: _cumulative(tuple(mix.items())) for area, mix in AREA_ETHNICITY.items()}
_OBSERVED_CUMULATIVE = {code: _cumulative(options) for code, options in _OBSERVED.items()}
_NATIONALITY_CUMULATIVE = {code: _cumulative(options) for code, options in _NATIONALITY.items()}


def _weighted(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    values, cumulative = table
    if len(values) == 1:
        return values[0]
    return rng.choices(values, cum_weights=cumulative)[0]


def sample_ethnicity(rng: random.Random, area: str, count: int) -> list[str]:
    """``count`` self-defined codes drawn from the area's mix.

    >>> codes = sample_ethnicity(random.Random(1), "bradford", 3)
    >>> len(codes), all(len(code) == 2 for code in codes)
    (3, True)
    """
    values, cumulative = _AREA_CUMULATIVE[area]
    return rng.choices(values, cum_weights=cumulative, k=count)


def observed_code(rng: random.Random, self_defined: str) -> str:
    """The IC code an officer would most likely record for this person."""
    return _weighted(rng, _OBSERVED_CUMULATIVE[self_defined])


def nationality_for(rng: random.Random, self_defined: str) -> str:
    """A nationality consistent with the person's background (mostly British)."""
    table = _NATIONALITY_CUMULATIVE.get(self_defined)
    return "GB" if table is None else _weighted(rng, table)
