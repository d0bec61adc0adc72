"""An alert held while a possible match waits: sent on once to its usual recipient when a person
confirms the pair, never when they reject it; a licence holder alerted only as an adult of a
group that rests on such a pair is told so, with the pair to confirm."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.networks.confirmed import PURPOSE
from tests.factories import extract_row
from tests.networks_db.helpers import adams_pair, owner_rows, run_jobs
from tests.networks_db.possible_data import (
    AREA,
    BARRY,
    barrys_phone_referral_rows,
    possible_group_rows,
)
from tests.web.helpers import import_rows, person_id

Client = Any
PAIR_WORDS = "POL-WY/S-A and POL-WY/S-A2"


@pytest.fixture
def pending(app_db: Database, tmp_path: Path) -> Database:
    import_rows(app_db, tmp_path, possible_group_rows())
    run_jobs(app_db)
    return app_db


def _decide(db: Database, decision: str) -> None:
    from safehub.services.identity import PairDecision, decide_review_pair

    with unit_of_work(db, actor=Actor(label="system:test:reviewer")) as uow:
        decide_review_pair(uow, pair_id=adams_pair(db), decision=PairDecision(decision, "checked"))
        uow.commit()


def _alerts(db: Database, kind: str) -> list[tuple[Any, ...]]:
    """(id, target agency, sealed, reasons, evidence) of each alert of a kind, sealed content
    included (read as the owner of the database)."""
    return owner_rows(
        db,
        "SELECT a.id, t.code, a.sealed, coalesce(c.reasons, a.reasons), "
        "coalesce(c.evidence, a.evidence) FROM alert a "
        "JOIN agency t ON t.id = a.target_agency_id "
        "LEFT JOIN alert_content c ON c.alert_id = a.id WHERE a.kind = :k ORDER BY a.id",
        k=kind,
    )


def _social_care_sees_barrys_phone(db: Database, tmp_path: Path) -> None:
    """A referral by Bradford's social care naming a man with Barry's phone: it touches group
    G0001, which exists only through the pending pair (the alert stays with social care)."""
    (tmp_path / "ref").mkdir()
    import_rows(db, tmp_path / "ref", barrys_phone_referral_rows())
    run_jobs(db)


def _network_run(db: Database) -> None:
    from safehub.jobs.networks_job import run_network_update

    run_network_update(db)


def test_confirming_the_pair_sends_the_held_alert_once_to_its_usual_recipient(
    pending: Database, tmp_path: Path
) -> None:
    _social_care_sees_barrys_phone(pending, tmp_path)
    [(held, target, _, reasons, evidence)] = _alerts(pending, "network_group")
    assert target == "LA-BRADFORD" and evidence["possible_pairs"] == [adams_pair(pending)]
    assert any("rests on a possible match" in r for r in reasons)

    _decide(pending, "confirm")
    run_jobs(pending)  # the merge queues the network run, which sends the alert on
    [_, (sent, target, sealed, reasons, evidence)] = _alerts(pending, "network_group")
    # A record touching a known group goes to the police disclosure decision.
    assert target == "POL-WY"
    assert not any("possible match that nobody has confirmed" in r for r in reasons)
    assert not any("stays with" in r for r in reasons)
    assert reasons[0].startswith("Record LA-BRADFORD/REF-5 (referral")
    assert f"confirmed the match this alert rested on ({PAIR_WORDS})" in " ".join(reasons)
    assert reasons[-1].startswith("Rule: ")
    assert evidence["possibly_same"] == [] and evidence["held_alert"] == held
    assert evidence["confirmed_pairs"] == [adams_pair(pending)] and "if_confirmed" not in evidence
    # Social care's referral, with no agreement letting them share referrals with the police:
    # the police learn that it exists and whom to ask; its content stays sealed.
    assert owner_rows(pending, "SELECT count(*) FROM sharing_agreement") == [(0,)]
    assert sealed
    assert owner_rows(pending, "SELECT reasons, evidence FROM alert WHERE id = :a", a=sent) == [
        ([], {})
    ]
    # Audited: raised as a collection, and the held alert read to send it on.
    audited = owner_rows(
        pending,
        "SELECT action, object_ids, detail FROM audit_event WHERE purpose = :p ORDER BY id",
        p=PURPOSE,
    )
    assert [(a, ids) for a, ids, _ in audited] == [
        ("collection", [str(sent)]),
        ("consultation", [str(held)]),
    ]
    assert audited[1][2]["sent_on_as"] == {str(held): sent}

    # Later runs, incremental and rebuilt, send nothing again.
    _network_run(pending)
    run_jobs(pending)
    from safehub.jobs.networks_job import run_network_update

    run_network_update(pending, full=True)
    assert [a[0] for a in _alerts(pending, "network_group")] == [held, sent]


def test_with_an_agreement_covering_the_referral_the_sent_alert_is_open(
    pending: Database, tmp_path: Path
) -> None:
    from tests.web.helpers import share_between_demo_agencies

    share_between_demo_agencies(pending)  # social care share referrals with the police
    _social_care_sees_barrys_phone(pending, tmp_path)
    _decide(pending, "confirm")
    run_jobs(pending)
    [_, (sent, target, sealed, reasons, _)] = _alerts(pending, "network_group")
    assert (target, sealed) == ("POL-WY", False)
    [(stored,)] = owner_rows(pending, "SELECT reasons FROM alert WHERE id = :a", a=sent)
    assert stored == reasons and reasons[0].startswith("Record LA-BRADFORD/REF-5")


def test_rejecting_the_pair_never_sends_the_held_alert(pending: Database, tmp_path: Path) -> None:
    _social_care_sees_barrys_phone(pending, tmp_path)
    _decide(pending, "reject")
    run_jobs(pending)
    _network_run(pending)
    [(_, target, _, _, _)] = _alerts(pending, "network_group")
    assert target == "LA-BRADFORD"


def test_while_the_pair_waits_the_held_alert_is_not_sent_on(
    pending: Database, tmp_path: Path
) -> None:
    _social_care_sees_barrys_phone(pending, tmp_path)
    _network_run(pending)
    assert [a[1] for a in _alerts(pending, "network_group")] == ["LA-BRADFORD"]


@pytest.fixture
def licensed(app_db: Database, tmp_path: Path) -> Database:
    """The group of ``possible_data``, and the police's intelligence that Barry (S-B) holds a
    private-hire licence."""
    intelligence = extract_row(
        record_id="INT-3",
        record_type="intelligence",
        record_date="2024-06-01",
        person_ref="S-B",
        person_role="licence_holder",
        area_code=AREA,
        **BARRY,
    )
    import_rows(app_db, tmp_path, [*possible_group_rows(), intelligence])
    run_jobs(app_db)
    return app_db


def test_a_licence_holder_alerted_only_through_a_pending_group_names_the_pair(
    licensed: Database, tmp_path: Path, signed_in: Callable[..., Client]
) -> None:
    assert person_id(licensed, "POL-WY", "S-B") != person_id(licensed, "POL-WY", "S-A")
    before = {a[0] for a in _alerts(licensed, "licence_holder")}
    # Barry a suspect in an everyday report (nothing in it points to exploitation): a licence
    # holder of concern only as an adult of G0001, which exists only through Adam's pair.
    (tmp_path / "later").mkdir()
    everyday = {"record_id": "CR-7", "record_date": "2025-04-10", "area_code": AREA}
    import_rows(
        licensed,
        tmp_path / "later",
        [extract_row(person_ref="S-B", person_role="suspect", **BARRY, **everyday)],
    )
    run_jobs(licensed)
    [(alert, target, _, reasons, evidence)] = [
        a for a in _alerts(licensed, "licence_holder") if a[0] not in before
    ]
    pair = adams_pair(licensed)
    # It stays with the police who hold the record (and the pair), and says why.
    assert target == "POL-WY"
    assert evidence["possibly_same"] == [PAIR_WORDS] and evidence["possible_pairs"] == [pair]
    assert any(
        "adult of candidate group G0001" in r and "holds a licence (POL-WY)" in r for r in reasons
    )
    assert (
        f"group G0001 rests on a possible match that nobody has confirmed (confirm the pair "
        f"{PAIR_WORDS})." in reasons
    )
    assert any("stays with POL-WY until a person confirms the pair" in r for r in reasons)
    # Once confirmed, it reads without the caveat.
    assert not any("possible match" in r for r in evidence["if_confirmed"])
    # The alert page links the pair to its review page, for who may decide it.
    page = signed_in("police_analyst", "POL-WY").get(f"/alerts/{alert}").text
    assert "Rests on a possible match, to confirm:" in page
    assert f'href="/review/{pair}">pair P{pair}</a>' in page
    assert "G0001 rests on a possible match" in page


def test_a_licence_holder_alerted_on_a_basis_that_needs_no_pair_has_no_caveat(
    licensed: Database, tmp_path: Path
) -> None:
    before = {a[0] for a in _alerts(licensed, "licence_holder")}
    # The same everyday report, with Barry's licence in it: a licence record naming someone
    # already a suspect in a record that points to exploitation (CR-2) needs no group.
    (tmp_path / "later").mkdir()
    everyday = {"record_id": "CR-8", "record_date": "2025-04-12", "area_code": AREA}
    row = extract_row(
        person_ref="S-B", person_role="suspect", licence_number="PH55555", **BARRY, **everyday
    )
    import_rows(licensed, tmp_path / "later", [row])
    run_jobs(licensed)
    [(_, _, _, reasons, evidence)] = [
        a for a in _alerts(licensed, "licence_holder") if a[0] not in before
    ]
    assert evidence["possibly_same"] == [] and "possible_pairs" not in evidence
    assert not any("possible match" in r for r in reasons)


def test_the_held_and_sent_alerts_keep_victim_centred_language(
    pending: Database, tmp_path: Path
) -> None:
    from safehub.language import check_text

    _social_care_sees_barrys_phone(pending, tmp_path)
    _decide(pending, "confirm")
    run_jobs(pending)
    texts = [r for a in _alerts(pending, "network_group") for r in a[3]]
    texts += [r for a in _alerts(pending, "network_group") for r in a[4].get("if_confirmed", [])]
    assert any("Sent on because a person confirmed the match" in t for t in texts)
    assert {t: check_text(t) for t in texts} == {t: [] for t in texts}
