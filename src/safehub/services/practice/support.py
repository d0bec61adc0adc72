"""A child's support plan and referrals to support services, tracked to their outcome.

>>> SupportReferralUpdate("completed").problems()
{'outcome': 'Say what the outcome was for the child'}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from safehub.db.models.practice import SupportPlan, SupportReferral
from safehub.db.queries.practice.children import get_current_plan, list_support_referrals
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError
from safehub.services.practice.need_to_know import require_child
from safehub.services.practice.refusals import refuse_if
from safehub.services.practice.saved_anyway import check_for_saving, hold_unless_explained

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
class SupportPlanDraft:
    """The plan as written (what support, from whom, by when) and when to review it; whether
    its author chose to save it despite language flags, and why."""

    plan: str
    review_on: date | None = None
    save_anyway: bool = False
    reason: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be kept)."""
        if len(self.plan.strip()) < 10:
            return {"plan": "Describe the support plan: what support, from whom, and by when"}
        return {}


@dataclass(frozen=True, slots=True)
class SupportReferralDraft:
    """A referral to a support service: which service, when, and the provider (optional)."""

    service: str
    referred_on: date | None
    provider: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be kept)."""
        errors: dict[str, str] = {}
        if self.service not in SERVICES:
            errors["service"] = "Select the support service"
        if self.referred_on is None:
            errors["referred_on"] = "Enter the date of the referral, for example 27 3 2025"
        elif self.referred_on > date.today():
            errors["referred_on"] = "The date of the referral must be today or in the past"
        return errors


@dataclass(frozen=True, slots=True)
class SupportReferralUpdate:
    """Where a referral has got to; a closed referral says what the outcome was for the child."""

    status: str
    outcome: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be kept)."""
        if self.status not in STATUSES:
            return {"status": "Select where the referral has got to"}
        if self.status not in OPEN_STATUSES and not self.outcome.strip():
            return {"outcome": "Say what the outcome was for the child"}
        return {}


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


def write_support_plan(uow: UnitOfWork, *, person_id: int, plan: SupportPlanDraft) -> SupportPlan:
    """A new plan, superseding the current one (kept). ``PracticeRefusedError`` for a plan
    too short to say what support, from whom and by when; ``LanguageHeldError`` for a plan with
    language flags that its author has not chosen to save anyway, with a reason."""
    author = require_child(uow, person_id)
    refuse_if(plan.problems())
    check = check_for_saving(uow, text=plan.plan, reason=plan.reason, what="plan")
    hold_unless_explained(check, save_anyway=plan.save_anyway)
    current = get_current_plan(uow.session, person_id)
    row = SupportPlan(
        person_id=person_id,
        plan=plan.plan.strip(),
        review_on=plan.review_on,
        created_by_user_id=author,
        supersedes_id=current[0].id if current else None,
        language_flags=check.flags or None,
        language_reason=check.reason,
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


def refer_to_support(
    uow: UnitOfWork, *, person_id: int, referral: SupportReferralDraft
) -> SupportReferral:
    """Record a referral to a support service. ``PracticeRefusedError`` names each problem."""
    author = require_child(uow, person_id)
    refuse_if(referral.problems())
    assert referral.referred_on is not None  # problems() refuses a referral without a date
    row = SupportReferral(
        person_id=person_id,
        service=referral.service,
        referred_on=referral.referred_on,
        provider=referral.provider.strip() or None,
        status="referred",
        created_by_user_id=author,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "collection",
        "support_referral",
        [row.id],
        purpose="referral to support",
        detail={"person": person_id, "service": referral.service},
    )
    return row


def update_support_referral(
    uow: UnitOfWork, *, referral_id: int, update: SupportReferralUpdate
) -> SupportReferral:
    """Move a referral on (accepted, started…) or close it with its outcome."""
    row = uow.session.get(SupportReferral, referral_id)
    if row is None:
        raise NotFoundError(f"support referral {referral_id}")
    require_child(uow, row.person_id)
    refuse_if(update.problems())
    row.status = update.status
    row.outcome = update.outcome.strip() or row.outcome
    row.outcome_on = None if update.status in OPEN_STATUSES else date.today()
    row.updated_at = datetime.now(UTC)
    uow.audit(
        "alteration",
        "support_referral",
        [row.id],
        purpose="support referral updated",
        detail={"status": update.status},
    )
    return row


def child_support(uow: UnitOfWork, *, person_id: int) -> tuple[PlanView | None, list[ReferralView]]:
    """The current support plan and every referral to support, open ones first."""
    require_child(uow, person_id)
    plan = get_current_plan(uow.session, person_id)
    referrals = [_referral_view(r) for r in list_support_referrals(uow.session, person_id)]
    referrals.sort(key=lambda r: not r.open)
    uow.audit("consultation", "support", [person_id], purpose="case work")
    view = (
        PlanView(plan[0].id, plan[0].plan, plan[0].review_on, plan[1], plan[0].created_at)
        if plan
        else None
    )
    return view, referrals


def view_support_referral(uow: UnitOfWork, *, referral_id: int) -> tuple[int, ReferralView]:
    """(the child's person id, one support referral), for its update form."""
    row = uow.session.get(SupportReferral, referral_id)
    if row is None:
        raise NotFoundError(f"support referral {referral_id}")
    require_child(uow, row.person_id)
    uow.audit("consultation", "support_referral", [row.id], purpose="case work")
    return row.person_id, _referral_view(row)


def _referral_view(row: SupportReferral) -> ReferralView:
    return ReferralView(
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
