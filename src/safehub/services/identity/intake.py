"""The real-time intake check: "is this child already known, and to whom?"

The few candidates that share a blocking key with what was typed are read from the indexed
candidate table and scored in process with the saved model (``score_candidate``): no Splink
per request. Each candidate comes with its reasons, field by field.

No fishing: the check answers "is this child known?", it is not a search of the partnership's
records. So it needs a full name with a date of birth, or a strong identifier (NHS number,
phone, email), and a stated purpose; it is rate-limited per user and audited as a consultation.
Restricted people never appear, not even as existence; nor do adults of concern (the check asks
about a child, and a referrer has no need to learn that someone is a suspect).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from safehub.db.queries.identity.intake import (
    PersonSummary,
    count_recent_checks,
    get_person_summaries,
    insert_intake_check,
    list_candidates_sharing_keys,
    list_holder_agencies,
)
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.extracts.identifiers import (
    normalise_email,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
)
from safehub.linkage import (
    AgencyPerson,
    FieldExplanation,
    LinkageModel,
    MatchExplanation,
    score_candidate,
)
from safehub.linkage.comparisons import COMPARISON_BY_NAME, STRONG_COMPARISONS
from safehub.linkage.people import person_features
from safehub.services.casework.referrals import load_draft, save_draft
from safehub.services.identity.index import parse_partial_date, query_keys
from safehub.services.identity.resolution import load_model

RATE_LIMIT = 20  # checks per user ...
RATE_WINDOW_SECONDS = 600  # ... in ten minutes: enough for intake work, too few for trawling
CANDIDATES_PER_KEY = 100
CANDIDATES_SCORED = 60
MAX_SHOWN = 5
_MIN_PURPOSE = 10


class IntakeCheckRefusedError(ValueError):
    """The check was not run: ``errors`` says what to put right, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class RateLimitedError(IntakeCheckRefusedError):
    """Too many checks in a short time."""


@dataclass(frozen=True, slots=True)
class IntakeQuery:
    """What a referrer typed about the child, and why they are checking (audited).

    >>> IntakeQuery(given_names="Aisha", family_name="Hussain", date_of_birth="2011",
    ...             purpose="referral about a child seen getting into cars").problems()
    ... # doctest: +ELLIPSIS
    {'date_of_birth': "Enter the child's first and last name with a date of birth ..."}
    """

    given_names: str = ""
    family_name: str = ""
    date_of_birth: str = ""  # YYYY-MM-DD or YYYY-MM
    nhs_number: str = ""
    phone: str = ""
    email: str = ""
    postcode: str = ""
    purpose: str = ""

    def problems(self) -> dict[str, str]:
        """The no-fishing rules, by field, each saying how to put it right (empty: check)."""
        return _fishing_problems(self, _query_person(self))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person who may be the child, with the agencies that know them and why they match."""

    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[tuple[str, str]]
    match_probability: float
    match_weight: float
    prior_weight: float
    fields: tuple[FieldExplanation, ...]

    @property
    def reasons(self) -> list[str]:
        """Sentences for the fields that counted, strongest first."""
        counted = sorted(
            (f for f in self.fields if f.match_weight), key=lambda f: -abs(f.match_weight)
        )
        return [reason(f) for f in counted]


@dataclass(frozen=True, slots=True)
class IntakeResult:
    candidates: list[Candidate] = field(default_factory=list)
    model_ready: bool = True


def reason(explained: FieldExplanation) -> str:
    """One field's evidence as a sentence.

    >>> reason(FieldExplanation("dob", "same date", 7.1))
    'Date of birth: same date (counts for, 7.1)'
    """
    label = COMPARISON_BY_NAME[explained.field].description
    direction = "counts for" if explained.match_weight > 0 else "counts against"
    return f"{label}: {explained.level} ({direction}, {abs(explained.match_weight):.1f})"


def check_intake(uow: UnitOfWork, *, query: IntakeQuery) -> IntakeResult:
    """Likely existing people for what a referrer typed, best first (at most five).

    Raises ``IntakeCheckRefusedError`` without running the check when the rules above are not
    met (``RateLimitedError`` when the user has run too many).
    """
    errors = query.problems()
    if errors:
        raise IntakeCheckRefusedError(errors)
    person = _query_person(query)
    _enforce_rate_limit(uow)
    stored = load_model(uow)
    if stored is None:
        return IntakeResult(model_ready=False)
    features = person_features(person, stored.shared)
    # The search covers the whole partnership's index (the point of the check) and is taken as
    # a system step; what the user then sees of each person is existence, the agencies to
    # contact and the reasons. Names and dates come only from records the user may read.
    with system_step(uow):
        chosen = _best_matches(uow, stored.model, features)
        holders = list_holder_agencies(uow.session, [p for p, _ in chosen])
    visible = get_person_summaries(uow.session, [p for p, _ in chosen])
    candidates = [_candidate(p, e, holders.get(p, []), visible.get(p)) for p, e in chosen]
    insert_intake_check(uow.session, uow.actor.label)
    # Never the typed name or date in the audit log: which people were shown, and why.
    uow.audit(
        "consultation",
        "intake_check",
        [c.person_id for c in candidates],
        purpose=query.purpose,
        detail={"candidates": len(candidates), "given": _given_kinds(query)},
    )
    return IntakeResult(candidates)


def _best_matches(
    uow: UnitOfWork, model: LinkageModel, features: dict[str, Any]
) -> list[tuple[int, MatchExplanation]]:
    rows = list_candidates_sharing_keys(
        uow.session, query_keys(features), cap=CANDIDATES_PER_KEY, limit=CANDIDATES_SCORED
    )
    best: dict[int, MatchExplanation] = {}
    for row in rows:
        explained = score_candidate(model, features, row.features)
        if explained.match_probability < model.review_threshold and not _strong(explained):
            continue
        held = best.get(row.person_id)
        if held is None or explained.match_weight > held.match_weight:
            best[row.person_id] = explained
    ranked = sorted(best.items(), key=lambda kv: (-kv[1].match_weight, kv[0]))
    return ranked[:MAX_SHOWN]


def _strong(explained: MatchExplanation) -> bool:
    """A strong identifier agrees: worth showing even when little else was typed."""
    return any(f.field in STRONG_COMPARISONS and f.level == "same" for f in explained.fields)


def _candidate(
    person_id: int,
    explained: MatchExplanation,
    agencies: list[tuple[str, str]],
    visible: PersonSummary | None,
) -> Candidate:
    return Candidate(
        person_id,
        visible.names if visible else [],
        visible.dates_of_birth if visible else [],
        agencies,
        explained.match_probability,
        explained.match_weight,
        explained.prior_weight,
        explained.fields,
    )


def _query_person(query: IntakeQuery) -> AgencyPerson:
    identifiers: dict[str, tuple[str, ...]] = {}
    for kind, value in (
        ("nhs_number", normalise_nhs_number(query.nhs_number) if query.nhs_number else None),
        ("phone", normalise_phone(query.phone) if query.phone else None),
        ("email", normalise_email(query.email) if query.email else None),
    ):
        if value:
            identifiers[kind] = (value,)
    postcode = normalise_postcode(query.postcode) if query.postcode else None
    return AgencyPerson(
        agency_code="intake",
        person_ref="check",
        given=query.given_names.strip(),
        family=query.family_name.strip(),
        date_of_birth=parse_partial_date(query.date_of_birth.strip()),
        identifiers=identifiers,
        postcodes=(postcode,) if postcode else (),
    )


def _fishing_problems(query: IntakeQuery, person: AgencyPerson) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(query.purpose.strip()) < _MIN_PURPOSE:
        errors["purpose"] = (
            "Say why you are checking, for example 'referral about a child seen getting into cars'"
        )
    if query.nhs_number and "nhs_number" not in person.identifiers:
        errors["nhs_number"] = "Enter a real 10-digit NHS number, or leave it out"
    named = bool(query.given_names.strip() and query.family_name.strip())
    dob = person.date_of_birth
    dated = dob is not None and dob.month is not None
    if not ((named and dated) or person.identifiers):
        errors["date_of_birth"] = (
            "Enter the child's first and last name with a "
            "date of birth (at least month and year), or an NHS number, "
            "phone or email"
        )
    return errors


def _enforce_rate_limit(uow: UnitOfWork) -> None:
    if count_recent_checks(uow.session, uow.actor.label, RATE_WINDOW_SECONDS) >= RATE_LIMIT:
        raise RateLimitedError(
            {
                "rate": f"You have run {RATE_LIMIT} checks in the last "
                "10 minutes. Wait a few minutes before checking again."
            }
        )


def _given_kinds(query: IntakeQuery) -> list[str]:
    """Which fields were typed (not their values; the purpose is audited on its own)."""
    return sorted(k for k, v in asdict(query).items() if v and k != "purpose")


REFERRAL_PURPOSE = "referral being written: is this child already known?"


def check_referral_child(uow: UnitOfWork) -> IntakeResult | IntakeCheckRefusedError:
    """The check for the child of the referral the acting user is writing (from their draft).

    The purpose is the referral itself; without a name and a date of birth the check is not
    run (no fishing) and the refusal is returned for the page to explain.
    """
    draft = load_draft(uow)
    query = IntakeQuery(
        given_names=str(draft.get("given_names", "")),
        family_name=str(draft.get("family_name", "")),
        date_of_birth=str(draft.get("date_of_birth", "")),
        purpose=REFERRAL_PURPOSE,
    )
    try:
        result = check_intake(uow, query=query)
    except IntakeCheckRefusedError as refused:
        return refused
    # Remember whom the referrer was shown: the answer may only pick one of them.
    save_draft(uow, values={"known_candidates": [c.person_id for c in result.candidates]})
    return result


def record_known_child(uow: UnitOfWork, *, choice: str) -> None:
    """Keep the referrer's answer in the draft: a person id they were shown, or "none" (not known
    / not sure). Any other id (a tampered form) is treated as "none"."""
    shown = {str(p) for p in load_draft(uow).get("known_candidates", [])}
    save_draft(uow, values={"known_person_id": choice if choice in shown else "none"})
