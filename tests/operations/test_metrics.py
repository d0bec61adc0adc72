"""`GET /metrics` on the staff app: Prometheus text format, counts that move, and only for the
bearer of the token (or, without one, a scrape from this machine not through a proxy)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.jobs.worker import enqueue
from safehub.public.app import create_public_app
from safehub.services.alerts.raising import NewAlert, raise_alerts
from safehub.services.timeliness.clocks import ClockOwner, ClockSubject, record_clock_event
from safehub.web.app import create_app
from tests.timeliness.conftest import World, at, world  # noqa: F401 (the fixture)

TOKEN = "t" * 40
BEARER = {"Authorization": f"Bearer {TOKEN}"}
# One sample line of the text format: a name, optional labels, a number.
SAMPLE = re.compile(r'^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+Inf-]+$')


@pytest.fixture
def staff(app_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(app_db, metrics_token=TOKEN), base_url="https://testserver") as c:
        yield c


def _sample(body: str, name_and_labels: str) -> float:
    for line in body.splitlines():
        if line.startswith(name_and_labels + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_the_exposition_is_prometheus_text_with_help_and_type_for_every_family(
    staff: TestClient,
) -> None:
    staff.get("/healthz")
    scraped = staff.get("/metrics", headers=BEARER)
    assert scraped.status_code == 200
    assert scraped.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    lines = scraped.text.splitlines()
    families = {line.split()[2]: line.split()[3] for line in lines if line.startswith("# TYPE")}
    assert families == {
        "safehub_http_requests_total": "counter",
        "safehub_http_request_duration_seconds": "histogram",
        "safehub_http_requests_shed_total": "counter",
        "safehub_http_requests_in_flight": "gauge",
        "safehub_jobs": "gauge",
        "safehub_clocks_overdue": "gauge",
        "safehub_alerts_raised_total": "counter",
        "safehub_audit_witness_sent_total": "counter",
        "safehub_audit_witness_failures_total": "counter",
    }
    assert all(f"# HELP {name} " in scraped.text for name in families)
    assert all(SAMPLE.match(line) for line in lines if not line.startswith("#")), lines
    histogram = 'safehub_http_request_duration_seconds_bucket{method="GET",route="/healthz",'
    buckets = [_sample(scraped.text, f'{histogram}le="{le}"}}') for le in ("0.005", "10.0", "+Inf")]
    assert buckets == sorted(buckets) and buckets[-1] == 1  # cumulative, ending at the count


def test_requests_are_counted_by_route_template_never_by_the_path_sent(
    staff: TestClient,
) -> None:
    for _ in range(3):
        staff.get("/healthz")
    staff.get("/cases/4711/notes", follow_redirects=False)  # not signed in: sent to sign in
    staff.get("/no-such-page-for-jane-doe")
    staff.get("/static/jane-doe.css")  # a static file: counted under its folder, not its name
    body = staff.get("/metrics", headers=BEARER).text
    assert (
        _sample(body, 'safehub_http_requests_total{method="GET",route="/healthz",status="200"}')
        == 3
    )
    notes = 'safehub_http_requests_total{method="GET",route="/cases/{case_id}/notes",status="303"}'
    assert _sample(body, notes) == 1
    assert (
        _sample(body, 'safehub_http_requests_total{method="GET",route="unmatched",status="404"}')
        == 1
    )
    assert 'route="/static",status="404"' in body
    assert "4711" not in body and "jane" not in body
    again = staff.get("/metrics", headers=BEARER).text
    assert (
        _sample(again, 'safehub_http_requests_total{method="GET",route="/healthz",status="200"}')
        == 3
    )
    assert (
        _sample(again, 'safehub_http_requests_total{method="GET",route="/metrics",status="200"}')
        == 1
    )


def test_jobs_overdue_clocks_and_alerts_are_counted_from_the_database(
    staff: TestClient,
    app_db: Database,
    world: World,  # noqa: F811
) -> None:
    before = staff.get("/metrics", headers=BEARER).text
    enqueue(app_db, requested_by="test")
    system = Actor(label="system:test")
    with unit_of_work(app_db, actor=system) as uow:
        record_clock_event(
            uow,
            event="referral_received",
            at=at("2025-04-17 10:00"),  # long past: every clock it starts is overdue now
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care, world.team, world.worker),
            title="Referral REF-1",
        )
        alert = NewAlert("network", "A group", ["a reason"], "rule", world.social_care, "k1")
        raise_alerts(uow, alerts=[alert], purpose="test")
        uow.commit()
    after = staff.get("/metrics", headers=BEARER).text
    queued = 'safehub_jobs{state="queued"}'
    assert _sample(after, queued) == _sample(before, queued) + 1
    assert _sample(after, "safehub_clocks_overdue") > _sample(before, "safehub_clocks_overdue")
    kind = 'safehub_alerts_raised_total{kind="network"}'
    assert _sample(after, kind) == _sample(before, kind) + 1


def test_without_the_token_metrics_look_like_a_page_that_does_not_exist(
    staff: TestClient,
) -> None:
    assert staff.get("/metrics").status_code == 404
    assert staff.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert staff.get("/metrics", headers=BEARER).status_code == 200


def test_without_a_token_only_this_machine_may_scrape_and_not_through_a_proxy(
    live_server: str,
) -> None:
    assert httpx.get(f"{live_server}/metrics").status_code == 200
    proxied = httpx.get(f"{live_server}/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 404


def test_the_public_app_serves_no_metrics(db: Database) -> None:
    with TestClient(create_public_app(db), base_url="https://testserver") as client:
        assert client.get("/metrics").status_code == 404
