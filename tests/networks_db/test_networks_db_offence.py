"""A crime report's offence code reaches the network rules from the database as it does from files:
a sexual offence makes the record one that points to exploitation, an everyday crime does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from safehub.db.database import Database
from tests.factories import extract_row
from tests.networks_db.helpers import owner_rows, run_jobs
from tests.web.helpers import import_rows


def _two_adults_and_a_child(offence: str) -> list[dict[str, str]]:
    common = {"record_id": "CR-7", "offence_code": offence, "area_code": "E08000032"}
    return [
        extract_row(
            person_ref="S-1",
            person_role="suspect",
            given_names="Dean",
            family_name="Walsh",
            date_of_birth="1981-06-02",
            **common,
        ),
        extract_row(
            person_ref="S-2",
            person_role="suspect",
            given_names="Ryan",
            family_name="Cole",
            date_of_birth="1985-09-14",
            **common,
        ),
        extract_row(person_ref="V-1", person_role="victim", **common),
    ]


def _stored_groups(db: Database) -> list[tuple[object, ...]]:
    return owner_rows(
        db,
        "SELECT g.code, count(m.person_id) FROM network_group g "
        "JOIN network_group_member m ON m.group_id = g.id GROUP BY g.code",
    )


@pytest.mark.parametrize(("offence", "groups"), [("22B", 1), ("34B", 0)])
def test_the_offence_code_decides_whether_a_record_with_no_indicators_forms_a_group(
    app_db: Database, tmp_path: Path, offence: str, groups: int
) -> None:
    # 22B is a sexual offence against a child; 34B a robbery: the same three people, no indicators.
    import_rows(app_db, tmp_path, _two_adults_and_a_child(offence))
    run_jobs(app_db)
    found = _stored_groups(app_db)
    assert len(found) == groups
    if groups:
        assert found[0][1] == 3
