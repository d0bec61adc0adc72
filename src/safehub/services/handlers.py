"""Who acts on which domain event: the one place where side effects are wired (``safehub.events``).

Each handler runs at commit, in the transaction of the change that caused it; a failure fails the
commit. Handlers do quick, bounded work or queue a job for the worker.

The live chain from an import to an alert, in the order of the main job's data flow
(``docs/architecture.md``): an import queues identity resolution; resolution, once it has seen
the new records, raises the victim-as-offender alerts for the people it read and queues the
network update; the network update raises the network's alerts. No alert is raised on people
that resolution has not yet seen, and ``safehub jobs run-once`` runs the chain to its end.
"""

from __future__ import annotations

from safehub.db.models import Referral
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.events import (
    EventHandlers,
    ExtractImported,
    GlassBroken,
    MatchRejected,
    PeopleMerged,
    PeopleResolved,
    ReferralRecorded,
)
from safehub.services.errors import NotFoundError
from safehub.services.identity.resolution import queue_resolution
from safehub.services.networks.update import queue_network_update
from safehub.services.practice import raise_victim_offender_alerts
from safehub.services.sharing.break_glass import alert_dpo
from safehub.services.timeliness.clocks import start_referral_clocks


def resolve_after_import(uow: UnitOfWork, event: ExtractImported) -> None:
    """New or changed records are resolved first: one person per real person, across agencies."""
    if event.changed:
        queue_resolution(uow)


def alert_victims_treated_as_offenders(
    uow: UnitOfWork, event: PeopleResolved | PeopleMerged
) -> None:
    """A child recorded as a victim in any agency and treated as an offender in another
    (suspect, arrested, charged…) is alerted to both agencies (``practice/victim_alerts``): once
    resolution has joined the agencies' records, or a person confirmed a merge."""
    if event.person_ids:
        with system_step(uow):
            raise_victim_offender_alerts(
                uow, person_ids=list(event.person_ids), purpose=event.purpose
            )


def update_networks(uow: UnitOfWork, event: PeopleResolved | PeopleMerged) -> None:
    """The stored network analysis follows what resolution has seen (the network job)."""
    if event.person_ids:
        queue_network_update(uow)


def update_networks_after_rejection(uow: UnitOfWork, event: MatchRejected) -> None:
    """A rejected pair no longer links "possibly the same person" (the next network run)."""
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
        ExtractImported: [resolve_after_import],
        PeopleResolved: [alert_victims_treated_as_offenders, update_networks],
        PeopleMerged: [alert_victims_treated_as_offenders, update_networks],
        MatchRejected: [update_networks_after_rejection],
        GlassBroken: [alert_dpo_of_break_glass],
        ReferralRecorded: [start_clocks],
    }
)
