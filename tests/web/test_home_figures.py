"""The home page's "In Safehub" figures are the database's estimates (said to be such), read
without counting rows: at a million mentions, a count under row-level security took minutes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from safehub.db.database import Database
from tests.factories import extract_row
from tests.web.conftest import PageClient
from tests.web.helpers import import_rows


def test_the_home_page_shows_about_how_many_records_the_hub_holds_once_analysed(
    app_db: Database, signed_in: Callable[..., PageClient], tmp_path: Path
) -> None:
    import_rows(
        app_db,
        tmp_path,
        [extract_row(record_id=f"CR-{n}", person_ref=f"P-{n}") for n in range(1, 4)],
    )
    with app_db.owner_engine.connect() as conn:
        conn.execute(text("ANALYZE agency_record, person_mention, person"))
        conn.commit()
    home = signed_in("social_worker").get("/")
    assert home.status_code == 200
    figures = home.text[home.text.index("In Safehub") :]
    # Three records, estimated after ANALYZE, and said to be an estimate.
    assert re.search(r"Agency records\s*</dt>\s*<dd[^>]*>\s*about 3\s*</dd>", figures), figures
    assert re.search(r"People in records\s*</dt>\s*<dd[^>]*>\s*about 3\s*</dd>", figures)
