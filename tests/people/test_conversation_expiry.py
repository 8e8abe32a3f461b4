"""A booking dialog left halfway keeps the name and phone typed so far: after
RETENTION__CONVERSATION_HOURS it reads as no dialog, the clock's sweep deletes its row, and in
Redis its keys expire."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from aiogram.fsm.storage.base import StorageKey
from backends import REDIS_URL, fresh_postgres, needs_postgres, needs_redis
from clock import Clock
from consult_data import seed
from sqlalchemy import func, select

from bot.app import build_app, create_dispatcher, prepare_database
from bot.config import Settings
from db import migrate
from db.engine import create_write_session_factory
from db.fsm_storage import SqlStorage
from db.models import FsmRecord
from harness import BotClient
from services.people.privacy import sweep_expired

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk
MONDAY = date(2026, 11, 23)
HOURS = 24
PARENT = 8401
NAME, PHONE = "Евдокия Брошенная", "+79995556677"


async def _halfway(user) -> None:
    """A booking up to the phone number, then silence."""
    await user.send("👨‍👩‍👧 Консультации")
    await user.press("📝 Записаться")
    await user.press("Психолого-педагогическая помощь")
    await user.press("МБОУ «СОШ № 5»")
    await user.press("Иванова М. П. · педагог-психолог")
    await user.press("23")
    await user.press("09:00")
    await user.press("🏫 Очно")
    await user.press("✅ Согласен(на)")  # the booking's data notice
    await user.send(NAME)
    await user.send(PHONE)
    assert "Сколько лет" in user.text() or "возраст" in user.text().lower()


async def _rows(app) -> list[str]:
    async with app.sessions() as session:
        return list((await session.scalars(select(FsmRecord.data))).all())


async def test_an_abandoned_booking_dialog_expires_and_is_swept_away(app, logged_errors):
    app.booking.now = lambda: NOW
    await seed(app.sessions, app.settings.zone, MONDAY)
    clock = Clock(NOW)
    storage = SqlStorage(app.engine, writer=app.writer, ttl=timedelta(hours=HOURS), now=clock)
    client = BotClient(app, create_dispatcher(app, storage))
    parent = client.user(PARENT)
    await _halfway(parent)
    assert any(NAME in data for data in await _rows(app))

    clock.moment += timedelta(hours=HOURS - 1)
    await parent.send("/mydata")
    assert NAME in parent.text() and PHONE in parent.text()  # still under way

    clock.moment += timedelta(hours=HOURS + 1)  # the look above was the person's last update
    await parent.send("/mydata")
    assert "Незавершённый диалог: нет" in parent.text() and NAME not in parent.text()
    # A restarted process (nothing cached) reads the stored row as expired too.
    fresh = SqlStorage(app.engine, ttl=timedelta(hours=HOURS), now=clock)
    key = StorageKey(bot_id=client.bot.id, chat_id=PARENT, user_id=PARENT)
    assert await fresh.get_state(key) is None and await fresh.get_data(key) == {}

    swept = await sweep_expired(app.write_sessions, HOURS, now=clock())
    assert swept.conversations >= 1  # the dialogs' contexts (the booking one with the name)
    assert not any(NAME in data for data in await _rows(app))
    # The next message starts afresh instead of taking "9" as the child's age.
    await parent.send("/start")
    assert "Записаться" not in parent.text()
    await storage.close()
    assert not client.rejections and not logged_errors


async def test_a_dialog_in_use_is_kept_past_the_first_day(app):
    clock = Clock(NOW)
    storage = SqlStorage(app.engine, ttl=timedelta(hours=HOURS), now=clock)
    key = StorageKey(bot_id=1, chat_id=PARENT, user_id=PARENT)
    await storage.set_state(key, "Booking:name")
    clock.moment += timedelta(hours=HOURS - 1)
    await storage.set_data(key, {"name": NAME})  # the person answered: the time is renewed
    clock.moment += timedelta(hours=HOURS - 1)
    assert await storage.get_state(key) == "Booking:name"
    assert (await sweep_expired(app.write_sessions, HOURS, now=clock())).conversations == 0
    clock.moment += timedelta(hours=2)
    assert await storage.get_state(key) is None
    assert (await sweep_expired(app.write_sessions, HOURS, now=clock())).conversations == 1
    await storage.close()


@needs_postgres
async def test_states_expire_and_are_swept_on_postgres():
    engine = await fresh_postgres()
    try:
        await migrate.upgrade(engine)
        clock = Clock(NOW)
        storage = SqlStorage(engine, ttl=timedelta(hours=HOURS), now=clock)
        old, new = (StorageKey(bot_id=1, chat_id=n, user_id=n) for n in (1, 2))
        await storage.set_data(old, {"name": NAME})
        clock.moment += timedelta(hours=HOURS - 1)
        await storage.set_data(new, {"name": "Свежая"})
        clock.moment += timedelta(hours=2)
        assert await storage.get_data(old) == {} and await storage.get_data(new) != {}
        swept = await sweep_expired(create_write_session_factory(engine), HOURS, now=clock())
        assert swept.conversations >= 1  # the dialogs' contexts (the booking one with the name)
        async with engine.connect() as connection:
            left = (await connection.execute(select(func.count()).select_from(FsmRecord))).scalar()
        assert left == 1
        await storage.close()
    finally:
        await engine.dispose()


@needs_redis
async def test_redis_conversation_keys_expire_after_the_retention(tmp_path):
    from redis.asyncio import Redis

    settings = Settings(
        _env_file=None,
        bot_token=None,
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        redis_url=REDIS_URL,
        admin_ids=[900001],
        default_locale="ru",
        retention={"conversation_hours": 6},
    )
    app = build_app(settings)
    redis = Redis.from_url(REDIS_URL)
    try:
        await prepare_database(app)
        app.booking.now = lambda: NOW
        await seed(app.sessions, app.settings.zone, MONDAY)
        client = BotClient(app)
        user_id = PARENT + 7
        for key in await redis.keys(f"fsm:*{user_id}:{user_id}*"):
            await redis.delete(key)
        await _halfway(client.user(user_id))
        keys = await redis.keys(f"fsm:*{user_id}:{user_id}*")
        assert len(keys) >= 2  # the dialogs' stack and contexts, one with the name and phone
        values = [(await redis.get(key)).decode() for key in keys]
        assert any(NAME in str(json.loads(value)) for value in values if value.startswith("{"))
        for key in keys:
            assert 0 < await redis.ttl(key) <= 6 * 3600
        await client.dispatcher.storage.close()
    finally:
        await redis.aclose()
        await app.close()
