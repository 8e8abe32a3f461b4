"""A Telegram and a MAX process on one database: each claims the reminders of its own people
only, so neither refuses (and marks failed) the other's, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from backends import fresh_postgres, needs_postgres
from clock import Clock
from consult_data import add_users, seed

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from services.booking.reminders import Outcome, ReminderService
from services.booking.service import BookingService, Choice, Contact
from services.demo_data import load_demo_if_empty
from services.events.reminders import EventReminderService
from services.events.service import EventService, NewEvent
from services.messengers.ids import from_max

TOMSK = ZoneInfo("Asia/Tomsk")
WEDNESDAY = date(2026, 11, 25)
BOOKED_AT = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
TELEGRAM_PERSON, MAX_PERSON = 1, from_max(5)
DAY = timedelta(days=1)


class Outbox:
    def __init__(self) -> None:
        self.to: list[int] = []

    async def __call__(self, row) -> Outcome:  # type: ignore[no-untyped-def]
        self.to.append(row.user_id)
        return Outcome.SENT


async def scenario(engine) -> None:  # type: ignore[no-untyped-def]
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    writes = create_write_session_factory(engine)
    await load_demo_if_empty(sessions)
    await seed(sessions, TOMSK, WEDNESDAY, days=3)
    await add_users(sessions, [TELEGRAM_PERSON, MAX_PERSON])
    clock = Clock(BOOKED_AT)
    booking = BookingService(sessions, writes, TOMSK, clock=clock)
    slots = await booking.free_slots(Choice(1), WEDNESDAY)
    contact = Contact("Анна", "+79991234567", None, None, "ru")
    made = [
        await booking.book(person, Choice(1), slot.id, "in_person", contact)
        for person, slot in zip((TELEGRAM_PERSON, MAX_PERSON), slots, strict=False)
    ]
    events = EventService(sessions, writes, clock)
    event_id = await events.create(NewEvent(title="Профпробы", starts_at=BOOKED_AT + 3 * DAY))
    for person in (TELEGRAM_PERSON, MAX_PERSON):
        await events.remind(person, event_id)

    due = {
        ReminderService: max(m.starts_at for m in made) - timedelta(hours=24),
        EventReminderService: BOOKED_AT + 3 * DAY - timedelta(hours=24),
    }
    for kind, moment in due.items():
        clock.moment = moment
        in_max, in_telegram = Outbox(), Outbox()
        await kind(writes, clock, messenger="max").run_due(in_max)
        await kind(writes, clock, messenger="telegram").run_due(in_telegram)
        assert (in_max.to, in_telegram.to) == ([MAX_PERSON], [TELEGRAM_PERSON]), kind.__name__


async def test_each_messenger_claims_its_own_peoples_reminders(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        await scenario(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_each_messenger_claims_its_own_peoples_reminders_on_postgres():
    engine = await fresh_postgres()
    try:
        await scenario(engine)
    finally:
        await engine.dispose()
