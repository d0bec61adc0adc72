"""Who may do what: one policy function decides every access (``can``)."""

from safehub.access.policy import ROLES, Permission, can

__all__ = ["ROLES", "Permission", "can"]
