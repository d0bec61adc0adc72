"""Row-level security: which tables hold personal data, and stepping into the system context.

PostgreSQL row-level security is the second wall behind the application's own checks (``can``):
every table that holds personal data has RLS enabled and forced, with policies for the role
``safehub_app`` that express the same need-to-know from per-transaction settings:

=====================  ==================================================================
``safehub.actor``      the audit label of whoever is acting
``safehub.user_id``    the signed-in user (empty for a system process)
``safehub.agency_id``  the user's agency
``safehub.role``       the user's role (``oversight_inspector`` sees no identifiable row)
``safehub.system``     ``on`` for a system process acting for the partnership
=====================  ==================================================================

The settings are set with ``set_config(..., true)`` at the start of every transaction by
``Database.app_session`` from the unit of work's ``Actor`` (``db/uow.py``), never per connection.

**Who may set ``safehub.system``.** Only two code paths: a unit of work whose actor is a system
actor (``Actor.is_system``: a ``system:`` label and no user, as the CLI and jobs build it; a
signed-in user's actor is always ``user:<id>:<name>``), and :func:`system_step`, which a service
uses for one step that the partnership takes on a user's behalf (importing an uploaded extract,
alerting the data protection officer of a break-glass). No route, form or API field reaches
either. The setting is a guard against the application's own mistakes (a query that forgot its
filter), not against an attacker who can run arbitrary SQL as ``safehub_app``: such an attacker
could call ``set_config`` too. That is why the app role owns nothing, cannot bypass RLS, and
every statement the application sends is written in this repository.

The helper functions the policies call are ``SECURITY DEFINER``, ``STABLE``, with a pinned
``search_path``, owned by the NOLOGIN role ``safehub_access``, which may only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from safehub.db.database import APP_ROLE
from safehub.db.uow import UnitOfWork

# Tables holding personal data: RLS enabled and forced (tests/guards/test_rls.py checks this).
# A capability that adds a table about people, cases or records adds it here *and* gives it
# policies in its migration.
PERSONAL_DATA_TABLES: set[str] = {
    "person",
    "agency_person",
    "agency_record",
    "agency_record_version",
    "person_mention",
    "person_identifier",
    "referral",
    "safeguarding_case",
    "case_child",
    "case_agency",
    "case_member",
    "case_note",
    "case_decision",
    "alert",
    # A sealed alert's content: its owning agency's, the recipient's once shared (0017).
    "alert_content",
    "form_draft",
    "disclosure_request",
    "break_glass_grant",
    # Timeliness: clocks, meetings and their actions, notifications (they name children's work).
    "clock",
    "meeting",
    "meeting_action",
    "notification",
    # Identity resolution: candidates, blocking keys, pairs, link events, the model, intake checks.
    "identity_candidate",
    "identity_block_key",
    "match_pair",
    "person_link_event",
    "linkage_model",
    "intake_check_log",
    # Stored network analysis: groups, members, key people, communities,
    # child-centred views (0009_networks).
    "network_group",
    "network_group_member",
    "network_key_person",
    "network_community",
    "network_child",
    # The pending review pairs a network run counted as "possibly the same person" (0026).
    "network_possible_link",
    # Who is invited to a meeting about a child, whom to contact about an agency's records, and
    # staff training (0014).
    "meeting_invitee",
    "sharing_contact",
    "training_record",
    # Community reports from the public app, their messages and unfinished drafts (0019).
    "community_report",
    "community_report_message",
    "community_report_draft",
    # Salted hashes of reporters' addresses for rate limits, kept 24 hours (0019).
    "community_rate_count",
    "community_rate_salt",
    # Pseudonymous units of oversight's disparity monitoring: grouped ethnicity, sex, age band
    # and in-care status per counted event; only the system reads them (0021).
    "oversight_unit",
    # Retention by review: which record reached its review date and what a person decided, and
    # what an erasure removed (record ids and references, counts; read by the DPO only) (0024).
    # Their classes (``retention_class``) have forced RLS too, with no person in them.
    "retention_review",
    "retention_tombstone",
}

# Tables the oversight role reads, which hold no identifiable data: each has forced row-level
# security (migration 0022) and the reason it may be shown to the oversight body.
OVERSIGHT_PORTAL_TABLES: dict[str, str] = {
    "oversight_sample": "a draw's seed, size and period, and the inspector who drew it",
    "oversight_sample_file": (
        "a pseudonymised, redacted snapshot made by the system at draw time: no case, person or "
        "record id, names and identifiers replaced (safehub.oversight.redaction)"
    ),
    "oversight_finding": "an inspector's checklist answers about a pseudonymised file",
    "oversight_query_log": "the register of the oversight body's queries, which it publishes",
}

# Tables that hold no personal data about the people the partnership protects, each with the
# reason it needs no row-level security. Every other table must have RLS enabled and forced with
# at least one policy for the application role (tests/guards check this from the catalogue).
NON_PERSONAL_TABLES: dict[str, str] = {
    "alembic_version": "the schema's revision; the application role has no privilege on it",
    "agency": "the registry of agencies: names and codes every page shows",
    "team": "teams of an agency: names only",
    "app_user": (
        "staff accounts, read before anyone is signed in (sign-in); the application role may not "
        "change a user's agency or role (column privileges, safehub_reassign_user)"
    ),
    "web_session": "staff sessions: hashed tokens, looked up before the user is known",
    "audit_event": "the append-only audit log of ids and purposes, read by the DPO and verify",
    "sharing_agreement": "agreements between agencies: no person in them",
    # Sign-in hardening: staff credentials, challenges and throttles, read before sign-in.
    "mfa_totp": "a staff member's sealed authenticator secret, checked before sign-in completes",
    "mfa_passkey": "a staff member's passkey public keys, checked before sign-in completes",
    "mfa_recovery_code": "hashed recovery codes, checked before sign-in completes",
    "pending_sign_in": "half-finished sign-ins (password checked, second factor due)",
    "sign_in_throttle": "failed sign-in counters, read before anyone is signed in",
    "webauthn_challenge": "one-time passkey challenges",
    # Configuration and jobs.
    "job_run": "what ran when, with counts: operational, no person",
    "network_run": "counts and watermarks of network analysis runs: no person",
    "language_rule": "the language checker's rules",
    "local_clock_rule": "local statutory clock rules",
    "escalation_step": "who a late clock escalates to, by role",
}

# A table with a foreign key to one of these holds personal data, whatever it is called.
PERSONAL_ANCHORS = frozenset(
    {"person", "agency_person", "agency_record", "person_mention", "safeguarding_case", "referral"}
)


@contextmanager
def system_step(uow: UnitOfWork) -> Iterator[None]:
    """Run one step as the partnership (``safehub.system = on``), then restore the actor's context.

    For a step a user triggers but the system takes: importing an uploaded extract (which writes
    other agencies' records), or alerting the data protection officer. The step audits itself.

    >>> with system_step(uow):                                   # doctest: +SKIP
    ...     raise_alerts(uow, alerts=[dpo_alert], purpose="break-glass")
    """
    session = uow.session
    session.execute(text("SELECT set_config('safehub.system', 'on', true)"))
    try:
        yield
    finally:
        restored = "on" if uow.actor.is_system else ""
        session.execute(text("SELECT set_config('safehub.system', :v, true)"), {"v": restored})


@contextmanager
def partnership_step(uow: UnitOfWork) -> Iterator[None]:
    """Run one step as the partnership *in the application role*, then step back into the
    actor's own role and context.

    For the one step the oversight body asks for and the system takes: drawing an audit sample,
    which reads case files (the oversight role cannot) to make pseudonymised, redacted
    snapshots. Only what the step returns (the snapshots) reaches the oversight role's tables.
    The step audits itself, naming the cases it read.
    """
    db = uow.db
    assert db is not None, "a unit of work built by unit_of_work knows its database"
    db.enter_role(uow.session, APP_ROLE)
    try:
        with system_step(uow):
            yield
    finally:
        db.enter_role(uow.session, db.role_for(uow.actor.role))
