"""Errors the services raise, which entry points turn into pages or JSON."""


class NotFoundError(LookupError):
    """Does not exist, or the actor may not know it exists: the two must look identical."""


class ForbiddenError(PermissionError):
    """The actor may not do this."""
