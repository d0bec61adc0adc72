"""The tamper-evident audit log of every collection, consultation, disclosure and change."""

from safehub.audit.anchors import AnchorStore, RestoredCheck, check_anchors, check_restored
from safehub.audit.chain import (
    AuditEntry,
    ChainHead,
    ChainReport,
    append_entries,
    verify_chain,
)

__all__ = [
    "AnchorStore",
    "AuditEntry",
    "ChainHead",
    "ChainReport",
    "RestoredCheck",
    "append_entries",
    "check_anchors",
    "check_restored",
    "verify_chain",
]
