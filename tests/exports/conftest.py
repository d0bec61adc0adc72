"""Export tests: the access tests' people and cases, a child named alongside third parties, and
the export permission for the case-work roles."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.uow import unit_of_work
from safehub.services.casework.cases import open_case
from tests.access.conftest import OTHER, OWN, SYSTEM, World, module_db, world
from tests.factories import extract_row
from tests.web.conftest import client, signed_in
from tests.web.helpers import import_rows

__all__ = ["client", "module_db", "signed_in", "world"]

# Starts like a formula: a spreadsheet would run it if the export did not escape it.
FORMULA = '=HYPERLINK("http://attacker.example","Open")'


@dataclass
class ExportWorld:
    """The access world, plus a case about Amy, named in a council record with two third parties
    (her brother and the man suspected of exploiting her), and a case whose second child is
    restricted by the police (a protected witness), and a case of two children."""

    base: World
    sar_case: int
    restricted_case: int
    pair_case: int
    amy: int

    def actor(self, role: str = "social_worker", agency: str = OWN) -> Actor:
        user_id = self.base.users[f"{role}@{agency}"]
        return Actor(
            f"user:{user_id}:{role}@{agency.lower()}",
            user_id=user_id,
            agency_id=self.base.agencies[agency],
            role=role,
        )


def _amy_rows() -> list[dict[str, str]]:
    council = {
        "agency_code": OWN,
        "agency_type": "social_care",
        "record_type": "referral",
        "record_id": "R-AMY",
        "record_date": "2025-05-02",
        "narrative": "Amy Hussain was collected from school by Mohammed Khan. Her brother "
        "Tom Hussain says Mohammed drives a grey car.",
        "location_name": "Oakfield Academy",
    }
    return [
        extract_row(
            **council,
            person_ref="C-AMY",
            given_names="Amy",
            family_name="Hussain",
            date_of_birth="2011-02-03",
        ),
        extract_row(
            **council,
            person_ref="C-KHAN",
            person_role="suspect",
            given_names="Mohammed",
            family_name="Khan",
            date_of_birth="1988",
        ),
        extract_row(
            **council,
            person_ref="C-TOM",
            person_role="witness",
            given_names="Tom",
            family_name="Hussain",
            date_of_birth="2008",
        ),
        extract_row(
            agency_code=OWN,
            agency_type="social_care",
            record_type="assessment",
            record_id="A-AMY",
            record_date="2025-05-09",
            person_ref="C-AMY",
            given_names="Amy",
            family_name="Hussain",
            date_of_birth="2011-02-03",
            narrative=FORMULA,
        ),
    ]


@pytest.fixture(scope="module")
def export_world(world: World) -> ExportWorld:
    import_rows(world.db, Path(tempfile.mkdtemp(prefix="safehub-exports-")), _amy_rows())
    with world.db.owner_engine.connect() as conn:
        for ref, pid in conn.execute(text("SELECT person_ref, person_id FROM agency_person")).all():
            world.people[ref] = pid
    own_staff = [u for k, u in world.users.items() if k.endswith(f"@{OWN}")]
    p, a = world.people, world.agencies
    with unit_of_work(world.db, actor=SYSTEM) as uow:
        sar = open_case(
            uow, title="Amy", children=[p["C-AMY"]], agency_ids=[a[OWN]], member_ids=own_staff
        )
        restricted = open_case(
            uow,
            title="Two children",
            children=[p["C-OWN"], p["P-RESTRICTED"]],
            agency_ids=[a[OWN], a[OTHER]],
            member_ids=own_staff,
        )
        pair = open_case(
            uow,
            title="Amy and Olivia",
            children=[p["C-AMY"], p["C-OWN"]],
            agency_ids=[a[OWN]],
            member_ids=own_staff,
        )
        uow.commit()
    return ExportWorld(world, sar.id, restricted.id, pair.id, p["C-AMY"])
