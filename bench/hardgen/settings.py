"""What a generated world looks like: one frozen object, so that profiles and splits vary it.

Rates are probabilities per person, per household or per recorded mention, as each field says.
Multipliers (``*_scale``) scale an agency's own recording habits (``agencies.py``) up or down.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob of the generator; a profile is a named ``Settings``."""

    name: str = "custom"
    # Areas (keys of ``places.AREAS``); each has its own council, NHS trust, schools and licensing.
    areas: tuple[str, ...] = ("bradford",)
    households_per_area: int = 2000
    start: date = date(2019, 1, 1)
    end: date = date(2025, 12, 31)

    # Population structure (per household or per birth).
    twin_rate: float = 0.03  # chance that a birth is twins (UK: about 1.5%; raised to test)
    similar_twin_names: float = 0.5  # twins given look-alike names (Jack/Jake, Mia/Maya)
    close_sibling_rate: float = 0.2  # next child born 10 to 14 months after the previous one
    junior_rate: float = 0.04  # a son named exactly after his father (Jr/Sr, same address)
    large_family_rate: float = 0.008  # households with 7 to 11 children
    same_name_neighbour_rate: float = 0.01  # per household: a same-named adult a few doors away
    same_name_elsewhere_rate: float = 0.01  # per person: a same-named person in another place
    same_name_same_dob_share: float = 0.3  # of those, also born on the same day
    mover_rate: float = 0.2  # households that move house during the window
    phone_change_rate: float = 0.3  # people who change mobile number during the window
    surname_change_rate: float = 0.05  # adults (marriage) and children (step-parent) renamed
    in_care_rate: float = 0.02  # children who come into care (a children's home address)

    # How agencies record people (per mention, multiplied by each agency's own habits).
    typo_rate: float = 0.04
    nickname_rate: float = 0.08
    spelling_variant_rate: float = 0.25  # a transliteration or spelling variant, when one exists
    swap_rate: float = 0.02  # given and family names swapped
    middle_name_drop_rate: float = 0.5
    known_by_middle_rate: float = 0.3  # "Mohammed Imran Khan" recorded as "Imran Khan"
    initial_rate: float = 0.03  # given name as an initial only
    dob_error_rate: float = 0.05
    dob_missing_scale: float = 1.0
    identifier_scale: float = 1.0  # how often identifiers are recorded at all
    bad_identifier_rate: float = 0.01  # identifiers that fail their check (deliberately planted)
    stale_rate: float = 0.15  # an old address or phone recorded after a move
    shared_phone_rate: float = 0.35  # a child's record carries a parent's phone
    mother_nhs_rate: float = 0.01  # a mother's NHS number keyed on her child's record
    duplicate_ref_scale: float = 1.0  # a second person_ref for the same person in one agency
    alias_rate: float = 0.3  # adults of concern with aliases recorded by police
    ethnicity_scale: float = 1.0  # how often ethnicity is recorded (never a matching input)
    sparse_agencies: int = 0  # per area: agencies that record only names and roles
    no_dob_agencies: tuple[str, ...] = ()  # agency kinds whose extracts have no DOB column

    # How much happens (per person over the window).
    activity_scale: float = 1.0
    suspect_share: float = 0.5  # of adults in police crime records, the share recorded as suspect
    unnamed_rate: float = 0.15  # group adults recorded without a name ("unknown male")

    # Planted exploitation groups.
    groups: int = 0
    group_adults: tuple[int, int] = (2, 6)
    group_children: tuple[int, int] = (2, 8)
    roaming: bool = False  # groups operate over three areas
    group_based_flag_rate: float = 0.3  # crime records the police flag as group-based
    # Innocent dense structure (0 = none, 1 = a busy inner-city area).
    busy: float = 0.0


def with_changes(settings: Settings, **changes: object) -> Settings:
    """A copy of ``settings`` with some fields changed (for profiles and splits)."""
    return replace(settings, **changes)  # type: ignore[arg-type]
