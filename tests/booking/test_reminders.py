"""Reminders: claimed from rows, sent once, none lost over restarts, never after the start."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from backends import fresh_postgres, needs_postgres
from clock import Clock
from consult_data import add_users, seed
from sqlalchemy import select

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Reminder
from services.booking.reminders import Outcome, ReminderService
from services.booking.service import BookingService, Choice, Contact
from services.demo_data import load_demo_if_empty

TOMSK = ZoneInfo("Asia/Tomsk")
WEDNESDAY = date(2026, 11, 25)
BOOKED_AT = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
CONTACT = Contact("Анна", "+79991234567", None, None, "ru")


class Outbox:
    """Records deliveries; answers with a scripted outcome."""

    def __init__(self, outcome: Outcome = Outcome.SENT) -> None:
        self.outcome = outcome
        self.sent: list[tuple[int, str]] = []

    async def __call__(self, reminder) -> Outcome:
        self.sent.append((reminder.booking_id, reminder.kind))
        return self.outcome


async def _prepare(engine, zone=TOMSK, first_day=WEDNESDAY, booked_at=BOOKED_AT):
    sessions = create_session_factory(engine)
    await migrate.upgrade(engine)
    await load_demo_if_empty(sessions)
    await seed(sessions, zone, first_day, days=3)
    await add_users(sessions, [1])
    clock = Clock(booked_at)
    writes = create_write_session_factory(engine)
    booking = BookingService(sessions, writes, zone, clock=clock)
    slot = (await booking.free_slots(Choice(1), first_day))[0]
    made = await booking.book(1, Choice(1), slot.id, "in_person", CONTACT)
    return made, clock, writes


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}")
    yield engine
    await engine.dispose()


async def test_each_reminder_is_sent_once_at_its_time(engine):
    made, clock, writes = await _prepare(engine)
    outbox = Outbox()
    worker = ReminderService(writes, clock)
    assert await worker.run_due(outbox) == {"sent": 0, "not_sent": 0, "failed": 0, "uncertain": 0}

    clock.moment = made.starts_at - timedelta(hours=24)
    await worker.run_due(outbox)
    await worker.run_due(outbox)
    assert outbox.sent == [(made.id, "24h")]

    clock.moment = made.starts_at - timedelta(hours=2) + timedelta(minutes=1)
    await worker.run_due(outbox)
    await worker.run_due(outbox)
    assert outbox.sent == [(made.id, "24h"), (made.id, "2h")]


async def test_a_restart_between_scheduling_and_sending_loses_nothing(engine):
    made, clock, _ = await _prepare(engine)
    await engine.dispose()  # the process that booked is gone

    clock.moment = made.starts_at - timedelta(hours=23)
    restarted = ReminderService(create_write_session_factory(engine), clock)
    outbox = Outbox()
    await restarted.run_due(outbox)
    assert outbox.sent == [(made.id, "24h")]


async def test_a_worker_killed_after_claiming_leaves_it_for_the_next_one(engine):
    made, clock, writes = await _prepare(engine)
    clock.moment = made.starts_at - timedelta(hours=24)
    dead = ReminderService(writes, clock)
    assert [r.kind for r in await dead.claim()] == ["24h"]  # then the process dies

    second = ReminderService(writes, clock)
    outbox = Outbox()
    await second.run_due(outbox)
    assert outbox.sent == []  # the lease still holds
    clock.moment += timedelta(minutes=3)
    await second.run_due(outbox)
    assert outbox.sent == [(made.id, "24h")]


async def test_a_send_that_may_have_left_is_never_repeated(engine):
    made, clock, writes = await _prepare(engine)
    clock.moment = made.starts_at - timedelta(hours=24)
    worker = ReminderService(writes, clock)
    assert await worker.run_due(Outbox(Outcome.UNCERTAIN)) == {
        "sent": 0,
        "not_sent": 0,
        "failed": 0,
        "uncertain": 1,
    }
    outbox = Outbox()
    clock.moment += timedelta(minutes=5)
    await worker.run_due(outbox)
    assert outbox.sent == []
    async with create_session_factory(engine)() as session:
        states = (await session.execute(select(Reminder.kind, Reminder.state))).all()
    assert ("24h", "uncertain") in states


async def test_a_transient_failure_is_retried(engine):
    made, clock, writes = await _prepare(engine)
    clock.moment = made.starts_at - timedelta(hours=24)
    worker = ReminderService(writes, clock)
    await worker.run_due(Outbox(Outcome.NOT_SENT))
    outbox = Outbox()
    await worker.run_due(outbox)
    assert outbox.sent == [(made.id, "24h")]


async def test_after_downtime_only_the_latest_is_sent_and_never_after_the_start(engine):
    made, clock, writes = await _prepare(engine)
    worker = ReminderService(writes, clock)
    outbox = Outbox()
    clock.moment = made.starts_at - timedelta(minutes=30)  # down since before both were due
    await worker.run_due(outbox)
    assert outbox.sent == [(made.id, "2h")]

    clock.moment = made.starts_at + timedelta(minutes=1)
    await ReminderService(writes, clock).run_due(outbox)
    assert outbox.sent == [(made.id, "2h")]


async def test_nothing_is_sent_after_the_consultation_started(engine):
    made, clock, writes = await _prepare(engine)
    clock.moment = made.starts_at + timedelta(seconds=1)
    outbox = Outbox()
    await ReminderService(writes, clock).run_due(outbox)
    assert outbox.sent == []
    async with create_session_factory(engine)() as session:
        states = set((await session.execute(select(Reminder.state))).scalars())
    assert states == {"skipped"}


async def test_reminder_times_in_a_zone_with_daylight_saving(engine):
    berlin = ZoneInfo("Europe/Berlin")
    monday_after_change = date(2026, 3, 30)  # clocks went forward on Sunday 29 March
    made, clock, writes = await _prepare(
        engine,
        zone=berlin,
        first_day=monday_after_change,
        booked_at=datetime(2026, 3, 27, 12, 0, tzinfo=UTC),
    )
    assert made.starts_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST
    async with create_session_factory(engine)() as session:
        due = dict((await session.execute(select(Reminder.kind, Reminder.due_at))).all())
    assert due["24h"] == made.starts_at - timedelta(hours=24)  # 08:00 CET local, 24 real hours
    clock.moment = due["24h"]
    outbox = Outbox()
    await ReminderService(writes, clock).run_due(outbox)
    assert outbox.sent == [(made.id, "24h")]


@needs_postgres
async def test_two_workers_on_postgres_never_send_one_reminder_twice():
    import asyncio

    engine = await fresh_postgres()
    try:
        made, clock, _ = await _prepare(engine)
        clock.moment = made.starts_at - timedelta(hours=24)
        outbox = Outbox()
        workers = [ReminderService(create_write_session_factory(engine), clock) for _ in range(4)]
        await asyncio.gather(*(w.run_due(outbox) for w in workers))
        assert outbox.sent == [(made.id, "24h")]
    finally:
        await engine.dispose()
