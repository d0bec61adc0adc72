"""A clock's reason for a delay is free text about a child, and is checked as it is saved:
"late because she chose not to attend" blames the child for the delay. It is held with its
flags, and kept as written only when its author says why; the flags and that reason stay with
the clock and are listed for a manager on the language audit page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.practice import LanguageHeldError
from safehub.services.practice.saved_anyway import texts_saved_anyway
from safehub.services.timeliness.clocks import (
    ClockOwner,
    ClockSubject,
    complete_clock,
    record_clock_event,
    record_overrun_reason,
    start_deadline_clock,
)
from tests.timeliness.conftest import SYSTEM, World, at
from tests.web.conftest import PageClient

BLAMING = "Late because she chose not to attend the visit"
KEPT = "These are the words the school used when they told us, quoted for the review"


def _decision_clock(db: Database, world: World) -> int:
    with unit_of_work(db, actor=SYSTEM) as uow:
        _, started = record_clock_event(
            uow,
            event="referral_received",
            at=at("2025-04-17 10:00"),
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care, world.team, world.worker),
            title="Referral",
        )
        uow.commit()
        return next(c.id for c in started if c.rule_id == "referral_decision")


def _kept(db: Database, clock_id: int) -> tuple[object, ...]:
    with db.owner_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT stopped_at, overrun_reason, overrun_language_flags, "
                "overrun_language_reason FROM clock WHERE id = :c"
            ),
            {"c": clock_id},
        ).one()
    return tuple(row)


def test_a_late_reason_blaming_the_child_is_held_and_the_clock_stays_open(
    app_db: Database, world: World
) -> None:
    clock_id = _decision_clock(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(LanguageHeldError) as held:
        complete_clock(uow, clock_id=clock_id, at=at("2025-04-24 09:00"), reason=BLAMING)
    assert [f["text"] for f in held.value.flags] == ["chose not to attend"]
    assert held.value.errors == {}, "simply held: nothing to put right yet"
    assert _kept(app_db, clock_id) == (None, None, None, None)


def test_saving_a_flagged_reason_anyway_without_saying_why_names_language_reason(
    app_db: Database, world: World
) -> None:
    clock_id = _decision_clock(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(LanguageHeldError) as held:
        record_overrun_reason(
            uow, clock_id=clock_id, reason=BLAMING, save_anyway=True, language_reason="  "
        )
    assert list(held.value.errors) == ["language_reason"]
    assert "“chose not to attend”" in held.value.errors["language_reason"]
    assert _kept(app_db, clock_id)[1] is None


def test_a_flagged_reason_kept_with_why_keeps_the_flags_and_is_listed_for_a_manager(
    app_db: Database, world: World
) -> None:
    clock_id = _decision_clock(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        complete_clock(
            uow,
            clock_id=clock_id,
            at=at("2025-04-24 09:00"),
            reason=BLAMING,
            save_anyway=True,
            language_reason=KEPT,
        )
        uow.commit()
    stopped, reason, flags, why = _kept(app_db, clock_id)
    assert stopped is not None and reason == BLAMING and why == KEPT
    assert isinstance(flags, list) and [f["text"] for f in flags] == ["chose not to attend"]
    manager = world.actor(app_db, world.manager)
    with unit_of_work(app_db, actor=manager) as uow:
        rows = [r for r in texts_saved_anyway(uow) if r.kind == "reason for a delay"]
    assert [(r.object_id, r.phrases, r.reason) for r in rows] == [
        (clock_id, ["chose not to attend"], KEPT)
    ]


def test_a_reason_with_no_flags_is_saved_and_a_new_reason_replaces_the_old_flags(
    app_db: Database, world: World
) -> None:
    clock_id = _decision_clock(app_db, world)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        record_overrun_reason(
            uow, clock_id=clock_id, reason=BLAMING, save_anyway=True, language_reason=KEPT
        )
        record_overrun_reason(uow, clock_id=clock_id, reason="Waiting for the police check")
        uow.commit()
    assert _kept(app_db, clock_id)[1:] == ("Waiting for the police check", None, None)


def test_the_clock_page_holds_a_flagged_reason_and_keeps_it_only_with_a_reason(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    worker = signed_in("social_worker", "LA-BRADFORD")
    with app_db.owner_engine.connect() as conn:
        user_id, agency_id = conn.execute(
            text("SELECT id, agency_id FROM app_user WHERE username = 'social_worker@la-bradford'")
        ).one()
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        clock = start_deadline_clock(
            uow,
            title="Late work",
            due_on=datetime.now(UTC).date() - timedelta(days=7),
            at=datetime.now(UTC) - timedelta(days=20),
            subject=ClockSubject(person_id=None),
            owner=ClockOwner(agency_id, None, user_id),
        )
        uow.commit()
        clock_id = clock.id
    url = f"/inbox/clocks/{clock_id}"
    form = {"csrf_token": worker.csrf(url), "reason": BLAMING}
    held = worker.post(f"{url}/reason", data=form)
    assert held.status_code == 200 and "“chose not to attend”" in held.text
    assert "Save anyway" in held.text and 'name="language_reason"' in held.text
    assert _kept(app_db, clock_id)[1] is None
    asked = worker.post(f"{url}/reason", data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    kept = {**form, "save_anyway": "yes", "language_reason": KEPT}
    assert worker.post(f"{url}/reason", data=kept).status_code == 303
    assert _kept(app_db, clock_id)[1::2] == (BLAMING, KEPT)

    manager = signed_in("team_manager", "LA-BRADFORD")
    audit = manager.get("/language/audit").text
    assert KEPT in audit and "“chose not to attend”" in audit
    assert f'href="/inbox/clocks/{clock_id}">Reason for a delay {clock_id}</a>' in audit


def test_the_api_refuses_a_flagged_late_reason_naming_the_phrase_and_keeps_it_with_why(
    signed_in: Callable[..., PageClient], app_db: Database, world: World
) -> None:
    clock_id = _decision_clock(app_db, world)
    client = signed_in("social_worker", "LA-BRADFORD")
    with app_db.owner_engine.begin() as conn:  # the signed-in worker's agency owns the clock
        conn.execute(
            text(
                "UPDATE clock SET owner_agency_id = (SELECT agency_id FROM app_user "
                "WHERE username = 'social_worker@la-bradford') WHERE id = :c"
            ),
            {"c": clock_id},
        )
    path = f"/api/v1/clocks/{clock_id}/complete"
    headers = {"X-CSRF-Token": client.csrf("/")}
    held = client.post(path, json={"reason": BLAMING}, headers=headers)
    assert held.status_code == 422 and "“chose not to attend”" in held.json()["detail"][0]
    asked = client.post(path, json={"reason": BLAMING, "save_anyway": True}, headers=headers)
    assert asked.status_code == 422 and asked.json()["detail"][0].startswith("language_reason:")
    body = {"reason": BLAMING, "save_anyway": True, "language_reason": KEPT}
    kept = client.post(path, json=body, headers=headers)
    assert kept.status_code == 200, kept.text
    assert _kept(app_db, clock_id)[1::2] == (BLAMING, KEPT)
