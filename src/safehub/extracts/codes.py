"""The code lists of agency extract format v1 (`shared/docs/formats.md`), in one place."""

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
# Roles that make an adult "of concern" for network rules (contracts.md: suspect or associate).
CONCERN_ROLES = frozenset({"suspect", "associate"})

INDICATORS = frozenset(
    {
        "missing",
        "older_boyfriend",
        "gifts",
        "unexplained_money",
        "new_phone",
        "collected_by_unknown_adults",
        "taxis_cars",
        "hotels",
        "substance_misuse",
        "school_disengagement",
        "sti",
        "pregnancy",
        "self_harm",
        "in_care",
        "online_contact",
        "peer_exploitation",
        "disclosure_withdrawn",
        "learning_disability",
        "homeless",
        "bereavement",
        "prior_abuse",
    }
)
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

# Protected characteristics (architecture.md: one list, read by the guard tests). Recorded for
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
