"""The waitlist part of the demand report (services/waitlists/demand.py), the demo queues and
dates, and a notice that failed (a blocked bot): its seat goes to the next in line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clock import Clock
from sqlalchemy import func, select
from waitlist_kit import a_programme, entries, no_demo_queues

from db.models import Programme, User, WaitlistEntry
from services.due_rows import Outcome
from services.waitlists.demand import waitlist_demand
from services.waitlists.demo import DEMO_USERS
from services.waitlists.entries import Joined, WaitlistService
from services.waitlists.notices import WaitNoticeWorker


async def test_lengths_and_waiting_times_over_a_period(any_app):
    app = any_app
    await no_demo_queues(app)
    programme_id = await a_programme(app, free=0)
    start = datetime.now(UTC)
    clock = Clock(start)
    service = WaitlistService(app.sessions, app.write_sessions, app.booking, clock=clock)
    for user_id in (1, 2, 3):
        await app.profiles.get_or_create(user_id, "ru")
        assert await service.join_programme(user_id, programme_id, "ru") is Joined.JOINED
    clock.moment = start + timedelta(hours=30)
    await app.catalog.set_free_seats(programme_id, 1)
    await service.release()
    told = []

    async def deliver(notice) -> Outcome:
        told.append(notice.user_id)
        return Outcome.SENT

    await WaitNoticeWorker(app.write_sessions, clock).run_due(deliver)
    assert told == [1]
    (row,) = await waitlist_demand(app.sessions, start - timedelta(days=1), start + timedelta(2))
    name = (await app.catalog.programme(programme_id)).name
    assert (row.kind, row.title, row.waiting, row.joined, row.told) == ("programme", name, 2, 3, 1)
    assert row.median_wait_hours == 30.0 and row.max_wait_hours == 30.0
    # A period before any of it: only the queue as it stands.
    (old,) = await waitlist_demand(app.sessions, start - timedelta(9), start - timedelta(8))
    assert (old.waiting, old.joined, old.told, old.median_wait_hours) == (2, 0, 0, None)


async def test_a_notice_that_failed_holds_no_seat(any_app):
    app = any_app
    await no_demo_queues(app)
    programme_id = await a_programme(app, free=0)
    for user_id in (11, 12):
        await app.profiles.get_or_create(user_id, "ru")
        await app.waitlists.join_programme(user_id, programme_id, "ru")
    await app.catalog.set_free_seats(programme_id, 1)
    await app.waitlists.release()
    worker = WaitNoticeWorker(app.write_sessions)
    assert (await worker.run_due(_failed))["failed"] == 1
    await app.waitlists.release()  # a notice that failed holds no seat
    assert [e.state for e in await entries(app, programme_id)] == ["failed", "pending"]


async def _failed(notice) -> Outcome:
    return Outcome.FAILED


async def test_demo_has_full_programmes_with_queues_and_enrolment_dates(any_app):
    async with any_app.sessions() as session:
        queued = await session.scalar(select(func.count(func.distinct(WaitlistEntry.programme_id))))
        full = await session.scalar(
            select(func.count())
            .select_from(Programme)
            .where(
                Programme.seats_free == 0,
                Programme.id.in_(select(WaitlistEntry.programme_id)),
            )
        )
        dated = await session.scalar(
            select(func.count()).where(Programme.enrol_starts_on.is_not(None))
        )
        families = await session.scalar(
            select(func.count()).select_from(User).where(User.id.in_(list(DEMO_USERS)))
        )
    assert queued == full >= 3 and dated >= 10 and families == len(DEMO_USERS)
    report = await waitlist_demand(
        any_app.sessions, datetime.now(UTC) - timedelta(days=60), datetime.now(UTC)
    )
    assert any(row.told for row in report) and all(row.kind == "programme" for row in report)
