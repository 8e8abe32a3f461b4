"""The scheduler only ticks: the work itself is claimed from database rows.

APScheduler's own job store pickles arguments and cannot be shared by two processes, so no
work lives in it; every job here is safe to run in several instances at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import App, extend_slots
from services.booking.reminders import ReminderService
from services.events.reminders import EventReminderService
from services.housekeeping import Housekeeping
from services.messengers.ids import Messenger
from services.notices.queue import NoticeWorker
from services.people.privacy import sweep_expired
from services.waitlists.enrolment import EnrolReminderWorker
from services.waitlists.notices import WaitNoticeWorker

log = logging.getLogger(__name__)
Job = Callable[[], Awaitable[object]]
HOUSEKEEPING_EVERY_SECONDS = 24 * 3600  # and once at start
# A notice from the other messenger's process waits at most this long (one indexed query).
NOTICES_EVERY_SECONDS = 3


class Ticker:
    """Runs a few coroutines on intervals; one at a time each, errors logged, never raised."""

    def __init__(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.last_tick: dict[str, datetime] = {}
        self._running: set[asyncio.Task[None]] = set()

    def every(self, name: str, seconds: float, job: Job) -> None:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            except Exception:
                log.exception("job %s failed", name)
            finally:
                self._running.discard(task)  # type: ignore[arg-type]
            self.last_tick[name] = datetime.now(UTC)

        self.scheduler.add_job(
            run,
            IntervalTrigger(seconds=seconds),
            id=name,
            max_instances=1,
            coalesce=True,
            # A tick due while start-up was still busy (set_commands, a loaded machine) runs
            # late rather than not at all: APScheduler's default skips it after 1 s.
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )

    def start(self) -> None:
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop ticking; jobs under way go on (see `stop` to wait for them)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop ticking and let the jobs under way finish (a send, a claim), then return.

        Paused first, shut down last: APScheduler's AsyncIOExecutor.shutdown CANCELS the jobs
        still running, which would cut a send between "sending" and "sent" and leave that
        reminder or letter uncertain (never repeated, so lost). Only a job that outlives the
        timeout is cancelled.
        """
        if self.scheduler.running:
            self.scheduler.pause()  # no new runs; the ones under way go on
        if self._running:
            await asyncio.wait(set(self._running), timeout=timeout)
        self.shutdown()


def build_ticker(  # type: ignore[no-untyped-def]
    app: App,
    deliver_reminder,
    broadcasts=None,
    deliver_event_reminder=None,
    messenger: Messenger | None = None,
    waitlists=None,
    deliver_notice=None,
) -> Ticker:
    """`broadcasts`: (engine, sender, progress reporter), when this process sends them;
    `waitlists`: bot/notify/waitlists.py's WaitlistNotices; `deliver_notice`: the notice
    queue's sender (bot/notify/notices.py), for notices queued by the other messenger's
    process. Reminders and notices are claimed for `messenger`'s people only (the process's
    bot reaches no others; by default the messenger of the settings)."""
    ticker = Ticker()
    messenger = messenger or app.settings.messenger
    reminders = ReminderService(app.write_sessions, messenger=messenger)
    ticker.every("reminders", 30, lambda: reminders.run_due(deliver_reminder))
    if deliver_event_reminder is not None:
        event_reminders = EventReminderService(app.write_sessions, messenger=messenger)
        ticker.every("event-reminders", 30, lambda: event_reminders.run_due(deliver_event_reminder))
    if deliver_notice is not None:
        notices = NoticeWorker(app.write_sessions, messenger=messenger)
        ticker.every("notices", NOTICES_EVERY_SECONDS, lambda: notices.run_due(deliver_notice))
    if waitlists is not None:
        add_waitlist_jobs(ticker, app, waitlists, messenger)
    ticker.every("slots", 6 * 3600, lambda: extend_slots(app))
    retention = app.settings.retention
    housekeeping = Housekeeping(
        app.write_sessions,
        keep_days=retention.housekeeping_days,
        booking_days=retention.booking_days,
        message_hours=retention.conversation_hours,
        demand_days=retention.demand_days,
    )
    ticker.every("housekeeping", HOUSEKEEPING_EVERY_SECONDS, housekeeping.run)
    hours = app.settings.retention.conversation_hours
    ticker.every("expired-data", 3600, lambda: sweep_expired(app.write_sessions, hours))
    if broadcasts is not None:
        engine, sender, progress = broadcasts
        ticker.every("broadcasts", 2, lambda: engine.run_for(sender, seconds=30))
        ticker.every("broadcast-progress", 1, progress.update)
    return ticker


def add_waitlist_jobs(  # type: ignore[no-untyped-def]
    ticker: Ticker, app: App, notices, messenger: Messenger | None = None
) -> None:
    """Releasing the people whose seat or time has come, telling them (`messenger`'s people),
    and the reminders on the day enrolment opens: every job reads and moves rows only (safe in
    several instances). By default the people of the settings' messenger."""
    messenger = messenger or app.settings.messenger
    wait_notices = WaitNoticeWorker(app.write_sessions, messenger=messenger)
    settings = app.settings.waitlist
    enrolment = EnrolReminderWorker(
        app.write_sessions, app.settings.zone, settings.remind_hour, messenger=messenger
    )
    ticker.every("waitlist-release", 30, app.waitlists.release)
    ticker.every("waitlist-notices", 15, lambda: wait_notices.run_due(notices.deliver_wait))
    ticker.every("enrol-reminders", 60, lambda: enrolment.run_due(notices.deliver_enrolment))
