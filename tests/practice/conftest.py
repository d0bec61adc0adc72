"""Fixtures for the practice tests: the web client and browser fixtures, shared from their
folders, and a child on a case with a case team."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from safehub.db.database import Database
from tests.web.conftest import client, signed_in
from tests.web.helpers import case_for, import_rows, person_id

__all__ = ["client", "signed_in"]


@dataclass(frozen=True)
class ChildOnCase:
    person_id: int
    case_id: int


@pytest.fixture
def child_on_case(app_db: Database, tmp_path: Path) -> ChildOnCase:
    """A 13-year-old known to the police, on a case that both test agencies are involved in."""
    import_rows(
        app_db,
        tmp_path,
        [
            {
                "agency_code": "POL-WY",
                "agency_type": "police",
                "record_id": "CR-1",
                "record_type": "missing_episode",
                "record_date": "2025-03-01",
                "person_ref": "P-1",
                "person_role": "subject",
                "given_names": "Amy",
                "family_name": "Walsh",
                "date_of_birth": "2012-01-05",
                "indicators": "missing;taxis_cars",
            }
        ],
    )
    child = person_id(app_db, "POL-WY", "P-1")
    return ChildOnCase(child, case_for(app_db, [child], []))
