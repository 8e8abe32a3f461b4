"""Sending in MAX at MAX's limits through the real bot objects: the broadcast worker with
`MaxSession` against the fake MAX server (its 429s, 5xx, blocked people), beside a Telegram
worker on the same database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from pydantic import SecretStr
from sqlalchemy import insert, select

from bot.app import create_bot
from bot.notify.broadcasts import BroadcastSender, ProgressReporter, build_engine
from bot.notify.consultations import Notices
from bot.notify.events import EventNotices
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits
from bot.testing.fake_max_limits import FakeMaxFaults, FakeMaxLimits
from db.models import Notice, Outbox, SendPause, Subscription, User
from services.booking.reminders import Outcome
from services.broadcasts.service import Audience, DeliveryEngine
from services.events.reminders import DueEventReminder
from services.events.service import NewEvent
from services.messengers.ids import MAX_BASE, from_max
from services.people import deeplinks
from services.people.profiles import CONSENT_VERSION

TOKEN = "123456:" + "A" * 35
ADMIN = 900001


def person(user_id: int) -> int:
    """The MAX person a call to the fake named (by the MAX id or the bot's id of it)."""
    return user_id - MAX_BASE if user_id > MAX_BASE else user_id


async def _audience(app, ids: list[int]) -> None:
    now = datetime.now(UTC)
    async with app.sessions() as session:
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


async def _broadcast(app) -> int:
    broadcast_id = await app.broadcasts.create(
        ADMIN, Audience(topics=("orientation",)), text="<b>Фестиваль профессий</b> — приходите!"
    )
    await app.broadcasts.schedule(broadcast_id)
    return broadcast_id


async def _until_done(app, broadcast_id: int, *workers) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 90  # a letter retried after 5xx waits 2, 4, 8 s…

    async def work(engine, sender) -> None:
        while loop.time() < deadline:
            if (await app.broadcasts.progress(broadcast_id)).status == "done":
                return
            await engine.run_for(sender, 5)
            await asyncio.sleep(0.1)

    await asyncio.gather(*(work(engine, sender) for engine, sender in workers))
    assert (await app.broadcasts.progress(broadcast_id)).status == "done", [
        (u, s) for u, s in (await _states(app)).items() if s != "sent"
    ]


async def _states(app) -> dict[int, str]:
    async with app.sessions() as session:
        return dict((await session.execute(select(Outbox.user_id, Outbox.state))).all())


async def _blocked(app) -> set[int]:
    async with app.sessions() as session:
        query = select(User.id).where(User.blocked_at.is_not(None))
        return set((await session.execute(query)).scalars())


async def test_one_broadcast_goes_to_telegram_and_max_people_once_each_through_their_bots(
    app, max_bot, max_server
):
    telegram_people = list(range(1, 31))
    max_people = [from_max(n) for n in range(1, 31)]
    await _audience(app, telegram_people + max_people)
    max_server.blocked |= {5, from_max(5)}  # stopped the bot in MAX
    config = FakeBotApiConfig(limits=FakeLimits(global_rate=1000), blocked=frozenset({3}))
    async with FakeBotApi(config) as telegram_server:
        settings = app.settings.model_copy(
            update={"bot_api_url": telegram_server.url, "bot_token": SecretStr(TOKEN)}
        )
        telegram_bot = create_bot(settings)
        try:
            broadcast_id = await _broadcast(app)
            await _until_done(
                app,
                broadcast_id,
                (DeliveryEngine(app.write_sessions, 1000), BroadcastSender(telegram_bot, app)),
                (build_engine(app, "max"), BroadcastSender(max_bot, app)),
            )
        finally:
            await telegram_bot.session.close()
        telegram_chats = [d.chat_id for d in telegram_server.delivered]
    assert sorted(telegram_chats) == [i for i in telegram_people if i != 3]
    assert sorted(person(u) for u in max_server.sent_to) == [n for n in range(1, 31) if n != 5]
    assert set(max_server.sent_to.values()) == {1} and max_server.counters.duplicates == 0
    assert all("Фестиваль профессий" in max_server.texts(u)[0] for u in max_server.sent_to)
    states = await _states(app)
    assert {u for u, s in states.items() if s == "blocked"} == {3, from_max(5)}
    assert {3, from_max(5)} <= await _blocked(app), "left out of later audiences"


async def test_max_rate_limit_answers_pause_max_sending_and_nothing_is_lost_or_sent_twice(
    app, max_bot, max_server
):
    max_people = [from_max(n) for n in range(1, 41)]
    await _audience(app, max_people)
    # MAX allows 10 calls a second here, the engine aims at 30: 429s must come and be obeyed.
    max_server.limits = FakeMaxLimits(rate=10, window=1.0)
    max_server.faults = FakeMaxFaults(error_rate=0.05, seed=3)
    broadcast_id = await _broadcast(app)
    engine = DeliveryEngine(app.write_sessions, 30, messenger="max")
    paused: list[float] = []
    sender = BroadcastSender(max_bot, app)

    async def send(letter):
        outcome = await sender(letter)
        paused.append(outcome.retry_after)
        return outcome

    await _until_done(app, broadcast_id, (engine, send))
    assert max_server.counters.rate_limited > 0 and max(paused) >= 1
    assert max_server.counters.server_errors > 0
    async with app.sessions() as session:
        pauses = set((await session.execute(select(SendPause.id))).scalars())
    assert pauses == {engine.budget.pause_id}, "MAX's pause, not Telegram's"
    assert sorted(person(u) for u in max_server.sent_to) == list(range(1, 41))
    assert max_server.counters.duplicates == 0
    assert set((await _states(app)).values()) == {"sent"}


async def test_a_max_reminder_to_a_person_who_stopped_the_bot_marks_them_blocked(
    app, max_bot, max_server
):
    anna = from_max(77)
    await _audience(app, [anna])
    max_server.blocked |= {77, anna}
    event_id = await app.events.create(
        NewEvent(title="Профпробы", starts_at=datetime.now(UTC) + timedelta(days=2))
    )
    notices = EventNotices(max_bot, app)
    outcome = await notices.deliver(DueEventReminder(1, event_id, anna))
    assert outcome is Outcome.FAILED
    assert await _blocked(app) == {anna}
    assert max_server.counters.forbidden == 1


def test_the_max_process_paces_at_its_own_cap(app):
    settings = app.settings.model_copy(
        update={"broadcast": app.settings.broadcast.model_copy(update={"max_rate": 17})}
    )
    app.settings = settings
    telegram, max_engine = build_engine(app), build_engine(app, "max")
    assert (max_engine.messenger, max_engine.budget.cap, max_engine.pacer.rate) == ("max", 17, 17)
    assert (telegram.messenger, telegram.budget.cap) == ("telegram", settings.broadcast.rate)
    assert max_engine.budget.pause_id != telegram.budget.pause_id


async def test_a_broadcast_composed_in_telegram_reaches_max_without_the_telegram_file(
    app, max_bot, max_server
):
    anna = from_max(8)
    await _audience(app, [anna])
    event_id = await app.events.create(
        NewEvent(title="Профпробы", starts_at=datetime.now(UTC) + timedelta(days=2))
    )
    broadcast_id = await app.broadcasts.create(
        ADMIN,  # a Telegram admin: the photo is a Telegram file id
        Audience(topics=("orientation",)),
        text="Профпробы в субботу",
        photo_file_id="AgACAgIAAxkBAAIBOWZ-telegram-file",
        button_text="Записаться",
        button_event_id=event_id,
    )
    await app.broadcasts.schedule(broadcast_id)
    await _until_done(
        app, broadcast_id, (build_engine(app, "max"), BroadcastSender(max_bot, app, "max"))
    )
    [shown] = max_server.chat(person(anna)) or max_server.chat(anna)
    assert shown.text == "Профпробы в субботу" and shown.files == []
    [[button]] = shown.keyboard.buttons
    assert (
        button.url == f"https://max.ru/edu_navigator_bot?start={deeplinks.build('event', event_id)}"
    )


async def test_the_max_process_leaves_a_telegram_admins_progress_message_alone(
    app, max_bot, max_server
):
    max_admin = from_max(900)
    progress = await max_bot.send_message(max_admin, "…")
    [shown] = max_server.chat(person(max_admin)) or max_server.chat(max_admin)
    broadcast_id = await app.broadcasts.create(ADMIN, Audience(), text="Урок")
    # A Telegram admin's progress message, whose number happens to be a MAX message's too.
    await app.broadcasts.set_progress_message(broadcast_id, ADMIN, progress.message_id)
    await app.broadcasts.schedule(broadcast_id)
    await build_engine(app, "max").start_due()
    await ProgressReporter(max_bot, app, app.broadcasts, messenger="max").update(force=True)
    assert shown.edits == 0, "the Telegram process edits it"

    await app.broadcasts.set_progress_message(broadcast_id, max_admin, progress.message_id)
    await ProgressReporter(max_bot, app, app.broadcasts, messenger="max").update(force=True)
    assert shown.edits == 1, "its own admin's progress is its to edit"


async def test_a_notice_to_a_specialist_of_the_other_messenger_is_queued_not_sent_here(
    app, max_bot, max_server
):
    """Queued for the Telegram process (tests/max/test_cross_notices.py sends it)."""
    telegram_specialist = SimpleNamespace(specialist_user_id=5, id=None)
    await Notices(max_bot, app, "max").booked(telegram_specialist)
    await Notices(max_bot, app, "max").cancelled(telegram_specialist)
    assert max_server.requests == []
    async with app.sessions() as session:
        queued = (await session.execute(select(Notice.user_id, Notice.kind))).all()
    assert sorted(queued) == [(5, "booked"), (5, "cancelled")]
