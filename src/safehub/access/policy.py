"""The access policy. Every route declares the permission it needs; this module decides.

The foundation grants by role. Need-to-know per case and agency, sealed-envelope sharing and
row-level security tighten this in the access-control work; the single entry point stays ``can``.
"""

from __future__ import annotations

from enum import StrEnum

from safehub.db.uow import Actor


class Permission(StrEnum):
    VIEW_HOME = "view_home"
    SEARCH_PEOPLE = "search_people"
    VIEW_PERSON = "view_person"
    VIEW_CASE = "view_case"
    MAKE_REFERRAL = "make_referral"
    IMPORT_EXTRACTS = "import_extracts"
    VIEW_STATISTICS = "view_statistics"
    # Alerts (network, victim treated as offender, licensing): seeing and acting on them.
    VIEW_ALERTS = "view_alerts"
    ACT_ON_ALERTS = "act_on_alerts"
    # Identity resolution: the intake check, the review queue, merges and splits.
    INTAKE_CHECK = "intake_check"
    REVIEW_MATCHES = "review_matches"
    # Network intelligence: link charts and their export (a disclosure).
    VIEW_NETWORK = "view_network"
    EXPORT_NETWORK = "export_network"
    # Timeliness and coordination.
    VIEW_INBOX = "view_inbox"
    MANAGE_MEETINGS = "manage_meetings"
    MANAGE_ACTIONS = "manage_actions"
    VIEW_WORKFORCE = "view_workforce"
    MANAGE_CLOCK_RULES = "manage_clock_rules"
    RECORD_TRAINING = "record_training"
    # Victim-centred practice.
    WRITE_NOTE = "write_note"
    RECORD_INDICATORS = "record_indicators"
    MANAGE_SUPPORT = "manage_support"
    MANAGE_LANGUAGE_RULES = "manage_language_rules"
    # Information governance and audit.
    VIEW_AUDIT = "view_audit"
    BREAK_GLASS = "break_glass"
    REQUEST_DISCLOSURE = "request_disclosure"
    DECIDE_DISCLOSURE = "decide_disclosure"
    MANAGE_AGREEMENTS = "manage_agreements"
    MANAGE_USERS = "manage_users"
    EXPORT_RECORDS = "export_records"


ROLES: dict[str, str] = {
    "police_investigator": "Police investigator",
    "police_analyst": "Police analyst",
    "social_worker": "Social worker",
    "mash_triage": "MASH triage officer",
    "health_practitioner": "Health safeguarding practitioner",
    "school_dsl": "School designated safeguarding lead",
    "licensing_officer": "Licensing officer",
    "team_manager": "Team manager",
    "head_of_service": "Head of service",
    "oversight_inspector": "Independent oversight inspector",
    "data_protection_officer": "Data protection officer",
    "administrator": "Administrator",
}

_CASEWORK = frozenset(
    {
        Permission.VIEW_HOME,
        Permission.SEARCH_PEOPLE,
        Permission.VIEW_PERSON,
        Permission.VIEW_CASE,
        Permission.MAKE_REFERRAL,
    }
)
_GRANTS: dict[str, frozenset[Permission]] = {
    "police_investigator": _CASEWORK,
    "police_analyst": _CASEWORK | {Permission.IMPORT_EXTRACTS},
    "social_worker": _CASEWORK,
    "mash_triage": _CASEWORK | {Permission.IMPORT_EXTRACTS},
    "health_practitioner": _CASEWORK,
    "school_dsl": frozenset({Permission.VIEW_HOME, Permission.MAKE_REFERRAL}),
    "licensing_officer": frozenset({Permission.VIEW_HOME, Permission.MAKE_REFERRAL}),
    "team_manager": _CASEWORK | {Permission.VIEW_STATISTICS},
    "head_of_service": _CASEWORK | {Permission.VIEW_STATISTICS},
    # Oversight sees aggregates only, never an identifiable record.
    "oversight_inspector": frozenset({Permission.VIEW_HOME, Permission.VIEW_STATISTICS}),
    "data_protection_officer": frozenset({Permission.VIEW_HOME, Permission.VIEW_STATISTICS}),
    "administrator": frozenset(
        {Permission.VIEW_HOME, Permission.IMPORT_EXTRACTS, Permission.VIEW_STATISTICS}
    ),
}


def can(actor: Actor, permission: Permission) -> bool:
    """True when the actor's role grants the permission. Unknown roles get nothing."""
    return actor.role is not None and permission in _GRANTS.get(actor.role, frozenset())
