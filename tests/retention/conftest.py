"""Records to review: a case with a note, a decision-free meeting with an action and a referral
of its own, and a referral without a case; the data protection officer and the review job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.jobs.retention_job import run_retention_review
from safehub.services.casework.referrals import ReferralDraft, record_referral
from safehub.services.practice.notes import NoteRequest, write_note
from safehub.services.timeliness import ActionDraft, MeetingDraft, add_action, plan_meeting
from tests.timeliness.conftest import SYSTEM, World, at, world
from tests.web.conftest import client, signed_in

__all__ = ["client", "signed_in", "world"]

DRAFT = ReferralDraft(
    given_names="Aisha",
    family_name="Hussain",
    date_of_birth=date(2012, 4, 1),
    concern_type="sexual_exploitation",
    concern="Seen getting into cars with adult men after school",
    immediate_danger=False,
)


@dataclass(frozen=True)
class Records:
    case_id: int
    case_reference: str
    note_id: int
    meeting_id: int
    case_referral_id: int
    referral_id: int  # without a case


def years_on(years: int, days: int = 0) -> datetime:
    """Noon UTC, ``years`` (and ``days``) from today: the day the review job reviews as."""
    today = date.today()
    return datetime(today.year + years, today.month, min(today.day, 28), 12, tzinfo=UTC) + (
        timedelta(days=days)
    )


@pytest.fixture
def records(app_db: Database, world: World) -> Records:
    worker, officer = world.actor(app_db, world.worker), world.actor(app_db, world.police_officer)
    with unit_of_work(app_db, actor=worker) as uow:
        note = write_note(
            uow, case_id=world.case_id, note=NoteRequest("Aisha spoke about the men in the car.")
        )
        meeting = plan_meeting(
            uow,
            case_id=world.case_id,
            meeting=MeetingDraft(
                kind="strategy_discussion",
                title="Concerns about older men and cars",
                scheduled_for=at("2025-06-02 10:00"),
                agency_ids=(world.police,),
            ),
        )
        add_action(
            uow,
            meeting_id=meeting.id,
            action=ActionDraft(
                action_type="child_abduction_warning_notice",
                description="Serve notices on the two drivers seen at the school",
                owner_agency_id=world.police,
                owner_user_id=world.police_officer,
                due_on=date(2025, 6, 6),
            ),
        )
        uow.commit()
    with unit_of_work(app_db, actor=officer) as uow:
        on_case = record_referral(uow, referral=DRAFT)
        alone = record_referral(uow, referral=DRAFT)
        uow.commit()
        on_case_id, alone_id = on_case.id, alone.id
    with app_db.owner_engine.begin() as conn:
        # A referral that led to the case (what a referral decision records).
        conn.execute(
            text("UPDATE referral SET case_id = :c WHERE id = :r"),
            {"c": world.case_id, "r": on_case_id},
        )
        reference = conn.execute(
            text("SELECT reference FROM safeguarding_case WHERE id = :c"), {"c": world.case_id}
        ).scalar_one()
    assert note.note_id is not None
    return Records(world.case_id, reference, note.note_id, meeting.id, on_case_id, alone_id)


def run_review(db: Database, when: datetime) -> str:
    """Run the review job as on ``when``; its one-line summary."""
    found = run_retention_review(db, now=when, progress=lambda *_: None)
    return found.summary()


def dpo_actor(db: Database, make_user_name: str) -> Actor:
    from safehub.db.models import User
    from safehub.services.accounts.users import actor_for

    with unit_of_work(db, actor=SYSTEM) as uow:
        user = uow.session.execute(
            text("SELECT id FROM app_user WHERE username = :u"), {"u": make_user_name}
        ).scalar_one()
        found = uow.session.get(User, user)
        assert found is not None
        return actor_for(found)
