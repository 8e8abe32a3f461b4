"""Pacing: sends spread evenly and never more than the cap in any sliding window, as Telegram
counts them (a budget handed out per calendar second let two bursts meet across a second
boundary and drew 429s)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from itertools import pairwise

from sqlalchemy import insert

from bot.app import create_bot
from bot.notify.broadcasts import BroadcastSender
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits
from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Subscription, User
from services.broadcasts.service import (
    Audience,
    BroadcastService,
    DeliveryEngine,
    Letter,
    Outcome,
    Pacer,
    RateBudget,
    Result,
)
from services.people.profiles import CONSENT_VERSION

TOKEN = "123456:" + "P" * 35


def _greedy(pacer: Pacer, start: float, seconds: float, want: int = 1000) -> list[float]:
    """A sender that always has work: sends whatever the pacer allows, as soon as it allows."""
    now, sent = start, []
    while now < start + seconds:
        allowed = min(pacer.available(now), want)
        if allowed:
            pacer.record(now, allowed)
            sent.extend([now] * allowed)
        else:
            now += max(pacer.delay(now, 1), 1e-6)
    return sent


def _most_in_any_window(times: list[float], window: float = 1.0) -> int:
    """The largest number of sends within one sliding window (start, start + window]."""
    times = sorted(times)
    most, first = 0, 0
    for last, moment in enumerate(times):
        while times[first] <= moment - window:
            first += 1
        most = max(most, last - first + 1)
    return most


def test_never_more_than_the_cap_in_any_sliding_second():
    # Starting just before a second boundary, where per-second budgets made double bursts.
    for start in (1000.0, 1000.97, 1000.999):
        pacer = Pacer(30, burst=3)
        sent = _greedy(pacer, start, 10.0)
        assert _most_in_any_window(sent) <= 30
        assert len(sent) >= 30 * 10 - 3  # and it does not starve either


def test_sends_are_spread_evenly_within_the_second():
    pacer = Pacer(25, burst=1)
    sent = _greedy(pacer, 50.0, 4.0)
    gaps = [b - a for a, b in pairwise(sent)]
    assert min(gaps) >= 1 / 25 - 1e-9  # one at a time, 40 ms apart: no bursts
    assert _most_in_any_window(sent, 0.2) <= 5


def test_a_late_sender_catches_up_only_by_the_bucket():
    pacer = Pacer(1000, burst=100)
    pacer.record(0.0, 100)
    assert pacer.available(0.0) == 0
    assert abs(pacer.delay(0.0, 50) - 0.05) < 1e-9
    # Half a second without sending: only a bucket's worth may go at once, not 500.
    assert pacer.available(0.5) == 100
    pacer.record(0.5, 100)
    sent = [0.0] * 100 + [0.5] * 100 + _greedy(pacer, 0.5, 3.0)
    assert _most_in_any_window(sent) <= 1000


def test_a_longer_window_leaves_room_for_jitter():
    # A second's worth within 1.05 s: arrivals that bunch by up to 50 ms stay within the cap.
    pacer = Pacer(100, burst=10, window=1.05)
    sent = _greedy(pacer, 3.0, 6.0)
    assert _most_in_any_window(sent, 1.05) <= 100
    # Any delays between 0 and 50 ms on the way: no second at the server above the cap.
    jitter = random.Random(5)
    late = [moment + jitter.uniform(0.0, 0.05) for moment in sent]
    assert _most_in_any_window(late) <= 100


def test_the_window_holds_even_with_a_deep_bucket():
    # A bucket as deep as the cap would allow two caps within one second; the window does not.
    pacer = Pacer(20, burst=20)
    sent = _greedy(pacer, 7.5, 5.0)
    assert _most_in_any_window(sent) <= 20
    assert pacer.delay(sent[-1], 1) > 0


def test_the_shared_budget_gives_each_slot_its_share_and_a_second_the_cap():
    for cap in (1, 7, 25, 30, 200, 1000):
        budget = RateBudget(cap)
        shares = [budget.share(slot) for slot in range(1000, 1000 + 3 * budget.slots)]
        assert max(shares) - min(shares) <= 1
        for start in range(len(shares) - budget.slots):
            assert sum(shares[start : start + budget.slots]) == cap


# Broadcasts reach only people with consent on record.
CONSENTED = {"locale": "ru", "consent_version": CONSENT_VERSION, "consent_at": datetime.now(UTC)}


async def _recipients(sessions, count: int) -> None:
    now = datetime.now(UTC)
    async with sessions() as session:
        await session.execute(
            insert(User),
            [{"id": i, "created_at": now, **CONSENTED} for i in range(1, count + 1)],
        )
        await session.execute(
            insert(Subscription),
            [{"user_id": i, "topic": "orientation"} for i in range(1, count + 1)],
        )
        await session.commit()


async def test_the_engine_lets_sends_go_only_as_the_pacer_allows(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}")
    await migrate.upgrade(engine)
    try:
        sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
        await _recipients(sessions, 60)
        service = BroadcastService(sessions, writes)
        broadcast_id = await service.create(1, Audience(topics=("orientation",)), text="Урок")
        await service.schedule(broadcast_id)
        worker = DeliveryEngine(writes, 40)
        decisions: list[float] = []
        record = worker.pacer.record

        def logged(now: float, count: int, sent_at: float | None = None) -> None:
            assert sent_at is not None and sent_at >= now
            decisions.extend([sent_at] * count)  # the window counts from when they leave
            record(now, count, sent_at)

        worker.pacer.record = logged  # type: ignore[method-assign]
        delivered: list[int] = []

        async def send(letter: Letter) -> Outcome:
            delivered.append(letter.user_id)
            return Outcome(Result.SENT)

        while (await service.progress(broadcast_id)).status != "done":
            await worker.run_for(send, 10)
        assert sorted(delivered) == list(range(1, 61))
        assert len(decisions) == 60
        assert _most_in_any_window(decisions) <= 40
        # Groups stay small: at 40/s one letter at a time, a few only to make up a delay.
        assert max(decisions.count(moment) for moment in decisions) <= worker.pacer.burst <= 5
    finally:
        await engine.dispose()


async def test_real_limits_draw_no_429(app):
    """Telegram's limits (30/s sliding, 1/s per chat) and our default cap of 25/s: nothing is
    refused, where per-second bursts were refused again and again."""
    now = datetime.now(UTC)
    async with app.sessions() as session:
        await session.execute(
            insert(User), [{"id": i, "created_at": now, **CONSENTED} for i in range(1, 71)]
        )
        await session.execute(
            insert(Subscription), [{"user_id": i, "topic": "orientation"} for i in range(1, 71)]
        )
        await session.commit()
    limits = FakeLimits(global_rate=30, per_chat_rate=1, window=1.0)
    async with FakeBotApi(FakeBotApiConfig(limits=limits)) as server:
        settings = app.settings.model_copy(update={"bot_api_url": server.url})
        settings = settings.model_copy(
            update={"bot_token": __import__("pydantic").SecretStr(TOKEN)}
        )
        bot = create_bot(settings)
        try:
            broadcast_id = await app.broadcasts.create(
                1, Audience(topics=("orientation",)), text="«Билет в будущее»"
            )
            await app.broadcasts.schedule(broadcast_id)
            worker = DeliveryEngine(app.write_sessions, 25)
            sender = BroadcastSender(bot, app)
            while (await app.broadcasts.progress(broadcast_id)).status != "done":
                await worker.run_for(sender, 10)
        finally:
            await bot.session.close()
        assert server.counters.rate_limited == 0
        assert sorted(d.chat_id for d in server.delivered) == list(range(1, 71))


async def test_paid_broadcasts_leave_room_for_jitter(app):
    """At the free default (25 of Telegram's 30/s) a second is the window; with paid
    broadcasts the cap is Telegram's own limit, so the window is a little longer."""
    from types import SimpleNamespace

    from bot.notify.broadcasts import build_engine

    free = build_engine(app)
    assert free.pacer.window == 1.0 and free.pacer.limit == app.settings.broadcast.rate
    broadcast = app.settings.broadcast.model_copy(update={"paid": True, "rate": 1000})
    settings = app.settings.model_copy(update={"broadcast": broadcast})
    paid = build_engine(SimpleNamespace(settings=settings, write_sessions=app.write_sessions))
    assert 1.0 < paid.pacer.window <= 1.1 and paid.pacer.limit == 1000


async def test_a_pause_written_by_another_worker_stops_this_one(tmp_path):
    """Telegram's retry_after applies to the bot, not to one process: a pause in the database
    holds every worker until it ends."""
    from datetime import timedelta

    from sqlalchemy import delete

    from db.models import SendPause

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}")
    await migrate.upgrade(engine)
    try:
        sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
        await _recipients(sessions, 5)
        service = BroadcastService(sessions, writes)
        broadcast_id = await service.create(1, Audience(topics=("orientation",)), text="Урок")
        await service.schedule(broadcast_id)
        async with writes() as session, session.begin():
            session.add(SendPause(id=1, until=datetime.now(UTC) + timedelta(seconds=30)))
        delivered: list[int] = []

        async def send(letter: Letter) -> Outcome:
            delivered.append(letter.user_id)
            return Outcome(Result.SENT)

        worker = DeliveryEngine(writes, 1000)
        await worker.run_for(send, 0.3)
        assert delivered == [] and worker.budget.paused_for() > 20
        async with writes() as session, session.begin():
            await session.execute(delete(SendPause))
        again = DeliveryEngine(writes, 1000)  # a worker that never saw the pause
        while (await service.progress(broadcast_id)).status != "done":
            await again.run_for(send, 5)
        assert sorted(delivered) == [1, 2, 3, 4, 5]
    finally:
        await engine.dispose()
