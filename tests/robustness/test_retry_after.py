"""Replies that meet 429 wait retry_after and are sent; the clock's senders are left alone."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage

from bot.middlewares.retry_after import REPLYING, RetryAfter
from bot.notify.broadcasts import BroadcastSender
from bot.telegram.i18n import Locales
from services.broadcasts.service import Audience, Letter, Result

RU = Locales(default="ru").get("ru")


class Refuse(BaseRequestMiddleware):
    """Telegram's side of a flood: the first `times` sends to a chat answer 429."""

    def __init__(self, times: int, retry_after: int = 3) -> None:
        self.times = times
        self.retry_after = retry_after
        self.refused = 0
        self.calls = 0

    async def __call__(self, make_request, bot, method):  # type: ignore[no-untyped-def]
        if isinstance(method, SendMessage):
            self.calls += 1
            if self.refused < self.times:
                self.refused += 1
                raise TelegramRetryAfter(method, "Too Many Requests", self.retry_after)
        return await make_request(bot, method)


class Waits:
    """The retry's clock and sleep: sleeping moves the clock, no real time passes."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def retry_of(client) -> RetryAfter:  # type: ignore[no-untyped-def]
    [retry] = [m for m in client.session.middleware if isinstance(m, RetryAfter)]
    return retry


@pytest.fixture
def waits(client) -> Waits:
    waits = Waits()
    retry = retry_of(client)
    retry.clock, retry.sleep = waits.clock, waits.sleep
    return waits


@pytest.fixture
def warnings(caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING, logger="bot.middlewares.retry_after")
    return lambda: [r for r in caplog.records if r.name == "bot.middlewares.retry_after"]


async def test_a_reply_that_meets_429_waits_and_is_sent(client, waits, warnings):
    refuse = Refuse(times=2, retry_after=3)
    client.session.middleware(refuse)
    user = client.user(5201)
    out = await user.send("/help")
    assert [o.method.text for o in out if isinstance(o.method, SendMessage)] == [RU("help-text")]
    assert refuse.calls == 3 and waits.slept == [3, 3]
    # One WARNING line per 429, no traceback, no error (the client fixture checks errors).
    lines = warnings()
    assert len(lines) == 2 and all(r.levelno == logging.WARNING and not r.exc_info for r in lines)
    assert "retry 1 of 3" in lines[0].getMessage()


async def test_retries_are_bounded_and_giving_up_is_a_warning_not_an_error(client, waits, warnings):
    refuse = Refuse(times=100, retry_after=2)
    client.session.middleware(refuse)
    user = client.user(5202)
    out = await user.send("/help")
    assert refuse.calls == 4  # the first try and 3 retries
    assert waits.slept == [2, 2, 2]
    # No apology (it would meet the 429 too) and no admin alert: the client fixture would
    # fail on the ERROR the error handler logs.
    assert [o for o in out if o.error is None and isinstance(o.method, SendMessage)] == []
    lines = [r.getMessage() for r in warnings()]
    assert len(lines) == 4 and "gave up after 3 retries" in lines[-1]


async def test_waiting_never_passes_the_budget(client, waits):
    client.session.middleware(Refuse(times=100, retry_after=45))
    await client.user(5203).send("/help")
    assert waits.slept == [45]  # a second wait of 45 s would end past 60 s


async def test_replies_to_a_chat_under_429_go_out_one_by_one_in_order(client, waits):
    """Two handlers replying to one chat at once: the second does not hit the limit again."""
    retry = retry_of(client)

    async def sleep(seconds: float) -> None:  # other tasks run meanwhile
        waits.slept.append(seconds)
        await asyncio.sleep(0.02)
        waits.now += seconds

    retry.sleep = sleep
    order: list[tuple[str, float]] = []
    calls = 0

    async def telegram(bot, method):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            raise TelegramRetryAfter(method, "Too Many Requests", 5)
        order.append((method.text, waits.now))
        return True

    token = REPLYING.set(True)
    try:
        first = asyncio.create_task(retry(telegram, client.bot, SendMessage(chat_id=1, text="a")))
        await asyncio.sleep(0)
        second = asyncio.create_task(retry(telegram, client.bot, SendMessage(chat_id=1, text="b")))
        third = asyncio.create_task(retry(telegram, client.bot, SendMessage(chat_id=2, text="c")))
        await asyncio.gather(first, second, third)
    finally:
        REPLYING.reset(token)
    assert ("c", 0.0) in order  # the other chat did not wait
    # The chat is paced at Telegram's retry_after: in order, 5 s apart, no second 429.
    assert [sent for sent in order if sent[0] != "c"] == [("a", 5.0), ("b", 10.0)]
    assert calls == 4 and waits.slept == [5, 5]
    # Quiet for a whole spacing, the chat is calm again: sent at once, nothing kept.
    waits.now += 5
    token = REPLYING.set(True)
    try:
        await retry(telegram, client.bot, SendMessage(chat_id=1, text="d"))
    finally:
        REPLYING.reset(token)
    assert order[-1] == ("d", 15.0) and waits.slept == [5, 5]
    assert retry.waits == {}


async def test_the_broadcast_sender_meets_429_itself_without_a_second_retry(app, client, waits):
    refuse = Refuse(times=1, retry_after=7)
    client.session.middleware(refuse)
    broadcast_id = await app.broadcasts.create(900001, Audience(), text="Новость")
    sender = BroadcastSender(client.bot, app)
    letter = Letter(outbox_id=1, broadcast_id=broadcast_id, user_id=5204, locale="ru")
    outcome = await sender(letter)
    # Straight back to the delivery engine, which pauses every worker for retry_after.
    assert outcome.result is Result.RATE_LIMITED and outcome.retry_after == 7
    assert refuse.calls == 1 and waits.slept == []
