"""TOTP secrets sealed at rest.

Until now ``mfa_totp.secret`` held the authenticator secret as is: anyone with a dump of the
database could compute every user's second factor. The upgrade seals each plain secret (a value
without the ``v1:`` prefix) with AES-GCM under a key derived from ``SAFEHUB_SECRET_KEY``
(``safehub.db.secrets_at_rest``), bound to its row, and widens the column for the sealed form.
The downgrade opens them again. Both use the key of the caller (``safehub migrate`` passes the
application's) or, run from elsewhere, the key the environment's settings give: run them with the
SAFEHUB_SECRET_KEY the application uses, or the secrets will not open afterwards.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy import Connection

from safehub.config import load_settings
from safehub.db.secrets_at_rest import PREFIX, SecretBox

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAIN_LENGTH = 64
SEALED_LENGTH = 255


def _bound_to(user_id: int) -> str:
    # As ``safehub.services.accounts.mfa.totp_bound_to`` (a migration keeps its own copy: it must not
    # change when the service does).
    return f"mfa_totp:{user_id}"


def seal_plain_rows(conn: Connection, box: SecretBox) -> int:
    """Seal every secret not sealed yet; the number sealed."""
    rows = conn.execute(
        sa.text("SELECT user_id, secret FROM mfa_totp WHERE secret NOT LIKE :p FOR UPDATE"),
        {"p": PREFIX + "%"},
    ).all()
    for user_id, plain in rows:
        sealed = box.seal(plain, bound_to=_bound_to(user_id))
        conn.execute(
            sa.text("UPDATE mfa_totp SET secret = :s WHERE user_id = :u"),
            {"s": sealed, "u": user_id},
        )
    return len(rows)


def unseal_rows(conn: Connection, box: SecretBox) -> int:
    """Open every sealed secret again (raises ``UnsealError`` under the wrong key); the number."""
    rows = conn.execute(
        sa.text("SELECT user_id, secret FROM mfa_totp WHERE secret LIKE :p FOR UPDATE"),
        {"p": PREFIX + "%"},
    ).all()
    for user_id, sealed in rows:
        plain = box.unseal(sealed, bound_to=_bound_to(user_id))
        conn.execute(
            sa.text("UPDATE mfa_totp SET secret = :s WHERE user_id = :u"),
            {"s": plain, "u": user_id},
        )
    return len(rows)


def _box() -> SecretBox:
    given = context.config.attributes.get("secrets")
    return given if isinstance(given, SecretBox) else SecretBox.for_settings(load_settings())


def upgrade() -> None:
    op.alter_column(
        "mfa_totp",
        "secret",
        existing_type=sa.String(length=PLAIN_LENGTH),
        type_=sa.String(length=SEALED_LENGTH),
        existing_nullable=False,
    )
    seal_plain_rows(op.get_bind(), _box())


def downgrade() -> None:
    unseal_rows(op.get_bind(), _box())
    op.alter_column(
        "mfa_totp",
        "secret",
        existing_type=sa.String(length=SEALED_LENGTH),
        type_=sa.String(length=PLAIN_LENGTH),
        existing_nullable=False,
    )
