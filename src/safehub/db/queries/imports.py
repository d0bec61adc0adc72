"""SQL of the extract import: stage with COPY, then upsert set-wise (fast for a million rows)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

RECORD_COLUMNS = (
    "agency_code",
    "agency_type",
    "record_ref",
    "record_type",
    "record_date",
    "location_name",
    "location_postcode",
    "outcome",
    "narrative",
    "area_code",
    "offence_code",
    "group_based",
    "intel_grading",
    "content_hash",
)
MENTION_COLUMNS = (
    "seq",
    "agency_code",
    "record_ref",
    "person_ref",
    "person_role",
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "dob_year",
    "dob_month",
    "dob_day",
    "sex",
    "address",
    "ethnicity_self_defined",
    "ethnicity_observed",
    "nationality",
    "indicators",
    "person_outcome",
    "restricted",
    "content_hash",
    "source_file",
    "source_row",
)
IDENTIFIER_COLUMNS = ("seq", "kind", "raw", "normalised")

_STAGE = """
CREATE TEMP TABLE stage_record (
  agency_code text, agency_type text, record_ref text, record_type text, record_date date,
  location_name text, location_postcode text, outcome text, narrative text, area_code text,
  offence_code text, group_based boolean, intel_grading text, content_hash text
) ON COMMIT DROP;
CREATE TEMP TABLE stage_mention (
  seq int, agency_code text, record_ref text, person_ref text, person_role text,
  given_names text, family_name text, aliases text, date_of_birth text, dob_year smallint,
  dob_month smallint, dob_day smallint, sex text, address text, ethnicity_self_defined text,
  ethnicity_observed text, nationality text, indicators text, person_outcome text,
  restricted boolean, content_hash text, source_file text, source_row int
) ON COMMIT DROP;
CREATE TEMP TABLE stage_identifier (seq int, kind text, raw text, normalised text) ON COMMIT DROP;
"""


def create_stage(session: Session) -> None:
    # Sorting a million staged rows in memory beats spilling them to disk; local to this transaction.
    session.execute(text("SET LOCAL work_mem = '128MB'"))
    session.execute(text(_STAGE))


def copy_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY into a staging table through psycopg, in the session's transaction."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def analyse_stage(session: Session) -> None:
    """Temporary tables have no statistics: without them the planner joins a million staged rows
    as if they were a handful."""
    session.execute(text("ANALYZE stage_record; ANALYZE stage_mention; ANALYZE stage_identifier"))


def upsert_agencies(session: Session) -> int:
    result = session.execute(
        text(
            """
            INSERT INTO agency (code, agency_type, name, area_code)
            SELECT agency_code, min(agency_type), agency_code, mode() WITHIN GROUP (ORDER BY area_code)
            FROM stage_record GROUP BY agency_code
            ON CONFLICT (code) DO NOTHING
            """
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def upsert_records(session: Session) -> tuple[int, int]:
    """Keep the replaced values of changed records, then insert new and update changed ones."""
    changed = session.execute(
        text(
            """
            INSERT INTO agency_record_version (record_id, values)
            SELECT r.id, to_jsonb(r) - 'id' FROM agency_record r
            JOIN agency a ON a.id = r.agency_id
            JOIN stage_record s ON s.agency_code = a.code AND s.record_ref = r.record_ref
            WHERE r.content_hash <> s.content_hash
            """
        )
    )
    total = session.execute(
        text(
            """
            INSERT INTO agency_record (agency_id, record_ref, record_type, record_date,
              location_name, location_postcode, outcome, narrative, area_code, offence_code,
              group_based, intel_grading, content_hash)
            SELECT a.id, s.record_ref, s.record_type, s.record_date, s.location_name,
              s.location_postcode, s.outcome, s.narrative, s.area_code, s.offence_code,
              s.group_based, s.intel_grading, s.content_hash
            FROM stage_record s JOIN agency a ON a.code = s.agency_code
            ON CONFLICT (agency_id, record_ref) DO UPDATE SET
              record_type = excluded.record_type, record_date = excluded.record_date,
              location_name = excluded.location_name, location_postcode = excluded.location_postcode,
              outcome = excluded.outcome, narrative = excluded.narrative,
              area_code = excluded.area_code, offence_code = excluded.offence_code,
              group_based = excluded.group_based, intel_grading = excluded.intel_grading,
              content_hash = excluded.content_hash, updated_at = now()
            WHERE agency_record.content_hash <> excluded.content_hash
            """
        )
    )
    n_changed = int(getattr(changed, "rowcount", 0) or 0)
    return int(getattr(total, "rowcount", 0) or 0) - n_changed, n_changed


def insert_new_people(session: Session) -> int:
    """Each agency person not seen before starts as a person of its own, until linkage merges."""
    session.execute(
        text(
            """
            CREATE TEMP TABLE new_agency_person ON COMMIT DROP AS
            SELECT n.agency_id, n.person_ref, nextval('person_id_seq') AS person_id FROM (
              SELECT DISTINCT a.id AS agency_id, s.person_ref FROM stage_mention s
              JOIN agency a ON a.code = s.agency_code
              WHERE NOT EXISTS (SELECT 1 FROM agency_person ap
                                WHERE ap.agency_id = a.id AND ap.person_ref = s.person_ref)
              ORDER BY 1, 2) n;
            ANALYZE new_agency_person;
            INSERT INTO person (id) SELECT person_id FROM new_agency_person ORDER BY person_id;
            INSERT INTO agency_person (agency_id, person_ref, person_id)
            SELECT agency_id, person_ref, person_id FROM new_agency_person ORDER BY person_id;
            UPDATE agency_person ap SET restricted = true
            FROM stage_mention s JOIN agency a ON a.code = s.agency_code
            WHERE s.restricted AND ap.agency_id = a.id AND ap.person_ref = s.person_ref
              AND NOT ap.restricted;
            """
        )
    )
    return int(session.execute(text("SELECT count(*) FROM new_agency_person")).scalar_one())


def upsert_mentions(session: Session) -> tuple[int, int]:
    """Insert mentions that are new or changed; a changed one supersedes the current version."""
    session.execute(
        text(
            """
            CREATE TEMP TABLE resolved_mention ON COMMIT DROP AS
            SELECT s.*, r.id AS record_id, ap.id AS agency_person_id, m.id AS old_id,
                   m.version AS old_version, m.content_hash AS old_hash
            FROM stage_mention s
            JOIN agency a ON a.code = s.agency_code
            JOIN agency_record r ON r.agency_id = a.id AND r.record_ref = s.record_ref
            JOIN agency_person ap ON ap.agency_id = a.id AND ap.person_ref = s.person_ref
            LEFT JOIN person_mention m ON m.record_id = r.id AND m.agency_person_id = ap.id
                                      AND m.current;
            DELETE FROM resolved_mention WHERE old_hash = content_hash;
            ANALYZE resolved_mention;
            UPDATE person_mention SET current = false
            WHERE id IN (SELECT old_id FROM resolved_mention WHERE old_id IS NOT NULL);
            CREATE TEMP TABLE inserted_mention ON COMMIT DROP AS SELECT 0 AS id, 0 AS seq LIMIT 0;
            WITH ins AS (
              INSERT INTO person_mention (record_id, agency_person_id, version, current,
                person_role, given_names, family_name, aliases, date_of_birth, dob_year,
                dob_month, dob_day, sex, address, ethnicity_self_defined, ethnicity_observed,
                nationality, indicators, person_outcome, restricted, content_hash, source_file,
                source_row)
              SELECT record_id, agency_person_id, coalesce(old_version, 0) + 1, true, person_role,
                given_names, family_name, string_to_array(aliases, ';'), date_of_birth, dob_year,
                dob_month, dob_day, sex, address, ethnicity_self_defined, ethnicity_observed,
                nationality, string_to_array(indicators, ';'), person_outcome, restricted,
                content_hash, source_file, source_row
              FROM resolved_mention ORDER BY seq
              RETURNING id, record_id, agency_person_id)
            INSERT INTO inserted_mention
            SELECT ins.id, rm.seq FROM ins JOIN resolved_mention rm
              ON rm.record_id = ins.record_id AND rm.agency_person_id = ins.agency_person_id;
            ANALYZE inserted_mention;
            INSERT INTO person_identifier (mention_id, kind, raw, normalised)
            SELECT im.id, si.kind, si.raw, si.normalised
            FROM inserted_mention im JOIN stage_identifier si ON si.seq = im.seq
            ORDER BY im.id;
            """
        )
    )
    row = session.execute(
        text("SELECT count(*) FILTER (WHERE old_id IS NULL), count(old_id) FROM resolved_mention")
    ).one()
    return int(row[0]), int(row[1])


def estimate_totals(session: Session) -> dict[str, int]:
    """The agencies counted, and PostgreSQL's own estimate of the rows of the big tables
    (``pg_class.reltuples``, kept by ANALYZE and autovacuum; 0 before the first). Counting a
    million mentions under row-level security evaluates the policy on every row: minutes, not
    milliseconds. ``person_mentions`` estimates every version, not only the current ones."""
    agencies = session.execute(text("SELECT count(*) FROM agency")).scalar_one()
    rows = session.execute(
        text(
            "SELECT relname, greatest(reltuples, 0)::bigint FROM pg_class "
            "WHERE oid IN (CAST('agency_record' AS regclass), CAST('person_mention' AS regclass), "
            "CAST('person' AS regclass))"
        )
    ).all()
    found = {name: int(n) for name, n in rows}
    return {
        "agencies": int(agencies),
        "records": found.get("agency_record", 0),
        "person_mentions": found.get("person_mention", 0),
        "people": found.get("person", 0),
    }


def count_totals(session: Session) -> dict[str, int]:
    row = session.execute(
        text(
            """
            SELECT (SELECT count(*) FROM agency), (SELECT count(*) FROM agency_record),
                   (SELECT count(*) FROM person_mention WHERE current),
                   (SELECT count(*) FROM person)
            """
        )
    ).one()
    return {"agencies": row[0], "records": row[1], "person_mentions": row[2], "people": row[3]}
