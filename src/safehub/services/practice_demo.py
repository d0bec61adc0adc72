"""Demo data for victim-centred practice: case notes (some with language the checker flags,
saved after review, one amended), indicators, the child's words, support and who has heard
the account, for the first few planted victims' cases."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, text

from safehub.access.actor import Actor
from safehub.db.models import User
from safehub.db.uow import UnitOfWork
from safehub.services.accounts.users import actor_for
from safehub.services.indicators import record_indicators
from safehub.services.notes import write_note
from safehub.services.support import refer_to_support, write_support_plan
from safehub.services.voice import record_account_heard, record_voice

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
    the demo's system unit of work, acting as each case's social worker. Returns cases seeded."""
    today = today or date.today()
    rows = uow.session.execute(
        text(
            "SELECT DISTINCT ON (c.id) c.id, cc.person_id, m.user_id FROM safeguarding_case c "
            "JOIN case_child cc ON cc.case_id = c.id JOIN case_member m ON m.case_id = c.id "
            "JOIN app_user u ON u.id = m.user_id AND u.role = 'social_worker' "
            "ORDER BY c.id, cc.person_id, m.user_id LIMIT :n"
        ),
        {"n": cases},
    ).all()
    for case_id, person_id, user_id in rows:
        user = uow.session.scalars(select(User).where(User.id == user_id)).one()
        _seed_case(uow, actor_for(user), case_id, person_id, today)
    return len(rows)


def _seed_case(uow: UnitOfWork, actor: Actor, case_id: int, person_id: int, today: date) -> None:
    first = write_note(uow, actor=actor, case_id=case_id, body=NOTES[0], save_anyway=True)
    write_note(
        uow,
        actor=actor,
        case_id=case_id,
        body=AMENDED,
        save_anyway=True,
        supersedes_id=first.note_id,
    )
    for body in NOTES[1:]:
        write_note(uow, actor=actor, case_id=case_id, body=body, save_anyway=True)
    record_indicators(
        uow,
        actor=actor,
        person_id=person_id,
        indicators={"older_boyfriend", "gifts", "taxis_cars"},
        evidence=set(),
        details="Seen getting into cars outside school; new phone and clothes.",
    )
    record_voice(
        uow,
        actor=actor,
        person_id=person_id,
        kind="wishes",
        content="I don't want to keep telling different people what happened.",
        said_on=today - timedelta(days=3),
        said_to="her social worker",
        setting="home visit",
    )
    record_account_heard(
        uow,
        actor=actor,
        person_id=person_id,
        heard_by="Ms Ahmed",
        heard_by_role="designated safeguarding lead, her school",
        heard_on=today - timedelta(days=10),
        kind="disclosure_teacher",
    )
    write_support_plan(
        uow,
        actor=actor,
        person_id=person_id,
        review_on=today + timedelta(days=28),
        plan="Weekly visits; a child independent sexual violence adviser; sexual "
        "health appointment; school mentor.",
    )
    refer_to_support(
        uow,
        actor=actor,
        person_id=person_id,
        service="independent_advocate",
        referred_on=today - timedelta(days=2),
        provider="Local CHISVA service",
    )
