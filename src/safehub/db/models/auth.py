"""Second factors, half-finished sign-ins and sign-in throttling.

Secrets that only need checking (recovery codes, sign-in tokens) are stored as hashes; the TOTP
secret must be readable to compute codes, so it is stored sealed with a key the database does not
hold (``safehub.db.secrets_at_rest``, migration 0011), as well as guarded by the database roles.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base, CreatedAt

# Room for a sealed secret of up to 128 characters (3 + base64 of 12 + 128 + 16 bytes = 211).
SEALED_SECRET_LENGTH = 255


class TotpFactor(CreatedAt, Base):
    """An authenticator app (RFC 6238). Not usable until a first code has confirmed it."""

    __tablename__ = "mfa_totp"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    # Sealed (``v1:...``, about 80 characters for a 32-character base32 secret); never plain.
    secret: Mapped[str] = mapped_column(String(SEALED_SECRET_LENGTH))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The time step of the last accepted code: a code is accepted only for a later step, so a
    # code seen over someone's shoulder cannot be used again in its window.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(CreatedAt, Base):
    """A single-use recovery code; 120 random bits, so a SHA-256 hash is enough (ASVS 6.5.2)."""

    __tablename__ = "mfa_recovery_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Passkey(CreatedAt, Base):
    """A WebAuthn credential: phishing-resistant, bound to the relying party id it was made for."""

    __tablename__ = "mfa_passkey"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger)
    rp_id: Mapped[str] = mapped_column(String(253))
    transports: Mapped[list[str]] = mapped_column(JSONB)
    name: Mapped[str] = mapped_column(Text)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PendingSignIn(Base):
    """The "password ok" state between the two factors: short-lived, server-side, token hashed."""

    __tablename__ = "pending_sign_in"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    csrf_token: Mapped[str] = mapped_column(String(64))


class WebAuthnChallenge(Base):
    """The challenge of a passkey ceremony in progress, for a session or a pending sign-in."""

    __tablename__ = "webauthn_challenge"

    owner_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    challenge: Mapped[bytes] = mapped_column(LargeBinary)
    rp_id: Mapped[str] = mapped_column(String(253))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SignInThrottle(Base):
    """Failed sign-ins counted per account and per source address, keyed by a hash of either
    (so that mistyped usernames, which may be passwords, are never stored)."""

    __tablename__ = "sign_in_throttle"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
