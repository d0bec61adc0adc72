"""SQLAlchemy models: one module per part of the record.

Every module of this package is imported here, so that ``Base.metadata`` (migrations, the
drift guard test) always knows every table; a capability adds a module for its own tables.
"""

import importlib
import pkgutil

from safehub.db.models.agencies import Agency, Team, User
from safehub.db.models.audit import AuditEvent, FormDraft, WebSession
from safehub.db.models.base import Base
from safehub.db.models.casework import (
    CaseAgency,
    CaseChild,
    CaseMember,
    CaseNote,
    Decision,
    Referral,
    SafeguardingCase,
)
from safehub.db.models.records import (
    AgencyPerson,
    AgencyRecord,
    Person,
    PersonIdentifier,
    PersonMention,
    RecordVersion,
)

__all__ = [
    "Agency",
    "AgencyPerson",
    "AgencyRecord",
    "AuditEvent",
    "Base",
    "CaseAgency",
    "CaseChild",
    "CaseMember",
    "CaseNote",
    "Decision",
    "FormDraft",
    "Person",
    "PersonIdentifier",
    "PersonMention",
    "RecordVersion",
    "Referral",
    "SafeguardingCase",
    "Team",
    "User",
    "WebSession",
]

for _info in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_info.name}")
