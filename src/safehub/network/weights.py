"""What an edge means, as a number: the heart of telling exploitation from innocent density.

Raw co-occurrence would make a large family, a school's safeguarding lead or a busy takeaway the
densest structure in any area. So links count by what they say: a suspect and a child victim in the
same crime report with exploitation indicators weigh most; a shared car or phone between adults of
concern is strong; sharing a place counts only within a time window and is divided down by how many
people the place touches. Reporters, parents and witnesses never make a link between adults of
concern and children.
"""

from __future__ import annotations

import math

# How strongly a record of each type points to exploitation when it names a suspect and a victim.
RECORD_TYPE_WEIGHT = {
    "crime_report": 1.0,
    "intelligence": 1.0,
    "missing_episode": 0.8,
    "referral": 0.7,
    "assessment": 0.7,
    "community_report": 0.6,
    "school_concern": 0.5,
    "health_attendance": 0.5,
    "licence": 0.2,
}
INDICATOR_FACTOR = 1.5  # the record carries exploitation indicators
GROUP_BASED_FACTOR = 2.0  # the agency itself flagged the record as group-based exploitation
MAX_RECORD_WEIGHT = 2.0

# Link weights between an adult of concern (A) and a child victim (C) or another adult (A), per
# context kind. A link counts for the group rule when its summed weight reaches LINK_THRESHOLD.
LINK_THRESHOLD = 0.5
PAIR_WEIGHT: dict[tuple[str, str], float] = {
    ("record", "AC"): 1.0,
    ("record", "AA"): 0.5,
    ("vehicle", "AA"): 1.0,
    ("phone", "AA"): 1.0,
    ("licence", "AA"): 1.0,
    ("handle", "AA"): 0.8,
    ("email", "AA"): 0.8,
    ("address", "AA"): 0.3,  # housemates and relatives share addresses innocently
    ("vehicle", "AC"): 1.0,
    ("phone", "AC"): 1.0,
    ("handle", "AC"): 1.0,
    ("email", "AC"): 1.0,
    ("licence", "AC"): 1.0,
    ("address", "AC"): 0.4,  # a child living with an adult is not on its own a group link
    # Hotels and takeaways recur across unrelated cases: on its own a shared place is never a link
    # once it touches more than a handful of people (0.5 x hub factor < LINK_THRESHOLD).
    ("place", "AC"): 0.5,
    ("place", "AA"): 0.25,
}
MAX_LINK_WEIGHT = 4.0
PLACE_WINDOW_DAYS = 90  # two people at one place count as linked only this close in time
# A car licensed by a licensing authority to this many drivers or more is a taxi firm's car: it
# links people, like a place, only when they are recorded with it within PLACE_WINDOW_DAYS.
FIRM_CAR_DRIVERS = 2
# Two adults linked to the same child count as acting together only this close in time: two
# offenders years apart are each a risk to the child, not a group.
SHARED_CHILD_WINDOW_DAYS = 365
HUB_FREE_DEGREE = 4  # contexts touching at most this many people are not down-weighted
HUB_CUTOFF_DEGREE = 60  # contexts touching more people than this make no person links at all


# A crime report with no sign of exploitation (no indicator, flag or sexual offence: a fight, a
# theft, damage) names co-offenders in everyday crime: once is not enough to tie them together.
EVERYDAY_CRIME_WEIGHT = 0.6


def record_weight(
    record_type: str, has_indicators: bool, group_based: bool, sexual_offence: bool = False
) -> float:
    """How much a record points to exploitation.

    >>> record_weight("crime_report", True, False)
    1.5
    >>> record_weight("crime_report", False, False), record_weight("crime_report", False, False, True)
    (0.6, 1.0)
    >>> record_weight("licence", False, False)
    0.2
    """
    if record_type == "crime_report" and not (has_indicators or group_based or sexual_offence):
        return EVERYDAY_CRIME_WEIGHT
    weight = RECORD_TYPE_WEIGHT.get(record_type, 0.3)
    if has_indicators:
        weight *= INDICATOR_FACTOR
    if group_based:
        weight *= GROUP_BASED_FACTOR
    return min(weight, MAX_RECORD_WEIGHT)


def hub_factor(degree: int) -> float:
    """Down-weighting of a context that touches many people: 1 up to 4 people, then 2/log2(n).

    >>> hub_factor(3), hub_factor(16), round(hub_factor(64), 2)
    (1.0, 0.5, 0.33)
    """
    if degree <= HUB_FREE_DEGREE:
        return 1.0
    return min(1.0, 2.0 / math.log2(degree))
