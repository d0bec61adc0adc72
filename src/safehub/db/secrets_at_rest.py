"""Secrets the server must read back (the TOTP secret), sealed before they reach the database.

A dump of the database alone then yields no second factor: the key comes from
``SAFEHUB_SECRET_KEY``, which the database never holds. Sealing is AES-256-GCM with a key derived
by HKDF-SHA256 from the secret key; a sealed value is ``v1:`` and the URL-safe base64 of a random
96-bit nonce followed by the ciphertext and its tag. The version says which key derivation and
format made it, so a later key rotation can tell old values from new ones. Each value is bound to
the row it belongs to (``bound_to``): a sealed secret copied into another user's row does not open.

>>> box = SecretBox("an example secret key of at least thirty-two characters")
>>> sealed = box.seal("JBSWY3DPEHPK3PXP", bound_to="mfa_totp:1")
>>> sealed.startswith("v1:"), "JBSWY3DPEHPK3PXP" in sealed
(True, False)
>>> box.unseal(sealed, bound_to="mfa_totp:1")
'JBSWY3DPEHPK3PXP'
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from safehub.config import Settings

PREFIX = "v1:"
HKDF_INFO = b"safehub totp secret v1"
# Where a development environment without SAFEHUB_SECRET_KEY keeps its secret: the settings'
# fallback is fresh per process, and a secret sealed by `safehub demo` must open in the server and
# in `safehub demo-code` too.
DEV_SECRET_FILE = "dev-secret-key"
_NONCE_BYTES = 12


class UnsealError(ValueError):
    """A sealed value did not open: another key, another row, altered, or never sealed."""


class SecretBox:
    """Seals and unseals short secrets with one key (derived on first use, then kept)."""

    __slots__ = ("_aead", "_key_file", "_secret")

    def __init__(self, secret: str | None = None, *, key_file: Path | None = None) -> None:
        if (secret is None) == (key_file is None):
            raise ValueError("give either a secret key or a development key file")
        self._secret, self._key_file = secret, key_file
        self._aead: AESGCM | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> SecretBox:
        if settings.secret_key_generated:
            return cls(key_file=settings.data_dir / DEV_SECRET_FILE)
        return cls(settings.secret_key)

    def __repr__(self) -> str:  # never the key, in a log or a traceback
        return "SecretBox(...)"

    def derive(self, purpose: str) -> bytes:
        """A 256-bit key for one purpose (e.g. keying oversight's pseudonymous units), derived
        from the secret key: the database never holds it, and each purpose gets its own."""
        secret = self._secret if self._key_file is None else _dev_secret(self._key_file)
        if not secret:
            raise ValueError("deriving a key needs a secret key")
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
        return hkdf.derive(secret.encode())

    def seal(self, plain: str, *, bound_to: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._cipher().encrypt(nonce, plain.encode(), bound_to.encode())
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def unseal(self, sealed: str, *, bound_to: str) -> str:
        if not is_sealed(sealed):
            raise UnsealError(f"not a sealed value (it does not start with {PREFIX!r})")
        try:
            raw = base64.urlsafe_b64decode(sealed[len(PREFIX) :].encode("ascii"))
            plain = self._cipher().decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], bound_to.encode()
            )
        except (InvalidTag, ValueError) as exc:  # ValueError: bad base64, non-ASCII, too short
            raise UnsealError(
                f"a sealed secret ({bound_to}) did not open: it was sealed under another "
                "SAFEHUB_SECRET_KEY, for another row, or has been altered"
            ) from exc
        return plain.decode()

    def _cipher(self) -> AESGCM:
        if self._aead is None:
            secret = self._secret if self._key_file is None else _dev_secret(self._key_file)
            self._aead = AESGCM(derive_key(secret or ""))
        return self._aead


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def derive_key(secret_key: str) -> bytes:
    """The 256-bit AES key for sealing, derived from the application's secret key."""
    if not secret_key:
        raise ValueError("sealing needs a secret key")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO)
    return hkdf.derive(secret_key.encode())


def _dev_secret(path: Path) -> str:
    """The development secret kept in the data folder, made on first use (owner-only)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written in full under a private name, then linked into place: a process racing this
        # one never reads a half-written file, and the first link wins.
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
