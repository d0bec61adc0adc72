"""No SQL is built from strings that arrive at run time (issue 15, "Static checks").

Values go to the database as bind parameters; a statement may be put together only from SQL
written in its own module (``tests/guards/sql_strings.py`` says exactly what counts). The scan
follows constants, local choices between literals, loops over literal tuples, what a module's
function returns, and what every call of a private function passes, so that the safe places
need no entry here: ``_MENTIONS.format(where=...)`` in ``db/queries/networks.py`` passes because
each caller of ``_list_mentions_where`` hands it a WHERE written in that module, and
``_audit_where`` in ``db/queries/audit.py`` because it joins literal clauses.
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path

import safehub
from tests.guards.sql_strings import Finding, scan_source, scan_tree

SRC = Path(safehub.__file__).parent

# (file under src/safehub, the piece the scan cannot follow) → why it is safe.
ALLOWED: dict[tuple[str, str], str] = {
    ("db/queries/timeliness_batch.py", "state.value"): (
        "the stored names of the clock states, the values of the ClockState enum that "
        "safehub.timescales defines in code ('on_track', 'due_soon', ...); no input reaches them"
    ),
    ("db/backup.py", "SERVER_ROLES"): (
        "the roles the migrations create, a tuple of constants written in safehub.db.database; "
        "a role name cannot be a bind parameter in CREATE ROLE"
    ),
    ("db/queries/community.py", "NewReport.__dataclass_fields__"): (
        "the column names are the fields of the NewReport dataclass written in this module; "
        "the values are bind parameters"
    ),
    ("db/queries/community.py", "getattr(report, name)"): (
        "the values of the insert, passed as bind parameters (the scanner sees the dict that "
        "also gives the column names)"
    ),
    (
        "db/migrations/versions/0019_i_public_community_reports.py",
        "body.replace('AS $$', 'SECURITY DEFINER SET search_path = pg_catalog AS $$', 1)",
    ): "the bodies of the functions are the migration's own literal table (_FUNCTIONS)",
    (
        "db/migrations/versions/0019_i_public_community_reports.py",
        "signature.split('(')",
    ): "the names of the functions are the keys of the migration's own literal table",
    ("db/migrations/versions/0017_i_sealedrow_alert_content.py", "_neutral_title()"): (
        "a CASE over the migration's own literal table of alert kinds and their neutral titles "
        "(quotes doubled); no input reaches it"
    ),
}


@cache
def _findings() -> tuple[Finding, ...]:
    return tuple(scan_tree(SRC))


def _pieces(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.path, f.piece) for f in findings}


def test_no_sql_is_built_from_strings_outside_the_reasoned_allow_list() -> None:
    findings = _findings()
    unexplained = [str(f) for f in findings if (f.path, f.piece) not in ALLOWED]
    assert unexplained == [], (
        "SQL built from a value the module did not write: pass it as a bind parameter "
        "(:name), or quote identifiers with psycopg.sql; if it is safe, add it to ALLOWED "
        "with the reason"
    )


def test_every_allowed_piece_is_still_in_the_code() -> None:
    # A stale entry would let the same text back in elsewhere in that file unexamined.
    assert set(ALLOWED) <= _pieces(list(_findings()))


def _scan(tmp_path: Path, code: str) -> list[str]:
    path = tmp_path / "snippet.py"
    path.write_text(textwrap.dedent(code))
    return [f.piece for f in scan_source(path, "snippet.py")]


def test_the_scan_catches_sql_built_with_an_f_string(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        """
        def find(session, name):
            return session.execute(text(f"SELECT * FROM person WHERE name = '{name}'"))
        """,
    )
    assert found == ["name"]


def test_the_scan_catches_percent_format_join_and_concatenation(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        """
        def a(session, order):
            session.execute(text("SELECT * FROM clock ORDER BY %s" % order))

        def b(session, table):
            session.execute(text("DELETE FROM {t}".format(t=table)))

        def c(cursor, where):
            cursor.execute("SELECT 1 FROM x WHERE " + where)

        def d(session, columns):
            session.execute(text("SELECT " + ", ".join(columns) + " FROM x"))
        """,
    )
    assert sorted(found) == ["columns", "order", "table", "where"]


def test_the_scan_follows_a_statement_kept_in_a_variable(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        """
        def find(session, ref):
            query = f"SELECT * FROM agency_record WHERE record_ref = '{ref}'"
            return session.execute(text(query))
        """,
    )
    assert found == ["ref"]


def test_a_private_helper_is_caught_when_one_caller_passes_run_time_text(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        """
        _ROWS = "SELECT * FROM person_mention m WHERE {where}"

        def _where(session, where):
            return session.execute(text(_ROWS.format(where=where)))

        def written_here(session):
            return _where(session, "m.id <= :upto")

        def from_the_caller(session, clause):
            return _where(session, clause)
        """,
    )
    assert found == ["clause"]


def test_sql_written_in_the_module_passes(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        """
        _COLUMNS = "id, name"
        _STATES = "ARRAY[" + ",".join(f"'{s}'" for s in ("open", "closed")) + "]"
        TABLES = ("identity_block_key", "identity_candidate")

        def _clauses(person):
            clauses = ["true"]
            if person:
                clauses.append("person_id = :p")
            return " AND ".join(clauses), {"p": person}

        def read(session, team_id, by, person, threads):
            team = "AND team_id = :team" if team_id is not None else ""
            group = {"team": "t.name", "agency": "a.name"}[by]
            where, params = _clauses(person)
            session.execute(text(f"SELECT {_COLUMNS}, {group} FROM x WHERE {where} {team}"))
            session.execute(text(f"SELECT {_STATES}[1] LIMIT {int(threads)}"))
            for table in TABLES:
                session.execute(text(f"DELETE FROM {table} WHERE id = ANY(:ids)"))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(person)))
        """,
    )
    assert found == []
