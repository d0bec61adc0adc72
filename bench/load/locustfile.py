"""Practitioners using the staff app, for locust (`bench/load_bench.py` runs it headless).

Each simulated user signs in once as an account of its own (password, then the second factor with
the demo's authenticator secret; a code is accepted once per account, so users never share one),
then does what a practitioner does, weighted towards the case page: opens a case, their home page
and inbox, searches for a person by name, opens a person's page and reads the alerts. Pages are
named by route template, so that locust's statistics are per page, not per identifier.

The targets (accounts, case ids, people, names to search) come from the JSON file named by
``SAFEHUB_LOAD_TARGETS``, written by the runner from the database it serves.

The users are locust's ``FastHttpUser`` (geventhttpclient), not ``HttpUser`` (requests): locust
runs on the same two cores as the app and PostgreSQL, and the requests client cost several times
the CPU per request. What is measured is the same: each page's time until its whole body has
arrived, no retries, redirects not followed, the same cookies and form posts.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from typing import Any

import pyotp
from locust import between
from locust.contrib.fasthttp import FastHttpUser

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TARGETS: dict[str, Any] = json.loads(open(os.environ["SAFEHUB_LOAD_TARGETS"]).read())  # noqa: SIM115
# One account per user, in the order users start (the roles in turn); each user stays on one
# staff-app process (sticky, as behind a proxy), the processes taken in turn.
_ACCOUNTS = itertools.cycle(TARGETS["accounts"])
_HOSTS = itertools.cycle(os.environ.get("SAFEHUB_LOAD_HOSTS", "").split(",") or [""])
# Journeys left out of a run (``SAFEHUB_LOAD_SKIP=search``): to measure the others without one
# known to be slow; the runner writes what it left out beside the figures.
SKIP = frozenset(filter(None, os.environ.get("SAFEHUB_LOAD_SKIP", "").split(",")))
SIGN_IN_TRIES = 20


class Practitioner(FastHttpUser):
    """A social worker, police investigator or analyst on a case team."""

    wait_time = between(1, 3)
    # As the requests client had it: a slow answer is measured, not cut off at 60 s.
    network_timeout = 300.0
    connection_timeout = 300.0

    def on_start(self) -> None:
        self.username = next(_ACCOUNTS)
        host = next(_HOSTS)
        if host:
            self.client.base_url = host
        # A person told the service is busy waits as it says and tries again.
        for _ in range(SIGN_IN_TRIES):
            if self.sign_in():
                return
            time.sleep(self.retry_after)

    def sign_in(self) -> bool:
        """Both steps; False when a step was refused (busy), to be tried again."""
        self.retry_after = 5.0
        with self.client.post(
            "/sign-in",
            data={"username": self.username, "password": TARGETS["password"]},
            allow_redirects=False,
            name="sign in: password",
            catch_response=True,
        ) as first:
            if first.status_code != 303 or (first.headers or {}).get("location") != "/sign-in/code":
                first.failure(f"password step answered {first.status_code}")
                self._note_retry(first)
                return False
        self._keep_cookies()
        with self.client.get(
            "/sign-in/code", name="sign in: code page", catch_response=True
        ) as page:
            token = CSRF.search(page.text or "")
            if page.status_code != 200 or token is None:
                page.failure(f"code page answered {page.status_code}")
                self._note_retry(page)
                return False
        code = pyotp.TOTP(TARGETS["totp_secret"]).now()
        with self.client.post(
            "/sign-in/code",
            data={"csrf_token": token.group(1), "code": code},
            allow_redirects=False,
            name="sign in: code",
            catch_response=True,
        ) as done:
            if done.status_code != 303:
                done.failure(f"code step answered {done.status_code}")
                self._note_retry(done)
                return False
        self._keep_cookies()
        return True

    def _note_retry(self, answer: Any) -> None:
        """Wait as a refusal's ``Retry-After`` says (a cut-off request has no headers)."""
        header = (answer.headers or {}).get("retry-after")
        if header and header.isdigit():
            self.retry_after = float(header)

    def _keep_cookies(self) -> None:
        """The app's cookies are ``Secure``; here they travel over plain HTTP on loopback (no TLS
        in front), where a browser would send them to localhost but this client would not."""
        for cookie in self.client.cookiejar:
            cookie.secure = False

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    def case_page(self) -> None:
        self._page(f"/cases/{random.choice(TARGETS['cases'])}", "/cases/{case_id}")

    def home(self) -> None:
        self._page("/", "/")

    def inbox(self) -> None:
        self._page("/inbox", "/inbox")

    def search(self) -> None:
        name = random.choice(TARGETS["names"])
        self._page(f"/people?name={name}", "/people?name=")

    def person_page(self) -> None:
        self._page(f"/people/{random.choice(TARGETS['people'])}", "/people/{person_id}")

    def alerts(self) -> None:
        self._page("/alerts", "/alerts")

    # How often each journey is chosen: the case page most.
    tasks = {  # noqa: RUF012 (locust's own attribute)
        journey: weight
        for journey, weight in (
            (case_page, 8), (home, 2), (inbox, 2), (search, 2), (person_page, 3), (alerts, 1)
        )
        if journey.__name__ not in SKIP
    }  # fmt: skip
