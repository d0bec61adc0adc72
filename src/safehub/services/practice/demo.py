"""Demo data for victim-centred practice: case notes (some with language the checker flags,
saved after review, one amended), indicators, the child's words, support and who has heard
the account, for the first few planted victims' cases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from safehub.access.actor import Actor
from safehub.db.models import User
from safehub.db.queries.practice.children import list_cases_with_social_worker
from safehub.db.uow import UnitOfWork
from safehub.services.accounts import actor_for
from safehub.services.practice.indicators import IndicatorChecklist, record_indicators
from safehub.services.practice.notes import NoteRequest, write_note
from safehub.services.practice.support import (
    SupportPlanDraft,
    SupportReferralDraft,
    refer_to_support,
    write_support_plan,
)
from safehub.services.practice.voice import (
    AccountHeardDraft,
    VoiceDraft,
    record_account_heard,
    record_voice,
)

NOTES = (
    "Home visit. She keeps putting herself at risk by going to the takeaway on Manor Row and "
    "says she is in a relationship with a 24-year-old man.",
    "She absconded from her placement on Saturday night and was found at 2am in a car with two "
    "adult men.",
    "Adults have been collecting her from school in cars. She was found at a hotel with an adult "
    "male aged 31. A strategy discussion has been requested.",
)
AMENDED = (
    "Home visit. She is at risk from adult men who are exploiting her at the takeaway on Manor "
    "Row; a 24-year-old man has groomed her."
)


def seed_practice(uow: UnitOfWork, *, cases: int = 6, today: date | None = None) -> int:
    """Practice records for up to ``cases`` open cases with a social worker on the team. Runs in
    the demo's system unit of work, acting as each case's social worker in turn (the records
    are theirs). Returns cases seeded."""
    today = today or date.today()
    rows = list_cases_with_social_worker(uow.session, cases)
    for case_id, person_id, user_id in rows:
        user = uow.session.get(User, user_id)
        assert user is not None
        with _acting_as(uow, actor_for(user)):
            _seed_case(uow, case_id, person_id, today)
    return len(rows)


@contextmanager
def _acting_as(uow: UnitOfWork, actor: Actor) -> Iterator[None]:
    """Act as ``actor`` for a step, then as whoever acted before."""
    before = uow.actor
    uow.act_as(actor)
    try:
        yield
    finally:
        uow.act_as(before)


# The demo keeps a few flagged notes on purpose, so that the language measures have something
# to show; like any flagged note, each is saved with its reason.
DEMO_REASON = "Demo: kept as written to show the language check"


def _anyway(body: str) -> NoteRequest:
    return NoteRequest(body, save_anyway=True, reason=DEMO_REASON)


def _seed_case(uow: UnitOfWork, case_id: int, person_id: int, today: date) -> None:
    first = write_note(uow, case_id=case_id, note=_anyway(NOTES[0]))
    amended = NoteRequest(AMENDED, first.note_id, save_anyway=True, reason=DEMO_REASON)
    write_note(uow, case_id=case_id, note=amended)
    for body in NOTES[1:]:
        write_note(uow, case_id=case_id, note=_anyway(body))
    checklist = IndicatorChecklist(
        indicators=frozenset({"older_boyfriend", "gifts", "taxis_cars"}),
        details="Seen getting into cars outside school; new phone and clothes.",
    )
    record_indicators(uow, person_id=person_id, checklist=checklist)
    _seed_voice(uow, person_id, today)
    plan = SupportPlanDraft(
        "Weekly visits; a child independent sexual violence adviser; sexual "
        "health appointment; school mentor.",
        review_on=today + timedelta(days=28),
    )
    write_support_plan(uow, person_id=person_id, plan=plan)
    referral = SupportReferralDraft(
        "independent_advocate", today - timedelta(days=2), provider="Local CHISVA service"
    )
    refer_to_support(uow, person_id=person_id, referral=referral)


def _seed_voice(uow: UnitOfWork, person_id: int, today: date) -> None:
    words = VoiceDraft(
        "wishes",
        "I don't want to keep telling different people what happened.",
        today - timedelta(days=3),
        "her social worker",
        setting="home visit",
    )
    record_voice(uow, person_id=person_id, voice=words)
    heard = AccountHeardDraft(
        "Ms Ahmed",
        today - timedelta(days=10),
        "disclosure_teacher",
        heard_by_role="designated safeguarding lead, her school",
    )
    record_account_heard(uow, person_id=person_id, account=heard)
