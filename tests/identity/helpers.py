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
