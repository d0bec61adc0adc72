"""What the API answers when a request is refused: documented, and never a 500 for bad input.

Each was found by fuzzing the API (``test_api_fuzz.py``)."""

from __future__ import annotations

from collections.abc import Callable

from tests.web.conftest import PageClient

PAST_BIGINT = 2**63  # one past the largest id PostgreSQL can hold


def test_every_operation_documents_the_errors_it_can_answer(client: PageClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "422"):
                answer = operation["responses"].get(status)
                assert answer is not None, f"{method} {path} does not document {status}"
                schema = answer["content"]["application/json"]["schema"]
                refs = [schema.get("$ref")] + [s.get("$ref") for s in schema.get("anyOf", [])]
                assert "#/components/schemas/ApiError" in refs, f"{method} {path} {status}"


def test_an_answer_without_a_session_has_the_documented_shape(client: PageClient) -> None:
    answer = client.get("/api/v1/stats")
    assert answer.status_code == 401
    assert set(answer.json()) <= {"error", "detail", "request_id"}


def test_an_id_past_the_database_range_is_refused_naming_it(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in()
    answer = client.get(f"/api/v1/cases/{PAST_BIGINT}")
    assert answer.status_code == 422
    assert any(d.startswith("case_id:") for d in answer.json()["detail"])


def test_a_page_past_any_list_is_refused_naming_it(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in()
    for path in ("/api/v1/inbox", "/api/v1/alerts"):
        answer = client.get(path, params={"page": PAST_BIGINT})
        assert answer.status_code == 422, path
        assert any(d.startswith("page:") for d in answer.json()["detail"]), path


def test_ids_in_a_body_past_the_database_range_are_refused_naming_them(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in()
    answer = client.post(
        "/api/v1/meetings",
        headers={"X-CSRF-Token": client.csrf("/")},
        json={
            "case_id": PAST_BIGINT,
            "kind": "strategy_discussion",
            "title": "Strategy discussion",
            "scheduled_for": "2026-01-05T10:00:00Z",
            "agency_ids": [1, PAST_BIGINT],
        },
    )
    assert answer.status_code == 422
    fields = {d.split(":")[0] for d in answer.json()["detail"]}
    assert {"case_id", "agency_ids.1"} <= fields


def test_a_nul_character_in_a_search_is_refused_saying_how_to_put_it_right(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in()
    answer = client.get("/api/v1/people", params={"name": "ai\x00sha"})
    assert answer.status_code == 422
    assert answer.json()["error"] == "Invalid request"
    assert "remove any NUL character" in answer.json()["detail"][0]
    page = client.get("/people", params={"name": "ai\x00sha"})
    assert page.status_code == 400 and "remove any NUL character" in page.text
