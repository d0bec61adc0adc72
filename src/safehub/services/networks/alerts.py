"""Network alerts delivered to the right team, inside the sealed envelope.

The engine says *what* fired and for whom in principle (``recipient``); this module says *which
agency*: a licence holder of concern and a record touching a known group go to the police of the
area where the record was made (the police disclosure decision, never straight to licensing); a
child linked to an adult already linked to other children goes to the child's case team. An alert
resting on another agency's record is sealed unless an information-sharing agreement lets that
agency share that type of record with the recipient; its ``sources`` (each record's agency and
type) are what must be shared for its content to open later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from safehub.db.queries import networks as q
from safehub.db.queries.networks import MentionRow
from safehub.services.alerts.raising import NewAlert

if TYPE_CHECKING:
    from safehub.network import Alert as EngineAlert
    from safehub.network import NetworkGraph
    from safehub.network.alerts import ChildAtRisk

# Engine kind -> (our alert kind, a title that names nobody: a sealed alert shows only this).
KINDS = {
    "known_group": ("network_group", "A new record connects to a known group"),
    "adult_linked_to_other_children": (
        "network_child_linked",
        "A child is linked to an adult already linked to other children",
    ),
    "licence_holder_of_concern": (
        "licence_holder",
        "A licence holder is recorded as a suspect or associate in an exploitation record",
    ),
}
HEIGHTENED_KIND = "network_child_risk"
HEIGHTENED_TITLE = "A child is at the centre of several adults of concern"


@dataclass
class Directory:
    """The agency registry and case teams, read once per run."""

    session: Session
    areas: dict[int, tuple[str, str | None]]
    police: list[tuple[int, str | None]]
    codes: dict[str, int]

    @classmethod
    def load(cls, session: Session) -> Directory:
        return cls(
            session,
            q.get_agency_areas(session),
            q.list_police_agencies(session),
            q.get_agency_ids_by_code(session),
        )

    def police_for(self, agency_id: int, area: str | None) -> int:
        """The police of the area where a record was made (its own agency, if police)."""
        kind, own_area = self.areas[agency_id]
        if kind == "police":
            return agency_id
        for wanted in (area, own_area):
            found = next((p for p, a in self.police if wanted and a == wanted), None)
            if found is not None:
                return found
        # One force in the deployment serves every area in it; otherwise the record's own agency
        # decides, so that the alert is never lost for want of a mapping.
        return self.police[0][0] if len(self.police) == 1 else agency_id

    def social_care_for(self, agency_id: int, area: str | None) -> int:
        kind, own_area = self.areas[agency_id]
        if kind == "social_care":
            return agency_id
        for wanted in (area, own_area):
            for other, (other_kind, other_area) in sorted(self.areas.items()):
                if other_kind == "social_care" and wanted and other_area == wanted:
                    return other
        return agency_id

    def case_team(self, child: int, agency_id: int, area: str | None) -> tuple[int, int | None]:
        team = q.get_case_teams(self.session, [child]).get(child)
        return team if team is not None else (self.social_care_for(agency_id, area), None)

    def sealed(self, owner: int, target: int, record_type: str) -> bool:
        if owner == target:
            return False
        allowed = q.get_agreement_allows(
            self.session, provider=owner, recipient=target, record_type=record_type
        )
        return not allowed


def deliver(
    directory: Directory,
    found: list[EngineAlert],
    rows: dict[tuple[str, str], list[MentionRow]],
    graph: NetworkGraph,
    pair_ids: Mapping[str, int] | None = None,
) -> list[NewAlert]:
    """Our alerts for the engine's, each addressed to an agency and sealed where it must be.
    ``graph`` holds the earlier records an alert rests on (their owners decide the seal too);
    ``pair_ids``: a pending pair's words ("POL-WY/S-A and POL-WY/S-A2") -> its review pair."""
    ids = pair_ids or {}
    return [_deliver(directory, alert, rows[alert.record][0], graph, ids) for alert in found]


def _deliver(
    directory: Directory,
    alert: EngineAlert,
    row: MentionRow,
    graph: NetworkGraph,
    pair_ids: Mapping[str, int],
) -> NewAlert:
    from safehub.network.alerts import RULES

    kind, title = KINDS[alert.kind]
    people = [int(p) for p in alert.person_ids]
    team: int | None = None
    if alert.possibly_same:
        # Resting on a match nobody has confirmed: it stays with the agency that holds the
        # record until a person confirms the pair.
        target = row.agency_id
    elif alert.recipient == "child_case_team":
        target, team = directory.case_team(people[0], row.agency_id, row.area_code)
    else:
        target = directory.police_for(row.agency_id, row.area_code)
    record = f"{row.agency_code}/{row.record_ref}"
    first = (
        f"Record {record} ({row.record_type.replace('_', ' ')}, {row.record_date:%d %B %Y}, "
        f"held by {row.agency_code})."
    )
    rule = _sentence(f"Rule: {RULES[alert.kind]}")
    reasons = [first] + [_sentence(r) for r in alert.reasons]
    held: dict[str, object] = {}
    if alert.possibly_same:
        reasons.append(_stays_with(alert.possibly_same, row.agency_code))
        # What the alert says once every pair is confirmed, when it goes to its usual
        # recipient (``services.networks.confirmed``); the review pairs, to link and to check.
        held = {
            "possible_pairs": _pair_ids(alert.possibly_same, pair_ids),
            "if_confirmed": [first, *(_sentence(r) for r in alert.if_confirmed), rule],
        }
    reasons.append(rule)
    earlier = [(a, r, graph.records[(a, r)].record_type) for a, r in alert.rests_on]
    sources = ((row.agency_id, row.record_type), *((directory.codes[a], t) for a, _, t in earlier))
    return NewAlert(
        kind=kind,
        title=title,
        reasons=reasons,
        rule=f"network.{alert.kind}",
        target_agency_id=target,
        target_team_id=team,
        dedupe_key=_key(kind, record, people, alert.group_id),
        evidence={
            "record": [row.agency_code, row.record_ref],
            "record_type": row.record_type,
            "rests_on": [[a, r] for a, r, _ in earlier],
            "people": people,
            "group": alert.group_id,
            "decision": alert.recipient,
            "possibly_same": list(alert.possibly_same),
            **held,
        },
        person_id=people[0] if len(people) == 1 or kind != "network_group" else None,
        owning_agency_id=row.agency_id,
        sealed=any(directory.sealed(agency, target, t) for agency, t in sources),
        sources=sources,
    )


def heightened_risk_alert(
    directory: Directory,
    risk: ChildAtRisk,
    graph: NetworkGraph,
    place: tuple[str, str],
    run_id: int,
    possibly_same: tuple[str, ...] = (),
    pair_ids: Mapping[str, int] | None = None,
) -> NewAlert:
    """A child at the centre of several adults of concern: to their case team, once per child.

    The reasons cite the records they rest on: sealed unless every owning agency may share them
    with the case team. ``possibly_same``: the pairs the child's groups rest on
    (``network.alerts.group_pairs``); with any, the alert says so and stays with the agency
    that holds the child's record until a person confirms them.
    """
    from safehub.network.alerts import RULES

    child = int(risk.person_id)
    agency_code, area = place
    owner = directory.codes[agency_code]
    target, team = directory.case_team(child, owner, area or None)
    reasons = [_sentence(r[:1].upper() + r[1:]) for r in risk.reasons]
    if possibly_same:
        target, team = owner, None
        reasons.append(_stays_with(possibly_same, agency_code))
    reasons.append(_sentence(f"Rule: {RULES['child_at_risk']}"))
    sources = tuple(
        (directory.codes[a], graph.records[(a, r)].record_type) for a, r in risk.rests_on
    )
    return NewAlert(
        kind=HEIGHTENED_KIND,
        title=HEIGHTENED_TITLE,
        reasons=reasons,
        rule="network.child_view.heightened_risk",
        target_agency_id=target,
        target_team_id=team,
        # Once per child; one resting on a possible match is another alert, so that the case
        # team still gets theirs once the pair is confirmed.
        dedupe_key=f"network:{HEIGHTENED_KIND}:{child}" + (":possible" if possibly_same else ""),
        evidence={
            "adults": len(risk.adults),
            "other_children": len(risk.other_children),
            "groups": list(risk.groups),
            "rests_on": [[a, r] for a, r in risk.rests_on],
            "people": [child],
            "run": run_id,
            "possibly_same": list(possibly_same),
            "possible_pairs": _pair_ids(possibly_same, pair_ids or {}),
        },
        person_id=child,
        owning_agency_id=owner,
        sealed=any(directory.sealed(agency, target, t) for agency, t in sources),
        sources=sources,
    )


def _pair_ids(pairs: tuple[str, ...], pair_ids: Mapping[str, int]) -> list[int]:
    """The review pairs an alert rests on, by id (the words name them to a reader)."""
    return sorted({pair_ids[p] for p in pairs if p in pair_ids})


def _stays_with(pairs: tuple[str, ...], agency_code: str) -> str:
    return _sentence(
        "This alert rests on a possible match that nobody has confirmed "
        f"({'; '.join(pairs)}): it stays with {agency_code} until a person confirms the pair"
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else f"{text}."


def _key(kind: str, record: str, people: list[int], group: str) -> str:
    key = f"network:{kind}:{record}:{'-'.join(map(str, sorted(people)))}:{group}"
    if len(key) <= 200:
        return key
    return f"network:{kind}:{hashlib.sha256(key.encode()).hexdigest()}"
