"""Broadcasts through the real bot objects against the fake Bot API server (429, 403, 5xx,
timeouts): every reachable recipient gets the message exactly once, or it is accounted for."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from bot.app import create_bot
from bot.notify.broadcasts import BroadcastSender, ProgressReporter
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeFaults, FakeLimits
from db.models import Outbox, Subscription, User
from services.broadcasts.service import Audience, DeliveryEngine
from services.people.profiles import CONSENT_VERSION

pytestmark = pytest.mark.both_messengers

TOKEN = "123456:" + "A" * 35
ADMIN = 900001


async def _audience(app, count: int) -> None:
    async with app.sessions() as session:
        now = datetime.now(UTC)
        await session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "locale": "en" if i % 10 == 0 else "ru",
                    "created_at": now,
                    "consent_version": CONSENT_VERSION,
                    "consent_at": now,
                }
                for i in range(1, count + 1)
            ],
        )
        await session.execute(
            insert(Subscription),
            [{"user_id": i, "topic": "orientation"} for i in range(1, count + 1)],
        )
        await session.commit()


def _bot(app, server):
    settings = app.settings.model_copy(update={"bot_api_url": server.url})
    settings = settings.model_copy(update={"bot_token": __import__("pydantic").SecretStr(TOKEN)})
    return create_bot(settings)


async def _run_until_done(
    app, engine, sender, broadcast_id, reporter=None, limit: float = 60
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while (await app.broadcasts.progress(broadcast_id)).status != "done":
        assert loop.time() < deadline, await app.broadcasts.progress(broadcast_id)
        await engine.run_for(sender, 10)
        if reporter:
            await reporter.update()
        await asyncio.sleep(0.05)


async def test_faults_lose_nothing_and_send_nothing_twice(app):
    await _audience(app, 120)
    config = FakeBotApiConfig(
        limits=FakeLimits(global_rate=20, per_chat_rate=1, window=1.0),
        faults=FakeFaults(error_rate=0.05, slow_delivered_rate=0.02, slow_delivered_delay=1.5),
        blocked=frozenset({3, 33, 77}),
        seed=11,
    )
    async with FakeBotApi(config) as server:
        bot = _bot(app, server)
        bot.session.timeout = 1.0  # slow-but-delivered answers time out on our side
        try:
            broadcast_id = await app.broadcasts.create(
                ADMIN,
                Audience(topics=("orientation",)),
                text="<b>Фестиваль профессий</b> — приходите!",
                text_en="<b>Profession festival</b>: come!",
            )
            await app.broadcasts.schedule(broadcast_id)
            # The engine's cap is far above the server's 20/s (even on a slow machine): 429s must
            # happen and be obeyed.
            engine = DeliveryEngine(app.write_sessions, 60, concurrency=20)
            await _run_until_done(app, engine, BroadcastSender(bot, app), broadcast_id)
        finally:
            await bot.session.close()
        delivered = {d.chat_id for d in server.delivered}
        assert server.duplicates() == 0
        assert server.counters.rate_limited > 0, "the test should provoke 429s"
        assert server.counters.server_errors > 0 and server.counters.slow_delivered > 0

    async with app.sessions() as session:
        states = dict((await session.execute(select(Outbox.user_id, Outbox.state))).all())
        blocked_users = set(
            (await session.execute(select(User.id).where(User.blocked_at.is_not(None)))).scalars()
        )
    assert {u for u, s in states.items() if s == "blocked"} == {3, 33, 77} == blocked_users
    uncertain = {u for u, s in states.items() if s == "uncertain"}
    sent = {u for u, s in states.items() if s == "sent"}
    assert uncertain and uncertain <= delivered  # they did arrive: not resent, not lost
    assert sent <= delivered and sent | uncertain == delivered
    lost = (
        set(range(1, 121))
        - delivered
        - {3, 33, 77}
        - {u for u, s in states.items() if s == "failed"}
    )
    assert lost == set()
    english = [d for d in server.delivered if d.chat_id % 10 == 0]
    assert english and all("Profession festival" in d.text for d in english)


async def test_progress_message_is_edited_and_a_final_report_sent(app):
    await _audience(app, 30)
    async with FakeBotApi(FakeBotApiConfig(limits=FakeLimits(global_rate=1000))) as server:
        bot = _bot(app, server)
        try:
            broadcast_id = await app.broadcasts.create(
                ADMIN, Audience(), text="Открытый урок «ПроеКТОрии»"
            )
            progress_message = await bot.send_message(ADMIN, "…")
            await app.broadcasts.set_progress_message(
                broadcast_id, ADMIN, progress_message.message_id
            )
            await app.broadcasts.schedule(broadcast_id)
            engine = DeliveryEngine(app.write_sessions, 1000, concurrency=30)
            reporter = ProgressReporter(bot, app, app.broadcasts)
            await _run_until_done(app, engine, BroadcastSender(bot, app), broadcast_id)
            await reporter.update(force=True)
        finally:
            await bot.session.close()
        admin_messages = server.per_chat(ADMIN)
        edited = server.stored_text(ADMIN, progress_message.message_id)
    assert "завершена" in edited and "30 из 30" in edited
    assert "завершена" in admin_messages[-1].text


async def test_progress_edits_keep_the_pause_and_cancel_buttons(client, app):
    from bot.notify.broadcasts import ProgressReporter
    from handlers.broadcasts.progress import progress_keyboard

    await _audience(app, 3)
    broadcast_id = await app.broadcasts.create(
        client.person_id(ADMIN), Audience(), text="Урок «ПроеКТОрии»"
    )
    shown = await client.bot.send_message(client.person_id(ADMIN), "…")
    await app.broadcasts.set_progress_message(
        broadcast_id, client.person_id(ADMIN), shown.message_id
    )
    await app.broadcasts.schedule(broadcast_id)
    await DeliveryEngine(app.write_sessions, 1000, messenger=app.settings.messenger).start_due()
    # The process's reporter: it edits progress messages in its own messenger's chats.
    reporter = ProgressReporter(client.bot, app, app.broadcasts, controls=progress_keyboard)
    await reporter.update(force=True)
    edited = client.user(ADMIN).message(shown.message_id)
    assert "Рассылка №" in edited.text and edited.reply_markup is not None
