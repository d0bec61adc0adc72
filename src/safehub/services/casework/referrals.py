"""Referrals: a concern about a child from any agency, entered one question at a time.

The form pages keep what is typed in a server-side draft (nothing typed is lost to a session
timeout); the API sends the whole referral at once. Both build a ``ReferralDraft``, whose
``problems`` is the one validation; ``record_referral`` records it for the acting user.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from safehub.db.models import Agency, FormDraft, Referral
from safehub.db.queries import cases as cq
from safehub.db.queries import councils
from safehub.db.queries.cases import ReferralLine as ReferralLine
from safehub.db.uow import UnitOfWork
from safehub.events import ReferralRecorded
from safehub.services.errors import NotFoundError, RefusedError
from safehub.services.practice.saved_anyway import check_for_saving, keep_referral_check

CONCERN_TYPES = {
    "sexual_exploitation": "Child sexual exploitation",
    "sexual_abuse": "Child sexual abuse",
    "missing": "Missing from home or care",
    "online_abuse": "Online sexual abuse",
    "other": "Another safeguarding concern",
}
FORM = "referral"
MIN_CONCERN = 10


class ReferralRefusedError(RefusedError):
    """The referral is incomplete: ``errors`` says what to put right, by field."""

    def __str__(self) -> str:
        return "the referral is incomplete: " + "; ".join(self.details())


@dataclass(frozen=True, slots=True)
class ReferralDraft:
    """A referral as the referrer gives it. ``None`` or an empty text means not answered yet."""

    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    concern_type: str = ""
    concern: str = ""
    immediate_danger: bool | None = None
    council_agency_id: int | None = None
    # The referrer's answer to the intake check: the child already known, if they chose one.
    known_person_id: int | None = None
    # Why the concern is sent as written although the language checker flagged it.
    language_reason: str = ""

    @classmethod
    def from_saved(cls, values: Mapping[str, Any]) -> ReferralDraft:
        """From the form's server-side draft (text as typed; answers given so far)."""
        dob = str(values.get("date_of_birth") or "")
        danger = values.get("immediate_danger")
        return cls(
            given_names=str(values.get("given_names", "")),
            family_name=str(values.get("family_name", "")),
            date_of_birth=date.fromisoformat(dob) if dob else None,
            concern_type=str(values.get("concern_type", "")),
            concern=str(values.get("concern", "")),
            immediate_danger={"yes": True, "no": False}.get(str(danger)),
            council_agency_id=_whole_number(values.get("council_agency_id")),
            known_person_id=_whole_number(values.get("known_person_id")),
            language_reason=str(values.get("language_reason", "")),
        )

    def child_problems(self) -> dict[str, str]:
        errors = {}
        if not self.given_names.strip():
            errors["given_names"] = "Enter the child's first name"
        if not self.family_name.strip():
            errors["family_name"] = "Enter the child's last name"
        return errors

    def concern_problems(self) -> dict[str, str]:
        errors = {}
        if self.concern_type not in CONCERN_TYPES:
            errors["concern_type"] = "Select what the concern is about"
        if len(self.concern.strip()) < MIN_CONCERN:
            errors["concern"] = "Describe the concern: what happened, when, and who is involved"
        if self.immediate_danger is None:
            errors["immediate_danger"] = "Select yes if the child is in immediate danger"
        return errors

    def council_problems(self, choices: Sequence[Agency]) -> dict[str, str]:
        """``choices``: the councils this referrer must choose between (``council_choices``)."""
        if choices and self.council_agency_id not in {a.id for a in choices}:
            return {"council_agency_id": "Select the council area the child lives in"}
        return {}

    def problems(self, choices: Sequence[Agency]) -> dict[str, str]:
        """Everything that stops the referral being recorded, by field."""
        return {
            **self.child_problems(),
            **self.concern_problems(),
            **self.council_problems(choices),
        }


def _whole_number(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() else None


def validate_date_of_birth(day: str, month: str, year: str) -> tuple[date | None, dict[str, str]]:
    """The date typed in three boxes, or the problem with it (an empty date is allowed)."""
    if not (day or month or year):
        return None, {}  # not known: allowed
    missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v.strip()]
    if missing:
        return None, {"dob": f"Date of birth must include a {' and a '.join(missing)}"}
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return None, {"dob": "Date of birth must be a real date, for example 27 3 2012"}
    if born > date.today():
        return born, {"dob": "Date of birth must be today or in the past"}
    if born.year < date.today().year - 25:
        return born, {
            "dob": "Date of birth must be within the last 25 years: referrals are about children"
        }
    return born, {}


def council_choices(uow: UnitOfWork) -> list[Agency]:
    """The councils the acting referrer is asked to choose between for the child: none when the
    referrer's own area has a council of the partnership (it decides), or there is only one."""
    choices = councils.social_care_agencies(uow.session)
    agency_id = uow.actor.agency_id
    if len(choices) < 2 or agency_id is None:
        return []
    if councils.own_council(uow.session, agency_id) is not None:
        return []
    return choices


def load_draft(uow: UnitOfWork) -> dict[str, Any]:
    """The acting user's referral draft, as typed so far."""
    draft = uow.session.get(FormDraft, (_user_id(uow), FORM))
    return dict(draft.data) if draft else {}


def save_draft(uow: UnitOfWork, *, values: Mapping[str, Any]) -> dict[str, Any]:
    """Merge typed values into the acting user's server-side draft, so that nothing typed is lost."""
    user_id = _user_id(uow)
    draft = uow.session.get(FormDraft, (user_id, FORM))
    now = datetime.now(UTC)
    if draft is None:
        draft = FormDraft(user_id=user_id, form=FORM, data={}, updated_at=now)
        uow.session.add(draft)
    draft.data = {**draft.data, **values}
    draft.updated_at = now
    uow.audit("collection", "form_draft", [user_id], purpose="referral being written")
    return dict(draft.data)


def record_referral(
    uow: UnitOfWork,
    *,
    referral: ReferralDraft,
    clear_draft: bool = True,
    idempotency_key: str | None = None,
) -> Referral:
    """Record the acting user's referral and clear their draft; its clocks start at commit.
    ``clear_draft=False`` when the referral was not written in the form (a community report
    converted): the referral the user is writing meanwhile is kept. ``idempotency_key`` (the
    API's header) is kept with it: see ``referral_sent_with_key``.

    Raises ``ReferralRefusedError`` naming every field to put right.
    """
    user_id, agency_id = _user_id(uow), uow.actor.agency_id
    choices = council_choices(uow)
    errors = referral.problems(choices)
    if errors or agency_id is None:
        raise ReferralRefusedError(errors or {"agency": "Only a member of an agency may refer"})
    # Flagged language is sent only with the referrer's reason, kept with the referral.
    language = check_for_saving(
        uow,
        text=referral.concern,
        reason=referral.language_reason,
        what="referral",
        field="language_reason",
    )
    if language.problems:
        raise ReferralRefusedError(language.problems)
    row = Referral(
        child_given_names=referral.given_names.strip(),
        child_family_name=referral.family_name.strip(),
        child_date_of_birth=referral.date_of_birth,
        referring_agency_id=agency_id,
        referred_by_user_id=user_id,
        concern_type=referral.concern_type,
        concern=referral.concern.strip(),
        immediate_danger=bool(referral.immediate_danger),
        status="awaiting_decision",
        child_person_id=referral.known_person_id,
        council_agency_id=referral.council_agency_id if choices else None,
        idempotency_key=idempotency_key or None,
    )
    uow.session.add(row)
    draft_row = uow.session.get(FormDraft, (user_id, FORM)) if clear_draft else None
    if draft_row is not None:
        uow.session.delete(draft_row)
    uow.session.flush()
    keep_referral_check(uow, referral_id=row.id, check=language)
    uow.audit("collection", "referral", [row.id], purpose="referral of a concern about a child")
    uow.emit(ReferralRecorded(referral_id=row.id))
    return row


@dataclass(frozen=True, slots=True)
class SentReferral:
    referral_id: int
    reference: str
    status: str


def sent_referral(uow: UnitOfWork, *, referral_id: int) -> SentReferral:
    """The referral the acting user has just sent (its reference); nobody else's."""
    row = uow.session.get(Referral, referral_id)
    if row is None or row.referred_by_user_id != uow.actor.user_id:
        raise NotFoundError(f"referral {referral_id}")
    uow.audit("consultation", "referral", [row.id], purpose="the referrer's confirmation")
    return SentReferral(row.id, referral_reference(row), row.status)


IDEMPOTENCY_KEY_MAX = 100


def idempotency_key_problems(key: str) -> dict[str, str]:
    """What is wrong with a client's idempotency key (empty when it can be used)."""
    if not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX or not all("!" <= c <= "~" for c in key):
        return {
            "Idempotency-Key": f"1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters, "
            "for example a UUID the client made for this referral"
        }
    return {}


def referral_sent_with_key(uow: UnitOfWork, *, key: str) -> SentReferral | None:
    """The referral the acting user already sent with this idempotency key (a POST retried
    after its answer was lost), or None. The key stays locked until the transaction ends, so
    that a retry racing the first request waits for it and then finds its referral."""
    problems = idempotency_key_problems(key)
    if problems:
        raise ReferralRefusedError(problems)
    user_id = _user_id(uow)
    cq.lock_referral_key(uow.session, user_id, key)
    found = cq.get_referral_by_key(uow.session, user_id, key)
    return None if found is None else sent_referral(uow, referral_id=found)


def referral_reference(referral: Referral) -> str:
    return f"REF-{referral.id:06d}"


def _user_id(uow: UnitOfWork) -> int:
    if uow.actor.user_id is None:
        raise NotFoundError("a referral draft belongs to a signed-in user")
    return uow.actor.user_id


def my_referrals(uow: UnitOfWork) -> list[ReferralLine]:
    """The acting user's own referrals, newest first: whom each was about, where it went and
    what has happened to it."""
    found = cq.list_referrals_by_user(uow.session, uow.actor.user_id)
    uow.audit(
        "consultation", "referral_list", [r.referral_id for r in found], purpose="own referrals"
    )
    return found
