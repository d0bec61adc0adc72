"""Two-factor sign-in: TOTP, recovery codes, passkeys, the "password ok" state, throttling.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CREATED_AT = ("created_at", sa.DateTime(timezone=True))


def _created_at() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(*_CREATED_AT, server_default=sa.text("now()"), nullable=False)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["app_user.id"], name=op.f(f"fk_{table}_user_id_app_user")
    )


def upgrade() -> None:
    op.create_table(
        "mfa_totp",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        _created_at(),
        _user_fk("mfa_totp"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mfa_totp")),
    )
    op.create_table(
        "mfa_recovery_code",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        _user_fk("mfa_recovery_code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_recovery_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_mfa_recovery_code_code_hash")),
    )
    op.create_index(op.f("ix_mfa_recovery_code_user_id"), "mfa_recovery_code", ["user_id"])
    op.create_table(
        "mfa_passkey",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("rp_id", sa.String(length=253), nullable=False),
        sa.Column("transports", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        _user_fk("mfa_passkey"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_passkey")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_mfa_passkey_credential_id")),
    )
    op.create_index(op.f("ix_mfa_passkey_user_id"), "mfa_passkey", ["user_id"])
    op.create_table(
        "pending_sign_in",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _user_fk("pending_sign_in"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_pending_sign_in")),
    )
    op.create_index(op.f("ix_pending_sign_in_user_id"), "pending_sign_in", ["user_id"])
    op.create_table(
        "webauthn_challenge",
        sa.Column("owner_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("challenge", sa.LargeBinary(), nullable=False),
        sa.Column("rp_id", sa.String(length=253), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("webauthn_challenge"),
        sa.PrimaryKeyConstraint("owner_hash", "purpose", name=op.f("pk_webauthn_challenge")),
    )
    op.create_index(op.f("ix_webauthn_challenge_user_id"), "webauthn_challenge", ["user_id"])
    op.create_table(
        "sign_in_throttle",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_sign_in_throttle")),
    )
    tables = (
        "mfa_totp, mfa_recovery_code, mfa_passkey, pending_sign_in, webauthn_challenge, "
        "sign_in_throttle"
    )
    # Every one of these rows is replaced or removed in normal use (a used challenge, a finished
    # sign-in, new recovery codes, a removed passkey), so the app role may delete them.
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO safehub_app")
    op.execute("GRANT USAGE, SELECT ON SEQUENCE mfa_recovery_code_id_seq TO safehub_app")
    op.execute("GRANT USAGE, SELECT ON SEQUENCE mfa_passkey_id_seq TO safehub_app")


def downgrade() -> None:
    for table in (
        "sign_in_throttle",
        "webauthn_challenge",
        "pending_sign_in",
        "mfa_passkey",
        "mfa_recovery_code",
        "mfa_totp",
    ):
        op.drop_table(table)
