"""The rebuild job: oversight's facts and units, recomputed from every source in one transaction.

``rebuild_facts(uow)`` recomputes everything; ``rebuild_facts(uow, months=[date(2025, 3, 1)])``
only the months given (a job run after an import passes the months it touched). Either way the
measures' rows are written from ``catalogue.CATALOGUE`` first, so the table always matches it.

Sources: what staff do in Safehub (referral and assessment clocks, strategy discussions, the
language checks kept with notes and referrals, victim-as-offender alerts, training records,
caseloads) and what agencies send in extracts (crime reports' offence code and outcome,
group-based flags, missing episodes, and the people in them with their role, self-defined
ethnicity, nationality and outcome), so that charge and NFA rates by suspect ethnicity come from
imports alone. All counting is SQL (``db/queries/oversight_facts.py``): INSERT … SELECT … GROUP BY.

Units are keyed by an HMAC-SHA256 of their source ids (e.g. ``crime_nfa:1234``) under a key
derived (HKDF) from the server's ``SAFEHUB_SECRET_KEY``, which the database never holds: a row of
``oversight_unit`` cannot be turned back into a record id without that secret, and the same event
keeps its key from one rebuild to the next.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from safehub.db.queries import oversight_facts as q
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError
from safehub.services.oversight.catalogue import CATALOGUE
from safehub.services.timeliness.rules import working_calendar
from safehub.timescales import local_date

UNIT_KEY_PURPOSE = "oversight unit key v1"
_BLOCK = 64  # SHA-256's block size, for the HMAC pads


@dataclass(frozen=True, slots=True)
class RebuildCounts:
    """What a rebuild did: ``months`` is () for a full rebuild."""

    measures: int
    facts: int
    units: int
    facts_deleted: int
    units_deleted: int
    crime_reports: int
    months: tuple[str, ...]
    seconds: float

    def summary(self) -> str:
        scope = "every month" if not self.months else ", ".join(self.months)
        return (
            f"Rebuilt {scope}: {self.facts} facts and {self.units} units for {self.measures} "
            f"measures ({self.crime_reports} crime reports of exploitation offences read) "
            f"in {self.seconds:.1f} s"
        )


def rebuild_facts(
    uow: UnitOfWork,
    *,
    months: list[date] | None = None,
    today: date | None = None,
) -> RebuildCounts:
    """Recompute ``oversight_fact`` and ``oversight_unit`` wholly (``months`` None) or for the
    given months only (any day of a month names it), as the system, audited as one entry with
    its counts. ``today`` is the end of the data (open clocks and uncharged crimes are censored
    there); it defaults to today in the UK. The caller commits."""
    if not uow.actor.is_system:
        raise ForbiddenError("only the system (a job or the command line) rebuilds the facts")
    started = time.perf_counter()
    today = today or local_date(datetime.now(UTC))
    scope = sorted({m.replace(day=1) for m in months}) if months is not None else None
    params = _params(uow, scope, today)
    with system_step(uow):
        q.set_rebuild_memory(uow.session)
        q.upsert_measures(uow.session, [m.row(i) for i, m in enumerate(CATALOGUE, start=1)])
        facts_deleted, units_deleted = q.delete_scope(uow.session, params)
        q.create_cells(uow.session)
        q.insert_clock_cells(uow.session, params)
        q.insert_meeting_cells(uow.session, params)
        crimes = q.create_crimes(uow.session, params)
        q.analyse_crimes(uow.session)
        q.insert_crime_cells(uow.session)
        q.insert_return_cells(uow.session, params)
        q.insert_victim_offender_cells(uow.session, params)
        q.insert_language_cells(uow.session, params)
        q.insert_completeness_cells(uow.session, params)
        q.insert_group_cells(uow.session, params)
        q.insert_workforce_cells(uow.session, params)
        facts = q.insert_facts(uow.session)
        q.create_units(uow.session)
        q.create_crime_people(uow.session)
        q.insert_crime_units(uow.session, params)
        _working_days(uow, today)
        q.create_referral_children(uow.session)
        q.insert_referral_units(uow.session, params)
        units = q.insert_units(uow.session, full=scope is None)
    uow.mark_changed()
    counts = RebuildCounts(
        measures=len(CATALOGUE),
        facts=facts,
        units=units,
        facts_deleted=facts_deleted,
        units_deleted=units_deleted,
        crime_reports=crimes,
        months=tuple(m.strftime("%Y-%m") for m in scope or ()),
        seconds=round(time.perf_counter() - started, 3),
    )
    uow.audit(
        "alteration",
        "oversight_fact",
        [f"{facts} facts", f"{units} units"],
        purpose="oversight facts rebuild",
        detail={
            "months": list(counts.months) or "all",
            "today": today.isoformat(),
            "facts_deleted": facts_deleted,
            "units_deleted": units_deleted,
            "crime_reports": crimes,
        },
    )
    return counts


def _params(uow: UnitOfWork, scope: list[date] | None, today: date) -> dict[str, Any]:
    inner, outer = _pads(uow.secrets.derive(UNIT_KEY_PURPOSE))
    first = scope[0] if scope else today
    last = scope[-1] if scope else today
    return {
        "all": scope is None,
        "months": scope or [],
        "today": today,
        # Repeat victimisation looks back a year before the first month rebuilt.
        "history_from": first - timedelta(days=q.REPEAT_WINDOW_DAYS + 1),
        "scope_start": first,
        "scope_end": (last.replace(day=28) + timedelta(days=4)).replace(day=1),
        "charged": list(q.CHARGED_OUTCOMES),
        "final": list(q.FINAL_OUTCOMES),
        "cse": list(q.CSE_OFFENCE_CODES),
        "course": q.TRAINING_COURSE,
        "repeat_days": q.REPEAT_WINDOW_DAYS,
        "missing_days": q.MISSING_WINDOW_DAYS,
        "kipad": inner,
        "kopad": outer,
    }


def _pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC's inner and outer padded keys (RFC 2104), so the database computes the HMAC with
    its built-in sha256: H((K ^ opad) || H((K ^ ipad) || m))."""
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def unit_key(secret: bytes, message: str) -> str:
    """The key of a unit as the database computes it (for tests and checks)."""
    return hmac.new(secret, message.encode(), "sha256").hexdigest()


def _working_days(uow: UnitOfWork, today: date) -> None:
    """Each day's count of working days so far, per jurisdiction of the decision clocks, from
    the same calendar the clocks use (bank holidays included)."""
    first, last, jurisdictions = q.get_clock_day_range(uow.session, today=today)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    counts = []
    for jurisdiction in jurisdictions:
        calendar = working_calendar(jurisdiction)
        running, numbers = 0, []
        for day in days:
            running += calendar.is_working_day(day)
            numbers.append(running)
        counts.append(numbers)
    q.create_working_days(uow.session, jurisdictions=jurisdictions, days=days, counts=counts)
