"""A child's support plan and referrals to support services, tracked to their outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from safehub.access.actor import Actor
from safehub.db.models import User
from safehub.db.models.practice import SupportPlan, SupportReferral
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError
from safehub.services.practice.indicators import require_child

SERVICES = {
    "independent_advocate": "Independent advocate (ISVA, CHISVA or child trafficking guardian)",
    "sexual_health": "Sexual health",
    "mental_health": "Mental health (CAMHS)",
    "substance_misuse": "Substance misuse",
    "education": "Education support",
    "housing": "Housing",
    "specialist_cse": "Specialist exploitation support service",
    "therapeutic": "Therapeutic support",
    "other": "Other",
}
STATUSES = {
    "referred": "Referred",
    "accepted": "Accepted",
    "waiting": "On a waiting list",
    "started": "Support started",
    "declined_by_service": "Declined by the service",
    "not_wanted": "The child did not want it",
    "completed": "Completed",
}
OPEN_STATUSES = frozenset({"referred", "accepted", "waiting", "started"})


@dataclass(frozen=True, slots=True)
class PlanView:
    id: int
    plan: str
    review_on: date | None
    written_by: str
    written_at: datetime


@dataclass(frozen=True, slots=True)
class ReferralView:
    id: int
    service: str
    service_name: str
    provider: str | None
    referred_on: date
    status: str
    status_name: str
    outcome: str | None
    outcome_on: date | None

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


def write_support_plan(
    uow: UnitOfWork, *, actor: Actor, person_id: int, plan: str, review_on: date | None
) -> SupportPlan:
    """A new plan, superseding the current one (kept)."""
    require_child(uow, actor, person_id)
    if len(plan.strip()) < 10:
        raise ValueError("Describe the support plan: what support, from whom, and by when")
    assert actor.user_id is not None
    current = _current_plan(uow, person_id)
    row = SupportPlan(
        person_id=person_id,
        plan=plan.strip(),
        review_on=review_on,
        created_by_user_id=actor.user_id,
        supersedes_id=current.id if current else None,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "collection",
        "support_plan",
        [row.id],
        purpose="support plan written",
        detail={"person": person_id},
    )
    return row


def _current_plan(uow: UnitOfWork, person_id: int) -> SupportPlan | None:
    return uow.session.scalars(
        select(SupportPlan)
        .where(SupportPlan.person_id == person_id)
        .order_by(SupportPlan.id.desc())
        .limit(1)
    ).first()


def validate_referral(service: str, referred_on: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if service not in SERVICES:
        errors["service"] = "Select the support service"
    if referred_on is None:
        errors["referred_on"] = "Enter the date of the referral, for example 27 3 2025"
    elif referred_on > date.today():
        errors["referred_on"] = "The date of the referral must be today or in the past"
    return errors


def refer_to_support(
    uow: UnitOfWork,
    *,
    actor: Actor,
    person_id: int,
    service: str,
    referred_on: date,
    provider: str | None = None,
) -> SupportReferral:
    require_child(uow, actor, person_id)
    errors = validate_referral(service, referred_on)
    if errors:
        raise ValueError("; ".join(errors.values()))
    assert actor.user_id is not None
    row = SupportReferral(
        person_id=person_id,
        service=service,
        referred_on=referred_on,
        provider=(provider or "").strip() or None,
        status="referred",
        created_by_user_id=actor.user_id,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "collection",
        "support_referral",
        [row.id],
        purpose="referral to support",
        detail={"person": person_id, "service": service},
    )
    return row


def update_support_referral(
    uow: UnitOfWork,
    *,
    actor: Actor,
    referral_id: int,
    status: str,
    outcome: str | None = None,
) -> SupportReferral:
    """Move a referral on (accepted, started…) or close it with its outcome."""
    row = uow.session.get(SupportReferral, referral_id)
    if row is None:
        raise NotFoundError(f"support referral {referral_id}")
    require_child(uow, actor, row.person_id)
    if status not in STATUSES:
        raise ValueError("Select where the referral has got to")
    if status not in OPEN_STATUSES and not (outcome or "").strip():
        raise ValueError("Say what the outcome was for the child")
    row.status = status
    row.outcome = (outcome or "").strip() or row.outcome
    row.outcome_on = None if status in OPEN_STATUSES else date.today()
    row.updated_at = datetime.now(UTC)
    uow.audit(
        "alteration",
        "support_referral",
        [row.id],
        purpose="support referral updated",
        detail={"status": status},
    )
    return row


def child_support(
    uow: UnitOfWork, *, actor: Actor, person_id: int
) -> tuple[PlanView | None, list[ReferralView]]:
    """The current support plan and every referral to support, open ones first."""
    require_child(uow, actor, person_id)
    plan = uow.session.execute(
        select(SupportPlan, User.display_name)
        .join(User, User.id == SupportPlan.created_by_user_id)
        .where(SupportPlan.person_id == person_id)
        .order_by(SupportPlan.id.desc())
        .limit(1)
    ).first()
    rows = list(
        uow.session.scalars(
            select(SupportReferral)
            .where(SupportReferral.person_id == person_id)
            .order_by(SupportReferral.referred_on.desc(), SupportReferral.id.desc())
        )
    )
    referrals = [
        ReferralView(
            r.id,
            r.service,
            SERVICES.get(r.service, r.service),
            r.provider,
            r.referred_on,
            r.status,
            STATUSES.get(r.status, r.status),
            r.outcome,
            r.outcome_on,
        )
        for r in rows
    ]
    referrals.sort(key=lambda r: not r.open)
    uow.audit("consultation", "support", [person_id], purpose="case work")
    view = (
        PlanView(plan[0].id, plan[0].plan, plan[0].review_on, plan[1], plan[0].created_at)
        if plan
        else None
    )
    return view, referrals


def view_support_referral(
    uow: UnitOfWork, *, actor: Actor, referral_id: int
) -> tuple[int, ReferralView]:
    """(the child's person id, one support referral), for its update form."""
    row = uow.session.get(SupportReferral, referral_id)
    if row is None:
        raise NotFoundError(f"support referral {referral_id}")
    require_child(uow, actor, row.person_id)
    uow.audit("consultation", "support_referral", [row.id], purpose="case work")
    return row.person_id, ReferralView(
        row.id,
        row.service,
        SERVICES.get(row.service, row.service),
        row.provider,
        row.referred_on,
        row.status,
        STATUSES.get(row.status, row.status),
        row.outcome,
        row.outcome_on,
    )
