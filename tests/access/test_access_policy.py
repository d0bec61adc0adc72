"""The policy alone (no database): need to know, not role, opens a person, case or record."""

from __future__ import annotations

from safehub.access import (
    CaseSubject,
    HolderSubject,
    Permission,
    PersonSubject,
    RecordSubject,
    can,
)
from safehub.access.actor import Actor

WORKER = Actor("user:1:sw", user_id=1, agency_id=7, role="social_worker")
INSPECTOR = Actor("user:2:oi", user_id=2, agency_id=7, role="oversight_inspector")


def test_a_role_alone_never_opens_a_person_known_only_to_another_agency() -> None:
    assert not can(WORKER, Permission.VIEW_PERSON, PersonSubject(5, holders=frozenset({8})))
    assert can(
        WORKER,
        Permission.VIEW_PERSON,
        PersonSubject(5, holders=frozenset({8}), on_visible_case=True),
    )


def test_a_person_restricted_elsewhere_does_not_exist_even_on_a_case_or_after_break_glass() -> None:
    hidden = PersonSubject(5, restricted_by=frozenset({8}), on_visible_case=True, break_glass=True)
    assert not can(WORKER, Permission.VIEW_PERSON, hidden)
    assert can(WORKER, Permission.VIEW_PERSON, PersonSubject(5, restricted_by=frozenset({7})))
    assert not can(WORKER, Permission.VIEW_PERSON, HolderSubject(8, restricted=True))


def test_a_case_opens_to_its_members_and_involved_agencies_only() -> None:
    assert can(WORKER, Permission.VIEW_CASE, CaseSubject(3, members=frozenset({1})))
    assert can(WORKER, Permission.VIEW_CASE, CaseSubject(3, agencies=frozenset({7})))
    assert not can(WORKER, Permission.VIEW_CASE, CaseSubject(3, agencies=frozenset({8})))


def test_another_agencys_record_opens_by_agreement_type_disclosure_or_break_glass() -> None:
    sealed = RecordSubject(8, "intelligence", 5, agreed_types=frozenset({"crime_report"}))
    assert not can(WORKER, Permission.VIEW_RECORD, sealed)
    assert can(
        WORKER,
        Permission.VIEW_RECORD,
        RecordSubject(8, "crime_report", 5, agreed_types=frozenset({"crime_report"})),
    )
    assert can(WORKER, Permission.VIEW_RECORD, RecordSubject(8, "intelligence", 5, disclosed=True))
    assert not can(
        WORKER,
        Permission.VIEW_RECORD,
        RecordSubject(8, "crime_report", 5, restricted=True, disclosed=True),
    )


def test_the_oversight_inspector_opens_nothing_identifiable_even_in_their_own_agency() -> None:
    own = PersonSubject(5, holders=frozenset({7}))
    assert not can(INSPECTOR, Permission.VIEW_PERSON, own)
    # Its own portal, not the statistics pages that count from case tables.
    assert can(INSPECTOR, Permission.VIEW_OVERSIGHT) and can(INSPECTOR, Permission.AUDIT_SAMPLE)
    assert not can(INSPECTOR, Permission.VIEW_STATISTICS)
