"""Analysis never waits for review: a pending pair that is probably one person enters the stored
network as "possibly the same person"; what rests on it says so, names the pair and stays with
the agency holding it, until a person confirms (a normal link) or rejects it (it goes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from tests.networks_db.helpers import (
    adams_pair,
    latest_run_id,
    owner_rows,
    run_jobs,
    stored_results,
)
from tests.networks_db.possible_data import (
    barrys_phone_referral_rows,
    possible_group_rows,
    restricted_namesake_rows,
)
from tests.web.helpers import import_rows, person_id

Client = Any


@pytest.fixture
def pending(app_db: Database, tmp_path: Path) -> Database:
    import_rows(app_db, tmp_path, [*possible_group_rows(), *restricted_namesake_rows()])
    run_jobs(app_db)
    return app_db


def _links(db: Database, run: int) -> list[tuple[Any, ...]]:
    return owner_rows(
        db,
        "SELECT match_pair_id, person_id, other_person_id, representative_id "
        "FROM network_possible_link WHERE run_id = :r",
        r=run,
    )


def _decide(db: Database, pair: int, decision: str) -> None:
    from safehub.services.identity import PairDecision, decide_review_pair

    with unit_of_work(db, actor=Actor(label="system:test:reviewer")) as uow:
        decide_review_pair(uow, pair_id=pair, decision=PairDecision(decision, "checked"))
        uow.commit()


def _alerts(db: Database, kind: str) -> list[tuple[Any, ...]]:
    """(target agency, reasons, evidence) of each alert of a kind, sealed content included."""
    return owner_rows(
        db,
        "SELECT t.code, coalesce(c.reasons, a.reasons), coalesce(c.evidence, a.evidence) "
        "FROM alert a JOIN agency t ON t.id = a.target_agency_id "
        "LEFT JOIN alert_content c ON c.alert_id = a.id WHERE a.kind = :k ORDER BY a.id",
        k=kind,
    )


def test_a_group_that_exists_only_through_a_pending_pair_is_stored_naming_the_pair(
    pending: Database,
) -> None:
    adam, adam2 = person_id(pending, "POL-WY", "S-A"), person_id(pending, "POL-WY", "S-A2")
    barry = person_id(pending, "POL-WY", "S-B")
    assert adam != adam2
    run = latest_run_id(pending)
    [group] = stored_results(pending, run)["groups"]
    members = group[-1]
    # Listed once, under the representative; Barry's phone binds them only through the pair.
    assert f"{adam}:organiser" in members and f"{barry}:suspect" in members
    assert not any(m.startswith(f"{adam2}:") for m in members)
    assert _links(pending, run) == [(adams_pair(pending, status="pending"), adam, adam2, adam)]
    ranked = {k[1]: k for k in stored_results(pending, run)["key_people"]}
    assert f"confirm {adam} = {adam2}" in ranked[adam][3]
    assert ranked[adam2][2] == 0.0 and f"possibly the same person as {adam}" in ranked[adam2][3]


def test_without_the_pair_there_is_no_group(app_db: Database, tmp_path: Path) -> None:
    # The same records with Adam's second record left out: nothing links him to Barry.
    rows = [r for r in possible_group_rows() if r["person_ref"] != "S-A2"]
    import_rows(app_db, tmp_path, rows)
    run_jobs(app_db)
    assert stored_results(app_db, latest_run_id(app_db))["groups"] == []


def test_rejecting_the_pair_dissolves_the_group_on_the_next_run(pending: Database) -> None:
    _decide(pending, adams_pair(pending, status="pending"), "reject")
    # The rejection queues the network job; its incremental run no longer counts the pair.
    assert [r.job for r in run_jobs(pending)] == ["networks"]
    run = latest_run_id(pending)
    assert owner_rows(pending, "SELECT mode FROM network_run WHERE id = :r", r=run) == [
        ("incremental",)
    ]
    assert stored_results(pending, run)["groups"] == []
    assert _links(pending, run) == []
    reasons = " ".join(k[3] for k in stored_results(pending, run)["key_people"])
    assert "possibly" not in reasons


def test_confirming_the_pair_keeps_the_group_without_the_caveat(pending: Database) -> None:
    adam, barry = person_id(pending, "POL-WY", "S-A"), person_id(pending, "POL-WY", "S-B")
    _decide(pending, adams_pair(pending, status="pending"), "confirm")
    run_jobs(pending)
    assert person_id(pending, "POL-WY", "S-A2") == adam
    run = latest_run_id(pending)
    [group] = stored_results(pending, run)["groups"]
    assert f"{adam}:organiser" in group[-1] and f"{barry}:suspect" in group[-1]
    assert _links(pending, run) == []
    reasons = " ".join(k[3] for k in stored_results(pending, run)["key_people"])
    assert "possibly" not in reasons and "confirm" not in reasons


def test_alerts_resting_on_the_pair_say_so_and_stay_with_the_agency_holding_it(
    pending: Database, tmp_path: Path
) -> None:
    pair_words = "POL-WY/S-A and POL-WY/S-A2"
    # The children of the group: their case team (Bradford's social care) would be alerted; on
    # a possible match the alert stays with the police, who hold the pair.
    risk = _alerts(pending, "network_child_risk")
    assert risk and {target for target, _, _ in risk} == {"POL-WY"}
    for _, reasons, evidence in risk:
        assert evidence["possibly_same"] == [pair_words]
        assert any("rests on a possible match" in r and pair_words in r for r in reasons)
    # Social care record a man with Barry's phone: a record touching the group goes to the
    # police disclosure decision, but this group rests on the pair, so it stays with social care.
    (tmp_path / "b").mkdir()
    import_rows(pending, tmp_path / "b", barrys_phone_referral_rows())
    run_jobs(pending)
    [(target, reasons, evidence)] = _alerts(pending, "network_group")
    assert target == "LA-BRADFORD" and evidence["possibly_same"] == [pair_words]
    assert any("group G0001 rests on a possible match" in r for r in reasons)
    # Confirmed: the case team gets the children's alerts now.
    _decide(pending, adams_pair(pending, status="pending"), "confirm")
    run_jobs(pending)
    targets = {target for target, _, evidence in _alerts(pending, "network_child_risk")}
    assert targets == {"POL-WY", "LA-BRADFORD"}
    assert all(
        not e["possibly_same"]
        for t, _, e in _alerts(pending, "network_child_risk")
        if t == "LA-BRADFORD"
    )


def test_a_restricted_namesake_is_never_in_a_pair_a_group_or_a_page(
    pending: Database, signed_in: Callable[..., Client]
) -> None:
    hidden = person_id(pending, "POL-WY", "S-R")
    run = latest_run_id(pending)
    assert all(hidden not in link for link in _links(pending, run))
    assert owner_rows(
        pending,
        "SELECT count(*) FROM match_pair mp JOIN agency_person ap "
        "ON ap.id IN (mp.left_agency_person_id, mp.right_agency_person_id) WHERE ap.person_id = :p",
        p=hidden,
    ) == [(0,)]
    stored = stored_results(pending, run)
    assert all(not m.startswith(f"{hidden}:") for g in stored["groups"] for m in g[-1])
    assert hidden not in [k[1] for k in stored["key_people"]]
    # An analyst of another agency (to whom the police's restricted person does not exist).
    analyst = signed_in("police_analyst", "LA-BRADFORD")
    for url in ("/networks/groups/G0001", "/networks/key-people"):
        page = analyst.get(url)
        assert page.status_code == 200
        assert f"Person {hidden}" not in page.text and f'seed={hidden}"' not in page.text


def test_the_group_page_and_key_people_name_the_pair_to_confirm(
    pending: Database, signed_in: Callable[..., Client]
) -> None:
    pair = adams_pair(pending, status="pending")
    analyst = signed_in("police_analyst", "POL-WY")
    group = analyst.get("/networks/groups/G0001").text
    assert "This group rests on a possible match that nobody has confirmed" in group
    assert f'href="/review/{pair}"' in group
    assert f"confirm pair P{pair} (Adam Stone (" in group
    people = analyst.get("/networks/key-people").text
    assert "Rests on a possible match:" in people and f'href="/review/{pair}"' in people
    assert "Rests on a possible match" in analyst.get("/networks").text
    # The API says so too, by pair number.
    [listed] = analyst.get("/api/v1/network/groups").json()
    assert listed["possible_match_pairs"] == [pair]
    ranked = {k["person_id"]: k for k in analyst.get("/api/v1/network/key-people").json()}
    adam, barry = person_id(pending, "POL-WY", "S-A"), person_id(pending, "POL-WY", "S-B")
    assert ranked[adam]["possible_match_pairs"] == [pair]
    assert ranked[barry]["possible_match_pairs"] == []
    # Someone who may not decide pairs reads the caveat without the link.
    investigator = signed_in("police_investigator", "POL-WY")
    page = investigator.get("/networks/groups/G0001").text
    assert f"confirm pair P{pair}" in page and f'href="/review/{pair}"' not in page


def test_once_confirmed_the_group_page_has_no_caveat(
    pending: Database, signed_in: Callable[..., Client]
) -> None:
    _decide(pending, adams_pair(pending, status="pending"), "confirm")
    run_jobs(pending)
    analyst = signed_in("police_analyst", "POL-WY")
    page = analyst.get("/networks/groups/G0001").text
    assert "Adam Stone" in page and "possible match" not in page
    # (The job's history still says what earlier runs counted.)
    assert "Rests on a possible match" not in analyst.get("/networks").text
    assert analyst.get("/api/v1/network/groups").json()[0]["possible_match_pairs"] == []


def test_with_a_pending_pair_an_incremental_run_equals_a_rebuild_and_a_new_worker(
    pending: Database, tmp_path: Path
) -> None:
    from safehub.jobs.networks_job import database_key, run_network_update
    from safehub.services.networks.graph import forget_state

    (tmp_path / "b").mkdir()
    # Amy again, with Adam (S-A), in a later report.
    later = {"record_id": "CR-9", "record_date": "2025-05-01"}
    import_rows(pending, tmp_path / "b", [{**r, **later} for r in possible_group_rows()[:2]])
    run_jobs(pending)  # the worker's graph kept in memory, the pair counted and put back
    incremental = latest_run_id(pending)
    # (A run keeps only the run before it beside its own results: each is read in turn.)
    expected = (stored_results(pending, incremental), _links(pending, incremental))
    assert expected[0]["groups"] and expected[1]
    result = run_network_update(pending, full=True)
    assert result.possible == 1 and "1 possible match counted" in result.summary()
    rebuilt = result.run_id
    assert (stored_results(pending, rebuilt), _links(pending, rebuilt)) == expected
    # A new worker reads the graph back and counts the pair the same way.
    forget_state(database_key(pending))
    fresh = run_network_update(pending).run_id
    assert (stored_results(pending, fresh), _links(pending, fresh)) == expected


def test_row_level_security_hides_a_link_with_a_person_another_agency_restricted(
    pending: Database, make_user: Callable[..., str]
) -> None:
    from sqlalchemy import text

    adam, hidden = person_id(pending, "POL-WY", "S-A"), person_id(pending, "POL-WY", "S-R")
    run, pair = latest_run_id(pending), adams_pair(pending, status="pending")
    # A second wall: as if a run had counted a pair with the namesake in refuge (the job never
    # does, tested above), another agency still reads no trace of it.
    with pending.owner_engine.begin() as conn:
        refs = dict(conn.execute(text("SELECT person_ref, id FROM agency_person")).all())
        wrong = conn.execute(
            text(
                "INSERT INTO match_pair (left_agency_person_id, right_agency_person_id, status, "
                "match_probability, match_weight, prior_weight, evidence, reason) VALUES "
                "(:l, :r, 'pending', 0.99, 9.0, -3.0, '[]', 'test') RETURNING id"
            ),
            {"l": refs["S-A"], "r": refs["S-R"]},
        ).scalar_one()
        conn.execute(
            text("INSERT INTO network_possible_link VALUES (:run, :pair, :a, :h, :a)"),
            {"run": run, "pair": wrong, "a": adam, "h": hidden},
        )

    def seen_by(role: str, agency: str) -> set[int]:
        [(user, agency_id)] = owner_rows(
            pending,
            "SELECT id, agency_id FROM app_user WHERE username = :u",
            u=make_user(role, agency),
        )
        actor = Actor(label=f"user:{user}:{role}", user_id=user, agency_id=agency_id, role=role)
        with unit_of_work(pending, actor=actor) as uow:
            query = text("SELECT match_pair_id FROM network_possible_link")
            return {int(v) for v in uow.session.execute(query).scalars()}

    assert seen_by("police_analyst", "LA-BRADFORD") == {pair}
    assert seen_by("police_analyst", "POL-WY") == {pair, wrong}


def test_a_pair_the_review_queue_leaves_out_is_no_possible_link(pending: Database) -> None:
    from safehub.jobs.networks_job import run_network_update

    # As the library's ``possible_matches`` reads only queued pairs: a pending pair the queue
    # rules left out (nothing at stake) does not bind a group as "possibly the same person".
    pair = adams_pair(pending, status="pending")
    with pending.owner_engine.begin() as conn:
        conn.execute(text("UPDATE match_pair SET worth_review = false WHERE id = :i"), {"i": pair})
    result = run_network_update(pending, full=True)
    assert result.possible == 0
    assert _links(pending, result.run_id) == []
    assert stored_results(pending, result.run_id)["groups"] == []
