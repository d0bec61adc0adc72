"""One validated settings object, built at start-up from the environment and passed down."""

from __future__ import annotations

import os
import secrets
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_REPO_ROOT = Path(__file__).resolve().parents[2]
_DEV_ENVIRONMENTS = frozenset({"development", "demo", "test"})
LOG_FORMATS = ("text", "json")
WITNESS_KINDS = ("file", "syslog", "command")
SYSLOG_PORT = 514
DEFAULT_MAX_IN_FLIGHT = 12
DEFAULT_QUEUE_WAIT_MS = 1000


class SettingsError(ValueError):
    """The environment does not describe a safe, working configuration."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None
    app_database_url: str | None
    data_dir: Path
    environment: str
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8000
    public_port: int = 8001
    # True when development made up ``secret_key`` for this process (no SAFEHUB_SECRET_KEY):
    # secrets sealed at rest then use a key kept in the data folder instead (db.secrets_at_rest).
    secret_key_generated: bool = False
    # A bearer token for /metrics (None: only scrapes from this machine, not through a proxy).
    metrics_token: str | None = None
    # How the long-running processes write their logs: "text" or "json" (safehub.logs).
    log_format: str = "text"
    # External witnesses every audit anchor is also sent to (SAFEHUB_AUDIT_WITNESS), as
    # (kind, target) pairs: ("file", "/mnt/witness/safehub.log"), ("syslog", "/dev/log" or
    # "loghost:514"), ("command", "/usr/local/bin/ship-anchor --bucket b"). See safehub.audit.witness.
    audit_witnesses: tuple[tuple[str, str], ...] = ()
    # Load shedding in the staff app (safehub.http.shedding, whose defaults these repeat):
    # requests one process answers at once, and how long one more waits for a place before a 503.
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT
    queue_wait_ms: int = DEFAULT_QUEUE_WAIT_MS

    @property
    def embedded(self) -> bool:
        return not self.database_url

    @property
    def is_development(self) -> bool:
        return self.environment in _DEV_ENVIRONMENTS


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read SAFEHUB_* and DATABASE_URL; refuse a missing secret outside development."""
    env = dict(os.environ if env is None else env)
    environment = env.get("SAFEHUB_ENV", "development")
    secret = env.get("SAFEHUB_SECRET_KEY", "")
    generated = not secret
    if not secret:
        if environment not in _DEV_ENVIRONMENTS:
            raise SettingsError(
                "SAFEHUB_SECRET_KEY is not set: a production deployment needs its own secret "
                "(at least 32 random characters)"
            )
        # A fresh secret per process in development: sessions simply end at restart.
        secret = secrets.token_urlsafe(32)
    elif len(secret) < 32 and environment not in _DEV_ENVIRONMENTS:
        raise SettingsError("SAFEHUB_SECRET_KEY must be at least 32 characters")
    metrics_token = env.get("SAFEHUB_METRICS_TOKEN") or None
    if metrics_token is not None and len(metrics_token) < 32:
        raise SettingsError("SAFEHUB_METRICS_TOKEN must be at least 32 characters")
    log_format = env.get("SAFEHUB_LOG_FORMAT") or "text"
    if log_format not in LOG_FORMATS:
        raise SettingsError(
            f"SAFEHUB_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)} (got {log_format!r})"
        )
    witnesses = parse_witnesses(env.get("SAFEHUB_AUDIT_WITNESS", ""))
    data_dir = Path(env.get("SAFEHUB_DATA_DIR") or _REPO_ROOT / ".safehub-data").resolve()
    return Settings(
        database_url=env.get("DATABASE_URL") or None,
        app_database_url=env.get("SAFEHUB_APP_DATABASE_URL") or None,
        data_dir=data_dir,
        environment=environment,
        secret_key=secret,
        host=env.get("SAFEHUB_HOST", "127.0.0.1"),
        port=_port(env, "SAFEHUB_PORT", 8000),
        public_port=_port(env, "SAFEHUB_PUBLIC_PORT", 8001),
        secret_key_generated=generated,
        metrics_token=metrics_token,
        log_format=log_format,
        audit_witnesses=witnesses,
        max_in_flight=_whole(env, "SAFEHUB_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT, least=1),
        queue_wait_ms=_whole(env, "SAFEHUB_QUEUE_WAIT_MS", DEFAULT_QUEUE_WAIT_MS, least=0),
    )


def parse_witnesses(raw: str) -> tuple[tuple[str, str], ...]:
    """SAFEHUB_AUDIT_WITNESS: witnesses separated by ``;``, each ``file:/absolute/path``,
    ``syslog:`` (the local /dev/log), ``syslog:/path/to/socket``, ``syslog://host[:port]``
    (UDP, port 514 by default) or ``command:program args`` (run without a shell)."""
    return tuple(_witness(part.strip()) for part in raw.split(";") if part.strip())


def _witness(spec: str) -> tuple[str, str]:
    kind, colon, target = spec.partition(":")
    if not colon or kind not in WITNESS_KINDS:
        raise SettingsError(
            f"SAFEHUB_AUDIT_WITNESS: {spec!r} is not a witness; write file:/path, syslog:, "
            "syslog://host:port or command:program (several separated by ';')"
        )
    if kind == "file":
        if not target.startswith("/"):
            raise SettingsError(
                f"SAFEHUB_AUDIT_WITNESS: {spec!r} needs an absolute path (file:/mnt/witness/x.log)"
            )
        return kind, target
    if kind == "command":
        try:
            words = shlex.split(target)
        except ValueError as error:
            raise SettingsError(f"SAFEHUB_AUDIT_WITNESS: {spec!r}: {error}") from None
        if not words:
            raise SettingsError(f"SAFEHUB_AUDIT_WITNESS: {spec!r} names no program")
        return kind, target
    return kind, _syslog_target(spec, target)


def _syslog_target(spec: str, target: str) -> str:
    if not target:
        return "/dev/log"
    if target.startswith("/") and not target.startswith("//"):
        return target
    try:
        parts = urlsplit(target)
        port = parts.port or SYSLOG_PORT
    except ValueError:
        parts, port = None, 0
    if parts is None or not parts.hostname or parts.path not in ("", "/"):
        raise SettingsError(
            f"SAFEHUB_AUDIT_WITNESS: {spec!r} is not a syslog address; write syslog: (this "
            "machine's /dev/log), syslog:/path/to/socket or syslog://loghost:514"
        )
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{port}"


def _whole(env: dict[str, str], name: str, default: int, *, least: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < least:
        raise SettingsError(f"{name} must be a whole number of at least {least} (got {raw!r})")
    return int(raw)


def _port(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"{name} must be a port number from 1 to 65535 (got {raw!r})")
    return int(raw)
