"""Whether a row names the person reaches the network rules from the database as it does from
files: two men each seen once with no address, sharing a phone, are two men when named and one
phone seen twice when nameless (``groups.sighting_alias``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from safehub.db.database import Database
from tests.factories import extract_row
from tests.networks_db.helpers import owner_rows, run_jobs
from tests.web.helpers import import_rows

MEN = (("Dean", "Walsh"), ("Ryan", "Cole"))
CHILDREN = (("Aisha", "Hussain", "2011-07-03"), ("Lucy", "Green", "2012-02-14"))


def _two_reports(named: bool) -> list[dict[str, str]]:
    """Two crime reports, each of one man with the same phone and one child, a month apart."""
    rows = []
    for n, ((given, family), (child, surname, born)) in enumerate(zip(MEN, CHILDREN, strict=True)):
        common = {
            "record_id": f"CR-{n + 1}",
            "record_date": f"2025-0{n + 3}-01",
            "offence_code": "22B",
            "area_code": "E08000032",
        }
        rows += [
            extract_row(
                person_ref=f"S-{n + 1}",
                person_role="suspect",
                given_names=given if named else "",
                family_name=family if named else "",
                date_of_birth="1981-06-02" if n == 0 else "1985-09-14",
                phone="07700 900123",
                **common,
            ),
            extract_row(
                person_ref=f"V-{n + 1}",
                given_names=child,
                family_name=surname,
                date_of_birth=born,
                **common,
            ),
        ]
    return rows


@pytest.mark.parametrize(("named", "groups"), [(True, 1), (False, 0)])
def test_two_men_seen_once_sharing_a_phone_are_a_group_only_when_named(
    app_db: Database, tmp_path: Path, named: bool, groups: int
) -> None:
    import_rows(app_db, tmp_path, _two_reports(named))
    run_jobs(app_db)
    found = owner_rows(
        app_db,
        "SELECT g.code, count(m.person_id) FROM network_group g "
        "JOIN network_group_member m ON m.group_id = g.id GROUP BY g.code",
    )
    assert len(found) == groups
    if groups:
        assert found[0][1] == 4
