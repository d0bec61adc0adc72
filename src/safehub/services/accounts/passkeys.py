"""Passkeys (WebAuthn): the phishing-resistant second factor.

A ceremony has two halves: options (with a random challenge, kept server-side for five minutes
and used once) and the browser's signed answer, verified here. A passkey is bound to the
relying party id (the host name) it was made on; it is only ever checked against that id, so
the same server reached as ``localhost`` and as ``safehub.example`` keeps them apart, and a
look-alike host can never use one.

Browsers accept ``localhost`` as a relying party id over plain http (a secure context), but not
an IP address: in development, open the service at http://localhost:8000 to use a passkey.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from safehub.db.models.auth import Passkey, WebAuthnChallenge
from safehub.db.queries import accounts as q
from safehub.db.uow import UnitOfWork

RP_NAME = "Safehub"
CHALLENGE_LIFETIME = timedelta(minutes=5)
_REGISTER, _AUTHENTICATE = "register", "authenticate"


class PasskeyError(ValueError):
    """A passkey answer that does not verify; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class Ceremony:
    """Where a ceremony happens: the token that owns it (session or pending sign-in), the
    relying party id and the origin the browser reports."""

    owner_token: str
    rp_id: str
    origin: str


@dataclass(frozen=True, slots=True)
class PasskeySummary:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def registration_options(
    uow: UnitOfWork,
    *,
    user_id: int,
    username: str,
    display_name: str,
    ceremony: Ceremony,
    now: datetime,
) -> str:
    """The JSON options for ``navigator.credentials.create``; existing passkeys are excluded."""
    existing = _passkeys(uow, user_id, ceremony.rp_id)
    options = generate_registration_options(
        rp_id=ceremony.rp_id,
        rp_name=RP_NAME,
        user_name=username,
        user_display_name=display_name,
        user_id=f"safehub-user-{user_id}".encode(),
        exclude_credentials=[_descriptor(p) for p in existing],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    _keep_challenge(uow, ceremony, _REGISTER, user_id, options.challenge, now)
    return options_to_json(options)


def register_passkey(
    uow: UnitOfWork,
    *,
    user_id: int,
    ceremony: Ceremony,
    credential: str,
    name: str,
    now: datetime,
) -> int:
    """Verify the browser's answer and keep the passkey; raises ``PasskeyError``."""
    challenge = _take_challenge(uow, ceremony, _REGISTER, user_id, now)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=ceremony.rp_id,
            expected_origin=ceremony.origin,
        )
        transports = parse_registration_credential_json(credential).response.transports or []
    except (WebAuthnException, ValueError, KeyError) as exc:
        raise PasskeyError("The passkey could not be checked. Try again.") from exc
    passkey = Passkey(
        user_id=user_id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        rp_id=ceremony.rp_id,
        transports=[t.value for t in transports],
        name=name.strip()[:80] or "Passkey",
    )
    uow.session.add(passkey)
    uow.session.flush()
    uow.audit(
        "collection", "user", [user_id], purpose="passkey added", detail={"passkey_id": passkey.id}
    )
    return passkey.id


def authentication_options(
    uow: UnitOfWork, *, user_id: int, ceremony: Ceremony, now: datetime
) -> str | None:
    """The JSON options for ``navigator.credentials.get``, or None without a passkey here."""
    existing = _passkeys(uow, user_id, ceremony.rp_id)
    if not existing:
        return None
    options = generate_authentication_options(
        rp_id=ceremony.rp_id,
        allow_credentials=[_descriptor(p) for p in existing],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _keep_challenge(uow, ceremony, _AUTHENTICATE, user_id, options.challenge, now)
    return options_to_json(options)


def verify_passkey(
    uow: UnitOfWork, *, user_id: int, ceremony: Ceremony, credential: str, now: datetime
) -> bool:
    """True when the answer is signed by one of the user's passkeys for this challenge."""
    try:
        challenge = _take_challenge(uow, ceremony, _AUTHENTICATE, user_id, now)
        parsed = parse_authentication_credential_json(credential)
    except (PasskeyError, WebAuthnException, ValueError, KeyError):
        return False
    passkey = q.get_passkey_for_update(
        uow.session, user_id, rp_id=ceremony.rp_id, credential_id=parsed.raw_id
    )
    if passkey is None:
        return False
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=ceremony.rp_id,
            expected_origin=ceremony.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except WebAuthnException:
        return False
    passkey.sign_count, passkey.last_used_at = verified.new_sign_count, now
    return True


def list_passkeys(uow: UnitOfWork, *, user_id: int) -> list[PasskeySummary]:
    rows = q.list_passkeys(uow.session, user_id)
    return [PasskeySummary(p.id, p.name, p.created_at, p.last_used_at) for p in rows]


def parse_json_body(body: bytes) -> str:
    """The credential JSON as the library wants it, or ``PasskeyError`` for anything else."""
    try:
        value: Any = json.loads(body)
    except ValueError as exc:
        raise PasskeyError("The passkey answer was not readable. Try again.") from exc
    if not isinstance(value, dict):
        raise PasskeyError("The passkey answer was not readable. Try again.")
    return json.dumps(value)


def _passkeys(uow: UnitOfWork, user_id: int, rp_id: str) -> list[Passkey]:
    return q.list_passkeys(uow.session, user_id, rp_id=rp_id)


def _descriptor(passkey: Passkey) -> PublicKeyCredentialDescriptor:
    known = {t.value for t in AuthenticatorTransport}
    transports = [AuthenticatorTransport(t) for t in passkey.transports if t in known]
    return PublicKeyCredentialDescriptor(id=passkey.credential_id, transports=transports or None)


def _keep_challenge(
    uow: UnitOfWork,
    ceremony: Ceremony,
    purpose: str,
    user_id: int,
    challenge: bytes,
    now: datetime,
) -> None:
    owner = _owner_hash(ceremony.owner_token)
    row = uow.session.get(WebAuthnChallenge, (owner, purpose))
    if row is None:
        uow.session.add(
            WebAuthnChallenge(
                owner_hash=owner,
                purpose=purpose,
                user_id=user_id,
                challenge=challenge,
                rp_id=ceremony.rp_id,
                created_at=now,
            )
        )
    else:
        row.user_id, row.challenge, row.rp_id, row.created_at = (
            user_id,
            challenge,
            ceremony.rp_id,
            now,
        )
    # A challenge is a random number, not personal data; but a write is a write.
    uow.audit("collection", "user", [user_id], purpose=f"passkey {purpose} started")


def _take_challenge(
    uow: UnitOfWork, ceremony: Ceremony, purpose: str, user_id: int, now: datetime
) -> bytes:
    """The challenge, removed so that it can be answered only once."""
    row = uow.session.get(WebAuthnChallenge, (_owner_hash(ceremony.owner_token), purpose))
    if row is None:
        raise PasskeyError("The passkey request had expired. Try again.")
    uow.session.delete(row)
    if (
        row.user_id != user_id
        or row.rp_id != ceremony.rp_id
        or now - row.created_at > CHALLENGE_LIFETIME
    ):
        raise PasskeyError("The passkey request had expired. Try again.")
    return row.challenge


def _owner_hash(token: str) -> str:
    return hashlib.sha256(f"webauthn:{token}".encode()).hexdigest()
