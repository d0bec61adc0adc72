"""Second factors that are typed: authenticator-app codes (TOTP, RFC 6238) and recovery codes.

A TOTP code is accepted once: the factor remembers the time step of the last code it accepted
and takes only later ones, so a code read over a shoulder or from a log is dead on arrival.
Recovery codes are single use and stored only as hashes. The TOTP secret must be read back to
compute codes, so it is stored sealed (``safehub.db.secrets_at_rest``): a database dump alone
gives no one's second factor. Only this module seals and opens it.

>>> code = format_recovery_code("ABCDEFGHIJKLMNOPQRSTUVWX")
>>> code
'ABCD-EFGH-IJKL-MNOP-QRST-UVWX'
>>> normalise_recovery_code(code.lower().replace("-", " "))
'ABCDEFGHIJKLMNOPQRSTUVWX'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp

from safehub.db.models.auth import RecoveryCode, TotpFactor
from safehub.db.queries import accounts as q
from safehub.db.uow import UnitOfWork

ISSUER = "Safehub"
RECOVERY_CODE_COUNT = 10
# Codes from one step either side of now are accepted: phone clocks drift.
_DRIFT_STEPS = (0, -1, 1)


@dataclass(frozen=True, slots=True)
class TotpEnrolment:
    """What a user types into an authenticator app: the secret and the otpauth:// URI, as text
    (no QR code service is called: the secret never leaves the server except to the user)."""

    secret: str
    uri: str


@dataclass(frozen=True, slots=True)
class Factors:
    totp: bool
    passkeys: int
    recovery_codes_left: int

    @property
    def any(self) -> bool:
        return self.totp or self.passkeys > 0


def factors_of(uow: UnitOfWork, *, user_id: int) -> Factors:
    """Which second factors the user has set up."""
    totp = uow.session.get(TotpFactor, user_id)
    passkeys = q.count_passkeys(uow.session, user_id)
    left = q.count_unused_recovery_codes(uow.session, user_id)
    return Factors(totp is not None and totp.confirmed_at is not None, passkeys, left)


def start_totp_enrolment(uow: UnitOfWork, *, user_id: int, username: str) -> TotpEnrolment:
    """A new secret for a user who has no confirmed authenticator app yet (kept until confirmed;
    starting again replaces it)."""
    row = uow.session.get(TotpFactor, user_id)
    if row is not None and row.confirmed_at is not None:
        raise ValueError("an authenticator app is already set up for this user")
    secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
    if row is None:
        uow.session.add(TotpFactor(user_id=user_id, secret=_seal(uow, user_id, secret)))
    else:
        row.secret = _seal(uow, user_id, secret)
    uow.audit("collection", "user", [user_id], purpose="authenticator app set-up started")
    return TotpEnrolment(secret, totp_uri(secret, username))


def pending_totp_enrolment(uow: UnitOfWork, *, user_id: int, username: str) -> TotpEnrolment | None:
    """The secret of an enrolment started but not yet confirmed."""
    row = uow.session.get(TotpFactor, user_id)
    if row is None or row.confirmed_at is not None:
        return None
    secret = _unseal(uow, row)
    return TotpEnrolment(secret, totp_uri(secret, username))


def confirm_totp_enrolment(uow: UnitOfWork, *, user_id: int, code: str, now: datetime) -> bool:
    """Confirm the app with a first code (which then counts as used)."""
    row = _locked_totp(uow, user_id)
    if row is None or row.confirmed_at is not None or not _accept(uow, row, code, now):
        return False
    row.confirmed_at = now
    uow.audit("alteration", "user", [user_id], purpose="authenticator app set up")
    return True


def set_up_totp(uow: UnitOfWork, *, user_id: int, secret: str, now: datetime) -> None:
    """A confirmed authenticator app with a known secret (the demo's users; not for real staff)."""
    pyotp.TOTP(secret).now()  # refuses a secret that is not base32
    sealed = _seal(uow, user_id, secret)
    row = uow.session.get(TotpFactor, user_id)
    if row is None:
        uow.session.add(TotpFactor(user_id=user_id, secret=sealed, confirmed_at=now))
    else:
        row.secret, row.confirmed_at, row.last_used_step = sealed, now, None
    uow.audit("collection", "user", [user_id], purpose="authenticator app set up")


def verify_totp(uow: UnitOfWork, *, user_id: int, code: str, now: datetime) -> bool:
    """True for a valid code not used before; the code is then used up."""
    row = _locked_totp(uow, user_id)
    if row is None or row.confirmed_at is None:
        return False
    return _accept(uow, row, code, now)


def demo_code(uow: UnitOfWork, *, username: str, now: datetime) -> str | None:
    """The code a demo user's app would show now (the next one if this one is used up), or
    None without such a user. Only the demo's command calls this, in development."""
    row = q.get_confirmed_totp_by_username(uow.session, username)
    if row is None:
        return None
    totp = pyotp.TOTP(_unseal(uow, row))
    step = max(totp.timecode(now), (row.last_used_step or 0) + 1)
    uow.audit("consultation", "user", [row.user_id], purpose="demo sign-in code shown")
    return totp.generate_otp(step)


def totp_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def issue_recovery_codes(uow: UnitOfWork, *, user_id: int) -> list[str]:
    """Ten new single-use codes, replacing any old ones; only their hashes are kept."""
    q.delete_recovery_codes(uow.session, user_id)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    uow.session.add_all(
        RecoveryCode(user_id=user_id, code_hash=_code_hash(normalise_recovery_code(c)))
        for c in codes
    )
    uow.audit("collection", "user", [user_id], purpose="recovery codes issued")
    return codes


def use_recovery_code(uow: UnitOfWork, *, user_id: int, code: str, now: datetime) -> bool:
    """True once for each issued code; the code is then used up."""
    if not q.set_recovery_code_used(
        uow.session, user_id, _code_hash(normalise_recovery_code(code)), now
    ):
        return False
    uow.mark_changed()
    return True


def format_recovery_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_code(typed: str) -> str:
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def normalise_totp_code(typed: str) -> str:
    return "".join(typed.split()).replace("-", "")


def _locked_totp(uow: UnitOfWork, user_id: int) -> TotpFactor | None:
    return q.get_totp_for_update(uow.session, user_id)


def totp_bound_to(user_id: int) -> str:
    """What a user's sealed TOTP secret is bound to: their row, so that it opens nowhere else."""
    return f"mfa_totp:{user_id}"


def _seal(uow: UnitOfWork, user_id: int, secret: str) -> str:
    return uow.secrets.seal(secret, bound_to=totp_bound_to(user_id))


def _unseal(uow: UnitOfWork, row: TotpFactor) -> str:
    return uow.secrets.unseal(row.secret, bound_to=totp_bound_to(row.user_id))


def _accept(uow: UnitOfWork, row: TotpFactor, code: str, now: datetime) -> bool:
    code = normalise_totp_code(code)
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(_unseal(uow, row))
    current = totp.timecode(now)
    for step in (current + d for d in _DRIFT_STEPS):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if row.last_used_step is not None and step <= row.last_used_step:
                return False
            row.last_used_step = step
            return True
    return False


def _new_recovery_code() -> str:
    # 15 random bytes = 120 bits = 24 base32 characters, shown in groups of four.
    raw = base64.b32encode(secrets.token_bytes(15)).decode()
    return format_recovery_code(raw)


def _code_hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode()).hexdigest()
