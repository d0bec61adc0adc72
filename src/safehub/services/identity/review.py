"""The review queue: uncertain pairs, side by side with their evidence, decided by a person.

A confirmed pair merges the two people (audited as "combination"); a rejected pair is never
proposed again, and the model never joins those two records on its own afterwards. The page and
the API both send a ``PairDecision``; who decided is the unit of work's actor.

>>> PairDecision("confirm").problems(), PairDecision("maybe").problems()
({}, {'decision': 'Select whether these records are the same person'})
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from safehub.db.models.identity import MatchPair
from safehub.db.queries.identity.pairs import (
    PendingPair,
    count_pending_pairs,
    count_restricted,
    get_agency_names,
    list_agencies_of,
    list_pending_pairs,
)
from safehub.db.queries.identity.resolution import list_current_mentions, list_mention_identifiers
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.events import MatchRejected
from safehub.linkage import AgencyPerson, collapse_mentions
from safehub.linkage.comparisons import COMPARISON_BY_NAME
from safehub.services.errors import NotFoundError
from safehub.services.identity.index import ScoredLink, mentions_from_rows
from safehub.services.identity.resolution import merge_pair

# The answer a reviewer gives -> the status the pair then has.
DECISIONS = {"confirm": "confirmed", "reject": "rejected"}


class ReviewRefusedError(ValueError):
    """The decision cannot be taken as sent: ``errors`` says what to fix, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class AlreadyDecidedError(ValueError):
    """Someone decided this pair first: it is no longer waiting."""


@dataclass(frozen=True, slots=True)
class PairDecision:
    """A reviewer's answer: the same person (``confirm``) or not (``reject``), with a note."""

    decision: str
    note: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be taken)."""
        if self.decision not in DECISIONS:
            return {"decision": "Select whether these records are the same person"}
        return {}


@dataclass(frozen=True, slots=True)
class PairSide:
    """One side of a pair: whose record it is, and the identifying fields a reviewer compares
    (``(label, value)``, never the records' content)."""

    agency_person_id: int
    person_id: int
    agency_code: str
    agency_name: str
    person_ref: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class WaterfallStep:
    """One bar of the waterfall: the running match weight before and after this field."""

    label: str
    level: str
    weight: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class PairReview:
    pair_id: int
    status: str
    match_probability: float
    match_weight: float
    reason: str
    left: PairSide
    right: PairSide
    steps: list[WaterfallStep]


def list_review_pairs(
    uow: UnitOfWork, *, limit: int = 100, others: bool = False
) -> list[PendingPair]:
    """The review queue, most useful first (``linkage.queue``: what a confirmation would change,
    then probability), each pair with why it stands there. ``others``: instead the pairs the
    queue leaves out (nothing at stake, a name only, or another pair of the same two people),
    still waiting: nothing is lost, a reviewer can work them too."""
    # Need to know: a reviewer sees pairs that touch a record of their own agency.
    with system_step(uow):
        pairs = list_pending_pairs(
            uow.session, limit, agency_id=_agency(uow), worth_review=not others
        )
    uow.audit(
        "consultation",
        "match_pair",
        [p.pair_id for p in pairs],
        purpose="review queue: other possible matches" if others else "review queue",
        detail={"pairs": len(pairs)},
    )
    return pairs


def count_other_review_pairs(uow: UnitOfWork) -> int:
    """How many pairs the queue leaves out wait for this reviewer (a count, no one named)."""
    with system_step(uow):
        return count_pending_pairs(uow.session, agency_id=_agency(uow), worth_review=False)


def _agency(uow: UnitOfWork) -> int | None:
    return None if uow.actor.is_system else uow.actor.agency_id


def view_review_pair(uow: UnitOfWork, *, pair_id: int) -> PairReview:
    """Both records and the evidence, field by field (the waterfall starts at the prior)."""
    # Both records' identifying fields (never their content): reading another agency's side is
    # a step the partnership takes for the reviewer, audited below with its purpose.
    with system_step(uow):
        pair = _pair(uow, pair_id)
        sides = _sides(uow, pair)
    uow.audit(
        "consultation",
        "match_pair",
        [pair_id],
        purpose="review of a possible match",
        detail={"agency_people": [pair.left_agency_person_id, pair.right_agency_person_id]},
    )
    return PairReview(
        pair.id,
        pair.status,
        pair.match_probability,
        pair.match_weight,
        pair.reason,
        sides[0],
        sides[1],
        waterfall(pair.prior_weight, pair.evidence),
    )


def decide_review_pair(uow: UnitOfWork, *, pair_id: int, decision: PairDecision) -> int | None:
    """Confirm (merge; returns the surviving person's id) or reject (returns ``None``).

    Raises ``ReviewRefusedError`` for a decision that is neither, ``AlreadyDecidedError`` for a
    pair that is no longer waiting, ``NotFoundError`` for a pair the reviewer may not see.
    """
    errors = decision.problems()
    if errors:
        raise ReviewRefusedError(errors)
    with system_step(uow):
        pair = _pair(uow, pair_id)
        if pair.status != "pending":
            raise AlreadyDecidedError("this pair has already been decided")
        return _decide(uow, pair, decision)


def _decide(uow: UnitOfWork, pair: MatchPair, decision: PairDecision) -> int | None:
    pair.status = DECISIONS[decision.decision]
    pair.decided_by_user_id = uow.actor.user_id
    pair.decided_at = datetime.now(UTC)
    pair.decision_note = decision.note.strip() or None
    if decision.decision == "reject":
        uow.audit(
            "alteration",
            "match_pair",
            [pair.id],
            purpose="review: not the same person",
            detail={"decision": "rejected"},
        )
        uow.emit(MatchRejected(pair.id, "review: not the same person"))
        return None
    link = ScoredLink(
        pair.left_agency_person_id,
        pair.right_agency_person_id,
        pair.match_probability,
        pair.match_weight,
        pair.prior_weight,
        tuple(pair.evidence),
        True,
        False,
        "confirmed by a person",
    )
    return merge_pair(uow, link=link, match_pair_id=pair.id, purpose="review: confirmed match")


def waterfall(prior: float, evidence: list[dict[str, Any]]) -> list[WaterfallStep]:
    """The prior, then each field that counted, as running totals of the match weight.

    >>> [(s.label, s.end) for s in waterfall(-10.0, [{"field": "dob", "level": "same date",
    ...                                             "weight": 7.0}])]
    [('Prior (two records chosen at random)', -10.0), ('Date of birth', -3.0)]
    """
    steps = [WaterfallStep("Prior (two records chosen at random)", "", prior, 0.0, prior)]
    total = prior
    for item in evidence:
        weight = float(item["weight"])
        if not weight:
            continue
        label = COMPARISON_BY_NAME[str(item["field"])].description
        steps.append(WaterfallStep(label, str(item["level"]), weight, total, total + weight))
        total += weight
    return steps


def _pair(uow: UnitOfWork, pair_id: int) -> MatchPair:
    pair = uow.session.get(MatchPair, pair_id)
    ids = [pair.left_agency_person_id, pair.right_agency_person_id] if pair else []
    agency = None if uow.actor.is_system else uow.actor.agency_id
    # A pair with a restricted side does not exist for anyone outside that agency; a reviewer
    # sees only pairs touching a record of their own agency (need to know).
    if (
        pair is None
        or count_restricted(uow.session, ids)
        or (agency is not None and agency not in list_agencies_of(uow.session, ids))
    ):
        raise NotFoundError(f"match pair {pair_id}")
    return pair


def _sides(uow: UnitOfWork, pair: MatchPair) -> tuple[PairSide, PairSide]:
    ids = [pair.left_agency_person_id, pair.right_agency_person_id]
    rows = list_current_mentions(uow.session, ids)
    people = collapse_mentions(mentions_from_rows(rows, list_mention_identifiers(uow.session, ids)))
    ap_of = {(r.agency_code, r.person_ref): r.agency_person_id for r in rows}
    by_ap = {ap_of[p.key]: p for p in people}
    names = get_agency_names(uow.session, ids)

    def side(ap: int) -> PairSide:
        person = by_ap[ap]
        fields = _compared(person)
        return PairSide(
            ap, names[ap][1], person.agency_code, names[ap][0], person.person_ref, fields
        )

    return side(ids[0]), side(ids[1])


def _compared(person: AgencyPerson) -> tuple[tuple[str, str], ...]:
    """The identifying fields of one side, as the reviewer reads them."""
    dob = person.date_of_birth.iso() if person.date_of_birth else "Not known"
    idents = "; ".join(
        f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in sorted(person.identifiers.items())
    )
    return (
        ("Name", f"{person.given} {person.family}".strip() or "No name"),
        ("Other names", ", ".join(f"{g} {f}".strip() for g, f in person.other_names) or "None"),
        ("Date of birth", dob),
        ("Postcodes", ", ".join(person.postcodes) or "None"),
        ("Address", person.address or "None"),
        ("Identifiers", idents or "None"),
        ("Roles", ", ".join(sorted(r.replace("_", " ") for r in person.roles))),
    )
