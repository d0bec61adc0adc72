"""Exports hold what the user may see and nothing more, redact third parties for a subject
access request, and are logged as disclosures with their recipients (on the access tests' data)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.exports import (
    ExportFile,
    ExportRefusedError,
    ExportRequest,
    export_case_chronology,
    export_person_records,
)
from safehub.services.exports.redact import THIRD_PARTY
from tests.access.conftest import SECRET
from tests.exports.conftest import FORMULA, ExportWorld

RECIPIENTS = ["DS Patel, West Yorkshire Police", "Conference chair, Bradford"]


def _case(
    w: ExportWorld,
    case_id: int,
    purpose: str = "strategy_discussion",
    role: str = "social_worker",
    fmt: str = "csv",
) -> ExportFile:
    with unit_of_work(w.base.db, actor=w.actor(role)) as uow:
        made = export_case_chronology(
            uow, case_id=case_id, request=ExportRequest(purpose, fmt, tuple(RECIPIENTS))
        )
        uow.commit()
    return made


def _person(w: ExportWorld, person_id: int, purpose: str = "strategy_discussion") -> ExportFile:
    with unit_of_work(w.base.db, actor=w.actor()) as uow:
        made = export_person_records(
            uow, person_id=person_id, request=ExportRequest(purpose, "csv", tuple(RECIPIENTS))
        )
        uow.commit()
    return made


def _table(made: ExportFile) -> list[dict[str, str]]:
    """The CSV's table, below its preamble (marking, purpose, recipients, when, a blank line)."""
    lines = list(csv.reader(io.StringIO(made.content.decode("utf-8-sig"), newline="")))
    assert lines[0][0] == "OFFICIAL-SENSITIVE" and lines[2][1] == "; ".join(RECIPIENTS)
    header, *rows = lines[5:]
    return [dict(zip(header, row, strict=True)) for row in rows]


def _last_disclosure(db: Database) -> dict[str, Any]:
    with db.owner_engine.connect() as conn:
        row = (
            conn.execute(
                text(
                    "SELECT actor, action, object_type, object_ids, purpose, detail FROM audit_event "
                    "WHERE action = 'disclosure' ORDER BY id DESC LIMIT 1"
                )
            )
            .mappings()
            .one()
        )
    return dict(row)


def test_a_chronology_export_is_logged_as_a_disclosure_with_its_recipients_never_its_content(
    export_world: ExportWorld,
) -> None:
    made = _case(export_world, export_world.sar_case, purpose="court_proceedings")
    entry = _last_disclosure(export_world.base.db)
    assert entry["object_type"] == "case" and entry["object_ids"] == [str(export_world.sar_case)]
    assert entry["actor"] == export_world.actor().label
    assert entry["detail"]["recipients"] == RECIPIENTS
    assert entry["detail"]["purpose"] == "court_proceedings" and entry["detail"]["format"] == "csv"
    assert "Mohammed" not in str(entry) and "grey car" not in str(entry)
    assert made.filename.endswith("-chronology-court_proceedings.csv")


def test_a_chronology_export_holds_the_case_and_escapes_a_narrative_that_starts_like_a_formula(
    export_world: ExportWorld,
) -> None:
    rows = _table(_case(export_world, export_world.sar_case))
    details = [r["Detail"] for r in rows]
    assert f"'{FORMULA}" in details and FORMULA not in details
    assert any("Mohammed Khan" in d for d in details)  # a strategy discussion keeps the names


def test_a_subject_access_request_replaces_third_parties_names_and_keeps_the_subjects(
    export_world: ExportWorld,
) -> None:
    for made in (
        _case(export_world, export_world.sar_case, purpose="subject_access_request"),
        _person(export_world, export_world.amy, purpose="subject_access_request"),
    ):
        body = made.content.decode("utf-8-sig")
        assert "Mohammed" not in body and "Khan" not in body and "Tom" not in body, made.filename
        assert f"Amy Hussain was collected from school by {THIRD_PARTY}" in body
        assert f"Her brother {THIRD_PARTY} says {THIRD_PARTY} drives" in body
    assert _last_disclosure(export_world.base.db)["detail"]["third_parties_redacted"] == 2


def test_a_subject_access_request_for_a_case_of_several_children_is_refused(
    export_world: ExportWorld,
) -> None:
    with pytest.raises(ExportRefusedError, match="about one person"):
        _case(export_world, export_world.pair_case, purpose="subject_access_request")
    # A child restricted by another agency does not count: for the user, there is none.
    assert _case(export_world, export_world.restricted_case, purpose="subject_access_request")


def test_an_audit_export_carries_no_narrative_names_or_places(export_world: ExportWorld) -> None:
    rows = _table(_person(export_world, export_world.amy, purpose="multi_agency_audit"))
    assert rows and set(rows[0]) == {"Date", "Agency", "Record", "Role", "Indicators", "Outcome"}
    made = _person(export_world, export_world.amy, purpose="multi_agency_audit")
    assert b"Hussain" not in made.content and b"Oakfield" not in made.content


def test_sealed_records_of_another_agency_are_absent_from_every_export(
    export_world: ExportWorld,
) -> None:
    member_case = export_world.base.cases["member"]
    child = export_world.base.people["P-MEMBER"]
    for made in (
        _case(export_world, member_case),
        _case(export_world, member_case, fmt="pdf"),
        _person(export_world, child),
    ):
        assert SECRET.encode() not in made.content and b"Memberley" not in made.content
    assert _table(_person(export_world, child)) == []


def test_a_child_restricted_by_another_agency_is_absent_and_cannot_be_exported(
    export_world: ExportWorld,
) -> None:
    made = _case(export_world, export_world.restricted_case)
    assert b"Witnessby" not in made.content and SECRET.encode() not in made.content
    assert b"Council knows Olivia." in made.content  # the other child, open to the user
    with pytest.raises(NotFoundError):
        _person(export_world, export_world.base.people["P-RESTRICTED"])


def test_a_case_the_user_may_not_see_cannot_be_exported_and_nothing_is_disclosed(
    export_world: ExportWorld,
) -> None:
    before = _last_disclosure(export_world.base.db)
    with pytest.raises(NotFoundError):
        _case(export_world, export_world.base.cases["neither"])
    with pytest.raises(ForbiddenError):
        _case(export_world, export_world.sar_case, role="data_protection_officer")
    assert _last_disclosure(export_world.base.db) == before
