"""The tamper-evident audit log of every collection, consultation, disclosure and change."""

from safehub.audit.anchors import AnchorStore, check_anchors
from safehub.audit.chain import AuditEntry, ChainReport, append_entries, verify_chain

__all__ = [
    "AnchorStore",
    "AuditEntry",
    "ChainReport",
    "append_entries",
    "check_anchors",
    "verify_chain",
]
