"""/api/v1/oversight: the portal's JSON over the same services, in the OpenAPI document, under
the same disclosure control, refused to staff without the permission, and logged in the
register like the pages."""

from __future__ import annotations

from collections.abc import Callable

from safehub.db.database import Database
from tests.oversight_portal.conftest import SECRETS, CaseOnFile
from tests.web.conftest import PageClient


def test_the_oversight_endpoints_are_in_the_openapi_document(inspector: PageClient) -> None:
    operations = {
        op["operationId"]
        for path in inspector.get("/api/v1/openapi.json").json()["paths"].values()
        for op in path.values()
    }
    assert {
        "oversight_dashboard",
        "oversight_league",
        "oversight_area",
        "oversight_disparities",
        "oversight_register",
        "draw_oversight_sample",
        "get_oversight_sample_file",
        "record_oversight_findings",
    } <= operations


def test_the_league_and_area_answer_with_published_values(inspector: PageClient) -> None:
    league = inspector.get(
        "/api/v1/oversight/league", params={"measure": "referral_decided_1wd", "period": "2025"}
    ).json()
    assert [
        (r["rank"], r["figure"]["area_name"], r["figure"]["value"]) for r in league["rows"]
    ] == [
        (1, "Bradford", 90.0),
        (None, "Kirklees", "c"),
    ]
    area = inspector.get("/api/v1/oversight/areas/local_authority/E08000032?period=2025").json()
    trend = next(t for t in area["trends"] if t["measure"]["code"] == "referral_decided_1wd")
    assert [(m["month"], m["value"], m["n"]) for m in trend["months"]] == [
        ("2025-01-01", 95.0, 200),
        ("2025-02-01", 80.0, 100),
    ]
    assert trend["measure"]["owner"] == "Director of children's services"


def test_a_bad_period_is_a_422_naming_the_field(inspector: PageClient) -> None:
    response = inspector.get("/api/v1/oversight/dashboard?period=2025-13")
    assert response.status_code == 422 and "period:" in response.json()["detail"]


def test_year_0_is_a_422_naming_the_period_not_a_server_error(inspector: PageClient) -> None:
    # Found by fuzzing: "0000" matched the form but has no calendar date (ValueError, a 500).
    for path in (
        "/api/v1/oversight/dashboard",
        "/api/v1/oversight/league",
        "/api/v1/oversight/areas/local_authority/E08000032",
    ):
        for period in ("0000", "0000-06"):
            response = inspector.get(path, params={"period": period})
            assert response.status_code == 422, (path, period, response.text)
            assert "period:" in response.json()["detail"]


def test_disparities_publish_c_for_a_small_group(inspector: PageClient) -> None:
    body = inspector.get("/api/v1/oversight/disparities").json()
    mixed = next(d for d in body["disparities"] if d["group"] == "Mixed")
    assert (mixed["n"], mixed["value"], mixed["ci_low"]) == ("c", "c", "c")
    asian = next(d for d in body["disparities"] if d["group"] == "Asian")
    assert (asian["n"], asian["value"], asian["flagged"]) == (120, 0.62, True)
    assert any(s["significant"] for s in body["statements"])


def test_an_inspector_draws_a_sample_reads_a_file_and_records_findings(
    inspector: PageClient, case_on_file: CaseOnFile
) -> None:
    headers = {"X-CSRF-Token": inspector.csrf("/oversight")}
    drawn = inspector.post(
        "/api/v1/oversight/samples",
        json={"size": 2, "period_start": "2020-01-01", "period_end": "2030-12-31", "seed": 7},
        headers=headers,
    )
    assert drawn.status_code == 201, drawn.text
    sample = drawn.json()
    assert sample["seed"] == 7 and [f["position"] for f in sample["files"]] == [1]
    file = inspector.get(f"/api/v1/oversight/samples/{sample['id']}/files/1")
    assert file.status_code == 200
    for secret in SECRETS:
        assert secret not in file.text, secret
    answers = dict.fromkeys(
        (
            "referral_decided_in_time",
            "strategy_discussion_held",
            "childs_voice_recorded",
            "no_victim_blaming",
            "actions_completed",
        ),
        "yes",
    )
    refused = inspector.put(
        f"/api/v1/oversight/samples/{sample['id']}/files/1/findings",
        json={"answers": {**answers, "actions_completed": "no"}},
        headers=headers,
    )
    assert refused.status_code == 422 and "actions_completed_comment" in refused.text
    saved = inspector.put(
        f"/api/v1/oversight/samples/{sample['id']}/files/1/findings",
        json={"answers": answers},
        headers=headers,
    )
    assert saved.status_code == 204
    findings = inspector.get(f"/api/v1/oversight/samples/{sample['id']}/files/1").json()
    assert {f["answer"] for f in findings["findings"]} == {"yes"}
    register = inspector.get("/api/v1/oversight/register").json()
    assert any(
        e["query"] == "audit_sample" and e["parameters"]["seed"] == 7 and e["rows_returned"] == 1
        for e in register
    )


def test_staff_without_the_permission_are_refused_the_api(
    signed_in: Callable[..., PageClient], facts: Database
) -> None:
    worker = signed_in("social_worker", "LA-BRADFORD")
    assert worker.get("/api/v1/oversight/dashboard").status_code == 404
    assert worker.get("/api/v1/oversight/register").status_code == 404
    manager = signed_in("team_manager", "LA-BRADFORD")
    assert manager.get("/api/v1/oversight/dashboard").status_code == 200
    headers = {"X-CSRF-Token": manager.csrf("/")}
    drawn = manager.post(
        "/api/v1/oversight/samples",
        json={"size": 1, "period_start": "2020-01-01", "period_end": "2030-12-31"},
        headers=headers,
    )
    assert drawn.status_code == 404


def test_the_api_holds_a_blaming_comment_until_it_is_sent_with_a_language_reason(
    inspector: PageClient, case_on_file: CaseOnFile
) -> None:
    headers = {"X-CSRF-Token": inspector.csrf("/oversight")}
    drawn = inspector.post(
        "/api/v1/oversight/samples",
        json={"size": 1, "period_start": "2020-01-01", "period_end": "2030-12-31"},
        headers=headers,
    )
    assert drawn.status_code == 201, drawn.text
    path = f"/api/v1/oversight/samples/{drawn.json()['id']}/files/1"
    answers = dict.fromkeys(
        (
            "referral_decided_in_time",
            "strategy_discussion_held",
            "childs_voice_recorded",
            "no_victim_blaming",
        ),
        "yes",
    )
    body = {
        "answers": {**answers, "actions_completed": "no"},
        "comments": {"actions_completed": "Closed because she is not engaging"},
    }
    held = inspector.put(f"{path}/findings", json=body, headers=headers)
    assert held.status_code == 422 and "not engaging" in held.text
    assert "language_reason" in held.text
    no_reason = inspector.put(
        f"{path}/findings", json={**body, "save_anyway": True}, headers=headers
    )
    assert no_reason.status_code == 422 and "language_reason" in no_reason.text
    assert inspector.get(path).json()["findings"] == []
    kept = {**body, "save_anyway": True, "language_reason": "The file's own words"}
    assert inspector.put(f"{path}/findings", json=kept, headers=headers).status_code == 204
    findings = inspector.get(path).json()["findings"]
    assert {f["comment"] for f in findings if f["comment"]} == {
        "Closed because she is not engaging"
    }
