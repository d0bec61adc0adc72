"""Passwords: Argon2id hashes, and the rules a new password must meet (ASVS 5.0 chapter 6).

No composition rules (they push people to predictable patterns); instead a minimum length and a
check against the 30,000 most common passwords from public breaches, the list that ships inside
the ``zxcvbn`` package, so nothing is sent to an online service.

>>> password_problem("correct horse battery staple", username="sam")
>>> password_problem("password1234", username="sam")
'Choose a password that is not a commonly used one'
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
# ASVS asks that at least 64 characters be allowed; a cap stops a megabyte "password" being
# hashed on every request.
MAX_LENGTH = 256

_hasher = PasswordHasher()  # Argon2id, with argon2-cffi's RFC 9106 low-memory parameters
# Verifying against a dummy hash when the username is unknown keeps the timing the same, so the
# response does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class PasswordRejectedError(ValueError):
    """A password that must not be set; the message says why, in words a user can act on."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; with no hash, the same work is done and False returned.

    >>> verify_password(hash_password("a long passphrase"), "a long passphrase")
    True
    >>> verify_password(None, "anything")
    False
    """
    try:
        _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def password_problem(password: str, *, username: str) -> str | None:
    """Why this password may not be set, or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    folded = password.casefold()
    if _is_common(folded):
        return "Choose a password that is not a commonly used one"
    local_part = username.split("@")[0].casefold()
    if folded in (username.casefold(), local_part) or len(set(folded)) < 4:
        return "Choose a password that is harder to guess"
    return None


def check_new_password(password: str, *, username: str) -> None:
    """Raise ``PasswordRejectedError`` for a password that must not be set."""
    problem = password_problem(password, username=username)
    if problem:
        raise PasswordRejectedError(problem)


def _is_common(folded: str) -> bool:
    words = _common_passwords()
    # Also catch a common password with a few characters stuck on the end ("1234567890123")
    # or digits and symbols ("password2024!"), the commonest way people "strengthen" one.
    stem = folded.rstrip("0123456789!@#$%^&*?.-_ ")
    candidates = {folded, stem} | {folded[:-k] for k in range(1, 5)}
    return any(len(c) >= 6 and c in words for c in candidates) or (
        0 < len(stem) < 6 and stem in words
    )


@cache
def _common_passwords() -> frozenset[str]:
    # Imported here: the list is large, and only setting a password needs it.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    return frozenset(w.casefold() for w in FREQUENCY_LISTS["passwords"])
