"""Victim treated as offender: a child recorded as a victim of exploitation in any agency who is
recorded as a suspect, arrested, charged, cautioned, summonsed, fined or convicted.

In the inquiries into group-based exploitation, children were arrested and prosecuted for
offences committed while they were being exploited, treated as offenders rather than victims.
The alert goes to the agency that holds the victim record and to the agency that
recorded the offender outcome, prompts a National Referral Mechanism referral, and points to the
statutory defence for victims of slavery and trafficking (Modern Slavery Act 2015 s.45). The
rule joins records on the resolved person (``agency_person.person_id``, following merges), so it
works across agencies once identity resolution links them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from safehub.db.queries.practice.victims import (
    OffenderPair,
    get_open_case_for_child,
    list_victim_offender_counts,
    list_victim_offender_pairs,
)
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.extracts.codes import OFFENDER_OUTCOMES
from safehub.services.alerts.raising import NewAlert, raise_alerts
from safehub.services.practice.indicator_rules import youngest_age

KIND = "victim_treated_as_offender"
RULE = "victim-treated-as-offender-v1"
ADULT_AGE = 18
PROMPT = (
    "Consider a National Referral Mechanism referral (the local authority is a first responder), "
    "and make sure the investigating and prosecuting teams know the child is a victim: a child "
    "who committed an offence as a direct consequence of being exploited may have the statutory "
    "defence in section 45 of the Modern Slavery Act 2015."
)


def raise_victim_offender_alerts(
    uow: UnitOfWork, *, person_ids: list[int] | None = None, purpose: str
) -> list[int]:
    """Raise the alerts for these people (everyone when None). Re-running raises nothing twice."""
    pairs = list_victim_offender_pairs(
        uow.session, outcomes=sorted(OFFENDER_OUTCOMES), people=person_ids
    )
    by_offence: dict[tuple[int, int], list[OffenderPair]] = defaultdict(list)
    for pair in pairs:
        if _child_at(pair.date_of_birth, pair.victim_date) and _child_at(
            pair.date_of_birth, pair.offender_date
        ):
            by_offence[(pair.offender_record_id, pair.offender_agency_person_id)].append(pair)
    alerts = [a for group in by_offence.values() for a in _alerts_for(uow, group)]
    return raise_alerts(uow, alerts=alerts, purpose=purpose) if alerts else []


def _child_at(date_of_birth: str | None, on: date) -> bool:
    """Under 18 on the date, taking the latest possible birthday when only a year or month of
    birth is known: an alert that turns out unneeded costs a look, a missed one can cost a child.

    >>> _child_at("2008", date(2025, 6, 1)), _child_at("2007-05-01", date(2025, 6, 1))
    (True, False)
    """
    age = youngest_age(date_of_birth, on)
    return age is not None and age < ADULT_AGE


def _alerts_for(uow: UnitOfWork, pairs: list[OffenderPair]) -> list[NewAlert]:
    first = pairs[0]
    case = get_open_case_for_child(uow.session, first.person_id)
    victim_agencies = {p.victim_agency_id: p.victim_agency for p in pairs}
    targets = sorted({first.offender_agency_id, *victim_agencies})
    reasons = _reasons(pairs)
    evidence: dict[str, object] = {
        "offender_record_id": first.offender_record_id,
        "offender_record": first.offender_record,
        "offender_agency_id": first.offender_agency_id,
        "offender_agency": first.offender_agency,
        "offender_date": first.offender_date.isoformat(),
        "offender_outcome": first.offender_outcome or first.offender_mention_role,
        "victim_records": [f"{p.victim_agency} {p.victim_record}" for p in pairs],
    }
    return [
        NewAlert(
            kind=KIND,
            title="A child recorded as a victim has been treated as an offender",
            reasons=reasons,
            rule=RULE,
            target_agency_id=target,
            dedupe_key=f"{KIND}:{first.offender_record_id}:{first.offender_agency_person_id}:{target}",
            evidence=evidence,
            person_id=first.person_id,
            case_id=case[0] if case else None,
            target_team_id=case[1] if case else None,
            owning_agency_id=_owner(first, target, pairs),
            # Another agency's records stay sealed until an information-sharing agreement opens them.
            sealed=_owner(first, target, pairs) != target,
            severity="high",
            sources=_sources(target, pairs),
        )
        for target in targets
    ]


def _owner(first: OffenderPair, target: int, pairs: list[OffenderPair]) -> int:
    """The agency whose information the recipient learns from the alert: the offender record's
    agency for a victim-record holder, and a victim record's agency for the offender agency."""
    if target != first.offender_agency_id:
        return first.offender_agency_id
    others = [p.victim_agency_id for p in pairs if p.victim_agency_id != target]
    return others[0] if others else target


def _sources(target: int, pairs: list[OffenderPair]) -> tuple[tuple[int, str], ...]:
    """The other agencies' records the reasons cite: the offender record and every victim
    record not held by the recipient (an agreement or disclosure covering each opens them)."""
    first = pairs[0]
    cited = {(first.offender_agency_id, first.offender_record_type)} | {
        (p.victim_agency_id, p.victim_record_type) for p in pairs
    }
    return tuple(sorted((a, t) for a, t in cited if a != target))


def _reasons(pairs: list[OffenderPair]) -> list[str]:
    first = pairs[0]
    outcome = first.offender_outcome or "recorded as a suspect"
    if first.offender_outcome is None and first.offender_mention_role == "suspect":
        outcome = "recorded as a suspect"
    seen: set[tuple[str, str]] = set()
    victim_lines = []
    for p in pairs:
        if (p.victim_agency, p.victim_record) in seen:
            continue
        seen.add((p.victim_agency, p.victim_record))
        victim_lines.append(
            f"{p.victim_agency} recorded the child as a victim in "
            f"{p.victim_record_type.replace('_', ' ')} {p.victim_record} "
            f"on {p.victim_date:%-d %B %Y}."
        )
    return [
        *victim_lines,
        f"{first.offender_agency} {_outcome_phrase(outcome)} in "
        f"{first.offender_record_type.replace('_', ' ')} {first.offender_record} on "
        f"{first.offender_date:%-d %B %Y}, when the child was under 18 "
        f"(date of birth recorded as {first.date_of_birth}).",
        PROMPT,
    ]


def _outcome_phrase(outcome: str) -> str:
    phrases = {
        "arrested": "arrested the child",
        "charged": "charged the child",
        "cautioned": "cautioned the child",
        "summonsed": "summonsed the child",
        "fined": "fined the child",
        "convicted": "recorded the child as convicted",
    }
    return phrases.get(outcome, "recorded the child as a suspect")


@dataclass(frozen=True, slots=True)
class AgencyCount:
    agency_code: str
    agency_name: str
    count: int


def victim_offender_measure(uow: UnitOfWork, *, start: date, end: date) -> list[AgencyCount]:
    """Oversight measure: children recorded as victims then treated as offenders, counted by the
    agency that recorded the offender outcome, for offender records dated in the period."""
    # Counted as the partnership (alerts are otherwise visible only to their target agency);
    # only counts leave this step.
    with system_step(uow):
        rows = list_victim_offender_counts(uow.session, start=start, end=end)
    uow.audit(
        "consultation",
        "statistic",
        ["victim_treated_as_offender"],
        purpose="oversight",
        detail={"start": start.isoformat(), "end": end.isoformat()},
    )
    return [AgencyCount(*r) for r in rows]
