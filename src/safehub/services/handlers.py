"""Who acts on which domain event: the one place where side effects are wired (``safehub.events``).

Each handler runs at commit, in the transaction of the change that caused it; a failure fails the
commit. Handlers do quick, bounded work or queue a job for the worker.
"""

from __future__ import annotations

from safehub.db.models import Referral
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.events import (
    EventHandlers,
    ExtractImported,
    GlassBroken,
    PeopleMerged,
    PeopleResolved,
    ReferralRecorded,
)
from safehub.services.errors import NotFoundError
from safehub.services.networks.update import queue_network_update
from safehub.services.practice import raise_for_imported_refs, raise_victim_offender_alerts
from safehub.services.sharing.break_glass import alert_dpo
from safehub.services.timeliness.clocks import start_referral_clocks


def alert_victims_treated_as_offenders(uow: UnitOfWork, event: ExtractImported) -> None:
    """A child recorded as a victim in any agency and treated as an offender in another
    (suspect, arrested, charged…) is alerted to both agencies (``practice/victim_alerts``)."""
    raise_for_imported_refs(uow, keys=sorted(event.person_keys), purpose=event.purpose)


def alert_victims_after_merge(uow: UnitOfWork, event: PeopleMerged) -> None:
    """A merge can join a child's victim record in one agency to an offender record in another:
    exactly when the victim-treated-as-offender alert must fire."""
    with system_step(uow):
        raise_victim_offender_alerts(uow, person_ids=list(event.person_ids), purpose=event.purpose)


def update_networks_after_import(uow: UnitOfWork, event: ExtractImported) -> None:
    """The stored network analysis follows new records (the network job, incremental)."""
    if event.changed:
        queue_network_update(uow)


def update_networks_after_merge(uow: UnitOfWork, _event: PeopleMerged | PeopleResolved) -> None:
    """The stored network analysis follows merged people."""
    queue_network_update(uow)


def alert_dpo_of_break_glass(uow: UnitOfWork, event: GlassBroken) -> None:
    """Every break-glass is seen by the data protection officer of the user's agency."""
    alert_dpo(uow, event=event)


def start_clocks(uow: UnitOfWork, event: ReferralRecorded) -> None:
    """Working Together 2023: a decision within 1 working day, an assessment within 45."""
    referral = uow.session.get(Referral, event.referral_id)
    if referral is None:
        raise NotFoundError(f"referral {event.referral_id}")
    start_referral_clocks(uow, referral=referral)


HANDLERS = EventHandlers(
    {
        ExtractImported: [alert_victims_treated_as_offenders, update_networks_after_import],
        GlassBroken: [alert_dpo_of_break_glass],
        PeopleMerged: [alert_victims_after_merge, update_networks_after_merge],
        PeopleResolved: [update_networks_after_merge],
        ReferralRecorded: [start_clocks],
    }
)
