"""Audit samples: drawn at random with a seed, each file a pseudonymised, redacted snapshot made
by the system when drawn, with no case id the oversight role could go back with; findings
recorded against a checklist with an error summary."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from safehub.db.database import Database
from tests.factories import extract_row
from tests.oversight_portal.conftest import SECRETS, CaseOnFile
from tests.web.conftest import PageClient
from tests.web.helpers import case_for, import_rows, person_id

PERIOD = {"period_start": "2020-01-01", "period_end": "2030-12-31"}


def _draw(client: PageClient, **values: str) -> str:
    token = client.csrf("/oversight/samples/new")
    response = client.post(
        "/oversight/samples",
        data={"csrf_token": token, "size": "5", "statuses": "both", **PERIOD, **values},
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _snapshots(db: Database) -> list[dict[str, object]]:
    with db.owner_engine.connect() as conn:
        return list(
            conn.execute(text("SELECT snapshot FROM oversight_sample_file ORDER BY id")).scalars()
        )


def test_a_drawn_file_is_pseudonymised_and_redacted(
    inspector: PageClient, case_on_file: CaseOnFile, app_db: Database
) -> None:
    sample = _draw(inspector)
    page = inspector.get(f"{sample}/files/1")
    assert page.status_code == 200
    (snapshot,) = _snapshots(app_db)
    stored = json.dumps(snapshot)
    for secret in SECRETS:
        assert secret not in stored and secret not in page.text, secret
    assert "Child A" in page.text and "Adult 1" in page.text
    note = next(e for e in snapshot["events"] if e["kind"] == "note")  # type: ignore[index, union-attr]
    assert note["by"] == "Social worker"
    assert note["text"] == (
        "Child A told me her boyfriend [name] ([phone], [email]) picks her up in [registration] "
        "and takes her to [address], Bradford [postcode]. Adult 1 was there."
    )


def test_a_snapshot_holds_no_case_id_reference_or_ethnicity(
    inspector: PageClient, case_on_file: CaseOnFile, app_db: Database
) -> None:
    _draw(inspector)
    stored = json.dumps(_snapshots(app_db))
    assert case_on_file.reference not in stored
    assert not re.search(rf'"(case_id|person_id|id)": {case_on_file.case_id}\b', stored)
    assert "ethnic" not in stored.lower() and "nationality" not in stored.lower()
    with app_db.owner_engine.connect() as conn:
        columns = set(
            conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns WHERE table_name IN "
                    "('oversight_sample', 'oversight_sample_file', 'oversight_finding')"
                )
            ).scalars()
        )
    assert not {"case_id", "person_id", "referral_id", "record_id"} & columns


def test_the_same_seed_draws_the_same_files_and_the_dpo_sees_which(
    inspector: PageClient, app_db: Database, tmp_path: Path
) -> None:
    rows = [
        extract_row(record_id=f"CR-{i}", person_ref=f"P-{i}", given_names=f"Child{i}")
        for i in range(6)
    ]
    import_rows(app_db, tmp_path, rows)
    for i in range(6):
        case_for(app_db, [person_id(app_db, "POL-WY", f"P-{i}")], [])
    _draw(inspector, size="3", seed="42")
    _draw(inspector, size="3", seed="42")
    with app_db.owner_engine.connect() as conn:
        drawn = (
            conn.execute(
                text(
                    "SELECT object_ids FROM audit_event WHERE action = 'oversight_sample' ORDER BY id"
                )
            )
            .scalars()
            .all()
        )
        seeds = conn.execute(text("SELECT seed, eligible FROM oversight_sample")).all()
    assert len(drawn) == 2 and drawn[0] == drawn[1] and len(drawn[0]) == 3
    assert [tuple(s) for s in seeds] == [(42, 6), (42, 6)]


def test_a_draw_with_mistakes_shows_an_error_summary_naming_each_field(
    inspector: PageClient, case_on_file: CaseOnFile
) -> None:
    token = inspector.csrf("/oversight/samples/new")
    page = inspector.post(
        "/oversight/samples",
        data={
            "csrf_token": token,
            "size": "0",
            "period_start": "2025-12-31",
            "period_end": "2025-01-01",
            "statuses": "both",
            "seed": "abc",
        },
    )
    assert page.status_code == 400
    assert "There is a problem" in page.text
    for anchor in ("#size", "#period_end", "#seed"):
        assert f'href="{anchor}"' in page.text
    nothing = inspector.post(
        "/oversight/samples",
        data={
            "csrf_token": token,
            "size": "3",
            "statuses": "both",
            "period_start": "2001-01-01",
            "period_end": "2001-12-31",
        },
    )
    assert nothing.status_code == 400 and "No case was opened in that period" in nothing.text


def test_findings_are_recorded_against_the_checklist_with_an_error_summary(
    inspector: PageClient, case_on_file: CaseOnFile, app_db: Database
) -> None:
    sample = _draw(inspector)
    url = f"{sample}/files/1"
    token = inspector.csrf(url)
    missing = inspector.post(url, data={"csrf_token": token, "referral_decided_in_time": "no"})
    assert missing.status_code == 400 and "There is a problem" in missing.text
    assert 'href="#referral_decided_in_time_comment"' in missing.text
    assert 'href="#childs_voice_recorded"' in missing.text
    answers = {
        "referral_decided_in_time": "no",
        "referral_decided_in_time_comment": "Decided on day 3; call 07700 900999 not returned",
        "strategy_discussion_held": "not_applicable",
        "childs_voice_recorded": "yes",
        "no_victim_blaming": "yes",
        "actions_completed": "yes",
    }
    saved = inspector.post(url, data={"csrf_token": token, **answers})
    assert saved.status_code == 303
    assert "Reviewed" in inspector.get(sample).text
    with app_db.owner_engine.connect() as conn:
        found = {
            r[0]: r[1]
            for r in conn.execute(
                text("SELECT question, coalesce(comment, answer) FROM oversight_finding")
            )
        }
    assert found["childs_voice_recorded"] == "yes"
    assert found["referral_decided_in_time"] == "Decided on day 3; call [phone] not returned"


def test_only_the_oversight_body_draws_samples(
    signed_in: Callable[..., PageClient], case_on_file: CaseOnFile
) -> None:
    manager = signed_in("team_manager", "LA-BRADFORD")
    assert manager.get("/oversight/samples/new").status_code == 404
    token = manager.csrf("/")
    refused = manager.post("/oversight/samples", data={"csrf_token": token, "size": "1", **PERIOD})
    assert refused.status_code == 404


BLAMING_COMMENT = "Not seen for weeks; she keeps going back to him and is not engaging"
KEPT = "This is how the plan describes her; the finding is that nobody acted on it"


def _findings(db: Database) -> dict[str, tuple[str | None, object, str | None]]:
    with db.owner_engine.connect() as conn:
        return {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                text(
                    "SELECT question, comment, language_flags, language_reason "
                    "FROM oversight_finding"
                )
            )
        }


def test_a_comment_that_blames_the_child_is_held_and_saved_only_with_a_reason(
    inspector: PageClient, case_on_file: CaseOnFile, app_db: Database
) -> None:
    url = f"{_draw(inspector)}/files/1"
    form = {
        "csrf_token": inspector.csrf(url),
        "referral_decided_in_time": "yes",
        "strategy_discussion_held": "not_applicable",
        "childs_voice_recorded": "yes",
        "no_victim_blaming": "yes",
        "actions_completed": "no",
        "actions_completed_comment": BLAMING_COMMENT,
    }
    held = inspector.post(url, data=form)
    assert held.status_code == 200 and "Language check" in held.text
    assert "going back" in held.text and "Save anyway" in held.text
    assert _findings(app_db) == {}, "nothing is kept while the comment is held"
    asked = inspector.post(url, data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    assert _findings(app_db) == {}
    kept = inspector.post(url, data={**form, "save_anyway": "yes", "language_reason": KEPT})
    assert kept.status_code == 303
    found = _findings(app_db)
    comment, flags, reason = found["actions_completed"]
    assert comment == BLAMING_COMMENT and reason == KEPT
    assert isinstance(flags, list) and any(f["severity"] == "error" for f in flags)
    assert found["childs_voice_recorded"] == (None, None, None), "an unflagged answer keeps none"


def test_a_clean_comment_is_saved_at_once(
    inspector: PageClient, case_on_file: CaseOnFile, app_db: Database
) -> None:
    url = f"{_draw(inspector)}/files/1"
    clean = "Actions agreed on day 4 were not done until day 30"
    form = {
        "csrf_token": inspector.csrf(url),
        "referral_decided_in_time": "yes",
        "strategy_discussion_held": "not_applicable",
        "childs_voice_recorded": "yes",
        "no_victim_blaming": "yes",
        "actions_completed": "no",
        "actions_completed_comment": clean,
    }
    assert inspector.post(url, data=form).status_code == 303
    assert _findings(app_db)["actions_completed"] == (clean, None, None)
