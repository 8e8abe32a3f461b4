"""/healthz and /metrics over HTTP, in both modes.

- `GET /healthz`: JSON {status, database, scheduler: {running, jobs: {name: {last_tick_age_seconds,
  interval_seconds, ok}}}, last_update_at}; HTTP 200 when the database answers `SELECT 1`
  and every clock job ran within its interval plus a few minutes, else 503. A job that has not
  run yet is measured from the moment this checker was created (the process start).
- `GET /metrics`: the Prometheus text format (see `bot.metrics`).

Webhook mode serves both on the webhook listener; polling mode on METRICS_HOST:METRICS_PORT
when METRICS_PORT is not 0 (and webhook mode there too, if set).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.app import App
from bot.clock import Ticker
from bot.metrics import CONTENT_TYPE, Metrics, database_counts, render

log = logging.getLogger(__name__)

# A job is late when it has not run for its interval plus this long.
TICK_GRACE_SECONDS = 180.0
DATABASE_TIMEOUT_SECONDS = 3.0


class Observability:
    """What /healthz and /metrics look at: the database, the clock and this process's counters."""

    def __init__(self, app: App, metrics: Metrics, ticker: Ticker | None) -> None:
        self.app = app
        self.metrics = metrics
        self.ticker = ticker
        self.created_at = datetime.now(UTC)

    # ------------------------------------------------------------------ checks

    async def database_ok(self) -> str:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
                async with self.app.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except (TimeoutError, SQLAlchemyError, OSError) as exc:
            log.warning("health: the database did not answer: %s", type(exc).__name__)
            return f"error: {type(exc).__name__}"
        return "ok"

    def scheduler_state(self) -> tuple[bool, dict[str, Any]]:
        ticker = self.ticker
        if ticker is None:
            return True, {"running": False, "jobs": {}}
        running = bool(ticker.scheduler.running)
        now = datetime.now(UTC)
        jobs: dict[str, Any] = {}
        healthy = running
        for job in ticker.scheduler.get_jobs():
            interval = getattr(job.trigger, "interval", None)
            interval_seconds = interval.total_seconds() if interval is not None else None
            last = ticker.last_tick.get(job.id)
            age = (now - (last or self.created_at)).total_seconds()
            ok = interval_seconds is None or age <= interval_seconds + TICK_GRACE_SECONDS
            healthy = healthy and ok
            jobs[job.id] = {
                "last_tick_age_seconds": round(age, 1) if last is not None else None,
                "interval_seconds": interval_seconds,
                "ok": ok,
            }
        return healthy, {"running": running, "jobs": jobs}

    # ------------------------------------------------------------------ HTTP

    async def healthz(self, request: web.Request) -> web.Response:
        database = await self.database_ok()
        scheduler_ok, scheduler = self.scheduler_state()
        healthy = database == "ok" and scheduler_ok
        last = self.metrics.last_update_at
        body = {
            "status": "ok" if healthy else "fail",
            "database": database,
            "scheduler": scheduler,
            "last_update_at": last.isoformat() if last is not None else None,
        }
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics_text(self) -> str:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
                counts = await database_counts(self.app.sessions)
        except (TimeoutError, SQLAlchemyError, OSError) as exc:
            log.warning("metrics: the database did not answer: %s", type(exc).__name__)
            counts = None
        ticks = dict(self.ticker.last_tick) if self.ticker is not None else None
        return render(self.metrics, counts, ticks)

    async def metrics_page(self, request: web.Request) -> web.Response:
        body = await self.metrics_text()
        return web.Response(body=body.encode(), headers={"Content-Type": CONTENT_TYPE})

    def add_routes(self, web_app: web.Application) -> None:
        web_app.router.add_get("/healthz", self.healthz)
        web_app.router.add_get("/metrics", self.metrics_page)


class MetricsServer:
    """/healthz and /metrics alone on their own listener (polling mode, METRICS_PORT)."""

    def __init__(self, observability: Observability, host: str, port: int) -> None:
        web_app = web.Application()
        observability.add_routes(web_app)
        self.runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=5.0)
        self.host, self.port = host, port
        self.url = ""

    async def start(self) -> str:
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.host, self.port)
        await site.start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        log.info("health and metrics at %s/healthz and %s/metrics", self.url, self.url)
        return self.url

    async def stop(self) -> None:
        if self.runner.server is not None:
            await self.runner.cleanup()
