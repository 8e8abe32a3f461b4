"""Metrics for Prometheus, through prometheus-client.

Two kinds of figures:

- per process, counted in memory by `MetricsMiddleware` (an outer middleware on updates):
  updates by type, handler latency, handler errors, and the webhook's refusals and repeats.
  With several instances each one is scraped and Prometheus sums them;
- shared, read from the database at scrape time with a few cheap COUNT queries: broadcast
  messages by state, reminders by state, bookings by status. They are right across any number
  of instances (every instance reports the same totals: aggregate them with max(), not sum()).

One `Metrics` object (with its own registry) per dispatcher (`dispatcher["metrics"]`), never a
module-level one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.types import TelegramObject, Update
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Booking, EventReminder, Outbox, Reminder

log = logging.getLogger(__name__)
disable_created_metrics()  # no *_created series: nothing here is reset without a restart

# Handler latency buckets, seconds: 5 ms … 5 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST
REFUSAL_REASONS = ("secret", "repeat", "database")


class Metrics:
    """This process's counters, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.started_at = time.time()
        self.last_update_at: datetime | None = None
        started = Gauge(
            "bot_start_time_seconds",
            "When this process started (Unix time).",
            registry=self.registry,
        )
        started.set(self.started_at)
        self.updates = Counter(
            "bot_updates",
            "Updates received by this process, by type.",
            ["type"],
            registry=self.registry,
        )
        self.errors = Counter(
            "bot_update_errors",
            "Updates whose handler raised, by type.",
            ["type"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bot_update_duration_seconds",
            "Time spent on an update: middlewares, filters, handler.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.last_update = Gauge(
            "bot_last_update_time_seconds", "When the last update arrived.", registry=self.registry
        )
        self.refused = Counter(
            "bot_webhook_requests_refused",
            "Webhook requests not handled: bad secret (401), update already taken (200), "
            "database unavailable (503).",
            ["reason"],
            registry=self.registry,
        )
        for reason in REFUSAL_REASONS:
            self.refused.labels(reason)

    def value(self, name: str, **labels: str) -> float:
        """One sample's current value (0 when it has none yet)."""
        return self.registry.get_sample_value(name, labels) or 0.0


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
        metrics.updates.labels(kind).inc()
        metrics.last_update_at = datetime.now(UTC)
        metrics.last_update.set(metrics.last_update_at.timestamp())
        started = time.perf_counter()
        try:
            return await handler(event, data)
        except Exception:
            metrics.errors.labels(kind).inc()
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


# ------------------------------------------------------------------------- the scrape


class _Snapshot(Collector):
    """What one scrape read: the database's shared counts and the clock's last ticks."""

    def __init__(
        self, counts: dict[str, dict[str, int]] | None, last_ticks: dict[str, datetime] | None
    ) -> None:
        self.counts = counts
        self.last_ticks = last_ticks

    def collect(self) -> Iterator[Metric]:
        if self.last_ticks:
            ticks = GaugeMetricFamily(
                "bot_scheduler_last_tick_time_seconds",
                "When each clock job last ran.",
                labels=["job"],
            )
            for job, at in sorted(self.last_ticks.items()):
                ticks.add_metric([job], at.timestamp())
            yield ticks
        yield GaugeMetricFamily(
            "bot_database_up",
            "1 when the database answered this scrape.",
            value=0 if self.counts is None else 1,
        )
        if self.counts is None:
            return
        shared = (
            ("bot_broadcast_messages", "outbox", "state", "Broadcast messages by state"),
            ("bot_reminders", "reminders", "state", "Consultation reminders by state"),
            ("bot_event_reminders", "event_reminders", "state", "Event reminders by state"),
            ("bot_bookings", "bookings", "status", "Consultation bookings by status"),
        )
        for name, table, label, help_text in shared:
            family = GaugeMetricFamily(
                name, f"{help_text} (all instances, from the database).", labels=[label]
            )
            for state, number in sorted(self.counts.get(table, {}).items()):
                family.add_metric([state], number)
            yield family


def render(
    metrics: Metrics,
    counts: dict[str, dict[str, int]] | None,
    last_ticks: dict[str, datetime] | None = None,
) -> str:
    """The whole scrape. `counts` None: the database did not answer (bot_database_up 0)."""
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(_Snapshot(counts, last_ticks))
    return (generate_latest(metrics.registry) + generate_latest(scrape)).decode()
