"""Notices across messengers: a Telegram process and a MAX process on one database (SQLite
file or PostgreSQL). What one process's person does for someone of the other messenger (a
specialist's booking notice, a parent's rating request, an admin's alert) is queued and sent by
the other process's worker, exactly once, across a restart; to its own people it sends at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage
from backends import POSTGRES_URL, fresh_postgres, needs_postgres
from clock import Clock
from consult_data import add_users, seed
from sqlalchemy import select, update

from bot.app import App, build_app, create_bot, create_dispatcher, prepare_database
from bot.config import Settings
from bot.max.feed import MaxFeeder
from bot.max.session import MaxSession
from bot.max.updates import MaxUpdates
from bot.notify.consultations import Notices
from bot.notify.notices import NoticeSender
from bot.runner import attach_background
from bot.testing.fake_max_api import FakeMaxApi
from bot.testing.offline_session import OfflineSession
from db.models import Notice, Specialist, User
from handlers.booking.specialist import ask_rating
from harness import BotClient
from services.booking.service import BookingInfo, Choice, Contact
from services.messengers.ids import MAX_BASE, from_max
from services.messengers.max_messages import MaxMessageIds
from services.notices.queue import NoticeWorker

MAX_TOKEN = "max-test-token"  # the fake MAX server's (tests/max/conftest.py)
TELEGRAM_SPECIALIST = 7001
MAX_SPECIALIST = from_max(7002)
TELEGRAM_PARENT = 7101
MAX_PARENT = from_max(7102)
TELEGRAM_ADMIN = 900001


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def shared(request, settings: Settings) -> Settings:
    if request.param == "sqlite":
        return settings
    engine = await fresh_postgres()
    await engine.dispose()
    return settings.model_copy(update={"database_url": POSTGRES_URL})


@dataclass
class Process:
    app: App
    bot: Bot
    notices: Notices

    def worker(self, clock=None) -> NoticeWorker:
        messenger = self.app.settings.messenger
        if clock is None:
            return NoticeWorker(self.app.write_sessions, messenger=messenger)
        return NoticeWorker(self.app.write_sessions, clock, messenger=messenger)

    async def run(self, clock=None) -> dict[str, int]:
        sender = NoticeSender(self.bot, self.app, self.notices)
        return await self.worker(clock).run_due(sender.deliver)


class Processes:
    def __init__(self, settings: Settings, max_server: FakeMaxApi) -> None:
        self.settings = settings
        self.max_server = max_server
        self.telegram_session = OfflineSession()
        self.started: list[Process] = []

    async def telegram(self) -> Process:
        app = build_app(self.settings)
        await prepare_database(app)
        bot = create_bot(app.settings, session=self.telegram_session)
        return self._started(Process(app, bot, Notices(bot, app, "telegram")))

    async def max(self) -> Process:
        app = build_app(self.settings.model_copy(update={"messenger": "max"}))
        await prepare_database(app)
        ids = MaxMessageIds(app.sessions, app.write_sessions)
        session = MaxSession(MAX_TOKEN, ids, api_url=self.max_server.url, upload_delay=0.01)
        bot = create_bot(app.settings, session=session)
        return self._started(Process(app, bot, Notices(bot, app, "max")))

    def _started(self, process: Process) -> Process:
        self.started.append(process)
        return process

    async def stop(self, process: Process) -> None:
        if process in self.started:
            self.started.remove(process)
            if isinstance(process.bot.session, MaxSession):
                await process.bot.session.close()
            await process.app.close()

    def telegram_texts(self, chat_id: int) -> list[str]:
        return [
            out.method.text
            for out in self.telegram_session.log
            if isinstance(out.method, SendMessage) and out.method.chat_id == chat_id
        ]


@pytest.fixture
async def processes(shared, max_server) -> AsyncIterator[Processes]:
    kit = Processes(shared, max_server)
    yield kit
    for process in list(kit.started):
        await kit.stop(process)


def max_texts(server: FakeMaxApi, user_id: int) -> list[str]:
    return server.texts(user_id - MAX_BASE)


async def _booking(app: App, parent: int, specialist: int) -> BookingInfo:
    """`parent` books specialist 1, linked to `specialist`."""
    zone = app.settings.zone
    today = datetime.now(zone).date()
    await seed(app.sessions, zone, today, days=10)
    await add_users(app.sessions, [parent])
    async with app.write_sessions() as session, session.begin():
        await session.execute(
            update(Specialist).where(Specialist.id == 1).values(telegram_user_id=specialist)
        )
    for offset in range(1, 10):
        slots = await app.booking.free_slots(Choice(1), today + timedelta(days=offset))
        slots = [s for s in slots if s.specialist_id == 1]
        if slots:
            contact = Contact("Анна", "+79991234567", None, None, "ru")
            return await app.booking.book(parent, Choice(1), slots[0].id, "in_person", contact)
    raise AssertionError("no free slot")


async def _states(app: App) -> list[str]:
    async with app.sessions() as session:
        return list((await session.execute(select(Notice.state))).scalars())


async def test_a_max_parents_booking_reaches_a_telegram_specialist_once_across_a_restart(
    processes, max_server
):
    max_process = await processes.max()
    info = await _booking(max_process.app, MAX_PARENT, TELEGRAM_SPECIALIST)
    await max_process.notices.booked(info)  # the MAX process's booking hook
    assert max_server.requests == [], "the MAX bot cannot reach a Telegram specialist"
    assert await max_process.run() == {"sent": 0, "not_sent": 0, "failed": 0, "uncertain": 0}

    now = datetime.now(UTC)
    first = await processes.telegram()
    assert len(await first.worker(Clock(now)).claim()) == 1  # and the process dies
    await processes.stop(first)
    second = await processes.telegram()
    assert (await second.run(Clock(now + timedelta(seconds=30))))["sent"] == 0, "leased"
    assert (await second.run(Clock(now + timedelta(minutes=3))))["sent"] == 1
    assert (await second.run(Clock(now + timedelta(minutes=4))))["sent"] == 0
    [text] = processes.telegram_texts(TELEGRAM_SPECIALIST)
    assert info.code in text and "Анна" in text and "+79991234567" in text
    assert await _states(second.app) == ["sent"]
    assert max_server.requests == []


async def test_a_telegram_parents_cancellation_and_move_reach_a_max_specialist_once(
    processes, max_server
):
    telegram = await processes.telegram()
    info = await _booking(telegram.app, TELEGRAM_PARENT, MAX_SPECIALIST)
    old = info.starts_at
    await telegram.notices.moved(info, old - timedelta(days=1))
    cancelled = await telegram.app.booking.cancel(TELEGRAM_PARENT, info.id, "заболели")
    await telegram.notices.cancelled(cancelled)
    assert processes.telegram_texts(MAX_SPECIALIST) == []
    assert (await telegram.run())["sent"] == 0, "not the Telegram process's to send"

    max_process = await processes.max()
    assert (await max_process.run())["sent"] == 2
    assert (await max_process.run())["sent"] == 0
    moved, gone = max_texts(max_server, MAX_SPECIALIST)
    assert info.code in moved and info.code in gone and "заболели" in gone
    assert max_server.counters.duplicates == 0


async def test_a_telegram_specialist_asks_a_max_parent_to_rate_through_the_max_process(
    processes, max_server
):
    telegram = await processes.telegram()
    app = telegram.app
    info = await _booking(app, MAX_PARENT, TELEGRAM_SPECIALIST)
    await ask_rating(
        telegram.bot, app.locales, app.profiles, app.settings.zone, info, app.notices, "telegram"
    )
    assert processes.telegram_texts(MAX_PARENT) == []
    max_process = await processes.max()
    assert (await max_process.run())["sent"] == 1
    [text] = max_texts(max_server, MAX_PARENT)
    assert "Как прошла консультация" in text
    assert len(max_server.last(MAX_PARENT - MAX_BASE).labels()) == 5, "the stars"


async def test_a_blocked_recipient_is_marked_and_not_retried(processes, max_server):
    telegram = await processes.telegram()
    info = await _booking(telegram.app, TELEGRAM_PARENT, MAX_SPECIALIST)
    await telegram.notices.booked(info)
    max_server.blocked |= {MAX_SPECIALIST - MAX_BASE, MAX_SPECIALIST}
    max_process = await processes.max()
    assert (await max_process.run())["failed"] == 1
    assert (await max_process.run())["failed"] == 0
    assert await _states(max_process.app) == ["failed"]
    async with max_process.app.sessions() as session:
        blocked = await session.scalar(select(User.blocked_at).where(User.id == MAX_SPECIALIST))
    assert blocked is not None, "left out of later audiences"


async def test_forgetting_drops_the_notices_to_and_about_the_person(processes):
    telegram = await processes.telegram()
    app = telegram.app
    info = await _booking(app, TELEGRAM_PARENT, MAX_SPECIALIST)
    await telegram.notices.booked(info)  # about the parent
    await app.notices.put(TELEGRAM_PARENT + MAX_BASE, "alert", args={"update_id": 1})
    await app.notices.put(MAX_SPECIALIST, "alert", args={"update_id": 2})
    await app.privacy.forget(TELEGRAM_PARENT)
    async with app.sessions() as session:
        left = (await session.execute(select(Notice.user_id, Notice.kind))).all()
    assert sorted(left) == sorted(
        [(TELEGRAM_PARENT + MAX_BASE, "alert"), (MAX_SPECIALIST, "alert")]
    )
    await app.privacy.forget(MAX_SPECIALIST)
    async with app.sessions() as session:
        left = (await session.execute(select(Notice.user_id))).scalars().all()
    assert left == [TELEGRAM_PARENT + MAX_BASE]


async def test_an_error_in_the_max_process_alerts_a_telegram_admin_through_its_process(
    processes, max_server, monkeypatch, logged_errors
):
    max_process = await processes.max()
    app = max_process.app
    assert app.settings.admin_ids == [TELEGRAM_ADMIN]
    dispatcher = create_dispatcher(app)
    feeder = MaxFeeder(
        dispatcher,
        max_process.bot,
        MaxUpdates(MaxMessageIds(app.sessions, app.write_sessions), await max_process.bot.me()),
    )

    async def broken_list(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(app.localities, "all", broken_list)
    anna = 7201
    try:
        await feeder.feed(max_server.start_update(anna))
        await feeder.feed(max_server.press_update(anna, "Родитель"))
    finally:
        await dispatcher.storage.close()
    assert any("что-то пошло не так" in text for text in max_server.texts(anna))
    logged_errors.clear()

    telegram = await processes.telegram()
    assert (await telegram.run())["sent"] == 1
    [alert] = processes.telegram_texts(TELEGRAM_ADMIN)
    assert "RuntimeError" in alert and "database went away" not in alert
    assert (await telegram.run())["sent"] == 0


async def test_the_running_max_process_clock_sends_what_the_telegram_process_queued(
    processes, max_server
):
    telegram = await processes.telegram()
    info = await _booking(telegram.app, TELEGRAM_PARENT, MAX_SPECIALIST)
    await telegram.notices.booked(info)
    max_process = await processes.max()
    dispatcher = create_dispatcher(max_process.app)
    ticker = attach_background(dispatcher, max_process.bot, max_process.app)
    assert ticker.scheduler.get_job("notices") is not None
    ticker.start()
    try:
        for _ in range(200):  # the job ticks at once, then every few seconds
            if max_texts(max_server, MAX_SPECIALIST):
                break
            await asyncio.sleep(0.05)
    finally:
        await ticker.stop()
        await dispatcher.storage.close()
    [text] = max_texts(max_server, MAX_SPECIALIST)
    assert info.code in text


async def test_mydata_shows_the_notices_queued_for_the_person(processes):
    max_process = await processes.max()
    app = max_process.app
    info = await _booking(app, TELEGRAM_PARENT, MAX_SPECIALIST)
    await ask_rating(
        max_process.bot, app.locales, app.profiles, app.settings.zone, info, app.notices, "max"
    )
    telegram = await processes.telegram()
    client = BotClient(telegram.app, session=processes.telegram_session)
    parent = client.user(TELEGRAM_PARENT)
    try:
        await parent.send("/mydata")
        shown = "\n".join(parent.texts())
        assert "просьба оценить консультацию" in shown and "ждёт отправки" in shown
        assert (await telegram.run())["sent"] == 1
        await parent.send("/mydata")
        assert "отправлено" in "\n".join(parent.texts())
    finally:
        await client.dispatcher.storage.close()
