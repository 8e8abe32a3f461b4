"""Metrics in the Prometheus text format, written by hand (no client library).

Two kinds of figures:

- per process, counted in memory by `MetricsMiddleware` (an outer middleware on updates):
  updates by type, handler latency, handler errors, and the webhook's refusals and repeats.
  With several instances each one is scraped and Prometheus sums them;
- shared, read from the database at scrape time with a few cheap COUNT queries: broadcast
  messages by state, reminders by state, bookings by status. They are right across any number
  of instances (every instance reports the same totals: aggregate them with max(), not sum()).

One `Metrics` object per dispatcher (`dispatcher["metrics"]`), never a module-level one.
"""

from __future__ import annotations

import logging
import math
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.types import TelegramObject, Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Booking, EventReminder, Outbox, Reminder

log = logging.getLogger(__name__)

# Handler latency buckets, seconds: 5 ms … 5 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Histogram:
    def __init__(self, buckets: Iterable[float]) -> None:
        self.bounds = tuple(sorted(buckets))
        self.counts = [0] * (len(self.bounds) + 1)  # the last one is +Inf
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        # bisect_left: a value equal to a bound belongs to that bucket (le = "less or equal").
        self.counts[bisect_left(self.bounds, value)] += 1
        self.sum += value
        self.count += 1


class Metrics:
    """This process's counters."""

    def __init__(self) -> None:
        self.started_at = time.time()
        self.updates: Counter[str] = Counter()  # by update type
        self.errors: Counter[str] = Counter()  # handler exceptions, by update type
        self.latency = Histogram(LATENCY_BUCKETS)
        self.last_update_at: datetime | None = None
        self.webhook_rejected = 0  # secret token missing or wrong: 401, not handled
        self.webhook_repeated = 0  # update_id already taken: 200, not handled again
        self.webhook_unavailable = 0  # the database could not record the update_id: 503


class MetricsMiddleware(BaseMiddleware):
    """Outer middleware on updates: counts them by type, times them, counts their errors.

    Registered after aiogram's ErrorsMiddleware, so a handler's exception passes through here
    before the errors router turns it into a handled update.
    """

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        metrics = self.metrics
        kind = _update_type(event)
        metrics.updates[kind] += 1
        metrics.last_update_at = datetime.now(UTC)
        started = time.perf_counter()
        try:
            return await handler(event, data)
        except Exception:
            metrics.errors[kind] += 1
            raise
        finally:
            metrics.latency.observe(time.perf_counter() - started)


def _update_type(event: TelegramObject) -> str:
    if not isinstance(event, Update):
        return "unknown"
    try:
        return event.event_type
    except Exception:  # an update type this aiogram does not know
        return "unknown"


def install_metrics(dispatcher: Dispatcher) -> Metrics:
    """Call before the other outer middlewares are added, so the latency covers them."""
    metrics = Metrics()
    dispatcher["metrics"] = metrics
    dispatcher.update.outer_middleware(MetricsMiddleware(metrics))
    return metrics


# ------------------------------------------------------------------------- from the database


async def database_counts(
    sessions: async_sessionmaker[AsyncSession],
) -> dict[str, dict[str, int]]:
    """Rows by state: four GROUP BY counts in one read transaction."""
    queries = {
        "outbox": select(Outbox.state, func.count()).group_by(Outbox.state),
        "reminders": select(Reminder.state, func.count()).group_by(Reminder.state),
        "event_reminders": select(EventReminder.state, func.count()).group_by(EventReminder.state),
        "bookings": select(Booking.status, func.count()).group_by(Booking.status),
    }
    counts: dict[str, dict[str, int]] = {}
    async with sessions() as session:
        for name, query in queries.items():
            rows = await session.execute(query)
            counts[name] = {str(state): int(count) for state, count in rows}
    return counts


# ------------------------------------------------------------------------- text format


class Exposition:
    """Builds the text format: one HELP and TYPE per family, then its samples."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")

    def sample(self, name: str, value: float, **labels: str) -> None:
        label_text = ""
        if labels:
            label_text = (
                "{" + ",".join(f'{key}="{_escape(val)}"' for key, val in labels.items()) + "}"
            )
        self.lines.append(f"{name}{label_text} {_number(value)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


def render(
    metrics: Metrics,
    counts: dict[str, dict[str, int]] | None,
    last_ticks: dict[str, datetime] | None = None,
) -> str:
    """The whole scrape. `counts` None: the database did not answer (bot_database_up 0)."""
    out = Exposition()
    out.family("bot_start_time_seconds", "gauge", "When this process started (Unix time).")
    out.sample("bot_start_time_seconds", metrics.started_at)

    out.family("bot_updates_total", "counter", "Updates received by this process, by type.")
    for kind, number in sorted(metrics.updates.items()):
        out.sample("bot_updates_total", number, type=kind)
    out.family("bot_update_errors_total", "counter", "Updates whose handler raised, by type.")
    for kind, number in sorted(metrics.errors.items()):
        out.sample("bot_update_errors_total", number, type=kind)

    name = "bot_update_duration_seconds"
    out.family(name, "histogram", "Time spent on an update: middlewares, filters, handler.")
    cumulative = 0
    for bound, number in zip(metrics.latency.bounds, metrics.latency.counts, strict=False):
        cumulative += number
        out.sample(f"{name}_bucket", cumulative, le=_number(bound))
    out.sample(f"{name}_bucket", metrics.latency.count, le="+Inf")
    out.sample(f"{name}_sum", metrics.latency.sum)
    out.sample(f"{name}_count", metrics.latency.count)

    if metrics.last_update_at is not None:
        out.family("bot_last_update_time_seconds", "gauge", "When the last update arrived.")
        out.sample("bot_last_update_time_seconds", metrics.last_update_at.timestamp())

    out.family(
        "bot_webhook_requests_refused_total",
        "counter",
        "Webhook requests not handled: bad secret (401), update already taken (200), "
        "database unavailable (503).",
    )
    out.sample("bot_webhook_requests_refused_total", metrics.webhook_rejected, reason="secret")
    out.sample("bot_webhook_requests_refused_total", metrics.webhook_repeated, reason="repeat")
    out.sample("bot_webhook_requests_refused_total", metrics.webhook_unavailable, reason="database")

    if last_ticks:
        out.family("bot_scheduler_last_tick_time_seconds", "gauge", "When each clock job last ran.")
        for job, at in sorted(last_ticks.items()):
            out.sample("bot_scheduler_last_tick_time_seconds", at.timestamp(), job=job)

    out.family("bot_database_up", "gauge", "1 when the database answered this scrape.")
    out.sample("bot_database_up", 0 if counts is None else 1)
    if counts is not None:
        shared = (
            ("bot_broadcast_messages", "outbox", "state", "Broadcast messages by state"),
            ("bot_reminders", "reminders", "state", "Consultation reminders by state"),
            ("bot_event_reminders", "event_reminders", "state", "Event reminders by state"),
            ("bot_bookings", "bookings", "status", "Consultation bookings by status"),
        )
        for metric, table, label, help_text in shared:
            out.family(metric, "gauge", f"{help_text} (all instances, from the database).")
            for state, number in sorted(counts.get(table, {}).items()):
                out.sample(metric, number, **{label: state})
    return out.text()
