"""SQL of oversight's facts: the measures as rows, counts per measure, area and month, and the
pseudonymous units of disparity monitoring, each rebuilt with INSERT … SELECT … GROUP BY.

Every statement takes the scope the same way: ``all`` (a full rebuild) or ``months`` (the first
days of the months to rebuild). A month's facts and units are deleted and computed again, so a
rebuild replaces, never adds. The statements run as the system (the caller's system context):
row-level security would otherwise count only what one user may read. Only counts and grouped,
keyed units leave them; no person or record id is written.

Definitions shared with the pages that show the same things, so nothing is counted twice:
- clocks: met on time is stopped on or before its due day (``timescales.state``), the clock
  rows the timeliness services keep (rules ``referral_decision`` and ``assessment``);
- language: the flags kept with each note version and referral when saved, as
  ``queries.practice.notes.list_flag_rates`` counts them;
- victims treated as offenders: one per (offender record, child) of the alerts, as
  ``queries.practice.victims.list_victim_offender_counts`` counts them;
- caseloads: case team places on open cases, as ``queries.timeliness_workforce``;
- network groups: the records of the latest successful run, as ``queries.networks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

# Child sexual exploitation offences: Home Office Counting Rules for Recorded Crime, Sexual
# Offences (classification codes, the part before any "/"): 17B sexual assault on a male child
# under 13; 19C, 19D rape of a female aged under 16, under 13; 19E, 19F rape of a male aged under
# 16, under 13; 20B sexual assault on a female child under 13; 21 sexual activity involving a child
# under 13; 22B sexual activity involving a child under 16; 71 abuse of children through sexual
# exploitation; 88A sexual grooming; 88E sexual communication with a child. A partnership that
# counts more (e.g. trafficking, 106) adds the code here, the one place it is defined.
CSE_OFFENCE_CODES: tuple[str, ...] = (
    "17B",
    "19C",
    "19D",
    "19E",
    "19F",
    "20B",
    "21",
    "22B",
    "71",
    "88A",
    "88E",
)
# Record outcomes (extracts/codes.py) that mean a charge was brought, and those that are final.
CHARGED_OUTCOMES: tuple[str, ...] = ("charged", "summonsed", "convicted", "acquitted")
FINAL_OUTCOMES: tuple[str, ...] = (*CHARGED_OUTCOMES, "cautioned", "nfa")
TRAINING_COURSE = "exploitation_awareness"
REPEAT_WINDOW_DAYS = 365
MISSING_WINDOW_DAYS = 90
UNKNOWN_AREA = "unknown"

# The scope of a statement: everything, or the listed months (first days).
_SCOPE = "(CAST(:all AS boolean) OR {period} = ANY(CAST(:months AS date[])))"
_LOCAL = "(({ts}) AT TIME ZONE 'Europe/London')"
_MONTH = "date_trunc('month', {d})::date"
# The police 18+1 self-defined code grouped into the five ONS groups and "Not stated".
_ETHNICITY = (
    "CASE upper(left(coalesce({e}, ''), 1)) WHEN 'A' THEN 'Asian' WHEN 'B' THEN 'Black' "
    "WHEN 'M' THEN 'Mixed' WHEN 'W' THEN 'White' WHEN 'O' THEN 'Other' ELSE 'Not stated' END"
)
# Age at a date from the parts of a date of birth (a missing month or day taken mid-way), in
# whole years by integer arithmetic: no date is built, so a day that does not exist cannot fail.
_AGE = (
    "(CAST(date_part('year', {at}) AS int) - {y} - CASE WHEN (date_part('month', {at}), "
    "date_part('day', {at})) < (coalesce({m}, 7), coalesce({d}, 1)) THEN 1 ELSE 0 END)"
)
_AGE_BAND = (
    "CASE WHEN {y} IS NULL OR " + _AGE + " < 0 THEN 'Unknown' WHEN " + _AGE + " < 10 "
    "THEN '0-9' WHEN " + _AGE + " < 13 THEN '10-12' WHEN " + _AGE + " < 16 THEN '13-15' "
    "WHEN " + _AGE + " < 18 THEN '16-17' ELSE '18+' END"
)
# HMAC-SHA256 of a unit's source ids with a key derived from the server's secret (the caller
# passes the key's inner and outer pads): built-in sha256 only, no extension needed.
_UNIT_KEY = (
    "encode(sha256(CAST(:kopad AS bytea) || sha256(CAST(:kipad AS bytea) || "
    "convert_to({msg}, 'UTF8'))), 'hex')"
)
_AREA_KIND = (
    "CASE WHEN {a} = 'unknown' THEN 'unknown' WHEN left({a}, 3) IN ('E23', 'W15') "
    "THEN 'police_force' ELSE 'local_authority' END"
)


@dataclass(frozen=True, slots=True)
class FactRow:
    measure_code: str
    area_kind: str
    area_code: str
    area_name: str
    agency_code: str
    period: date
    numerator: float
    denominator: float | None


def set_rebuild_memory(session: Session) -> None:
    """Room for the rebuild's sorts and hashes in memory, for this transaction only: a million
    cases spill to disk with the default 4 MB and take several times as long."""
    session.execute(text("SET LOCAL work_mem = '256MB'"))


def analyse_crimes(session: Session) -> None:
    """Statistics for the crimes' temporary table, which autovacuum never sees: without them the
    planner guesses a few hundred rows and nests loops over a million."""
    session.execute(text("ANALYZE ov_crime"))


def upsert_measures(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Make ``oversight_measure`` hold exactly these rows."""
    session.execute(
        text(
            "INSERT INTO oversight_measure (code, name, definition, numerator, denominator, "
            "counts, direction, unit, target, near_margin, owner, by, sort_order) VALUES "
            "(:code, :name, :definition, :numerator, :denominator, :counts, :direction, :unit, "
            ":target, :near_margin, :owner, :by, :sort_order) ON CONFLICT (code) DO UPDATE SET "
            "name = excluded.name, definition = excluded.definition, "
            "numerator = excluded.numerator, denominator = excluded.denominator, "
            "counts = excluded.counts, direction = excluded.direction, unit = excluded.unit, "
            "target = excluded.target, near_margin = excluded.near_margin, "
            "owner = excluded.owner, by = excluded.by, sort_order = excluded.sort_order"
        ),
        list(rows),
    )
    session.execute(
        text("DELETE FROM oversight_measure WHERE code <> ALL(CAST(:codes AS text[]))"),
        {"codes": [r["code"] for r in rows]},
    )


def get_clock_day_range(session: Session, *, today: date) -> tuple[date, date, list[str]]:
    """The first and last day a referral decision clock needs counted, and its jurisdictions."""
    row = session.execute(
        text(
            "SELECT min(" + _LOCAL.format(ts="started_at") + "::date), "
            "max(" + _LOCAL.format(ts="stopped_at") + "::date), "
            "array_agg(DISTINCT jurisdiction) FROM clock WHERE rule_id = 'referral_decision'"
        )
    ).one()
    first = row[0] or today
    last = max(row[1] or today, today)
    return first, last, list(row[2] or [])


def create_working_days(
    session: Session, *, jurisdictions: list[str], days: list[date], counts: list[list[int]]
) -> None:
    """A temporary table of each day's count of working days up to it, per jurisdiction (the
    calendar comes from ``timescales``: bank holidays included)."""
    session.execute(
        text(
            "CREATE TEMP TABLE ov_day (jurisdiction text, d date, n int, "
            "PRIMARY KEY (jurisdiction, d)) ON COMMIT DROP"
        )
    )
    for jurisdiction, numbers in zip(jurisdictions, counts, strict=True):
        session.execute(
            text(
                "INSERT INTO ov_day SELECT :j, d, n FROM unnest(CAST(:d AS date[]), "
                "CAST(:n AS int[])) AS t(d, n)"
            ),
            {"j": jurisdiction, "d": days, "n": numbers},
        )


def delete_scope(session: Session, params: dict[str, Any]) -> tuple[int, int]:
    """Delete the facts and units of the scope; (facts, units) deleted."""
    facts = session.execute(
        text("DELETE FROM oversight_fact WHERE " + _SCOPE.format(period="period")), params
    )
    units = session.execute(
        text("DELETE FROM oversight_unit WHERE " + _SCOPE.format(period="period")), params
    )
    return int(getattr(facts, "rowcount", 0) or 0), int(getattr(units, "rowcount", 0) or 0)


def create_cells(session: Session) -> None:
    """The counts of every measure go here first, then into ``oversight_fact`` with names."""
    session.execute(
        text(
            "CREATE TEMP TABLE ov_cell (measure_code text, area_code text, agency_code text, "
            "period date, numerator float8, denominator float8) ON COMMIT DROP"
        )
    )


_CLOCK_PERIOD = _MONTH.format(d=_LOCAL.format(ts="c.started_at"))


def insert_clock_cells(session: Session, params: dict[str, Any]) -> None:
    """Referral decision and assessment clocks met on time, of those stopped or fallen due."""
    session.execute(
        text(
            "INSERT INTO ov_cell SELECT CASE c.rule_id WHEN 'referral_decision' "
            "THEN 'referral_decided_1wd' ELSE 'assessment_45wd' END, "
            "coalesce(ag.area_code, 'unknown'), '', " + _CLOCK_PERIOD + ", "
            "count(*) FILTER (WHERE c.stopped_at IS NOT NULL AND "
            + _LOCAL.format(ts="c.stopped_at")
            + "::date <= c.due_on), count(*) "
            "FROM clock c JOIN agency ag ON ag.id = c.owner_agency_id "
            "WHERE c.rule_id IN ('referral_decision', 'assessment') "
            "AND (c.stopped_at IS NOT NULL OR c.due_on < :today) AND "
            + _SCOPE.format(period=_CLOCK_PERIOD)
            + " GROUP BY 1, 2, 4"
        ),
        params,
    )


_MEETING_PERIOD = _MONTH.format(d=_LOCAL.format(ts="m.scheduled_for"))


def insert_meeting_cells(session: Session, params: dict[str, Any]) -> None:
    """Strategy discussions held, of those planned for a day up to today."""
    session.execute(
        text(
            "INSERT INTO ov_cell SELECT 'strategy_discussion_held', "
            "coalesce(ag.area_code, 'unknown'), '', " + _MEETING_PERIOD + ", "
            "count(*) FILTER (WHERE m.held_at IS NOT NULL), count(*) "
            "FROM meeting m JOIN agency ag ON ag.id = m.organising_agency_id "
            "WHERE m.kind = 'strategy_discussion' AND (m.held_at IS NOT NULL OR "
            + _LOCAL.format(ts="m.scheduled_for")
            + "::date <= :today) AND "
            + _SCOPE.format(period=_MEETING_PERIOD)
            + " GROUP BY 2, 4"
        ),
        params,
    )


# When Safehub first held a record as charged: its current values' time if charged now, or the
# time of the earliest replaced version that was charged (versions keep the replaced values).
_CHARGED_AT = (
    "least(CASE WHEN r.outcome = ANY(CAST(:charged AS text[])) "
    "THEN coalesce(r.updated_at, r.created_at) END, "
    "(SELECT min(coalesce(CAST(v.values->>'updated_at' AS timestamptz), "
    "CAST(v.values->>'created_at' AS timestamptz))) FROM agency_record_version v "
    "WHERE v.record_id = r.id AND v.values->>'outcome' = ANY(CAST(:charged AS text[]))))"
)
_RECORD_PERIOD = _MONTH.format(d="r.record_date")
# The same scope for records, with a range the record date's index can serve: a month's
# incremental rebuild then reads that month's records, not every record.
_RECORD_SCOPE = (
    "(CAST(:all AS boolean) OR (r.record_date >= :scope_start AND r.record_date < :scope_end "
    "AND " + _RECORD_PERIOD + " = ANY(CAST(:months AS date[]))))"
)


def create_crimes(session: Session, params: dict[str, Any]) -> int:
    """Crime reports of an exploitation offence in the scope, with the history before it that
    repeat victimisation looks back on (``in_scope`` false)."""
    result = session.execute(
        text(
            "CREATE TEMP TABLE ov_crime ON COMMIT DROP AS SELECT r.id, "
            "coalesce(r.area_code, ag.area_code, 'unknown') AS area_code, r.record_date, "
            + _RECORD_PERIOD
            + " AS period, "
            + _SCOPE.format(period=_RECORD_PERIOD)
            + " AS in_scope, coalesce(r.outcome = ANY(CAST(:charged AS text[])), false) "
            "AS charged, coalesce(r.outcome = ANY(CAST(:final AS text[])), false) AS final, "
            "coalesce(r.outcome = 'nfa', false) AS nfa, "
            "CASE WHEN r.outcome = ANY(CAST(:charged AS text[])) THEN greatest(0, ("
            + _LOCAL.format(ts=_CHARGED_AT)
            + ")::date - r.record_date) END AS days "
            "FROM agency_record r JOIN agency ag ON ag.id = r.agency_id "
            "WHERE r.record_type = 'crime_report' "
            "AND upper(split_part(trim(r.offence_code), '/', 1)) = ANY(CAST(:cse AS text[])) "
            "AND (CAST(:all AS boolean) OR (r.record_date >= :history_from "
            "AND r.record_date < :scope_end))"
        ),
        params,
    )
    return int(getattr(result, "rowcount", 0) or 0)


def insert_crime_cells(session: Session) -> None:
    """Charge and NFA rates and the median days to charge, by area and month (one pass)."""
    session.execute(
        text(
            "INSERT INTO ov_cell SELECT x.code, g.area_code, '', g.period, x.numerator, "
            "x.denominator FROM (SELECT area_code, period, count(*) AS reports, "
            "count(*) FILTER (WHERE charged) AS charged, count(*) FILTER (WHERE nfa) AS nfa, "
            "count(*) FILTER (WHERE final) AS final, count(days) AS timed, "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median "
            "FROM ov_crime WHERE in_scope GROUP BY area_code, period) g "
            "CROSS JOIN LATERAL (VALUES ('charge_rate_cse', g.charged, g.reports), "
            "('nfa_rate_cse', g.nfa, g.final), ('days_report_to_charge', g.median, g.timed)) "
            "AS x(code, numerator, denominator) WHERE x.denominator > 0"
        )
    )


def create_crime_people(session: Session) -> None:
    """Per crime report in scope: its suspects' most common stated ethnicity group ("Not stated"
    when none is stated, None with no suspect) and its first victim's group, sex, age band and
    in-care status."""
    session.execute(
        text(
            "CREATE TEMP TABLE ov_crime_people ON COMMIT DROP AS SELECT m.record_id, "
            "coalesce(mode() WITHIN GROUP (ORDER BY g.grp) FILTER (WHERE m.person_role = "
            "'suspect' AND g.grp <> 'Not stated'), CASE WHEN bool_or(m.person_role = 'suspect') "
            "THEN 'Not stated' END) AS suspect_ethnicity, "
            "(array_agg(g.grp ORDER BY m.id) FILTER (WHERE m.person_role = 'victim'))[1] "
            "AS victim_ethnicity, "
            "(array_agg(m.sex ORDER BY m.id) FILTER (WHERE m.person_role = 'victim'))[1] "
            "AS victim_sex, "
            "(array_agg(g.band ORDER BY m.id) FILTER (WHERE m.person_role = 'victim'))[1] "
            "AS victim_age_band, "
            "(array_agg(g.in_care ORDER BY m.id) FILTER (WHERE m.person_role = 'victim'))[1] "
            "AS in_care "
            "FROM ov_crime c JOIN person_mention m ON m.record_id = c.id AND m.current "
            "CROSS JOIN LATERAL (SELECT "
            + _ETHNICITY.format(e="m.ethnicity_self_defined")
            + " AS grp, "
            + _AGE_BAND.format(y="m.dob_year", m="m.dob_month", d="m.dob_day", at="c.record_date")
            + " AS band, 'in_care' = ANY(coalesce(m.indicators, '{}')) AS in_care) g "
            "WHERE c.in_scope AND m.person_role IN ('suspect', 'victim') GROUP BY m.record_id"
        )
    )
    session.execute(text("ANALYZE ov_crime_people"))


_UNIT_COLUMNS = (
    "INSERT INTO ov_unit (measure_code, unit_key, area_kind, area_code, period, "
    "suspect_ethnicity, victim_ethnicity, victim_sex, victim_age_band, in_care, days, event) "
)


def create_units(session: Session) -> None:
    """Units are computed into a temporary table without indexes, then written in one go."""
    session.execute(
        text(
            "CREATE TEMP TABLE ov_unit ON COMMIT DROP AS SELECT measure_code, unit_key, "
            "area_kind, area_code, period, suspect_ethnicity, victim_ethnicity, victim_sex, "
            "victim_age_band, in_care, days, event FROM oversight_unit WITH NO DATA"
        )
    )


def insert_units(session: Session, *, full: bool) -> int:
    """Write the computed units, in key order (the key's index then fills page by page). An
    incremental rebuild first removes any unit of the same key kept under another month (a
    record whose date an extract changed, when only its new month is rebuilt)."""
    if not full:
        session.execute(
            text("DELETE FROM oversight_unit u USING ov_unit n WHERE u.unit_key = n.unit_key")
        )
    result = session.execute(
        text(
            "INSERT INTO oversight_unit (measure_code, unit_key, area_kind, area_code, period, "
            "suspect_ethnicity, victim_ethnicity, victim_sex, victim_age_band, in_care, days, "
            "event) SELECT * FROM ov_unit ORDER BY unit_key"
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def insert_crime_units(session: Session, params: dict[str, Any]) -> int:
    """One ``crime_to_charge`` unit per crime report in scope (days to charge, or censored at
    today) and one ``crime_nfa`` unit per crime report with a final outcome."""
    result = session.execute(
        text(
            _UNIT_COLUMNS
            + "SELECT x.code, "
            + _UNIT_KEY.format(msg="x.code || ':' || c.id")
            + ", "
            + _AREA_KIND.format(a="c.area_code")
            + ", c.area_code, c.period, p.suspect_ethnicity, p.victim_ethnicity, p.victim_sex, "
            "p.victim_age_band, p.in_care, CASE WHEN x.code = 'crime_nfa' THEN NULL "
            "ELSE coalesce(c.days, greatest(0, :today - c.record_date)) END, "
            "CASE WHEN x.code = 'crime_nfa' THEN c.nfa ELSE c.charged END "
            "FROM ov_crime c LEFT JOIN ov_crime_people p ON p.record_id = c.id "
            "CROSS JOIN (VALUES ('crime_to_charge'), ('crime_nfa')) AS x(code) "
            "WHERE c.in_scope AND (x.code = 'crime_to_charge' OR c.final)"
        ),
        params,
    )
    return int(getattr(result, "rowcount", 0) or 0)


_PERSON = "coalesce(p.merged_into_id, p.id)"


def insert_return_cells(session: Session, params: dict[str, Any]) -> None:
    """Repeat victimisation and going missing again: per resolved child and month (counted once,
    in the area of their first record that month), whether they had a record of the same kind
    in the window before (365 days for victims of exploitation offences, 90 for missing). A
    child named twice in one record (two agency people resolved as one) is not "again": the
    record before must be another."""
    session.execute(
        text(
            "INSERT INTO ov_cell WITH events AS ("
            "  SELECT 'repeat_victimisation' AS code, " + _PERSON + " AS person, "
            "  c.id, c.record_date, c.period, c.area_code, c.in_scope "
            "  FROM ov_crime c JOIN person_mention m ON m.record_id = c.id AND m.current "
            "  AND m.person_role = 'victim' JOIN agency_person ap ON ap.id = m.agency_person_id "
            "  JOIN person p ON p.id = ap.person_id "
            "  UNION ALL SELECT 'missing_again', "
            + _PERSON
            + ", r.id, r.record_date, "
            + _RECORD_PERIOD
            + ", coalesce(r.area_code, ag.area_code, 'unknown'), "
            + _SCOPE.format(period=_RECORD_PERIOD)
            + "  FROM agency_record r JOIN agency ag ON ag.id = r.agency_id "
            "  JOIN person_mention m ON m.record_id = r.id AND m.current "
            "  AND m.person_role IN ('victim', 'subject') "
            "  JOIN agency_person ap ON ap.id = m.agency_person_id "
            "  JOIN person p ON p.id = ap.person_id WHERE r.record_type = 'missing_episode' "
            "  AND (CAST(:all AS boolean) OR (r.record_date >= :history_from "
            "  AND r.record_date < :scope_end))"
            "), ordered AS ("
            "  SELECT e.*, lag(e.record_date) OVER w AS before, lag(e.id) OVER w AS before_id "
            "  FROM events e WINDOW w AS (PARTITION BY e.code, e.person "
            "  ORDER BY e.record_date, e.id)"
            "), children AS ("
            "  SELECT o.code, o.person, o.period, "
            "  (array_agg(o.area_code ORDER BY o.record_date, o.id))[1] AS area_code, "
            "  bool_or(o.before_id <> o.id AND o.before >= o.record_date - CASE o.code "
            "  WHEN 'repeat_victimisation' THEN :repeat_days ELSE :missing_days END) AS again "
            "  FROM ordered o WHERE o.in_scope GROUP BY o.code, o.person, o.period"
            ") SELECT code, area_code, '', period, count(*) FILTER (WHERE again), count(*) "
            "FROM children GROUP BY code, area_code, period"
        ),
        params,
    )


_ALERT_PERIOD = _MONTH.format(d="CAST(al.evidence->>'offender_date' AS date)")


def insert_victim_offender_cells(session: Session, params: dict[str, Any]) -> None:
    """Victim-as-offender alerts: one per (offender record, child), in the offender record's area
    and month. A sealed alert's evidence is in ``alert_content`` (read as the system)."""
    session.execute(
        text(
            "INSERT INTO ov_cell SELECT 'victim_treated_as_offender', "
            "coalesce(r.area_code, ag.area_code, 'unknown'), '', " + _ALERT_PERIOD + ", "
            "count(DISTINCT (al.evidence->>'offender_record_id', al.person_id)), NULL "
            "FROM (SELECT x.person_id, coalesce(c.evidence, x.evidence) AS evidence FROM alert x "
            "      LEFT JOIN alert_content c ON c.alert_id = x.id "
            "      WHERE x.kind = 'victim_treated_as_offender') al "
            "JOIN agency_record r ON r.id = CAST(al.evidence->>'offender_record_id' AS bigint) "
            "JOIN agency ag ON ag.id = r.agency_id WHERE "
            + _SCOPE.format(period=_ALERT_PERIOD)
            + " GROUP BY 2, 4"
        ),
        params,
    )


_CREATED_PERIOD = _MONTH.format(d=_LOCAL.format(ts="t.created_at"))


def insert_language_cells(session: Session, params: dict[str, Any]) -> None:
    """Notes (every saved version) and referrals with a language flag, of those checked, in the
    area of the author's agency and the month they were written."""
    session.execute(
        text(
            "INSERT INTO ov_cell SELECT 'language_flag_rate', coalesce(ag.area_code, 'unknown'), "
            "'', " + _CREATED_PERIOD + ", count(*) FILTER (WHERE t.flag_count > 0), count(*) "
            "FROM (SELECT n.created_at, k.flag_count, u.agency_id FROM note_language_check k "
            "      JOIN case_note n ON n.id = k.note_id JOIN app_user u ON u.id = n.author_user_id "
            "      UNION ALL SELECT r.created_at, k.flag_count, r.referring_agency_id "
            "      FROM referral_language_check k JOIN referral r ON r.id = k.referral_id) t "
            "JOIN agency ag ON ag.id = t.agency_id WHERE "
            + _SCOPE.format(period=_CREATED_PERIOD)
            + " GROUP BY 2, 4"
        ),
        params,
    )


def insert_completeness_cells(session: Session, params: dict[str, Any]) -> None:
    """Suspects' and victims' ethnicity (a code other than NS) and nationality recorded, by the
    agency holding the record and the month of the record."""
    session.execute(
        text(
            "INSERT INTO ov_cell WITH g AS ("
            "  SELECT m.person_role AS role, coalesce(ag.area_code, 'unknown') AS area_code, "
            "  ag.code AS agency_code, " + _RECORD_PERIOD + " AS period, count(*) AS n, "
            "  count(*) FILTER (WHERE coalesce(m.ethnicity_self_defined, '') NOT IN ('', 'NS')) "
            "  AS ethnicity, count(*) FILTER (WHERE coalesce(m.nationality, '') <> '') "
            "  AS nationality FROM person_mention m JOIN agency_record r ON r.id = m.record_id "
            "  JOIN agency ag ON ag.id = r.agency_id "
            "  WHERE m.current AND m.person_role IN ('suspect', 'victim') AND "
            + _RECORD_SCOPE
            + "  GROUP BY 1, 2, 3, 4"
            ") SELECT g.role || x.what || '_recorded', g.area_code, g.agency_code, g.period, "
            "CASE x.what WHEN '_ethnicity' THEN g.ethnicity ELSE g.nationality END, g.n "
            "FROM g CROSS JOIN (VALUES ('_ethnicity'), ('_nationality')) AS x(what)"
        ),
        params,
    )


def insert_group_cells(session: Session, params: dict[str, Any]) -> None:
    """Crime reports flagged group-based by their agency or binding a group of the latest
    successful network analysis, each once."""
    session.execute(
        text(
            "INSERT INTO ov_cell WITH grouped AS ("
            "  SELECT DISTINCT rec->>0 AS agency_code, rec->>1 AS record_ref "
            "  FROM network_group g CROSS JOIN LATERAL jsonb_array_elements(g.records) rec "
            "  WHERE g.run_id = (SELECT max(id) FROM network_run WHERE status = 'succeeded')"
            ") SELECT 'group_based_cases', coalesce(r.area_code, ag.area_code, 'unknown'), '', "
            + _RECORD_PERIOD
            + ", count(*), NULL FROM agency_record r JOIN agency ag ON ag.id = r.agency_id "
            "LEFT JOIN grouped gr ON gr.agency_code = ag.code AND gr.record_ref = r.record_ref "
            "WHERE r.record_type = 'crime_report' "
            "AND (r.group_based OR gr.record_ref IS NOT NULL) AND "
            + _RECORD_SCOPE
            + " GROUP BY 2, 4"
        ),
        params,
    )


def insert_workforce_cells(session: Session, params: dict[str, Any]) -> None:
    """Training current at each month's end (or today, for this month) among the agency's
    active staff of the time; and open cases per worker today (this month only)."""
    session.execute(
        text(
            "INSERT INTO ov_cell WITH months AS ("
            "  SELECT CAST(mo AS date) AS period, least(CAST(mo + interval '1 month' AS date) - 1, "
            "  CAST(:today AS date)) AS at FROM generate_series("
            "  (SELECT date_trunc('month', min(" + _LOCAL.format(ts="created_at") + ")) "
            "   FROM app_user), date_trunc('month', CAST(:today AS date)), interval '1 month') mo"
            ") SELECT 'training_complete', coalesce(ag.area_code, 'unknown'), ag.code, "
            "mo.period, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM training_record t "
            "  WHERE t.user_id = u.id AND t.course = :course AND t.completed_on <= mo.at "
            "  AND (t.expires_on IS NULL OR t.expires_on >= mo.at))), count(*) "
            "FROM months mo JOIN app_user u ON u.active "
            "AND " + _LOCAL.format(ts="u.created_at") + "::date <= mo.at "
            "JOIN agency ag ON ag.id = u.agency_id WHERE " + _SCOPE.format(period="mo.period") + " "
            "GROUP BY 2, 3, 4 "
            "UNION ALL SELECT 'caseload_per_worker', coalesce(ag.area_code, 'unknown'), ag.code, "
            "CAST(date_trunc('month', CAST(:today AS date)) AS date), count(*), "
            "count(DISTINCT m.user_id) FROM case_member m "
            "JOIN safeguarding_case s ON s.id = m.case_id AND s.status = 'open' "
            "JOIN app_user u ON u.id = m.user_id AND u.active "
            "JOIN agency ag ON ag.id = u.agency_id WHERE "
            + _SCOPE.format(period="CAST(date_trunc('month', CAST(:today AS date)) AS date)")
            + " GROUP BY 2, 3"
        ),
        params,
    )


def create_referral_children(session: Session) -> None:
    """What the records say of the children referred (resolved people): their most common stated
    ethnicity group and sex, and whether any record says they are in care."""
    session.execute(
        text(
            "CREATE TEMP TABLE ov_child ON COMMIT DROP AS SELECT " + _PERSON + " AS person_id, "
            "coalesce(mode() WITHIN GROUP (ORDER BY g.grp) FILTER (WHERE g.grp <> 'Not stated'), "
            "'Not stated') AS ethnicity, "
            "mode() WITHIN GROUP (ORDER BY m.sex) FILTER (WHERE m.sex IS NOT NULL) AS sex, "
            "bool_or('in_care' = ANY(coalesce(m.indicators, '{}'))) AS in_care "
            "FROM person_mention m JOIN agency_person ap ON ap.id = m.agency_person_id "
            "JOIN person p ON p.id = ap.person_id CROSS JOIN LATERAL (SELECT "
            + _ETHNICITY.format(e="m.ethnicity_self_defined")
            + " AS grp) g WHERE m.current AND "
            + _PERSON
            + " IN (SELECT coalesce(q.merged_into_id, q.id) FROM referral f "
            "JOIN person q ON q.id = f.child_person_id) GROUP BY 1"
        )
    )
    session.execute(text("ANALYZE ov_child"))


def insert_referral_units(session: Session, params: dict[str, Any]) -> int:
    """One ``referral_decision`` unit per referral with a decision clock: working days from
    receipt to decision (or to today: censored), in the deciding agency's area."""
    result = session.execute(
        text(
            _UNIT_COLUMNS
            + "SELECT 'referral_decision', "
            + _UNIT_KEY.format(msg="'referral_decision:' || f.id")
            + ", "
            + _AREA_KIND.format(a="coalesce(ag.area_code, 'unknown')")
            + ", coalesce(ag.area_code, 'unknown'), "
            + _CLOCK_PERIOD
            + ", NULL, coalesce(ch.ethnicity, 'Not stated'), ch.sex, "
            + _AGE_BAND.format(
                y="CAST(date_part('year', f.child_date_of_birth) AS int)",
                m="CAST(date_part('month', f.child_date_of_birth) AS int)",
                d="CAST(date_part('day', f.child_date_of_birth) AS int)",
                at=_LOCAL.format(ts="c.started_at") + "::date",
            )
            + ", ch.in_care, e.n - s.n, c.stopped_at IS NOT NULL "
            "FROM (SELECT DISTINCT ON (referral_id) id, referral_id, jurisdiction, started_at, "
            "stopped_at, owner_agency_id FROM clock "
            "      WHERE rule_id = 'referral_decision' AND referral_id IS NOT NULL "
            "      ORDER BY referral_id, id) c "
            "JOIN referral f ON f.id = c.referral_id JOIN agency ag ON ag.id = c.owner_agency_id "
            "LEFT JOIN person q ON q.id = f.child_person_id "
            "LEFT JOIN ov_child ch ON ch.person_id = coalesce(q.merged_into_id, q.id) "
            "LEFT JOIN ov_day s ON s.jurisdiction = c.jurisdiction "
            "AND s.d = " + _LOCAL.format(ts="c.started_at") + "::date "
            "LEFT JOIN ov_day e ON e.jurisdiction = c.jurisdiction AND e.d = coalesce("
            + _LOCAL.format(ts="c.stopped_at")
            + "::date, :today) WHERE "
            + _SCOPE.format(period=_CLOCK_PERIOD)
        ),
        params,
    )
    return int(getattr(result, "rowcount", 0) or 0)


def insert_facts(session: Session) -> int:
    """The cells into ``oversight_fact``, with each area's kind and name."""
    result = session.execute(
        text(
            "INSERT INTO oversight_fact (measure_code, area_kind, area_code, area_name, "
            "agency_code, period, numerator, denominator) SELECT c.measure_code, "
            + _AREA_KIND.format(a="c.area_code")
            + ", c.area_code, coalesce(n.name, CASE WHEN c.area_code = 'unknown' "
            "THEN 'Area not recorded' ELSE c.area_code END), c.agency_code, c.period, "
            "c.numerator, c.denominator FROM ov_cell c LEFT JOIN (SELECT area_code, "
            "max(area_name) AS name FROM agency WHERE area_code IS NOT NULL GROUP BY area_code) n "
            "ON n.area_code = c.area_code"
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def list_facts(session: Session, *, start: date, end: date, area_code: str | None) -> list[FactRow]:
    """The facts of the months in [start, end), of one area or all."""
    rows = session.execute(
        text(
            "SELECT measure_code, area_kind, area_code, area_name, agency_code, period, "
            "numerator, denominator FROM oversight_fact WHERE period >= :s AND period < :e "
            "AND (CAST(:a AS text) IS NULL OR area_code = :a) "
            "ORDER BY measure_code, period, area_code, agency_code"
        ),
        {"s": start, "e": end, "a": area_code},
    ).all()
    return [FactRow(*r) for r in rows]


def get_latest_fact_month(session: Session) -> date | None:
    """The most recent month any fact counts (None before the first rebuild)."""
    latest: date | None = session.execute(text("SELECT max(period) FROM oversight_fact")).scalar()
    return latest
