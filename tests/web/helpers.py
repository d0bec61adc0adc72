"""Putting agency records and a case into the test database through the real services."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.extracts import read_extracts
from safehub.services.casework.cases import open_case
from safehub.services.imports import import_extracts
from tests.factories import extract_row, write_extract

SYSTEM = Actor(label="system:test")


def import_rows(db: Database, folder: Path, rows: list[dict[str, str]]) -> None:
    path = write_extract(folder / "extract.csv", rows)
    batch = read_extracts([path])
    assert batch.ok, batch.errors
    with unit_of_work(db, actor=SYSTEM) as uow:
        import_extracts(uow, batch=batch, files=[str(path)])
        uow.commit()


def person_id(db: Database, agency: str, ref: str) -> int:
    with db.owner_engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT ap.person_id FROM agency_person ap JOIN agency a ON a.id = ap.agency_id "
                    "WHERE a.code = :a AND ap.person_ref = :r"
                ),
                {"a": agency, "r": ref},
            ).scalar_one()
        )


def aisha_across_agencies(db: Database, folder: Path) -> list[int]:
    """A child known to the police and to social care, and the adult suspected of abusing her."""
    import_rows(
        db,
        folder,
        [
            extract_row(
                narrative="Missing overnight; found in a car with an adult male.",
                indicators="missing;taxis_cars",
                phone="07700 900123",
            ),
            extract_row(
                person_ref="P-2",
                person_role="suspect",
                given_names="Mohammed",
                family_name="Khan",
                date_of_birth="1990",
                vehicle_registration="YX19 ABC",
            ),
            extract_row(
                agency_code="LA-BRADFORD",
                agency_type="social_care",
                record_id="REF-9",
                record_type="referral",
                record_date="2025-02-10",
                person_ref="C-77",
                person_role="subject",
                given_names="Ayesha",
                family_name="Hussein",
                date_of_birth="2011-07",
                narrative="School raised concerns about an older boyfriend.",
            ),
        ],
    )
    return [person_id(db, "POL-WY", "P-1"), person_id(db, "LA-BRADFORD", "C-77")]


def case_for(db: Database, children: list[int], members: list[str]) -> int:
    with unit_of_work(db, actor=SYSTEM) as uow:
        user_ids = [
            uow.session.execute(
                text("SELECT id FROM app_user WHERE username = :u"), {"u": m}
            ).scalar_one()
            for m in members
        ]
        agencies = list(uow.session.execute(text("SELECT id FROM agency")).scalars())
        case = open_case(
            uow,
            title="Child sexual exploitation concerns",
            children=children,
            agency_ids=agencies,
            member_ids=user_ids,
        )
        uow.commit()
        return case.id


def share_between_demo_agencies(db: Database) -> None:
    """Information-sharing agreements as the demo has them (police and social care share)."""
    from safehub.services.sharing.agreements import seed_demo_agreements

    with unit_of_work(db, actor=SYSTEM) as uow:
        seed_demo_agreements(uow)
        uow.commit()


def second_council(db: Database) -> int:
    """Rochdale's children's social care joins the partnership (West Yorkshire Police covers
    neither its area nor only Bradford's): the id of the new agency."""
    from safehub.services.agencies import AgencyEntry, register_agencies

    with unit_of_work(db, actor=Actor(label="system:test")) as uow:
        (council,) = register_agencies(
            uow,
            entries=[
                AgencyEntry(
                    "LA-ROCHDALE",
                    "social_care",
                    "Rochdale Children's Social Care",
                    "E08000005",
                    "Rochdale",
                )
            ],
        )
        uow.commit()
        return council.id
