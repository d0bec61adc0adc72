"""Logs a machine can read: one JSON object a line (``SAFEHUB_LOG_FORMAT=json``) or plain text,
each line carrying the id of the request it belongs to, the id the error page shows the user.

Pure (the standard library only), so that every process configures its logs the same way: the
web apps, the public app and the job worker (``safehub serve``, ``serve-public``, ``jobs worker``).
The request id lives in a context variable that ``http.security`` sets where the id is made, so
every line written while a request is answered, in any module or thread, carries it.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

request_id_var: ContextVar[str] = ContextVar("safehub_request_id", default="")

# What an access line adds to the message (``extra=`` of the log call, ``http.access``).
ACCESS_FIELDS = ("method", "route", "status", "duration_ms")
_TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, the access
    fields when present, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(log_format: str, *, stream: TextIO | None = None) -> logging.Handler:
    """Send every log record to stderr (or ``stream``) as ``log_format`` ("json" or "text"):
    ours from INFO up, everyone else's from WARNING. The access lines (one per request) only in
    JSON, which a machine reads; in text, a person at a terminal sees what went wrong."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(_TEXT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("safehub").setLevel(logging.INFO)
    access = logging.INFO if log_format == "json" else logging.WARNING
    logging.getLogger("safehub.access").setLevel(access)
    return handler
