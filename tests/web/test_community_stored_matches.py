"""Matches stored, not computed on each view: the worker matches a new report within a cycle,
a network run (which follows every import's resolution) rematches every open report, the pages
read what was stored with its date, every read of a match is audited, and only the system
writes matches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.jobs.community_match_job import run_matching
from safehub.jobs.networks_job import run_network_update
from safehub.jobs.worker import drain, run_once
from safehub.services.community import view_community_report
from safehub.services.community.stored_matches import REMATCH_JOB, store_report_matches
from safehub.services.errors import ForbiddenError
from tests.factories import extract_row
from tests.networks_db.helpers import owner_rows, resolve_people
from tests.web.conftest import PageClient
from tests.web.helpers import import_rows
from tests.web.test_community_convert import _lead
from tests.web.test_community_triage import _report, _report_id

PHONE = "07700 900444"


def _police_hold_the_phone(db: Database, folder: Path) -> None:
    import_rows(
        db,
        folder,
        [extract_row(record_id="CR-44", person_ref="P-44", phone=PHONE, location_postcode="")],
    )
    resolve_people(db)


def _view(db: Database, lead: Actor, report_id: int) -> tuple[datetime | None, list[str]]:
    with unit_of_work(db, actor=lead) as uow:
        view = view_community_report(uow, report_id=report_id)
        uow.commit()
    return view.matched_at, [m.holding for m in view.matches]


def test_a_new_report_is_not_matched_until_the_worker_s_cycle_then_reads_what_was_stored(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    _police_hold_the_phone(app_db, tmp_path)
    report_id = _report_id(app_db, _report(app_db, phone=PHONE, place_postcode="")[0])
    lead = _lead(app_db, make_user)
    assert _view(app_db, lead, report_id) == (None, [])  # nothing computed on the view
    ran = run_once(app_db, requested_by="test", sender=None)
    assert "community_match" in [r.job for r in ran if r.status == "succeeded"]
    matched_at, holdings = _view(app_db, lead, report_id)
    assert matched_at is not None
    assert holdings == ["a phone number on a person's record"]
    # Nothing new to match: the next cycle queues no match run.
    again = run_once(app_db, requested_by="test", sender=None)
    assert "community_match" not in [r.job for r in again]


def test_agency_data_that_arrives_later_reaches_the_report_after_the_network_run(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    report_id = _report_id(app_db, _report(app_db, phone=PHONE, place_postcode="")[0])
    run_matching(app_db, now=datetime.now(UTC), progress=lambda *_: None)
    lead = _lead(app_db, make_user)
    first, holdings = _view(app_db, lead, report_id)
    assert first is not None and holdings == []
    _police_hold_the_phone(app_db, tmp_path)
    assert _view(app_db, lead, report_id) == (first, [])  # stored: unchanged until a rematch
    run_network_update(app_db)  # queues the rematch of every open report
    queued = owner_rows(
        app_db, "SELECT count(*) FROM job_run WHERE job = :j AND status = 'queued'", j=REMATCH_JOB
    )
    assert queued == [(1,)]
    drain(app_db, sender=None)
    later, holdings = _view(app_db, lead, report_id)
    assert later is not None and later > first
    assert holdings == ["a phone number on a person's record"]


def test_reading_stored_matches_is_audited_as_a_consultation_of_the_people(
    app_db: Database, make_user: Callable[..., str], tmp_path: Path
) -> None:
    _police_hold_the_phone(app_db, tmp_path)
    report_id = _report_id(app_db, _report(app_db, phone=PHONE, place_postcode="")[0])
    run_matching(app_db, now=datetime.now(UTC), progress=lambda *_: None)
    stored = owner_rows(
        app_db,
        "SELECT object_ids FROM audit_event WHERE actor = :a "
        "AND object_type = 'community_report_match'",
        a="system:job:community-match",
    )
    assert stored == [([str(report_id)],)]
    lead = _lead(app_db, make_user)
    _view(app_db, lead, report_id)
    read = owner_rows(
        app_db,
        "SELECT object_ids, detail FROM audit_event WHERE actor = :a AND action = 'consultation' "
        "AND object_type = 'person'",
        a=lead.label,
    )
    (person,) = owner_rows(
        app_db, "SELECT person_id FROM agency_person WHERE person_id IS NOT NULL"
    )
    assert read == [([str(person[0])], {"reports": [report_id]})]


def test_the_queue_and_the_report_page_read_the_stored_matches(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    _police_hold_the_phone(app_db, tmp_path)
    report_id = _report_id(app_db, _report(app_db, phone=PHONE, place_postcode="")[0])
    client = signed_in("mash_triage")
    page = client.get(f"/community-reports/{report_id}").text
    assert 'id="not-matched"' in page and 'id="no-matches"' not in page
    run_matching(app_db, now=datetime.now(UTC), progress=lambda *_: None)
    page = client.get(f"/community-reports/{report_id}").text
    assert 'id="matched-at"' in page and "Phone number 07700 900444" in page
    assert "1 agency: West Yorkshire Police" in page


def test_only_the_system_writes_matches(app_db: Database, make_user: Callable[..., str]) -> None:
    report_id = _report_id(app_db, _report(app_db)[0])
    lead = _lead(app_db, make_user)
    now = datetime.now(UTC)
    with unit_of_work(app_db, actor=lead) as uow, pytest.raises(ForbiddenError):
        store_report_matches(
            uow, everything=True, today=now.date(), at=now, progress=lambda *_: None
        )
    with unit_of_work(app_db, actor=lead) as uow, pytest.raises(ProgrammingError):
        uow.session.execute(
            text(
                "INSERT INTO community_report_match (report_id, matched_at, evidence) "
                "VALUES (:r, now(), '[]')"
            ),
            {"r": report_id},
        )


def test_a_network_run_queues_no_rematch_when_no_report_is_open(app_db: Database) -> None:
    report_id = _report_id(app_db, _report(app_db)[0])
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE community_report SET status = 'closed' WHERE id = :r"), {"r": report_id}
        )
    run_network_update(app_db)
    assert owner_rows(app_db, "SELECT count(*) FROM job_run WHERE job = :j", j=REMATCH_JOB) == [
        (0,)
    ]
