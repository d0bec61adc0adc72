"""A meeting action's own text, its outcome, and the reason a meeting was held late are free text
about a child, and are checked as they are saved: "visit Amy, who keeps going back to him" or
"closed: she is not engaging" blames the child. Each is held with its flags, kept as written only
with its author's reason, and listed for a manager on the language audit page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select, text

from safehub.db.database import Database
from safehub.db.models import User
from safehub.db.uow import unit_of_work
from safehub.services.accounts.users import actor_for
from safehub.services.practice import LanguageHeldError
from safehub.services.practice.saved_anyway import texts_saved_anyway
from safehub.services.timeliness import (
    ActionDraft,
    MeetingDraft,
    MeetingError,
    MeetingRecord,
    add_action,
    complete_action,
    plan_meeting,
    record_meeting,
)
from tests.timeliness.conftest import SYSTEM, World, at, count
from tests.web.conftest import PageClient
from tests.web.helpers import case_for

BLAMING_ACTION = "Visit Amy at home; she keeps going back to him"
BLAMING_OUTCOME = "Closed: she is not engaging with services"
BLAMING_LATE = "Held late because she chose not to attend"
KEPT = "These are the words the family used in the meeting, quoted for the review"


def _meeting(db: Database, world: World, kind: str = "strategy_discussion") -> int:
    worker = world.actor(db, world.worker)
    with unit_of_work(db, actor=worker) as uow:
        meeting = plan_meeting(
            uow,
            case_id=world.case_id,
            meeting=MeetingDraft(
                kind, "Concerns about older men", at("2025-06-02 10:00"), (world.police,)
            ),
        )
        uow.commit()
        return meeting.id


def _draft(description: str, world: World, **language: object) -> ActionDraft:
    return ActionDraft("task", description, world.social_care, None, date(2025, 6, 4), **language)  # type: ignore[arg-type]


def _action_row(db: Database, action_id: int) -> tuple[object, ...]:
    with db.owner_engine.connect() as conn:
        return tuple(
            conn.execute(
                text(
                    "SELECT created_by_user_id, language_flags, language_reason, status, "
                    "outcome_language_flags, outcome_language_reason FROM meeting_action "
                    "WHERE id = :a"
                ),
                {"a": action_id},
            ).one()
        )


def _texts(flags: object) -> list[str]:
    assert isinstance(flags, list)
    return [str(f["text"]) for f in flags]


def test_an_action_blaming_the_child_is_held_and_nothing_is_added(
    app_db: Database, world: World
) -> None:
    meeting_id = _meeting(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(LanguageHeldError) as held:
        add_action(uow, meeting_id=meeting_id, action=_draft(BLAMING_ACTION, world))
    assert _texts(held.value.flags) == ["keeps going back to"]
    assert held.value.errors == {}
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(LanguageHeldError) as asked:
        add_action(
            uow, meeting_id=meeting_id, action=_draft(BLAMING_ACTION, world, save_anyway=True)
        )
    assert list(asked.value.errors) == ["language_reason"]
    assert count(app_db, "SELECT count(*) FROM meeting_action") == 0


def test_an_action_kept_as_written_keeps_its_flags_author_and_reason_for_a_manager(
    app_db: Database, world: World
) -> None:
    meeting_id = _meeting(app_db, world)
    worker = world.actor(app_db, world.worker)
    draft = _draft(BLAMING_ACTION, world, save_anyway=True, language_reason=KEPT)
    with unit_of_work(app_db, actor=worker) as uow:
        action_id = add_action(uow, meeting_id=meeting_id, action=draft).id
        clean = add_action(uow, meeting_id=meeting_id, action=_draft("Visit Amy at home", world))
        uow.commit()
    author, flags, reason, *_ = _action_row(app_db, action_id)
    assert (author, reason, _texts(flags)) == (world.worker, KEPT, ["keeps going back to"])
    assert _action_row(app_db, clean.id)[:3] == (world.worker, None, None)
    with unit_of_work(app_db, actor=world.actor(app_db, world.manager)) as uow:
        rows = [r for r in texts_saved_anyway(uow) if r.kind == "meeting action"]
    assert [(r.object_id, r.phrases, r.reason) for r in rows] == [
        (action_id, ["keeps going back to"], KEPT)
    ]


def test_an_outcome_and_a_late_reason_are_held_together_and_kept_each_with_its_flags(
    app_db: Database, world: World
) -> None:
    meeting_id = _meeting(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        action_id = add_action(uow, meeting_id=meeting_id, action=_draft("Visit Amy", world)).id
        uow.commit()
    late = {"outcome": BLAMING_OUTCOME, "reason": BLAMING_LATE, "at": at("2025-06-09 10:00")}
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(LanguageHeldError) as held:
        complete_action(uow, action_id=action_id, **late)  # type: ignore[arg-type]
    assert _texts(held.value.flags) == ["not engaging", "chose not to attend"]
    assert _action_row(app_db, action_id)[3] == "open"
    with unit_of_work(app_db, actor=worker) as uow:
        complete_action(
            uow,
            action_id=action_id,
            save_anyway=True,
            language_reason=KEPT,
            **late,  # type: ignore[arg-type]
        )
        uow.commit()
    *_, status, outcome_flags, outcome_reason = _action_row(app_db, action_id)
    assert (status, outcome_reason, _texts(outcome_flags)) == ("done", KEPT, ["not engaging"])
    with unit_of_work(app_db, actor=world.actor(app_db, world.manager)) as uow:
        kinds = {r.kind: (r.phrases, r.reason) for r in texts_saved_anyway(uow)}
    assert kinds["action outcome"] == (["not engaging"], KEPT)
    assert kinds["reason for a delay"] == (["chose not to attend"], KEPT)


def test_the_reason_a_meeting_was_held_late_is_checked_and_kept_on_the_clock_it_stops(
    app_db: Database, world: World
) -> None:
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:  # starts the initial conference's clock
        strategy = _meeting(app_db, world)
        record_meeting(
            uow,
            meeting_id=strategy,
            record=MeetingRecord(
                at("2025-06-02 11:00"),
                (world.social_care,),
                "Police shared two vehicle sightings.",
                "Section 47 enquiries to start.",
                s47_initiated=True,
            ),
        )
        uow.commit()
    conference = _meeting(app_db, world, kind="initial_conference")
    record = MeetingRecord(
        at("2025-07-14 10:00"),
        (world.social_care,),
        "Each agency shared what it knows.",
        "A child protection plan is made.",
    )
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(LanguageHeldError) as held:
        record_meeting(uow, meeting_id=conference, record=record, reason=BLAMING_LATE)
    assert _texts(held.value.flags) == ["chose not to attend"]
    asked = MeetingRecord(**{**_fields(record), "save_anyway": True})
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(MeetingError) as refused:
        record_meeting(uow, meeting_id=conference, record=asked, reason=BLAMING_LATE)
    assert list(refused.value.errors) == ["language_reason"]
    kept = MeetingRecord(**{**_fields(record), "save_anyway": True, "language_reason": KEPT})
    with unit_of_work(app_db, actor=worker) as uow:
        record_meeting(uow, meeting_id=conference, record=kept, reason=BLAMING_LATE)
        uow.commit()
    with app_db.owner_engine.connect() as conn:
        reason, flags, why = conn.execute(
            text(
                "SELECT overrun_reason, overrun_language_flags, overrun_language_reason "
                "FROM clock WHERE rule_id = 'initial_conference'"
            )
        ).one()
    assert (reason, why, _texts(flags)) == (BLAMING_LATE, KEPT, ["chose not to attend"])


def _fields(record: MeetingRecord) -> dict[str, object]:
    return {f: getattr(record, f) for f in MeetingRecord.__dataclass_fields__}


def _page_meeting(signed_in: Callable[..., PageClient], db: Database) -> tuple[PageClient, int]:
    """A signed-in social worker and a meeting on a case of theirs, owned by their agency."""
    client = signed_in("social_worker", "LA-BRADFORD")
    username = "social_worker@la-bradford"
    case_id = case_for(db, [], [username])
    with unit_of_work(db, actor=SYSTEM) as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        actor, agency_id = actor_for(user), user.agency_id
    with unit_of_work(db, actor=actor) as uow:
        meeting = plan_meeting(
            uow,
            case_id=case_id,
            meeting=MeetingDraft(
                "multi_agency_meeting", "Concerns", at("2025-06-02 10:00"), (agency_id,)
            ),
        )
        uow.commit()
    return client, meeting.id


def test_the_meeting_page_holds_a_flagged_action_and_adds_it_only_with_a_reason(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client, meeting_id = _page_meeting(signed_in, app_db)
    url = f"/meetings/{meeting_id}"
    with app_db.owner_engine.connect() as conn:
        agency_id = conn.execute(text("SELECT id FROM agency WHERE code = 'LA-BRADFORD'")).scalar()
    form = {
        "csrf_token": client.csrf(url),
        "action_type": "task",
        "description": BLAMING_ACTION,
        "owner_agency_id": str(agency_id),
        "due-day": "4",
        "due-month": "6",
        "due-year": "2030",
    }
    held = client.post(f"{url}/actions", data=form)
    assert held.status_code == 200 and "“keeps going back to”" in held.text
    assert 'id="language-flags-action"' in held.text and 'name="language_reason"' in held.text
    assert BLAMING_ACTION in held.text, "what was written is kept in the form"
    asked = client.post(f"{url}/actions", data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    assert count(app_db, "SELECT count(*) FROM meeting_action") == 0
    kept = {**form, "save_anyway": "yes", "language_reason": KEPT}
    assert client.post(f"{url}/actions", data=kept).status_code == 303
    assert BLAMING_ACTION in client.get(url).text

    manager = signed_in("team_manager", "LA-BRADFORD")
    audit = manager.get("/language/audit").text
    assert KEPT in audit and "Meeting action" in audit and "“keeps going back to”" in audit


def test_an_actions_done_form_holds_a_flagged_outcome_and_keeps_it_only_with_a_reason(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client, meeting_id = _page_meeting(signed_in, app_db)
    url = f"/meetings/{meeting_id}"
    with app_db.owner_engine.connect() as conn:
        agency_id = conn.execute(text("SELECT id FROM agency WHERE code = 'LA-BRADFORD'")).scalar()
    add = {
        "csrf_token": client.csrf(url),
        "action_type": "task",
        "description": "Visit Amy at home with the youth worker she knows",
        "owner_agency_id": str(agency_id),
        "due-day": "4",
        "due-month": "6",
        "due-year": "2030",
    }
    assert client.post(f"{url}/actions", data=add).status_code == 303
    with app_db.owner_engine.connect() as conn:
        action_id = conn.execute(text("SELECT max(id) FROM meeting_action")).scalar()
    done = {
        "csrf_token": client.csrf(url),
        "meeting_id": str(meeting_id),
        "outcome": BLAMING_OUTCOME,
    }
    held = client.post(f"/actions/{action_id}/done", data=done)
    assert held.status_code == 200 and "“not engaging”" in held.text
    assert f'id="language-flags-done-{action_id}"' in held.text
    assert BLAMING_OUTCOME in held.text, "what was written is kept in the form"
    kept = {**done, "save_anyway": "yes", "language_reason": KEPT}
    assert client.post(f"/actions/{action_id}/done", data=kept).status_code == 303
    assert _action_row(app_db, action_id)[3:] != ("open", None, None)
    assert _action_row(app_db, action_id)[5] == KEPT


def test_the_api_refuses_a_flagged_action_naming_the_phrase_and_keeps_it_with_why(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client, meeting_id = _page_meeting(signed_in, app_db)
    with app_db.owner_engine.connect() as conn:
        agency_id = conn.execute(text("SELECT id FROM agency WHERE code = 'LA-BRADFORD'")).scalar()
    path = f"/api/v1/meetings/{meeting_id}/actions"
    headers = {"X-CSRF-Token": client.csrf("/")}
    body = {
        "action_type": "task",
        "description": BLAMING_ACTION,
        "owner_agency_id": agency_id,
        "due_on": "2030-06-04",
    }
    held = client.post(path, json=body, headers=headers)
    assert held.status_code == 422 and "“keeps going back to”" in held.json()["detail"][0]
    assert held.json()["detail"][0].startswith("description:")
    asked = client.post(path, json={**body, "save_anyway": True}, headers=headers)
    assert asked.status_code == 422 and asked.json()["detail"][0].startswith("language_reason:")
    kept = client.post(
        path, json={**body, "save_anyway": True, "language_reason": KEPT}, headers=headers
    )
    assert kept.status_code == 201, kept.text
    assert (
        count(app_db, "SELECT count(*) FROM meeting_action WHERE language_reason IS NOT NULL") == 1
    )
