"""``GET /healthz``: the database, the sources' last polls and the outbox backlog, as JSON.

Served by tornado (PTB's webhook server, already a dependency) on its own local port, in
both run modes, for a supervisor or a load balancer to probe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

import tornado.netutil
import tornado.web
from tornado.httpserver import HTTPServer

from bot.startup_errors import StartupError
from briefing.urls import shown_url
from storage.stats import StatsRepository
from storage.store import Store
from storage.timestamps import to_db

logger = logging.getLogger(__name__)
HEALTH_PATH = "/healthz"


@dataclass(frozen=True, slots=True)
class HealthCheck:
    """What /healthz reads: the open store (``None`` or raising when there is none), the
    clock, and the oldest a pending outbox message may be while the bot counts as healthy."""

    store: Callable[[], Store | None]
    clock: Callable[[], datetime]
    max_backlog_seconds: float

    async def report(self) -> tuple[int, dict[str, Any]]:
        """The HTTP status and the JSON body of one probe."""
        try:
            store = self.store()
            if store is None:
                raise RuntimeError("the database is not open")
            stats = StatsRepository(store.database)
            schema = await stats.ping()
            sources = await stats.sources()
            backlog = await stats.backlog()
        except Exception as error:  # any failure to read is "unreachable", told in one line
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            return HTTPStatus.SERVICE_UNAVAILABLE, {
                "status": "unhealthy",
                "problems": [f"database unreachable: {reason}"],
                "database": {"reachable": False},
            }
        now = self.clock()
        age = (now - backlog.oldest).total_seconds() if backlog.oldest is not None else None
        problems = []
        if age is not None and age > self.max_backlog_seconds:
            problems.append(
                f"outbox backlog: the oldest pending message waits {age:.0f} s"
                f" (over {self.max_backlog_seconds:.0f} s)"
            )
        body = {
            "status": "unhealthy" if problems else "ok",
            "problems": problems,
            "database": {"reachable": True, "schema_version": schema},
            "sources": [
                {"id": s.id, "url": shown_url(s.url), "last_success": to_db(s.last_success)}
                for s in sources
            ],
            "outbox": {
                "pending": backlog.pending,
                "oldest_pending_age_seconds": round(age, 1) if age is not None else None,
            },
        }
        status = HTTPStatus.SERVICE_UNAVAILABLE if problems else HTTPStatus.OK
        return status, body


class _HealthHandler(tornado.web.RequestHandler):
    def initialize(self, check: HealthCheck) -> None:
        self._check = check

    async def get(self) -> None:
        status, body = await self._check.report()
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)  # tornado writes a dict as JSON

    def log_exception(self, *args: Any) -> None:
        logger.warning("health probe failed: %s", args[1] if len(args) > 1 else "unknown")


def health_app(check: HealthCheck) -> tornado.web.Application:
    """The tornado application serving ``/healthz`` (and nothing else: 404)."""
    return tornado.web.Application(
        [(HEALTH_PATH, _HealthHandler, {"check": check})], log_function=_quiet
    )


def start_health_server(check: HealthCheck, address: str, port: int) -> tuple[HTTPServer, int]:
    """Listen on ``address:port`` (0: any free port) on the running loop; the server and
    the port it got."""
    server = HTTPServer(health_app(check), xheaders=False)
    try:
        sockets = tornado.netutil.bind_sockets(port, address)
    except OSError as error:
        raise StartupError(
            f"BRIEFBOT_HEALTH_PORT: cannot listen on {address}:{port} ({error.strerror})"
        ) from None
    server.add_sockets(sockets)
    bound = int(sockets[0].getsockname()[1])
    logger.info("health check on http://%s:%s%s", address, bound, HEALTH_PATH)
    return server, bound


async def stop_health_server(server: HTTPServer) -> None:
    """Stop listening and close the open connections."""
    server.stop()
    await server.close_all_connections()


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """Probes come every few seconds: log only the ones that are not healthy, at DEBUG."""
    if handler.get_status() != HTTPStatus.OK:
        logger.debug("health probe answered %s", handler.get_status())
