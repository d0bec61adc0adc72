"""Alerts held while a possible match waited, sent on once the match is confirmed.

An alert resting on a "possibly the same person" pair stays with the agency holding its record
(``alerts._deliver``). Once every pair it rests on is one person (a reviewer confirmed it, or
resolution merged the two records), the next network run sends the same finding to the agency
that would have had it had the match been confirmed from the start: routed by the usual rule,
worded as the engine words it for that case (``Alert.if_confirmed``, without the caveat), sealed
unless an agreement lets every record's agency share it with that agency, and once only (its
dedupe key names the held alert). A rejected or still waiting pair sends nothing.

The child-at-risk alert is not handled here: every run raises it again for each child, and one
resting on a possible match has a dedupe key of its own, so the case team gets theirs on the
first run after the confirmation.
"""

from __future__ import annotations

from typing import Any

from safehub.db.queries import networks as q
from safehub.db.queries.networks import HeldAlert
from safehub.db.uow import UnitOfWork
from safehub.services.alerts.raising import NewAlert, raise_alerts
from safehub.services.networks.alerts import KINDS, Directory

# The sent alert's dedupe key: this and the held alert's id (one sending per held alert).
SENT_KEY = "network:confirmed:"
# The per-record rules (the alerts raised when a record arrives, never raised again).
RULES = tuple(f"network.{kind}" for kind in KINDS)
TITLES = dict(KINDS.values())
PURPOSE = (
    "network analysis of agency records (safeguarding children from exploitation): an alert "
    "held while a possible match waited, sent to its usual recipient once the match was confirmed"
)

Place = tuple[int, str, str | None]


def send_confirmed_alerts(uow: UnitOfWork, directory: Directory) -> list[int]:
    """Send on every held alert whose pairs are now all one person; the new alerts' ids.
    Runs as the partnership (the job's system step): it reads sealed content to re-send it."""
    session = uow.session
    held = q.list_alerts_held_for_confirmed_pairs(session, rules=RULES, sent_key_prefix=SENT_KEY)
    if not held:
        return []
    records = {tuple(r) for h in held for r in [h.evidence["record"], *h.evidence["rests_on"]]}
    places = q.list_record_places(session, sorted((str(a), str(r)) for a, r in records))
    people = q.list_current_people(
        session, sorted({int(p) for h in held for p in h.evidence["people"]})
    )
    sent: dict[int, int] = {}
    for alert in held:
        found = _sent_on(directory, alert, places, people)
        if found is None:
            continue
        for new_id in raise_alerts(uow, alerts=[found], purpose=PURPOSE):
            sent[alert.alert_id] = new_id
    if sent:
        uow.audit(
            "consultation",
            "alert",
            list(sent),
            purpose=PURPOSE,
            detail={"sent_on_as": {str(held_id): new for held_id, new in sent.items()}},
        )
    return list(sent.values())


def _sent_on(
    directory: Directory,
    alert: HeldAlert,
    places: dict[tuple[str, str], Place],
    current: dict[int, int],
) -> NewAlert | None:
    """The held alert as its usual recipient gets it, or None when there is nothing to send:
    the agency holding the record is the usual recipient (it has the alert already), the
    record is gone, or the alert predates the wording kept for this (``if_confirmed``)."""
    evidence = alert.evidence
    words, pair_ids = list(evidence["possibly_same"]), list(evidence["possible_pairs"])
    confirmed = list(evidence.get("if_confirmed") or [])
    record = (str(evidence["record"][0]), str(evidence["record"][1]))
    # Every pair the alert names must be one the query found confirmed.
    if not confirmed or len(words) != len(pair_ids) or record not in places:
        return None
    agency_id, record_type, area = places[record]
    people = list(dict.fromkeys(current.get(int(p), int(p)) for p in evidence["people"]))
    team: int | None = None
    if evidence["decision"] == "child_case_team":
        target, team = directory.case_team(people[0], agency_id, area)
    else:
        target = directory.police_for(agency_id, area)
    if target == alert.target_agency_id:
        return None
    earlier = [(str(a), str(r)) for a, r in evidence["rests_on"]]
    sources = ((agency_id, record_type), *(places[k][:2] for k in earlier if k in places))
    note = (
        f"Sent on because a person confirmed the match this alert rested on "
        f"({'; '.join(words)}): while it waited, the alert stayed with {record[0]}, which "
        "holds the record."
    )
    return NewAlert(
        kind=alert.kind,
        title=TITLES[alert.kind],
        reasons=[*confirmed[:-1], note, confirmed[-1]],
        rule=alert.rule,
        target_agency_id=target,
        target_team_id=team,
        dedupe_key=f"{SENT_KEY}{alert.alert_id}",
        evidence=_evidence(evidence, people, alert.alert_id),
        person_id=people[0] if len(people) == 1 or alert.kind != "network_group" else None,
        owning_agency_id=agency_id,
        sealed=any(directory.sealed(owner, target, t) for owner, t in sources),
        sources=sources,
    )


def _evidence(held: dict[str, Any], people: list[int], held_id: int) -> dict[str, object]:
    """The held alert's evidence, its people as they are now, the pairs as confirmed."""
    kept = {k: v for k, v in held.items() if k not in ("if_confirmed", "possible_pairs")}
    return {
        **kept,
        "people": people,
        "possibly_same": [],
        "confirmed_pairs": list(held["possible_pairs"]),
        "held_alert": held_id,
    }
