"""The code lists of agency extract format v1 (`docs/extract-format.md`), in one place, and the
words the pages show for them.

>>> label("nfa"), label("cin plan"), label("parent_carer")
('No further action', 'Child in need plan', 'Parent or carer')
"""

from __future__ import annotations

AGENCY_TYPES = frozenset(
    {
        "police",
        "social_care",
        "health",
        "education",
        "licensing",
        "housing",
        "voluntary",
        "community",
    }
)
RECORD_TYPES = frozenset(
    {
        "crime_report",
        "intelligence",
        "referral",
        "assessment",
        "missing_episode",
        "health_attendance",
        "school_concern",
        "licence",
        "community_report",
    }
)
PERSON_ROLES = frozenset(
    {
        "victim",
        "suspect",
        "subject",
        "witness",
        "reporter",
        "parent_carer",
        "licence_holder",
        "associate",
    }
)
# Roles that make an adult "of concern" for network rules (``docs/contracts.md``: suspect or associate).
CONCERN_ROLES = frozenset({"suspect", "associate"})

# Exploitation indicator codes, each with what it means (the words the pages show), in the
# format's order (docs/extract-format.md), which is also the order of the codes within a cell.
INDICATOR_NAMES: dict[str, str] = {
    "missing": "Going missing",
    "older_boyfriend": "An older 'boyfriend' or adult in a relationship with the child",
    "gifts": "Gifts from unknown sources",
    "unexplained_money": "Money that cannot be explained",
    "new_phone": "A new phone or more than one phone",
    "collected_by_unknown_adults": "Collected by unknown adults",
    "taxis_cars": "Cars and taxis (seen getting into cars, taxis paid for by others)",
    "hotels": "Hotels, parties or unknown addresses",
    "substance_misuse": "Substance misuse",
    "school_disengagement": "Disengaging from school",
    "sti": "Sexually transmitted infection",
    "pregnancy": "Pregnancy or termination",
    "self_harm": "Self-harm",
    "in_care": "In care (looked after)",
    "online_contact": "Contact with adults online",
    "peer_exploitation": "Peers known to be exploited",
    "disclosure_withdrawn": "A disclosure made and then withdrawn",
    "learning_disability": "Learning disability",
    "homeless": "Homeless or unstable accommodation",
    "bereavement": "Bereavement or loss",
    "prior_abuse": "Earlier abuse or neglect",
}
INDICATOR_CODES = tuple(INDICATOR_NAMES)
INDICATORS = frozenset(INDICATOR_CODES)
OUTCOMES = frozenset(
    {
        "ongoing",
        "charged",
        "summonsed",
        "cautioned",
        "nfa",
        "convicted",
        "acquitted",
        "cin_plan",
        "cp_plan",
        "looked_after",
        "early_help",
        "closed",
        "refused",
    }
)
OUTCOME_ALIASES = {"no_further_action": "nfa"}
PERSON_OUTCOMES = frozenset(
    {"arrested", "charged", "cautioned", "fined", "summonsed", "released", "nfa", "convicted"}
)
# Outcomes that treat a person as an offender: for a child victim they raise the
# "victim treated as offender" alert (mission: victims were arrested while being abused).
OFFENDER_OUTCOMES = frozenset(
    {"arrested", "charged", "cautioned", "fined", "summonsed", "convicted"}
)
SEXES = frozenset({"F", "M", "X", "U"})

# Police self-defined ethnicity, the "18+1" codes; NS is "not stated", which is kept apart
# from an empty cell ("not recorded") in every statistic.
ETHNICITY_SELF_DEFINED = frozenset(
    {
        "W1",
        "W2",
        "W3",
        "W9",
        "M1",
        "M2",
        "M3",
        "M9",
        "A1",
        "A2",
        "A3",
        "A4",
        "A9",
        "B1",
        "B2",
        "B9",
        "O2",
        "O9",
        "NS",
    }
)
ETHNICITY_OBSERVED = frozenset({"IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "IC9"})

# Protected characteristics (one list, read by the guard tests). Recorded for
# oversight and disparity monitoring only; never inputs to matching, ranking, risk or alerts.
PROTECTED_COLUMNS = frozenset(
    {
        "ethnicity_self_defined",
        "ethnicity_observed",
        "nationality",
        "religion",
        "sexual_orientation",
        "gender_identity",
        "immigration_status",
        "first_language",
        "interpreter_needed",
    }
)

REQUIRED_COLUMNS = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
)
RECORD_LEVEL_COLUMNS = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "location_name",
    "location_postcode",
    "outcome",
    "narrative",
    "area_code",
    "offence_code",
    "group_based",
    "intel_grading",
)
OPTIONAL_COLUMNS = (
    "given_names",
    "family_name",
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
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# The largest cell the reader accepts, in bytes of UTF-8: a narrative of several megabytes is
# normal, a cell of hundreds is a broken file (an unclosed quote swallowing the rest).
CELL_LIMIT_BYTES = 16 * 1024 * 1024

# Columns whose stored form has a fixed width (a code kept as given with a warning must still fit).
MAX_CHARACTERS: dict[str, int] = {
    "agency_code": 40,
    "location_postcode": 10,
    "outcome": 30,
    "area_code": 12,
    "intel_grading": 8,
    "sex": 2,
    "ethnicity_self_defined": 4,
    "ethnicity_observed": 4,
    "nationality": 4,
    "person_outcome": 20,
}

# The words the pages show for the codes above and for the statuses Safehub gives things, one
# vocabulary for every page (a code missing here is shown with its underscores as spaces).
LABELS: dict[str, str] = {
    # Agency types.
    "police": "Police",
    "social_care": "Children's social care",
    "health": "Health",
    "education": "Education",
    "licensing": "Licensing",
    "housing": "Housing",
    "voluntary": "Voluntary sector",
    "community": "Community",
    # Record types.
    "crime_report": "Crime report",
    "intelligence": "Intelligence",
    "referral": "Referral",
    "assessment": "Assessment",
    "missing_episode": "Missing episode",
    "health_attendance": "Health attendance",
    "school_concern": "School concern",
    "licence": "Licence",
    "community_report": "Community report",
    "case_note": "Case note",
    "decision": "Decision",
    # A person's role in a record.
    "victim": "Victim",
    "suspect": "Suspect",
    "subject": "Subject of the record",
    "witness": "Witness",
    "reporter": "Reporter",
    "parent_carer": "Parent or carer",
    "licence_holder": "Licence holder",
    "associate": "Associate",
    # Outcomes of a record and of a person in it.
    "ongoing": "Ongoing",
    "charged": "Charged",
    "summonsed": "Summonsed",
    "cautioned": "Cautioned",
    "nfa": "No further action",
    "no_further_action": "No further action",
    "convicted": "Convicted",
    "acquitted": "Acquitted",
    "cin_plan": "Child in need plan",
    "cp_plan": "Child protection plan",
    "looked_after": "Looked after by the council",
    "early_help": "Early help",
    "closed": "Closed",
    "refused": "Refused",
    "arrested": "Arrested",
    "fined": "Fined",
    "released": "Released",
    # Statuses of cases, alerts and referrals.
    "open": "Open",
    "new": "New",
    "confirmed": "Confirmed",
    "dismissed": "Dismissed",
    "received": "Received",
    "accepted": "Accepted",
    "in_progress": "In progress",
    "awaiting_decision": "Awaiting a decision",
}


def label(code: str | None) -> str:
    """The words for a code, as a sentence starts them: ``label("cin_plan")`` is "Child in need
    plan"; ``label("cin plan")`` too (codes are sometimes stored with spaces)."""
    if not code:
        return ""
    key = code.strip().lower().replace(" ", "_")
    if key in LABELS:
        return LABELS[key]
    words = code.strip().replace("_", " ")
    return words[:1].upper() + words[1:]
