"""Referrals: a concern about a child from any agency, entered one question at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from safehub.db.models import Agency, FormDraft, Referral
from safehub.db.queries import councils
from safehub.db.uow import UnitOfWork
from safehub.events import ReferralRecorded

CONCERN_TYPES = {
    "sexual_exploitation": "Child sexual exploitation",
    "sexual_abuse": "Child sexual abuse",
    "missing": "Missing from home or care",
    "online_abuse": "Online sexual abuse",
    "other": "Another safeguarding concern",
}
FORM = "referral"


@dataclass
class FieldErrors:
    """Errors by field name, each saying what is wrong and how to put it right."""

    errors: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.errors)


def validate_child(data: dict[str, str]) -> FieldErrors:
    errors = FieldErrors()
    if not data.get("given_names", "").strip():
        errors.add("given_names", "Enter the child's first name")
    if not data.get("family_name", "").strip():
        errors.add("family_name", "Enter the child's last name")
    return errors


def validate_date_of_birth(day: str, month: str, year: str) -> tuple[date | None, FieldErrors]:
    errors = FieldErrors()
    if not (day or month or year):
        return None, errors  # not known: allowed
    missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v.strip()]
    if missing:
        errors.add("dob", f"Date of birth must include a {' and a '.join(missing)}")
        return None, errors
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        errors.add("dob", "Date of birth must be a real date, for example 27 3 2012")
        return None, errors
    if born > date.today():
        errors.add("dob", "Date of birth must be today or in the past")
    elif born.year < date.today().year - 25:
        errors.add(
            "dob", "Date of birth must be within the last 25 years: referrals are about children"
        )
    return born, errors


def validate_concern(data: dict[str, str]) -> FieldErrors:
    errors = FieldErrors()
    if data.get("concern_type") not in CONCERN_TYPES:
        errors.add("concern_type", "Select what the concern is about")
    if len(data.get("concern", "").strip()) < 10:
        errors.add("concern", "Describe the concern: what happened, when, and who is involved")
    if data.get("immediate_danger") not in ("yes", "no"):
        errors.add("immediate_danger", "Select yes if the child is in immediate danger")
    return errors


def council_choices(uow: UnitOfWork, *, agency_id: int) -> list[Agency]:
    """The councils a referrer is asked to choose between for the child: none when the
    referrer's own area has a council of the partnership (it decides), or there is only one."""
    choices = councils.social_care_agencies(uow.session)
    if len(choices) < 2 or councils.own_council(uow.session, agency_id) is not None:
        return []
    return choices


def validate_council(data: dict[str, Any], choices: list[Agency]) -> FieldErrors:
    errors = FieldErrors()
    if choices and str(data.get("council_agency_id", "")) not in {str(a.id) for a in choices}:
        errors.add("council_agency_id", "Select the council area the child lives in")
    return errors


def load_draft(uow: UnitOfWork, *, user_id: int) -> dict[str, Any]:
    draft = uow.session.get(FormDraft, (user_id, FORM))
    return dict(draft.data) if draft else {}


def save_draft(uow: UnitOfWork, *, user_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Merge typed values into the server-side draft, so that nothing typed is lost."""
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
    uow: UnitOfWork, *, user_id: int, agency_id: int, draft: dict[str, Any]
) -> Referral:
    """Turn a complete draft into a referral, and clear the draft."""
    problems = FieldErrors()
    problems.errors.update(validate_child(draft).errors)
    problems.errors.update(validate_concern(draft).errors)
    choices = council_choices(uow, agency_id=agency_id)
    problems.errors.update(validate_council(draft, choices).errors)
    if problems:
        raise ValueError(f"the referral is incomplete: {', '.join(problems.errors)}")
    dob = draft.get("date_of_birth")
    referral = Referral(
        child_given_names=draft["given_names"].strip(),
        child_family_name=draft["family_name"].strip(),
        child_date_of_birth=date.fromisoformat(dob) if dob else None,
        referring_agency_id=agency_id,
        referred_by_user_id=user_id,
        concern_type=draft["concern_type"],
        concern=draft["concern"].strip(),
        immediate_danger=draft["immediate_danger"] == "yes",
        status="awaiting_decision",
        # The referrer's answer to the intake check: the child already known, if they chose one.
        child_person_id=int(known)
        if (known := str(draft.get("known_person_id", ""))).isdigit()
        else None,
        council_agency_id=int(draft["council_agency_id"]) if choices else None,
    )
    uow.session.add(referral)
    draft_row = uow.session.get(FormDraft, (user_id, FORM))
    if draft_row is not None:
        uow.session.delete(draft_row)
    uow.session.flush()
    uow.audit(
        "collection", "referral", [referral.id], purpose="referral of a concern about a child"
    )
    uow.emit(ReferralRecorded(referral_id=referral.id))
    return referral


def referral_reference(referral: Referral) -> str:
    return f"REF-{referral.id:06d}"
