"""Two processes on one database, one per messenger: each claims only its own people's
broadcast letters and reminders, and each has its own send budget and 429 pause. SQLite and
PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from backends import fresh_postgres, needs_postgres
from clock import Clock
from consult_data import add_users, seed
from sqlalchemy import insert, select, update

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Outbox, SendPause, Subscription, User
from services.booking.reminders import Outcome as DueOutcome
from services.booking.reminders import ReminderService
from services.booking.service import BookingService, Choice, Contact
from services.broadcasts.service import (
    Audience,
    BroadcastService,
    DeliveryEngine,
    Letter,
    Outcome,
    RateBudget,
    Result,
)
from services.demo_data import load_demo_if_empty
from services.events.reminders import EventReminderService
from services.events.service import EventService, NewEvent
from services.messengers.ids import from_max, messenger_of
from services.people.profiles import CONSENT_VERSION

TELEGRAM_PEOPLE = list(range(1, 31))
MAX_PEOPLE = [from_max(n) for n in range(1, 31)]
PAUSE = 30.0  # a 429's retry_after, far longer than any step of the test


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    else:
        engine = await fresh_postgres()
    await migrate.upgrade(engine)
    yield engine
    await engine.dispose()


async def _subscribers(sessions, ids: list[int]) -> None:
    now = datetime.now(UTC)
    async with sessions() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "locale": "ru",
                    "created_at": now,
                    "consent_version": CONSENT_VERSION,
                    "consent_at": now,
                }
                for i in ids
            ],
        )
        await session.execute(
            insert(Subscription), [{"user_id": i, "topic": "orientation"} for i in ids]
        )
        await session.commit()


class Recorder:
    def __init__(self) -> None:
        self.delivered: Counter[int] = Counter()

    async def __call__(self, letter: Letter) -> Outcome:
        await asyncio.sleep(0)
        self.delivered[letter.user_id] += 1
        return Outcome(Result.SENT)


async def test_a_broadcast_reaches_both_audiences_once_each_through_its_own_process(engine):
    sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
    await _subscribers(sessions, TELEGRAM_PEOPLE + MAX_PEOPLE)
    service = BroadcastService(sessions, writes)
    broadcast_id = await service.create(1, Audience(topics=("orientation",)), text="Урок")
    await service.schedule(broadcast_id)
    telegram = DeliveryEngine(create_write_session_factory(engine), 1000)
    max_process = DeliveryEngine(create_write_session_factory(engine), 1000, messenger="max")
    sent_by = {"telegram": Recorder(), "max": Recorder()}

    async def work(worker: DeliveryEngine) -> None:
        for _ in range(20):
            await worker.run_for(sent_by[worker.messenger], 5)
            if (await service.progress(broadcast_id)).status == "done":
                return

    await asyncio.gather(work(telegram), work(max_process))
    assert sent_by["telegram"].delivered == Counter(TELEGRAM_PEOPLE)
    assert sent_by["max"].delivered == Counter(MAX_PEOPLE)
    progress = await service.progress(broadcast_id)
    assert progress.status == "done" and progress.counts == {"sent": 60}


async def test_without_its_process_the_other_audience_waits_and_is_not_sent_by_the_wrong_bot(
    engine,
):
    sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
    await _subscribers(sessions, TELEGRAM_PEOPLE[:3] + MAX_PEOPLE[:3])
    service = BroadcastService(sessions, writes)
    broadcast_id = await service.create(1, Audience(topics=("orientation",)), text="Урок")
    await service.schedule(broadcast_id)
    telegram = Recorder()
    await DeliveryEngine(writes, 1000).run_for(telegram, 2)
    assert telegram.delivered == Counter(TELEGRAM_PEOPLE[:3])
    async with sessions() as session:
        left = (await session.execute(select(Outbox.user_id, Outbox.state))).all()
    assert sorted(u for u, state in left if state == "pending") == MAX_PEOPLE[:3]
    assert (await service.progress(broadcast_id)).status == "running"


async def test_each_messenger_has_its_own_budget_and_its_own_pause(engine):
    writes = create_write_session_factory(engine)
    telegram, max_budget = RateBudget(25), RateBudget(30, "max")
    # Spending Telegram's whole slot leaves MAX's share of the moment whole.
    async with writes() as session, session.begin():
        spent = await telegram.reserve(session, 1000)
        granted = await max_budget.reserve(session, 1000)
    assert spent == 5 and granted == 5, "25/s and 30/s: 5 a slot each"

    async with writes() as session, session.begin():
        await max_budget.pause(session, 30)  # MAX answered 429
    await asyncio.sleep(telegram.next_slot_in() + 0.01)  # a slot with budget left
    async with writes() as session, session.begin():
        assert await RateBudget(30, "max").reserve(session, 1) == 0, "every MAX worker waits"
        assert await telegram.reserve(session, 1) == 1, "Telegram's sends go on"
    async with writes() as session, session.begin():
        await telegram.pause(session, 30)
        pauses = dict((await session.execute(select(SendPause.id, SendPause.until))).all())
    assert len(pauses) == 2, "one pause row a messenger"


async def test_a_max_rate_limit_pauses_max_sends_only_and_the_letter_goes_later(engine):
    """No time window to hit: the pause is long (every assertion made while it holds), each run
    ends once nothing is left to claim, and its end is the pause row's time passing."""
    sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
    await _subscribers(sessions, TELEGRAM_PEOPLE[:2] + MAX_PEOPLE[:1])
    service = BroadcastService(sessions, writes)
    broadcast_id = await service.create(1, Audience(topics=("orientation",)), text="Урок")
    await service.schedule(broadcast_id)
    answers = [Outcome(Result.RATE_LIMITED, retry_after=PAUSE)]
    delivered: Counter[int] = Counter()
    limited_at: list[float] = []

    async def max_send(letter: Letter) -> Outcome:
        if answers:
            limited_at.append(time.time())
            return answers.pop()
        delivered[letter.user_id] += 1
        return Outcome(Result.SENT)

    # The 429 puts the letter back for later: nothing left to claim now, so the run ends.
    max_process = DeliveryEngine(writes, 1000, messenger="max")
    assert await max_process.run_for(max_send, 60) == {"rate_limited": 1}
    async with sessions() as session:
        pauses = dict((await session.execute(select(SendPause.id, SendPause.until))).all())
    assert list(pauses) == [max_process.budget.pause_id], "MAX's pause only"
    (until,) = pauses.values()
    until = until if until.tzinfo else until.replace(tzinfo=UTC)  # SQLite keeps UTC, naive
    assert until.timestamp() >= limited_at[0] + PAUSE - 0.001

    telegram = Recorder()
    assert await DeliveryEngine(writes, 1000).run_for(telegram, 60) == {"sent": 2}
    assert telegram.delivered == Counter(TELEGRAM_PEOPLE[:2]), "Telegram is not paused"
    # Another MAX worker, for which the letter is due again, waits for the pause too.
    due = DeliveryEngine(writes, 1000, messenger="max", clock=_after(PAUSE + 1))
    await due.run_for(max_send, 1)
    assert delivered == Counter(), "every MAX worker holds while MAX's pause lasts"

    async with writes() as session, session.begin():  # the pause's time passes
        await session.execute(update(SendPause).values(until=datetime.now(UTC)))
    after = DeliveryEngine(writes, 1000, messenger="max", clock=_after(PAUSE + 1))
    assert await after.run_for(max_send, 60) == {"sent": 1}
    assert delivered == Counter(MAX_PEOPLE[:1]), "once, after the pause"
    assert (await service.progress(broadcast_id)).status == "done"


def _after(seconds: float):  # type: ignore[no-untyped-def]
    """A worker's clock `seconds` ahead: letters put back for that long are due to it."""
    return lambda: datetime.now(UTC) + timedelta(seconds=seconds)


TOMSK = ZoneInfo("Asia/Tomsk")
WEDNESDAY = date(2026, 11, 25)
BOOKED_AT = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


async def test_consultation_and_event_reminders_are_claimed_by_their_messengers_process(engine):
    sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
    await load_demo_if_empty(sessions)
    await seed(sessions, TOMSK, WEDNESDAY, days=3)
    anna, max_anna = 1, from_max(1)
    await add_users(sessions, [anna, max_anna])
    clock = Clock(BOOKED_AT)
    booking = BookingService(sessions, writes, TOMSK, clock=clock)
    slots = await booking.free_slots(Choice(1), WEDNESDAY)
    made = [
        await booking.book(
            person,
            Choice(1),
            slot.id,
            "in_person",
            Contact("Анна", "+79991234567", None, None, "ru"),
        )
        for person, slot in ((anna, slots[0]), (max_anna, slots[1]))
    ]
    events = EventService(sessions, writes, clock)
    event_id = await events.create(
        NewEvent(title="Профпробы", starts_at=BOOKED_AT + timedelta(days=3))
    )
    for person in (anna, max_anna):
        await events.remind(person, event_id)
    clock.moment = min(m.starts_at for m in made) - timedelta(minutes=30)

    got: dict[str, list[int]] = {"telegram": [], "max": []}
    for messenger in ("max", "telegram"):  # MAX first: it must leave Telegram's rows alone

        async def deliver(row, messenger=messenger) -> DueOutcome:
            got[messenger].append(row.user_id)
            return DueOutcome.SENT

        await ReminderService(writes, clock, messenger=messenger).run_due(deliver)
        await EventReminderService(writes, clock, messenger=messenger).run_due(deliver)
    assert got["max"] and {messenger_of(u) for u in got["max"]} == {"max"}
    assert got["telegram"] and {messenger_of(u) for u in got["telegram"]} == {"telegram"}
    assert got["telegram"].count(anna) == got["max"].count(max_anna)
