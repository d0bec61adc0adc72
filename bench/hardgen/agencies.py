"""How each kind of agency records people: which columns its extract has, how often it fills
each one, how it writes names, and how often it opens a second record for someone it knows.

Drawn from how the systems behave: police nominal records carry aliases, estimated dates of birth
and duplicate nominals; NHS trusts key on the NHS number and legal names; schools know children by
their known-as name with a date of birth and address, and parents by a phone; licensing holds
everything about a driver; a voluntary project often keeps a first name and a role.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

_RECORD = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
)
_NAMES = ("given_names", "family_name")


@dataclass(frozen=True, slots=True)
class Habits:
    """One agency kind's recording habits; probabilities per mention unless said otherwise."""

    kind: str
    agency_type: str
    columns: tuple[str, ...]
    ref_prefix: str
    dob_child: float = 0.95
    dob_adult: float = 0.6
    sex: float = 0.8
    nhs_child: float = 0.0
    nhs_adult: float = 0.0
    address: float = 0.8
    phone: float = 0.5
    email: float = 0.2
    vehicle: float = 0.0
    handle: float = 0.0
    middle: float = 0.5  # records middle names
    informal: float = 0.2  # records the name a person is known by
    upper: float = 0.0  # names in capitals
    fold: float = 0.7  # diacritics dropped
    duplicate: float = 0.01  # a mention opens a second person_ref for someone already known
    typo: float = 1.0
    ethnicity: float = 0.0
    observed: float = 0.0
    nationality: float = 0.0


_POLICE_COLUMNS = (
    *_RECORD,
    *_NAMES,
    "aliases",
    "date_of_birth",
    "sex",
    "nhs_number",
    "address",
    "postcode",
    "phone",
    "email",
    "vehicle_registration",
    "licence_number",
    "online_handle",
    "ethnicity_self_defined",
    "ethnicity_observed",
    "nationality",
    "location_name",
    "location_postcode",
    "indicators",
    "outcome",
    "narrative",
    "area_code",
    "offence_code",
    "group_based",
    "intel_grading",
    "restricted",
    "person_outcome",
)
_CARE_COLUMNS = (
    *_RECORD,
    *_NAMES,
    "aliases",
    "date_of_birth",
    "sex",
    "nhs_number",
    "address",
    "postcode",
    "phone",
    "email",
    "ethnicity_self_defined",
    "location_name",
    "location_postcode",
    "indicators",
    "outcome",
    "narrative",
    "area_code",
    "restricted",
)
_HEALTH_COLUMNS = (
    *_RECORD,
    *_NAMES,
    "date_of_birth",
    "sex",
    "nhs_number",
    "address",
    "postcode",
    "phone",
    "email",
    "ethnicity_self_defined",
    "indicators",
    "area_code",
    "restricted",
)
_SCHOOL_COLUMNS = (
    *_RECORD,
    *_NAMES,
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "phone",
    "email",
    "vehicle_registration",
    "indicators",
    "narrative",
    "area_code",
)
_LICENSING_COLUMNS = (
    *_RECORD,
    *_NAMES,
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "phone",
    "email",
    "vehicle_registration",
    "licence_number",
    "location_name",
    "location_postcode",
    "outcome",
    "area_code",
)

HABITS: dict[str, Habits] = {
    h.kind: h
    for h in (
        Habits(
            "police",
            "police",
            _POLICE_COLUMNS,
            "N",
            dob_child=0.85,
            dob_adult=0.8,
            nhs_child=0.03,
            nhs_adult=0.02,
            address=0.75,
            phone=0.45,
            email=0.1,
            vehicle=0.3,
            handle=0.15,
            middle=0.6,
            informal=0.35,
            upper=0.5,
            duplicate=0.04,
            ethnicity=0.45,
            observed=0.35,
            nationality=0.3,
        ),
        Habits(
            "social_care",
            "social_care",
            _CARE_COLUMNS,
            "LCS",
            dob_child=0.92,
            dob_adult=0.45,
            nhs_child=0.5,
            nhs_adult=0.15,
            address=0.85,
            phone=0.6,
            email=0.25,
            middle=0.4,
            informal=0.3,
            duplicate=0.02,
            ethnicity=0.3,
        ),
        Habits(
            "health",
            "health",
            _HEALTH_COLUMNS,
            "RX",
            dob_child=0.99,
            dob_adult=0.97,
            sex=0.98,
            nhs_child=0.97,
            nhs_adult=0.95,
            address=0.95,
            phone=0.8,
            email=0.3,
            middle=0.9,
            informal=0.05,
            fold=0.3,
            duplicate=0.01,
            typo=0.5,
            ethnicity=0.5,
        ),
        Habits(
            "education",
            "education",
            _SCHOOL_COLUMNS,
            "A",
            dob_child=0.98,
            dob_adult=0.03,
            address=0.9,
            phone=0.85,
            email=0.5,
            vehicle=0.02,
            middle=0.3,
            informal=0.5,
            duplicate=0.01,
        ),
        Habits(
            "licensing",
            "licensing",
            _LICENSING_COLUMNS,
            "DRV",
            dob_child=1.0,
            dob_adult=0.99,
            address=0.98,
            phone=0.95,
            email=0.8,
            vehicle=0.95,
            middle=0.95,
            informal=0.02,
            fold=0.5,
            duplicate=0.005,
            typo=0.4,
        ),
        Habits(
            "community",
            "community",
            (
                *_RECORD,
                *_NAMES,
                "sex",
                "phone",
                "vehicle_registration",
                "location_name",
                "location_postcode",
                "narrative",
                "area_code",
            ),
            "CR",
            dob_child=0.0,
            dob_adult=0.0,
            sex=0.5,
            address=0.0,
            phone=0.3,
            email=0.0,
            middle=0.0,
            informal=0.9,
            duplicate=0.0,
        ),
        Habits(
            "voluntary",
            "voluntary",
            (*_RECORD, *_NAMES, "indicators", "area_code"),
            "V",
            dob_child=0.0,
            dob_adult=0.0,
            sex=0.0,
            address=0.0,
            phone=0.0,
            email=0.0,
            middle=0.05,
            informal=0.7,
            fold=0.9,
            duplicate=0.05,
            typo=2.0,
        ),
    )
}


def habits_for(kind: str, no_dob: tuple[str, ...]) -> Habits:
    """The habits of ``kind``; an agency kind listed in ``no_dob`` has no date-of-birth column."""
    habits = HABITS[kind]
    if kind not in no_dob:
        return habits
    columns = tuple(c for c in habits.columns if c != "date_of_birth")
    return replace(habits, columns=columns, dob_child=0.0, dob_adult=0.0)


def kind_of(agency: str) -> str:
    """The habits key of an agency code: ``POL-WY`` → police, ``LA-BRADFORD`` → social_care."""
    prefix = agency.split("-", 1)[0]
    return {
        "POL": "police",
        "LA": "social_care",
        "NHS": "health",
        "EDU": "education",
        "LIC": "licensing",
        "VOL": "voluntary",
        "COM": "community",
    }[prefix]
