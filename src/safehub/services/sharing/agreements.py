"""Information-sharing agreements, and what one user may see of other agencies' records.

An agreement says which record types one agency shares with another, for which purpose and on
which lawful basis; while it runs, those records are open to the partner without a per-request
decision. Everything else another agency holds is a *sealed envelope*: the user learns that the
agency holds records about the child and whom to contact, and may ask for a disclosure.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from safehub.access import (
    HolderSubject,
    Permission,
    PersonSubject,
    SharingFacts,
    can,
)
from safehub.access.actor import Actor
from safehub.db.models import Agency
from safehub.db.models.sharing import SharingAgreement, SharingContact
from safehub.db.queries import access as aq
from safehub.db.queries import agencies as aq_agencies
from safehub.db.queries import sharing as sq
from safehub.db.queries.sharing import AgreementRow as AgreementRow
from safehub.db.uow import UnitOfWork
from safehub.extracts.codes import RECORD_TYPES
from safehub.services.errors import ForbiddenError, RefusedError

LAWFUL_BASES = {
    "uk_gdpr_6_1_e": "UK GDPR Article 6(1)(e): public task",
    "dpa_2018_part_3": "DPA 2018 Part 3: law enforcement purposes",
}
SPECIAL_CATEGORY_CONDITIONS = {
    "dpa_2018_sch1_para18": "DPA 2018 Schedule 1 paragraph 18: safeguarding of children",
    "dpa_2018_sch8_para4": "DPA 2018 Schedule 8 paragraph 4: safeguarding of children",
}


@dataclass(frozen=True, slots=True)
class AccessView:
    """The access facts for a few people, loaded once, asked many times."""

    actor: Actor
    people: dict[int, PersonSubject]
    sharing: SharingFacts

    def sees_person(self, person_id: int) -> bool:
        subject = self.people.get(person_id, PersonSubject(person_id))
        return can(self.actor, Permission.VIEW_PERSON, subject)

    def reads(self, *, agency_id: int, record_type: str, person_id: int, restricted: bool) -> bool:
        """Whether the content of this agency's record about this person is open to the actor."""
        subject = self.sharing.record(
            owning_agency_id=agency_id,
            record_type=record_type,
            person_id=person_id,
            restricted=restricted,
        )
        return can(self.actor, Permission.VIEW_RECORD, subject)

    def shows_holder(self, *, agency_id: int, restricted: bool) -> bool:
        return can(self.actor, Permission.VIEW_PERSON, HolderSubject(agency_id, restricted))


def load_access(uow: UnitOfWork, *, person_ids: list[int]) -> AccessView:
    actor = uow.actor
    session = uow.session
    people, facts = aq.access_facts(
        session, person_ids, user_id=actor.user_id, agency_id=actor.agency_id
    )
    return AccessView(actor, people, facts)


@dataclass(frozen=True, slots=True)
class SealedEnvelope:
    """Another agency holds records about the person: who, whom to contact, any request made."""

    person_id: int
    agency_id: int
    agency_code: str
    agency_name: str
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    request_status: str | None


def sealed_envelopes(uow: UnitOfWork, *, person_id: int, denied: set[int]) -> list[SealedEnvelope]:
    """The envelopes for one person: agencies row-level security says hold unread records, and
    agencies whose records the application itself withheld (``denied``)."""
    return sealed_envelopes_of(uow, person_ids=[person_id], denied={person_id: denied})


def sealed_envelopes_of(
    uow: UnitOfWork, *, person_ids: list[int], denied: dict[int, set[int]]
) -> list[SealedEnvelope]:
    """``sealed_envelopes`` of several people (a case's children), person by person in the
    order given, in at most three statements whatever their number."""
    actor = uow.actor
    holders = aq.sealed_holders_of(uow.session, person_ids)
    sealed = {
        p: (holders.get(p, set()) | denied.get(p, set())) - {actor.agency_id} for p in person_ids
    }
    agencies = sorted(set().union(*sealed.values()))
    if not agencies:
        return []
    contacts = aq.agency_contacts(uow.session, agencies)
    statuses = sq.list_latest_request_statuses(
        uow.session, person_ids=person_ids, requesting_agency_id=actor.agency_id
    )
    return [
        SealedEnvelope(p, a, *contacts[a], statuses.get((p, a)))
        for p in person_ids
        for a in sorted(sealed[p], key=lambda a: contacts[a][1])
    ]


@dataclass(frozen=True, slots=True)
class AgreementInput:
    """One direction of an information-sharing agreement, as a manager records it."""

    title: str
    provider_agency_id: int
    recipient_agency_id: int
    purpose: str
    lawful_basis: str
    special_category_condition: str
    power_to_share: str
    record_types: list[str]
    starts_on: date
    ends_on: date | None = None

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right."""
        errors: dict[str, str] = {}
        if not self.title.strip():
            errors["title"] = "Enter a title for the agreement"
        if self.recipient_agency_id <= 0:
            errors["recipient"] = "Select the agency that receives the records"
        elif self.provider_agency_id == self.recipient_agency_id:
            errors["recipient"] = "Select a recipient agency other than the provider"
        if len(self.purpose.strip()) < 10:
            errors["purpose"] = "Describe the purpose of the sharing (at least 10 characters)"
        if self.lawful_basis not in LAWFUL_BASES:
            errors["lawful_basis"] = "Select the lawful basis for the sharing"
        if self.special_category_condition not in SPECIAL_CATEGORY_CONDITIONS:
            errors["condition"] = "Select the condition for special category or sensitive data"
        if len(self.power_to_share.strip()) < 5:
            errors["power_to_share"] = (
                "Enter the power to share, for example Children Act 2004 s.11"
            )
        if not self.record_types or set(self.record_types) - RECORD_TYPES:
            errors["record_types"] = "Select at least one record type the agreement covers"
        if self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date must be on or after the start date"
        return errors


def create_agreement(uow: UnitOfWork, *, agreement: AgreementInput) -> SharingAgreement:
    """Record one direction of an agreement. A manager records agreements their agency provides:
    an agency decides what it shares (the partner records its own direction)."""
    actor = uow.actor
    if not can(actor, Permission.MANAGE_AGREEMENTS) or (
        not actor.is_system and agreement.provider_agency_id != actor.agency_id
    ):
        raise ForbiddenError("only the providing agency records what it shares")
    errors = agreement.problems()
    if errors:
        raise RefusedError(errors)
    row = SharingAgreement(
        title=agreement.title.strip(),
        provider_agency_id=agreement.provider_agency_id,
        recipient_agency_id=agreement.recipient_agency_id,
        purpose=agreement.purpose.strip(),
        lawful_basis=agreement.lawful_basis,
        special_category_condition=agreement.special_category_condition,
        power_to_share=agreement.power_to_share.strip(),
        record_types=sorted(set(agreement.record_types)),
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        created_by_user_id=actor.user_id,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "collection",
        "sharing_agreement",
        [row.id],
        purpose="information-sharing agreement",
        detail={
            "provider": row.provider_agency_id,
            "recipient": row.recipient_agency_id,
            "record_types": row.record_types,
        },
    )
    return row


def list_agreements(uow: UnitOfWork) -> list[AgreementRow]:
    """The agreements the actor's agency shares or receives under (every one, for a system)."""
    actor = uow.actor
    return sq.list_agreements_of(uow.session, None if actor.is_system else actor.agency_id)


def agency_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    return [(a.id, a.name) for a in aq_agencies.list_agencies(uow.session, order_by="name")]


def set_sharing_contact(
    uow: UnitOfWork,
    *,
    agency_id: int,
    name: str,
    email: str | None = None,
    phone: str | None = None,
) -> None:
    """Whom partners should contact about the agency's records (shown on sealed envelopes)."""
    row = uow.session.get(SharingContact, agency_id)
    if row is None:
        row = SharingContact(agency_id=agency_id, name=name)
        uow.session.add(row)
    row.name, row.email, row.phone = name, email, phone
    uow.session.flush()
    uow.audit("alteration", "sharing_contact", [agency_id], purpose="sharing contact")


_DEMO_TYPES = {
    ("police", "social_care"): ["crime_report", "missing_episode", "referral"],
    ("social_care", "police"): ["referral", "assessment", "missing_episode"],
}


def seed_demo_agreements(uow: UnitOfWork, *, without: Collection[tuple[str, str]] = ()) -> int:
    """Agreements between every police force and every council's social care of the demo's
    partnership (crime reports, missing episodes, referrals one way; referrals, assessments,
    missing episodes the other), and a contact for every agency. Idempotent.

    ``without``: pairs of agency codes (either way round) that work together with no agreement,
    so that what one holds reaches the other as a sealed alert.
    """
    apart = {frozenset(pair) for pair in without}
    agencies = aq_agencies.list_agencies(uow.session)
    existing = aq_agencies.list_agreement_directions(uow.session)
    made = 0
    for provider in agencies:
        if uow.session.get(SharingContact, provider.id) is None:
            set_sharing_contact(
                uow,
                agency_id=provider.id,
                name=f"{provider.name} safeguarding team",
                email=f"safeguarding@{provider.code.lower()}.example",
            )
        for recipient in agencies:
            types = _DEMO_TYPES.get((provider.agency_type, recipient.agency_type))
            if not types or (provider.id, recipient.id) in existing:
                continue
            if frozenset((provider.code, recipient.code)) in apart:
                continue
            create_agreement(uow, agreement=_demo_agreement(provider, recipient, types))
            made += 1
    return made


def _demo_agreement(provider: Agency, recipient: Agency, types: list[str]) -> AgreementInput:
    police = provider.agency_type == "police"
    return AgreementInput(
        title=f"{provider.name} to {recipient.name}: child exploitation",
        provider_agency_id=provider.id,
        recipient_agency_id=recipient.id,
        purpose="Safeguarding children at risk of sexual exploitation: joint assessment and "
        "planning between police and children's social care",
        lawful_basis="dpa_2018_part_3" if police else "uk_gdpr_6_1_e",
        special_category_condition="dpa_2018_sch8_para4" if police else "dpa_2018_sch1_para18",
        power_to_share="Children Act 2004 s.11; Crime and Disorder Act 1998 s.115; "
        "Working Together to Safeguard Children 2023",
        record_types=types,
        starts_on=date(2025, 1, 1),
    )
