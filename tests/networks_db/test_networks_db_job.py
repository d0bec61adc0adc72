"""The network job keeps the stored analysis up to date as records arrive, and raises alerts."""

from __future__ import annotations

from pathlib import Path

from safehub.db.database import Database
from safehub.jobs.networks_job import run_network_update
from tests.networks_db.data import group_rows, later_rows
from tests.networks_db.helpers import latest_run_id, owner_rows, run_jobs, stored_results
from tests.web.helpers import import_rows, person_id


def test_an_import_queues_resolution_then_the_network_job_which_stores_the_groups(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, group_rows())
    results = run_jobs(app_db)
    assert [r.job for r in results] == ["resolve", "networks"]
    run = latest_run_id(app_db)
    stored = stored_results(app_db, run)
    adam, barry = person_id(app_db, "POL-WY", "S-A"), person_id(app_db, "POL-WY", "S-B")
    [group] = stored["groups"]
    members = group[-1]
    assert f"{adam}:organiser" in members and f"{barry}:suspect" in members
    assert "vehicle:YX19ABC" in group[2]
    assert [k[1] for k in stored["key_people"]] == [adam, barry]
    assert "shares a vehicle" in stored["key_people"][0][3]


def test_restricted_people_are_never_stored_in_the_results(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, group_rows())
    run_jobs(app_db)
    hidden = person_id(app_db, "POL-WY", "V-R")
    stored = stored_results(app_db, latest_run_id(app_db))
    assert all(not m.startswith(f"{hidden}:") for g in stored["groups"] for m in g[-1])
    assert hidden not in [c[0] for c in stored["children"]]
    assert all(f'"person_id": {hidden}' not in c[3] for c in stored["children"])


def test_a_later_import_is_added_incrementally_and_equals_a_full_rebuild(
    app_db: Database, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "b", later_rows())
    run_jobs(app_db)
    incremental = latest_run_id(app_db)
    [mode, rows_read] = owner_rows(
        app_db, "SELECT mode, rows_read FROM network_run WHERE id = :r", r=incremental
    )[0]
    # The new rows, and the driver's licence record read again: resolution joined the driver to
    # the suspect of the same name, date of birth and licence number in Greater Manchester.
    assert (mode, rows_read) == ("incremental", len(later_rows()) + 1)
    driver, suspect = person_id(app_db, "LIC-BRAD", "D-1"), person_id(app_db, "POL-GM", "G-C")
    assert driver == suspect
    run_network_update(app_db, full=True)
    rebuilt = latest_run_id(app_db)
    assert rebuilt != incremental
    assert stored_results(app_db, incremental) == stored_results(app_db, rebuilt)


def test_a_merge_by_identity_resolution_relinks_the_stored_network(
    app_db: Database, tmp_path: Path
) -> None:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.identity.index import ScoredLink
    from safehub.services.identity.resolution import merge_pair

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    # Without the licence number the suspect in Greater Manchester is only a name and a date of
    # birth: not enough to merge an adult of concern automatically, so a person confirms it.
    import_rows(app_db, tmp_path / "b", [_without_licence(r) for r in later_rows()])
    run_jobs(app_db)
    driver = person_id(app_db, "LIC-BRAD", "D-1")
    suspect = person_id(app_db, "POL-GM", "G-C")
    [(left,), (right,)] = owner_rows(
        app_db,
        "SELECT id FROM agency_person WHERE person_ref IN ('D-1', 'G-C') ORDER BY person_ref",
    )
    with unit_of_work(app_db, actor=Actor(label="system:test")) as uow:
        link = ScoredLink(left, right, 0.99, 12.0, -5.0, (), True, False, "licence number")
        survivor = merge_pair(uow, link=link, match_pair_id=None, purpose="test merge")
        uow.commit()
    assert survivor == min(driver, suspect)
    incremental = run_network_update(app_db)
    assert incremental.mode == "incremental" and incremental.rows_read == 2
    people = {
        r[0]
        for r in owner_rows(
            app_db,
            "SELECT person_id FROM network_key_person WHERE run_id = :r",
            r=incremental.run_id,
        )
    }
    assert survivor in people and max(driver, suspect) not in people
    rebuilt = run_network_update(app_db, full=True)
    assert stored_results(app_db, incremental.run_id) == stored_results(app_db, rebuilt.run_id)


def _without_licence(row: dict[str, str]) -> dict[str, str]:
    return {
        k: ("" if k == "licence_number" and row["person_ref"] == "G-C" else v)
        for k, v in row.items()
    }


def test_the_demo_call_stores_the_analysis_in_the_callers_unit_of_work(
    app_db: Database, tmp_path: Path
) -> None:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.identity import resolve_demo_people
    from safehub.services.networks.update import analyse_demo_network

    import_rows(app_db, tmp_path, group_rows())
    with unit_of_work(app_db, actor=Actor(label="system:cli:demo")) as uow:
        resolve_demo_people(uow)  # as the demo does: the network reads resolved people only
        result = analyse_demo_network(uow)
        uow.commit()
    assert (result.groups, result.key_people) == (1, 2)
    assert latest_run_id(app_db) == result.run_id


def test_a_group_keeps_its_stored_code_through_later_runs_and_a_rebuild(
    app_db: Database, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    # An analyst has been calling this group G0042 (say it was numbered so in an earlier run).
    from sqlalchemy import text

    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE network_group SET code = 'G0042' WHERE run_id = :r"),
            {"r": latest_run_id(app_db)},
        )
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "b", later_rows())
    run_jobs(app_db)
    later = stored_results(app_db, latest_run_id(app_db))
    assert [g[0] for g in later["groups"]] == ["G0042"]
    assert all(k[3].endswith("member of group G0042") for k in later["key_people"][:2])
    rebuilt = run_network_update(app_db, full=True)
    assert [g[0] for g in stored_results(app_db, rebuilt.run_id)["groups"]] == ["G0042"]
