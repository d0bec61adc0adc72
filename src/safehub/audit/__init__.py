"""The tamper-evident audit log of every collection, consultation, disclosure and change."""

from safehub.audit.chain import AuditEntry, ChainReport, append_entries, verify_chain

__all__ = ["AuditEntry", "ChainReport", "append_entries", "verify_chain"]
