"""Who may do what: one policy function decides every access (``can``)."""

from safehub.access.actor import Actor
from safehub.access.policy import (
    IDENTIFIABLE_ROLES,
    ROLES,
    Permission,
    aggregates_only,
    can,
    person_known,
)
from safehub.access.subjects import (
    AlertSubject,
    CaseSubject,
    DisclosureSubject,
    HolderSubject,
    PersonSubject,
    RecordSubject,
    SharingFacts,
)

__all__ = [
    "IDENTIFIABLE_ROLES",
    "ROLES",
    "Actor",
    "AlertSubject",
    "CaseSubject",
    "DisclosureSubject",
    "HolderSubject",
    "Permission",
    "PersonSubject",
    "RecordSubject",
    "SharingFacts",
    "aggregates_only",
    "can",
    "person_known",
]
