"""The access policy: one function, ``can``, decides every access.

``can(actor, permission)`` is the role check every route declares (and the navigation uses).
``can(actor, permission, subject)`` adds need to know about one thing: a person, a case, another
agency's record, an alert, a disclosure request. A role alone never opens a case or a person:
a case is open to its team and the agencies involved; a person to the agencies that hold records
about them and to the teams of their cases; another agency's record content to a partner only
under an information-sharing agreement covering its type, a granted disclosure, or a user's
break-glass. A restricted person (refuge, protected address, witness protection) does not exist
outside the agency that restricted them. PostgreSQL row-level security enforces the same rules
(``0004_need_to_know``) as a second wall.

>>> from safehub.access import Actor
>>> worker = Actor("user:1:sw", user_id=1, agency_id=7, role="social_worker")
>>> can(worker, Permission.VIEW_PERSON)
True
>>> can(worker, Permission.VIEW_PERSON, PersonSubject(5, holders=frozenset({8})))
False
>>> can(worker, Permission.VIEW_PERSON, PersonSubject(5, holders=frozenset({7, 8})))
True
"""

from __future__ import annotations

from enum import StrEnum

from safehub.access.actor import Actor
from safehub.access.checks import app_checks_enabled
from safehub.access.subjects import (
    AlertSubject,
    CaseSubject,
    DisclosureSubject,
    HolderSubject,
    PersonSubject,
    RecordSubject,
)


class Permission(StrEnum):
    VIEW_HOME = "view_home"
    SEARCH_PEOPLE = "search_people"
    VIEW_PERSON = "view_person"
    VIEW_CASE = "view_case"
    # Another agency's record content (sealed unless an agreement, disclosure or break-glass).
    VIEW_RECORD = "view_record"
    MAKE_REFERRAL = "make_referral"
    IMPORT_EXTRACTS = "import_extracts"
    VIEW_STATISTICS = "view_statistics"
    # The oversight portal's aggregates (dashboard, league table, areas, disparities, register).
    VIEW_OVERSIGHT = "view_oversight"
    # Drawing an audit sample of pseudonymised case files and recording findings: the
    # independent oversight body only.
    AUDIT_SAMPLE = "audit_sample"
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
    # Community reports from the public app: the queue, a report, questions to the reporter.
    TRIAGE_COMMUNITY_REPORTS = "triage_community_reports"
    # Retention by review: records reaching their review date, kept, anonymised or erased.
    MANAGE_RETENTION = "manage_retention"


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

_P = Permission
# Exports (CSV/PDF) are disclosures: the case-work roles make them for an allowlisted purpose.
_CASEWORK = frozenset(
    {
        _P.VIEW_HOME,
        _P.SEARCH_PEOPLE,
        _P.VIEW_PERSON,
        _P.VIEW_CASE,
        _P.VIEW_RECORD,
        _P.MAKE_REFERRAL,
        _P.INTAKE_CHECK,
        _P.VIEW_ALERTS,
        _P.ACT_ON_ALERTS,
        _P.VIEW_INBOX,
        _P.REQUEST_DISCLOSURE,
        _P.BREAK_GLASS,
        _P.EXPORT_RECORDS,
    }
)
_PRACTICE = frozenset(
    {_P.WRITE_NOTE, _P.RECORD_INDICATORS, _P.MANAGE_SUPPORT, _P.MANAGE_MEETINGS, _P.MANAGE_ACTIONS}
)
_MANAGING = frozenset(
    {
        _P.TRIAGE_COMMUNITY_REPORTS,
        _P.VIEW_STATISTICS,
        _P.VIEW_OVERSIGHT,
        _P.VIEW_WORKFORCE,
        _P.DECIDE_DISCLOSURE,
        _P.RECORD_TRAINING,
        _P.VIEW_NETWORK,
    }
)
_GRANTS: dict[str, frozenset[Permission]] = {
    "police_investigator": _CASEWORK | _PRACTICE | {_P.VIEW_NETWORK},
    "police_analyst": _CASEWORK
    | {_P.IMPORT_EXTRACTS, _P.REVIEW_MATCHES, _P.VIEW_NETWORK, _P.EXPORT_NETWORK},
    "social_worker": _CASEWORK | _PRACTICE,
    "mash_triage": _CASEWORK
    | _PRACTICE
    | {_P.IMPORT_EXTRACTS, _P.REVIEW_MATCHES, _P.DECIDE_DISCLOSURE, _P.TRIAGE_COMMUNITY_REPORTS},
    "health_practitioner": _CASEWORK | _PRACTICE,
    # Schools and licensing refer and see whether a child is already known, and to whom.
    "school_dsl": frozenset({_P.VIEW_HOME, _P.MAKE_REFERRAL, _P.INTAKE_CHECK}),
    "licensing_officer": frozenset({_P.VIEW_HOME, _P.MAKE_REFERRAL, _P.INTAKE_CHECK}),
    # Safeguarding leads extend the language rules: they know the words used locally.
    "team_manager": _CASEWORK | _PRACTICE | _MANAGING | {_P.MANAGE_LANGUAGE_RULES},
    "head_of_service": _CASEWORK
    | _PRACTICE
    | _MANAGING
    | {_P.MANAGE_AGREEMENTS, _P.MANAGE_CLOCK_RULES, _P.MANAGE_LANGUAGE_RULES},
    # Oversight sees aggregates only, never an identifiable record: its own portal, not the
    # statistics pages that count from case tables (its database role cannot read them).
    "oversight_inspector": frozenset({_P.VIEW_HOME, _P.VIEW_OVERSIGHT, _P.AUDIT_SAMPLE}),
    # The data protection officer: the audit log, break-glass alerts, disclosures, agreements.
    "data_protection_officer": frozenset(
        {
            _P.VIEW_HOME,
            _P.VIEW_STATISTICS,
            _P.VIEW_OVERSIGHT,
            _P.VIEW_AUDIT,
            _P.VIEW_ALERTS,
            _P.ACT_ON_ALERTS,
            _P.DECIDE_DISCLOSURE,
            _P.MANAGE_AGREEMENTS,
            _P.MANAGE_RETENTION,
        }
    ),
    "administrator": frozenset(
        {
            _P.VIEW_HOME,
            _P.IMPORT_EXTRACTS,
            _P.VIEW_STATISTICS,
            _P.VIEW_OVERSIGHT,
            _P.MANAGE_USERS,
            _P.MANAGE_LANGUAGE_RULES,
            _P.MANAGE_CLOCK_RULES,
            _P.RECORD_TRAINING,
        }
    ),
}

# Roles that may see identifiable rows at all (their own agency's at least): every role but the
# oversight inspector. The migration's row-level security keeps the same list (a test checks).
AGGREGATES_ONLY_ROLES = frozenset({"oversight_inspector"})
IDENTIFIABLE_ROLES = frozenset(r for r in ROLES if r not in AGGREGATES_ONLY_ROLES)
DPO = "data_protection_officer"
Subject = (
    PersonSubject | CaseSubject | RecordSubject | AlertSubject | DisclosureSubject | HolderSubject
)


def roles_with(permission: Permission) -> frozenset[str]:
    """The roles granted a permission (whom a task can be given to, for example)."""
    return frozenset(role for role, granted in _GRANTS.items() if permission in granted)


def can(actor: Actor, permission: Permission, subject: Subject | None = None) -> bool:
    """True when the role grants the permission and, given a subject, the actor needs to know.

    Unknown roles get nothing. A system actor (``system:…``, no user) may do anything. With the
    application's checks switched off (tests only) every answer is yes, and row-level security
    alone decides.
    """
    if not app_checks_enabled() or actor.is_system:
        # A system process (CLI, jobs) acts for the whole partnership; it never serves a page.
        return True
    if actor.role is None or permission not in _GRANTS.get(actor.role, frozenset()):
        return False
    return subject is None or _needs_to_know(actor, subject)


def _needs_to_know(actor: Actor, subject: Subject) -> bool:
    if actor.role not in IDENTIFIABLE_ROLES or actor.agency_id is None:
        return False
    match subject:
        case PersonSubject():
            return _person(actor, subject)
        case CaseSubject():
            return _case(actor, subject)
        case RecordSubject():
            return _record(actor, subject)
        case AlertSubject():
            return _alert(actor, subject)
        case DisclosureSubject():
            return actor.agency_id in (subject.owning_agency_id, subject.requesting_agency_id)
        case HolderSubject():
            # A restriction hides even the existence of the record outside its agency.
            return subject.agency_id == actor.agency_id or not subject.restricted
    return False


def aggregates_only(actor: Actor) -> bool:
    """A signed-in user who sees aggregates only (the oversight body): no page of theirs opens
    a case, a person or a record, and their database role cannot read one."""
    return actor.role in AGGREGATES_ONLY_ROLES


def person_known(actor: Actor, subject: PersonSubject) -> bool:
    """Whether the person exists at all for the actor: held unrestricted by some agency, or by
    the actor's own agency (restricted or not)."""
    return bool(subject.holders) or actor.agency_id in subject.restricted_by


def _person(actor: Actor, subject: PersonSubject) -> bool:
    own = actor.agency_id in subject.holders | subject.restricted_by
    return person_known(actor, subject) and (own or subject.on_visible_case or subject.break_glass)


def _case(actor: Actor, subject: CaseSubject) -> bool:
    return (
        actor.user_id in subject.members
        or actor.agency_id in subject.agencies
        or (actor.user_id is not None and actor.user_id == subject.lead_user_id)
        or subject.break_glass
    )


def _record(actor: Actor, subject: RecordSubject) -> bool:
    if subject.owning_agency_id == actor.agency_id:
        return True
    if subject.restricted:
        return False
    return subject.record_type in subject.agreed_types or subject.disclosed or subject.break_glass


def _alert(actor: Actor, subject: AlertSubject) -> bool:
    if subject.target_agency_id != actor.agency_id or not subject.person_known:
        return False
    return subject.kind != "break_glass" or actor.role == DPO
