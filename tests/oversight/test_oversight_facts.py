"""Oversight's facts on a small world whose answers are known: every measure's numerator and
denominator, incremental equal to full, a second rebuild changing nothing, charge and NFA rates
by suspect ethnicity from an import alone, and unit keys that are never raw ids."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.errors import ForbiddenError, RefusedError
from safehub.services.oversight.catalogue import CATALOGUE
from safehub.services.oversight.facts import UNIT_KEY_PURPOSE, rebuild_facts, unit_key
from safehub.services.oversight.results import measure_results, parse_period
from safehub.timescales import local_date
from safehub.timescales.workdays import WorkingCalendar
from tests.factories import extract_row
from tests.networks_db.helpers import owner_rows, resolve_people
from tests.web.helpers import import_rows

SYSTEM = Actor(label="system:test")
POLICE, COUNCIL = "E23000010", "E08000032"
MARCH, APRIL = date(2025, 3, 1), date(2025, 4, 1)
TODAY = local_date(datetime.now(UTC))


def _person(ref: str, given: str, family: str, dob: str, role: str, **more: str) -> dict[str, str]:
    return {
        "person_ref": ref,
        "given_names": given,
        "family_name": family,
        "date_of_birth": dob,
        "person_role": role,
        **more,
    }


def _crime(record: str, day: str, offence: str, outcome: str, *people: dict[str, str], **more: str):
    return [
        extract_row(
            record_id=record,
            record_date=day,
            offence_code=offence,
            outcome=outcome,
            **more,
            **person,
        )
        for person in people
    ]


AMY = ("P-1", "Amy", "Clarke", "2011-07-03")
BEA = ("P-2", "Bea", "Novak", "2010-01-20")
CARA = ("P-3", "Cara", "Jones", "2012-05-05")
DANI = ("P-4", "Dani", "Okafor", "2009-09-09")
ERIN = ("P-5", "Erin", "Lloyd", "2012-12-12")
SAM = ("S-1", "Samir", "Khan", "1985-02-02")
TOM = ("S-2", "Tariq", "Malik", "1980-03-03")
WILL = ("S-3", "William", "Hart", "1975-04-04")
BEN = ("S-4", "Benjamin", "Osei", "1990-05-05")


def police_rows() -> list[dict[str, str]]:
    return [
        *_crime(
            "CR-1",
            "2025-03-01",
            "19D",
            "charged",
            _person(*AMY, "victim", ethnicity_self_defined="W1", nationality="GB", sex="F"),
            _person(*SAM, "suspect", ethnicity_self_defined="A1", nationality="GB"),
        ),
        *_crime(
            "CR-2",
            "2025-03-10",
            "71",
            "nfa",
            _person(*BEA, "victim"),
            _person(*TOM, "suspect", ethnicity_self_defined="A2"),
        ),
        *_crime(
            "CR-3",
            "2025-03-15",
            "22B/1",
            "ongoing",
            _person(*AMY, "victim"),
            _person(*WILL, "suspect", ethnicity_self_defined="W1"),
        ),
        *_crime(
            "CR-4",
            "2025-04-02",
            "88A",
            "nfa",
            _person(*CARA, "victim"),
            _person(*SAM, "suspect", ethnicity_self_defined="A1"),
            group_based="Y",
        ),
        # No outcome yet, no suspect identified.
        *_crime("CR-6", "2025-04-20", "71", "", _person(*ERIN, "victim")),
        # Not an exploitation offence: counted for completeness, never for charge rates.
        *_crime(
            "CR-5",
            "2025-03-05",
            "8N",
            "charged",
            _person(*DANI, "victim", ethnicity_self_defined="NS"),
            _person(*BEN, "suspect", ethnicity_self_defined="B1"),
        ),
    ]


def council_rows() -> list[dict[str, str]]:
    common = {"agency_code": "LA-BRADFORD", "agency_type": "social_care"}
    return [
        extract_row(
            **common,
            record_id=record,
            record_type="missing_episode",
            record_date=day,
            **_person(*child, "subject"),
        )
        for record, day, child in (
            ("MP-1", "2025-03-03", ("C-1", "Erin", "Walsh", "2010-10-10")),
            ("MP-2", "2025-04-01", ("C-1", "Erin", "Walsh", "2010-10-10")),
            ("MP-3", "2025-04-05", ("C-2", "Fay", "Brown", "2011-11-11")),
        )
    ]


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def staff_world(db: Database, user: int, other_user: int) -> None:
    """Referrals with their clocks, strategy discussions, language checks, training and a case,
    written as the owner (the services that write them are tested where they live)."""
    with db.owner_engine.begin() as conn:
        council = conn.execute(text("SELECT id FROM agency WHERE code = 'LA-BRADFORD'")).scalar()

        def add(sql: str, **values: Any) -> int:
            return int(conn.execute(text(sql + " RETURNING id"), values).scalar_one())

        case = add(
            "INSERT INTO safeguarding_case (reference, title, status) VALUES ('C1', 'Case', 'open')"
        )
        conn.execute(
            text("INSERT INTO case_member (case_id, user_id) VALUES (:c, :u)"),
            {"c": case, "u": user},
        )
        referrals = []
        for i, (start, due, stop, flags) in enumerate(
            (
                ("2025-03-03", "2025-03-04", _at("2025-03-04"), 1),  # decided on time
                ("2025-03-05", "2025-03-06", _at("2025-03-10"), 0),  # decided late
                ("2025-03-07", "2025-03-10", None, 0),  # fell due, still open
            )
        ):
            referral = add(
                "INSERT INTO referral (child_given_names, child_family_name, child_date_of_birth,"
                " referring_agency_id, council_agency_id, referred_by_user_id, received_at,"
                " concern_type, concern, immediate_danger, status, created_at) VALUES ('Kid',"
                " :n, '2012-01-15', :a, :a, :u, :at, 'sexual_exploitation', 'c', false,"
                " 'awaiting_decision', :at)",
                n=f"R{i}",
                a=council,
                u=user,
                at=_at(start, 9),
            )
            referrals.append(referral)
            conn.execute(
                text(
                    "INSERT INTO referral_language_check (referral_id, flags, flag_count,"
                    " rules_digest, created_at) VALUES (:r, '[]', :f, 'd', :at)"
                ),
                {"r": referral, "f": flags, "at": _at(start, 9)},
            )
            add(
                "INSERT INTO clock (rule_id, jurisdiction, title, started_at, due_on, stopped_at,"
                " owner_agency_id, subject_type, referral_id, state) VALUES ('referral_decision',"
                " 'england', 't', :s, :d, :stop, :a, 'referral', :r, 'on_track')",
                s=_at(start, 9),
                d=date.fromisoformat(due),
                stop=stop,
                a=council,
                r=referral,
            )
        add(
            "INSERT INTO clock (rule_id, jurisdiction, title, started_at, due_on, stopped_at,"
            " owner_agency_id, subject_type, referral_id, state) VALUES ('assessment', 'england',"
            " 't', :s, '2025-05-06', :stop, :a, 'referral', :r, 'met')",
            s=_at("2025-03-03", 9),
            stop=_at("2025-04-01"),
            a=council,
            r=referrals[0],
        )
        note = add(
            "INSERT INTO case_note (case_id, author_user_id, body, version, created_at)"
            " VALUES (:c, :u, 'Seen at school', 1, :at)",
            c=case,
            u=user,
            at=_at("2025-03-20"),
        )
        conn.execute(
            text(
                "INSERT INTO note_language_check (note_id, flags, flag_count, saved_despite_flags,"
                " rules_digest) VALUES (:n, '[]', 0, false, 'd')"
            ),
            {"n": note},
        )
        for day, held in (("2025-03-10", True), ("2025-03-12", False)):
            add(
                "INSERT INTO meeting (case_id, kind, title, scheduled_for, status, held_at,"
                " organising_agency_id, created_by_user_id) VALUES (:c, 'strategy_discussion',"
                " 'SD', :at, :st, :held, :a, :u)",
                c=case,
                at=_at(day),
                st="held" if held else "planned",
                held=_at(day) if held else None,
                a=council,
                u=user,
            )
        add(
            "INSERT INTO training_record (user_id, course, completed_on, expires_on) VALUES"
            " (:u, 'exploitation_awareness', '2024-01-01', '2027-01-01')",
            u=user,
        )
        # The other member of staff's training has expired: not counted as complete.
        add(
            "INSERT INTO training_record (user_id, course, completed_on, expires_on) VALUES"
            " (:u, 'exploitation_awareness', '2020-01-01', '2022-01-01')",
            u=other_user,
        )


@pytest.fixture
def world(app_db: Database, make_user: Any, tmp_path: Path) -> Database:
    make_user("social_worker", "LA-BRADFORD")
    make_user("team_manager", "LA-BRADFORD")
    users = owner_rows(app_db, "SELECT id FROM app_user ORDER BY id")
    import_rows(app_db, tmp_path, police_rows() + council_rows())
    staff_world(app_db, users[0][0], users[1][0])
    return app_db


def rebuild(db: Database, months: list[date] | None = None, today: date = TODAY) -> Any:
    with unit_of_work(db, actor=SYSTEM) as uow:
        counts = rebuild_facts(uow, months=months, today=today)
        uow.commit()
    return counts


def facts(db: Database) -> dict[tuple[str, str, str, date], tuple[float, float | None]]:
    rows = owner_rows(
        db,
        "SELECT measure_code, area_code, agency_code, period, numerator, denominator "
        "FROM oversight_fact",
    )
    return {(r[0], r[1], r[2], r[3]): (r[4], r[5]) for r in rows}


def units(db: Database) -> set[tuple[Any, ...]]:
    rows = owner_rows(
        db,
        "SELECT measure_code, unit_key, area_kind, area_code, period, suspect_ethnicity, "
        "victim_ethnicity, victim_sex, victim_age_band, in_care, days, event FROM oversight_unit",
    )
    return set(rows)


def test_each_measure_counts_its_numerator_and_denominator(world: Database) -> None:
    counts = rebuild(world)
    got = facts(world)
    days_to_charge = float((local_date(datetime.now(UTC)) - date(2025, 3, 1)).days)
    expected = {
        ("referral_decided_1wd", COUNCIL, "", MARCH): (1, 3),
        ("assessment_45wd", COUNCIL, "", MARCH): (1, 1),
        ("strategy_discussion_held", COUNCIL, "", MARCH): (1, 2),
        ("charge_rate_cse", POLICE, "", MARCH): (1, 3),
        ("nfa_rate_cse", POLICE, "", MARCH): (1, 2),
        ("charge_rate_cse", POLICE, "", APRIL): (0, 2),
        ("nfa_rate_cse", POLICE, "", APRIL): (1, 1),
        # Charged the day the extract arrived (extracts carry no charge date).
        ("days_report_to_charge", POLICE, "", MARCH): (days_to_charge, 1),
        # Amy again within 365 days (CR-1 then CR-3); Bea once.
        ("repeat_victimisation", POLICE, "", MARCH): (1, 2),
        ("repeat_victimisation", POLICE, "", APRIL): (0, 2),
        ("missing_again", COUNCIL, "", MARCH): (0, 1),
        ("missing_again", COUNCIL, "", APRIL): (1, 2),
        # Three referrals (one flagged) and one note.
        ("language_flag_rate", COUNCIL, "", MARCH): (1, 4),
        ("suspect_ethnicity_recorded", POLICE, "POL-WY", MARCH): (4, 4),
        ("suspect_nationality_recorded", POLICE, "POL-WY", MARCH): (1, 4),
        ("victim_ethnicity_recorded", POLICE, "POL-WY", MARCH): (1, 4),  # NS is not stated
        ("victim_nationality_recorded", POLICE, "POL-WY", MARCH): (1, 4),
        ("suspect_ethnicity_recorded", POLICE, "POL-WY", APRIL): (1, 1),
        ("victim_ethnicity_recorded", POLICE, "POL-WY", APRIL): (0, 2),
        ("group_based_cases", POLICE, "", APRIL): (1, None),
    }
    for key, value in expected.items():
        assert got.get(key) == value, key
    # Staff were created today: training and caseloads are facts of this month only.
    this_month = TODAY.replace(day=1)
    assert got[("training_complete", COUNCIL, "LA-BRADFORD", this_month)] == (1, 2)
    assert got[("caseload_per_worker", COUNCIL, "LA-BRADFORD", this_month)] == (1, 1)
    assert counts.measures == len(CATALOGUE)
    measures = owner_rows(world, "SELECT code, target FROM oversight_measure ORDER BY sort_order")
    assert [m[0] for m in measures] == [m.code for m in CATALOGUE]
    assert measures[0][1] == 100.0
    kinds = dict(owner_rows(world, "SELECT DISTINCT area_code, area_kind FROM oversight_fact"))
    assert kinds == {POLICE: "police_force", COUNCIL: "local_authority"}


def test_referral_units_count_working_days_and_censor_the_open_one(world: Database) -> None:
    rebuild(world)
    rows = owner_rows(
        world,
        "SELECT days, event, victim_age_band FROM oversight_unit "
        "WHERE measure_code = 'referral_decision' ORDER BY days",
    )
    # 3 Mar → 4 Mar: 1 working day; 5 Mar → 10 Mar: 3; 7 Mar → today (still open): censored.
    still_open = float(WorkingCalendar("england").working_days_between(date(2025, 3, 7), TODAY))
    assert still_open > 300
    assert rows == [(1.0, True, "13-15"), (3.0, True, "13-15"), (still_open, False, "13-15")]


def test_charge_and_nfa_by_suspect_ethnicity_come_from_an_import_alone(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, police_rows())
    rebuild(app_db)
    nfa = owner_rows(
        app_db,
        "SELECT suspect_ethnicity, count(*) FILTER (WHERE event), count(*) FROM oversight_unit "
        "WHERE measure_code = 'crime_nfa' GROUP BY 1 ORDER BY 1",
    )
    charged = owner_rows(
        app_db,
        "SELECT suspect_ethnicity, count(*) FILTER (WHERE event), count(*) FROM oversight_unit "
        "WHERE measure_code = 'crime_to_charge' GROUP BY 1 ORDER BY 1",
    )
    assert nfa == [("Asian", 2, 3)]
    # A report with no suspect identified has no suspect group (None), not "Not stated".
    assert charged == [("Asian", 1, 3), ("White", 0, 1), (None, 0, 1)]
    victims = owner_rows(
        app_db,
        "SELECT victim_ethnicity, victim_sex, victim_age_band FROM oversight_unit "
        "WHERE measure_code = 'crime_nfa' AND event = false",
    )
    assert victims == [("White", "F", "13-15")]


def test_an_incremental_rebuild_of_a_month_equals_the_full_rebuild(
    world: Database, tmp_path: Path
) -> None:
    rebuild(world)
    # CR-2 is charged after all: an extract amends it; only March is rebuilt.
    changed = [{**row, "outcome": "charged"} for row in police_rows() if row["record_id"] == "CR-2"]
    import_rows(world, tmp_path, changed)
    counts = rebuild(world, months=[date(2025, 3, 17)])
    assert counts.months == ("2025-03",)
    incremental_facts, incremental_units = facts(world), units(world)
    assert incremental_facts[("charge_rate_cse", POLICE, "", MARCH)] == (2, 3)
    rebuild(world)
    assert facts(world) == incremental_facts
    assert units(world) == incremental_units


def test_rebuilding_twice_changes_nothing(world: Database) -> None:
    rebuild(world)
    first_facts, first_units = facts(world), units(world)
    counts = rebuild(world)
    assert (facts(world), units(world)) == (first_facts, first_units)
    assert counts.facts_deleted == counts.facts == len(first_facts)


def test_no_unit_key_is_a_raw_id_and_each_is_an_hmac_under_the_server_key(
    world: Database,
) -> None:
    rebuild(world)
    ids = {str(r[0]) for r in owner_rows(world, "SELECT id FROM agency_record")}
    ids |= {str(r[0]) for r in owner_rows(world, "SELECT id FROM referral")}
    keys = {
        r[0]: r[1] for r in owner_rows(world, "SELECT unit_key, measure_code FROM oversight_unit")
    }
    assert keys and not (set(keys) & ids)
    assert all(len(k) == 64 for k in keys)
    secret = world.secrets.derive(UNIT_KEY_PURPOSE)
    cr1 = owner_rows(world, "SELECT id FROM agency_record WHERE record_ref = 'CR-1'")[0][0]
    assert unit_key(secret, f"crime_nfa:{cr1}") in keys
    assert unit_key(secret, f"{cr1}") not in keys


def test_the_rebuild_is_audited_once_with_its_counts(world: Database) -> None:
    counts = rebuild(world)
    entries = owner_rows(
        world,
        "SELECT action, object_ids, detail FROM audit_event WHERE object_type = 'oversight_fact'",
    )
    assert len(entries) == 1
    action, ids, detail = entries[0]
    assert action == "alteration"
    assert ids == [f"{counts.facts} facts", f"{counts.units} units"]
    assert detail["months"] == "all"


def test_only_the_system_rebuilds(world: Database) -> None:
    someone = Actor(label="user:1:someone", user_id=1)
    with unit_of_work(world, actor=someone) as uow, pytest.raises(ForbiddenError):
        rebuild_facts(uow)


def test_victim_treated_as_offender_counts_the_alerts(app_db: Database, tmp_path: Path) -> None:
    arrested = extract_row(
        record_id="IR-1",
        record_type="intelligence",
        record_date="2025-03-20",
        person_outcome="arrested",
        **_person(*AMY, "subject"),
    )
    import_rows(app_db, tmp_path, [*police_rows(), arrested])
    resolve_people(app_db)
    rebuild(app_db)
    assert facts(app_db)[("victim_treated_as_offender", POLICE, "", MARCH)] == (1, None)


def test_results_give_value_target_status_and_trend(world: Database) -> None:
    rebuild(world)
    with unit_of_work(world, actor=SYSTEM) as uow:
        year = {(r.measure, r.agency_code): r for r in measure_results(uow, period="2025")}
        police = {r.measure: r for r in measure_results(uow, period="2025-03", area_code=POLICE)}
    nfa = year[("nfa_rate_cse", "")]
    assert (nfa.numerator, nfa.denominator, nfa.value) == (2, 3, pytest.approx(66.67, 0.01))
    assert (nfa.target, nfa.status) == (40.0, "missed")
    assert [(p.period, p.value) for p in nfa.trend] == [("2025-03", 50.0), ("2025-04", 100.0)]
    assert year[("referral_decided_1wd", "")].status == "missed"
    assert year[("assessment_45wd", "")].status == "met"
    assert year[("group_based_cases", "")].status == "no target"
    assert year[("suspect_ethnicity_recorded", "POL-WY")].value == 100.0
    charge = police["charge_rate_cse"]
    assert (charge.area_name, charge.area_kind, charge.value) == (
        "West Yorkshire",
        "police_force",
        pytest.approx(33.33, 0.01),
    )
    assert police["missing_again"].status == "no data"  # the council's, not the force's


def test_a_malformed_period_is_refused_naming_the_field() -> None:
    with pytest.raises(RefusedError) as refused:
        parse_period("2025-13")
    assert "period" in refused.value.errors
    assert parse_period("2025-12") == (date(2025, 12, 1), date(2026, 1, 1))


@pytest.mark.parametrize("period", ["0000", "0000-01", "9999", "9999-12"])
def test_a_period_with_no_calendar_dates_is_refused_not_a_crash(period: str) -> None:
    # Found by fuzzing: year 0 (and the end of 9999) raised ValueError, a 500.
    with pytest.raises(RefusedError) as refused:
        parse_period(period)
    assert "period" in refused.value.errors


def test_the_catalogue_holds_every_measure_of_the_shared_design_with_a_stated_target() -> None:
    codes = [
        "referral_decided_1wd",
        "assessment_45wd",
        "strategy_discussion_held",
        "days_report_to_charge",
        "charge_rate_cse",
        "nfa_rate_cse",
        "repeat_victimisation",
        "missing_again",
        "victim_treated_as_offender",
        "language_flag_rate",
        "suspect_ethnicity_recorded",
        "victim_ethnicity_recorded",
        "suspect_nationality_recorded",
        "victim_nationality_recorded",
        "group_based_cases",
        "training_complete",
        "caseload_per_worker",
    ]
    assert [m.code for m in CATALOGUE] == codes
    by_agency = {m.code for m in CATALOGUE if m.by == "agency"}
    assert by_agency == {
        "suspect_ethnicity_recorded",
        "victim_ethnicity_recorded",
        "suspect_nationality_recorded",
        "victim_nationality_recorded",
        "training_complete",
        "caseload_per_worker",
    }
    assert all(m.target_source for m in CATALOGUE)
    assert all("Working Together" in m.target_source for m in CATALOGUE[:2])
