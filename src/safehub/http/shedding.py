"""Load shedding: a process answers at most so many requests at once, and refuses the rest quickly.

Without a limit, a burst past what the machine can do queues every request behind every other:
each gets slower until all of them time out, and the database pool runs dry with a 500. With it, a
request waits a short while for a place (``queue_wait`` seconds); if none frees up it is answered
at once with 503 and ``Retry-After``, without touching the database, and the requests already
admitted keep their speed. Health probes, ``/metrics`` and static files are never refused: a busy
process is not a dead one, and an operator must be able to see why it is busy.

The limit is per process (``SAFEHUB_MAX_IN_FLIGHT``): run several processes to serve more.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

# The defaults of SAFEHUB_MAX_IN_FLIGHT and SAFEHUB_QUEUE_WAIT_MS (``safehub.config`` repeats
# them: it imports nothing of ours). The app's database pool keeps this many connections open,
# with 10 more to overflow (``safehub.db.database.connect``), so that an admitted request does not
# queue again for a connection, nor open a new one.
DEFAULT_LIMIT = 12
DEFAULT_QUEUE_WAIT_MS = 1000
# Seconds a refused client is told to wait before trying again.
RETRY_AFTER_SECONDS = 5
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
EXEMPT_PREFIXES = ("/static/", "/assets/")
# Why a request was shed, as counted in /metrics.
BUSY = "busy"  # the process had its limit of requests in flight
DATABASE = "database"  # no database connection could be had (pool timeout, server full)


class LoadShedder:
    """The places of one process: at most ``limit`` requests in flight, later ones wait up to
    ``queue_wait`` seconds in arrival order for a place to free up. Everything runs on the
    server's event loop, so plain counters need no lock; waiters are futures of the loop that
    created them, so one shedder may outlive an event loop (as in tests)."""

    def __init__(self, limit: int, queue_wait: float) -> None:
        if limit < 1:
            raise ValueError("the limit of requests in flight must be at least 1")
        self.limit = limit
        self.queue_wait = max(queue_wait, 0.0)
        self.in_flight = 0
        self.shed: Counter[str] = Counter()
        self._waiting: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> bool:
        """True when the request may go on (it must then ``release``), False to refuse it."""
        if self.in_flight < self.limit and not self._waiting:
            self.in_flight += 1
            return True
        if self.queue_wait == 0:
            return False
        place = asyncio.get_running_loop().create_future()
        self._waiting.append(place)
        try:
            await asyncio.wait({place}, timeout=self.queue_wait)
        except asyncio.CancelledError:
            self._give_up(place)
            raise
        if place.done():  # ``release`` handed its place on (possibly just as the wait ended)
            return True
        self._give_up(place)
        return False

    def release(self) -> None:
        """Hand the place to the longest waiting request, or free it."""
        while self._waiting:
            place = self._waiting.popleft()
            if not place.done():
                place.set_result(None)
                return
        self.in_flight -= 1

    def _give_up(self, place: asyncio.Future[None]) -> None:
        if place.done() and not place.cancelled():
            self.release()  # a place was handed over but nobody will use it
            return
        place.cancel()
        if place in self._waiting:
            self._waiting.remove(place)

    def note_shed(self, reason: str) -> None:
        self.shed[reason] += 1


def exempt(path: str) -> bool:
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


class SheddingMiddleware:
    """ASGI middleware admitting a request through ``shedder`` or answering it with ``refuse``."""

    def __init__(
        self, app: ASGIApp, shedder: LoadShedder, refuse: Callable[[Request], Response]
    ) -> None:
        self.app = app
        self.shedder = shedder
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        if not await self.shedder.acquire():
            self.shedder.note_shed(BUSY)
            await self.refuse(Request(scope, receive))(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.shedder.release()
