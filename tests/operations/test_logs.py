"""Logs as JSON (``SAFEHUB_LOG_FORMAT=json``): every line of a request carries its request id,
one access line per request names the route template and never the query sent."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request

from safehub.config import SettingsError, load_settings
from safehub.db.database import Database
from safehub.logs import configure_logging
from safehub.web.app import create_app


@pytest.fixture
def logs_as() -> Iterator[Callable[[str], io.StringIO]]:
    """``logs_as("json")``: the process's logs configured so, into a string; put back after."""
    root, ours = logging.getLogger(), logging.getLogger("safehub")
    access = logging.getLogger("safehub.access")
    saved = (list(root.handlers), root.level, ours.level, access.level)

    def configure(log_format: str) -> io.StringIO:
        stream = io.StringIO()
        configure_logging(log_format, stream=stream)
        return stream

    yield configure
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])
    ours.setLevel(saved[2])
    access.setLevel(saved[3])


@pytest.fixture
def json_logs(logs_as: Callable[[str], io.StringIO]) -> io.StringIO:
    return logs_as("json")


def _crashing_app(db: Database) -> FastAPI:
    app = create_app(db)

    async def crash(request: Request) -> None:
        logging.getLogger("safehub.test").warning("about to fail")
        raise RuntimeError("a bug")

    app.add_route("/crash-for-test", crash)
    return app


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_has_one_json_access_line_with_its_id_and_route_template(
    app_db: Database, json_logs: io.StringIO
) -> None:
    with TestClient(create_app(app_db), base_url="https://testserver") as client:
        answer = client.get("/people?name=Jane+Doe&dob=2011-03-04", follow_redirects=False)
    access = [line for line in _lines(json_logs) if line["logger"] == "safehub.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == answer.headers["X-Request-Id"]
    assert access[0]["method"] == "GET" and access[0]["status"] == answer.status_code
    assert access[0]["route"] == "/people"
    assert isinstance(access[0]["duration_ms"], float)
    assert "Jane" not in json_logs.getvalue() and "2011" not in json_logs.getvalue()


def test_a_line_logged_inside_a_request_and_its_crash_carry_the_id_the_user_is_shown(
    app_db: Database, json_logs: io.StringIO
) -> None:
    with TestClient(
        _crashing_app(app_db), base_url="https://testserver", raise_server_exceptions=False
    ) as client:
        page = client.get("/crash-for-test")
    assert page.status_code == 500
    lines = _lines(json_logs)
    inside = next(line for line in lines if line["message"] == "about to fail")
    crashed = next(line for line in lines if line["logger"] == "safehub.http")
    request_id = inside["request_id"]
    assert isinstance(request_id, str) and len(request_id) == 12
    assert crashed["request_id"] == request_id and request_id in page.text
    assert "RuntimeError: a bug" in str(crashed["exception"])
    assert crashed["level"] == "ERROR"


def test_text_logs_have_the_request_id_in_brackets_and_no_access_lines(
    app_db: Database, logs_as: Callable[[str], io.StringIO]
) -> None:
    stream = logs_as("text")
    with TestClient(_crashing_app(app_db), raise_server_exceptions=False) as client:
        client.get("/healthz")
        page = client.get("/crash-for-test")
    text = stream.getvalue()
    inside = next(line for line in text.splitlines() if "about to fail" in line)
    request_id = inside.split("[", 1)[1].split("]", 1)[0]
    assert len(request_id) == 12 and request_id in page.text
    assert "safehub.access" not in text and "/healthz" not in text


def test_an_unknown_log_format_is_refused_naming_the_variable_and_the_choices() -> None:
    with pytest.raises(SettingsError, match="SAFEHUB_LOG_FORMAT must be one of text, json"):
        load_settings({"SAFEHUB_LOG_FORMAT": "xml"})
    assert load_settings({"SAFEHUB_LOG_FORMAT": "json"}).log_format == "json"
