"""Rows and database look-ups shared by the identity tests."""

from __future__ import annotations

from sqlalchemy import text

from safehub.db.database import Database
from tests.factories import extract_row


def aisha_rows() -> list[dict[str, str]]:
    """A child known to the police and to social care (spelt differently), and an adult suspect."""
    return [
        extract_row(phone="07700 900123", postcode="BD1 1AA"),
        extract_row(
            person_ref="P-2",
            person_role="suspect",
            given_names="Mohammed",
            family_name="Khan",
            date_of_birth="1990-05-01",
            postcode="BD3 9QS",
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
            postcode="BD1 1AA",
            phone="+44 7700 900123",
        ),
    ]


def second_batch_rows() -> list[dict[str, str]]:
    """Health sees the same child; social care records a man of the same name and birthday."""
    return [
        extract_row(
            agency_code="NHS-BTH",
            agency_type="health",
            record_id="A-1",
            record_type="health_attendance",
            record_date="2025-04-02",
            person_ref="H-5",
            person_role="subject",
            given_names="Aisha",
            family_name="Husain",
            postcode="BD1 1AA",
            phone="07700900123",
        ),
        extract_row(
            agency_code="LA-BRADFORD",
            agency_type="social_care",
            record_id="REF-12",
            record_type="referral",
            record_date="2025-04-05",
            person_ref="C-90",
            person_role="associate",
            given_names="Mohammed",
            family_name="Khan",
            date_of_birth="1990-05-01",
        ),
    ]


def person_of(db: Database, agency: str, ref: str) -> int:
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


def audit_actions(db: Database, object_type: str) -> list[tuple[str, list[str]]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT action, object_ids FROM audit_event WHERE object_type = :t ORDER BY id"),
            {"t": object_type},
        ).all()
    return [(r[0], r[1]) for r in rows]


def _adult(agency: str, ref: str, record: str, role: str, **values: str) -> dict[str, str]:
    kind = {
        "POL-WY": ("police", "crime_report"),
        "LA-BRADFORD": ("social_care", "referral"),
        "NHS-BTH": ("health", "health_attendance"),
    }[agency]
    return extract_row(
        agency_code=agency,
        agency_type=kind[0],
        record_id=record,
        record_type=kind[1],
        record_date="2025-01-10",
        person_ref=ref,
        person_role=role,
        **values,
    )


_GARETH = {"given_names": "Gareth", "family_name": "Pemberton"}
_IMOGEN = {"given_names": "Imogen", "family_name": "Fairweather"}


def nothing_at_stake_rows() -> list[dict[str, str]]:
    """Two adults no one is concerned about, each held twice without enough to link: a parent
    twice in social care, a witness at the police and at health."""
    return [
        _adult(
            "LA-BRADFORD",
            "W-1",
            "REF-40",
            "parent_carer",
            **_GARETH,
            date_of_birth="1978-02-14",
            postcode="BD5 0AB",
            phone="07700 900555",
        ),
        _adult(
            "LA-BRADFORD",
            "W-2",
            "REF-41",
            "parent_carer",
            **_GARETH,
            date_of_birth="",
            postcode="LS1 4AP",
        ),
        _adult(
            "POL-WY",
            "W-3",
            "CR-40",
            "witness",
            **_IMOGEN,
            date_of_birth="1985-09-30",
            postcode="BD7 2LL",
            phone="07700 900777",
        ),
        _adult(
            "NHS-BTH", "W-4", "A-40", "witness", **_IMOGEN, date_of_birth="", postcode="LS2 9JT"
        ),
    ]


def nothing_at_stake_second_rows() -> list[dict[str, str]]:
    """Each second record now matches the first in full: the two people already held go to
    review ("already known apart") almost certainly the same, with nothing at stake but the
    witness's two agencies."""
    return [
        _adult(
            "LA-BRADFORD",
            "W-2",
            "REF-42",
            "parent_carer",
            **_GARETH,
            date_of_birth="1978-02-14",
            postcode="BD5 0AB",
            phone="07700 900555",
        ),
        _adult(
            "NHS-BTH",
            "W-4",
            "A-41",
            "witness",
            **_IMOGEN,
            date_of_birth="1985-09-30",
            postcode="BD7 2LL",
            phone="07700 900777",
        ),
    ]
