from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.extracts import read_extracts
from safehub.services.imports import ImportResult, import_extracts
from safehub.services.statistics import count_everything
from tests.factories import extract_row, write_extract

ACTOR = Actor(label="system:test")


def _import(db: Database, *paths: Path) -> ImportResult:
    batch = read_extracts(paths)
    assert batch.ok, batch.errors
    with unit_of_work(db, actor=ACTOR) as uow:
        result = import_extracts(uow, batch=batch, files=[str(p) for p in paths])
        uow.commit()
    return result


def _counts(db: Database) -> dict[str, int]:
    with unit_of_work(db, actor=ACTOR) as uow:
        return count_everything(uow)


def _two_agencies(tmp_path: Path) -> list[Path]:
    police = write_extract(
        tmp_path / "police.csv",
        [
            extract_row(phone="07700 900123"),
            extract_row(
                person_ref="P-2",
                person_role="suspect",
                given_names="Mohammed",
                family_name="Khan",
                date_of_birth="1990",
            ),
        ],
    )
    council = write_extract(
        tmp_path / "council.csv",
        [
            extract_row(
                agency_code="LA-BRADFORD",
                agency_type="social_care",
                record_id="REF-9",
                record_type="referral",
                person_ref="C-77",
                person_role="subject",
                given_names="Ayesha",
                family_name="Hussein",
                date_of_birth="2011-07",
            ),
        ],
    )
    return [police, council]


def test_import_counts_agencies_records_mentions_and_people(db: Database, tmp_path: Path) -> None:
    _import(db, *_two_agencies(tmp_path))
    assert _counts(db) == {"agencies": 2, "records": 2, "person_mentions": 3, "people": 3}


def test_importing_the_same_files_twice_creates_nothing_twice(db: Database, tmp_path: Path) -> None:
    files = _two_agencies(tmp_path)
    _import(db, *files)
    before = _counts(db)
    second = _import(db, *files)
    assert not second.changed_anything
    assert _counts(db) == before


def test_a_changed_row_is_a_new_version_and_the_old_one_is_kept(
    db: Database, tmp_path: Path
) -> None:
    path = write_extract(tmp_path / "p.csv", [extract_row(family_name="Husain")])
    _import(db, path)
    write_extract(path, [extract_row(family_name="Hussain")])
    result = _import(db, path)
    assert result.mentions_changed == 1
    with db.owner_engine.connect() as conn:
        versions = conn.execute(
            text("SELECT version, current, family_name FROM person_mention ORDER BY version")
        ).all()
    assert [tuple(v) for v in versions] == [(1, False, "Husain"), (2, True, "Hussain")]
    assert _counts(db)["person_mentions"] == 1


def test_normalised_identifiers_are_stored_beside_the_raw_values(
    db: Database, tmp_path: Path
) -> None:
    path = write_extract(tmp_path / "p.csv", [extract_row(phone="07700 900123", nhs_number="123")])
    _import(db, path)
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kind, raw, normalised FROM person_identifier ORDER BY kind")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("nhs_number", "123", None),
        ("phone", "07700 900123", "+447700900123"),
    ]


def test_an_import_is_one_audit_entry_with_a_digest(db: Database, tmp_path: Path) -> None:
    _import(db, *_two_agencies(tmp_path))
    with db.owner_engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, action, object_ids, detail FROM audit_event")).all()
    [(actor, action, files, detail)] = rows
    assert (actor, action, files) == ("system:test", "collection", ["police.csv", "council.csv"])
    assert len(detail["digest"]) == 64 and detail["mentions_new"] == 3


def test_a_failure_part_way_leaves_the_database_exactly_as_it_was(
    db: Database, tmp_path: Path
) -> None:
    files = _two_agencies(tmp_path)
    _import(db, files[0])
    before = _counts(db)
    batch = read_extracts(files)
    with pytest.raises(RuntimeError), unit_of_work(db, actor=ACTOR) as uow:
        import_extracts(uow, batch=batch, files=[str(p) for p in files])
        raise RuntimeError("the process dies before commit")
    assert _counts(db) == before
