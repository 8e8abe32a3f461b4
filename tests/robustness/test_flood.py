"""Per-person flood control through the real dispatcher, on a clock the test moves."""

from __future__ import annotations

import json
from unittest.mock import ANY

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from backends import REDIS_URL, needs_redis

from bot.app import create_dispatcher
from bot.middlewares.flood_gates import FloodLimits, MemoryFloodGate, RedisFloodGate, Verdict
from bot.telegram.i18n import Locales
from harness import BotClient

RU = Locales(default="ru").get("ru")
EN = Locales(default="ru").get("en")
ADMIN = 900001  # the conftest's admin_ids


class Seconds:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seconds() -> Seconds:
    return Seconds()


@pytest.fixture
async def flood_client(app, seconds, logged_errors):
    gate = MemoryFloodGate(clock=seconds)
    client = BotClient(app, create_dispatcher(app, flood_gate=gate))
    yield client
    await client.dispatcher.storage.close()
    assert not [str(out.error) for out in client.rejections]
    assert not logged_errors, [r.getMessage() for r in logged_errors]


def sent_texts(outgoing) -> list[str]:
    return [out.method.text for out in outgoing if isinstance(out.method, SendMessage)]


async def test_a_flooding_person_gets_one_notice_then_silence_and_others_are_served(
    flood_client, seconds
):
    burst = int(FloodLimits().burst)
    flooder, neighbour = flood_client.user(5101), flood_client.user(5102)
    await flooder.send("/start")
    for _ in range(burst - 1):  # a quick burst is fine: all answered
        assert sent_texts(await flooder.send("/help"))
    assert sent_texts(await flooder.send("/help")) == [RU("flood-notice")]
    for _ in range(200):  # the flood goes on: not a single call to Telegram
        assert await flooder.send("/help") == []
    # Someone else at the same moment is answered as usual.
    await neighbour.send("/start")
    assert sent_texts(await neighbour.send("/help"))
    assert flood_client.dispatcher["flood"].notices == 1


async def test_the_person_is_answered_again_once_the_flood_stops(flood_client, seconds):
    flooder = flood_client.user(5103)
    for _ in range(300):
        await flooder.send("/help")
    # Still flooding, slowly: a message every half second for 20 s stays unanswered.
    for _ in range(40):
        seconds.now += 0.5
        assert await flooder.send("/help") == []
    seconds.now += 10.0  # a pause of (cap - release) / rate seconds: the flood is over
    assert sent_texts(await flooder.send("/help"))
    assert flood_client.dispatcher["flood"].notices == 1


async def test_a_steady_person_is_never_throttled(flood_client, seconds):
    person = flood_client.user(5104)
    for _ in range(200):  # one message a second for minutes
        seconds.now += 1.0
        assert sent_texts(await person.send("/help"))


async def test_staff_are_never_throttled(flood_client):
    admin = flood_client.user(ADMIN)
    for _ in range(100):
        assert sent_texts(await admin.send("/help"))
    assert flood_client.dispatcher["flood"].notices == 0


async def test_presses_while_throttled_are_still_answered(flood_client, seconds):
    flooder = flood_client.user(5105, language_code="en")
    await flooder.send("/start")
    role_question = flooder.messages[-1]
    data = role_question.reply_markup.inline_keyboard[0][0].callback_data
    burst = int(FloodLimits().burst)
    for _ in range(burst - 1):
        await flooder.send("/help")  # leaves onboarding: the question loses its buttons
    messages = flood_client.session.chat(flooder.chat.id).messages
    standing = messages[role_question.message_id]
    # The press that starts the flood: its answer carries the notice, and nothing else is sent.
    out = await flooder._callback(role_question, data)
    [answer] = [o.method for o in out]
    assert isinstance(answer, AnswerCallbackQuery) and answer.text == EN("flood-notice-short")
    for _ in range(50):  # the harness checks each press is answered exactly once
        out = await flooder._callback(role_question, data)
        [answer] = [o.method for o in out]
        assert isinstance(answer, AnswerCallbackQuery) and answer.text is None
    # The presses changed nothing: the question still stands as /help left it.
    shown = messages[role_question.message_id]
    assert shown.text == standing.text == role_question.text
    assert shown.reply_markup == standing.reply_markup


def test_limits_must_make_sense():
    with pytest.raises(ValueError):
        FloodLimits(burst=5, release=5)


@needs_redis
async def test_the_redis_gate_follows_the_same_rule_and_is_shared_by_instances(seconds):
    from redis.asyncio import Redis

    assert REDIS_URL
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.flushdb()
        one, two = RedisFloodGate(redis, clock=seconds), RedisFloodGate(redis, clock=seconds)
        memory = MemoryFloodGate(clock=seconds)
        steps = [0.0] * 30 + [0.3] * 40 + [12.0] + [1.0] * 30 + [0.05] * 30
        for index, step in enumerate(steps):
            seconds.now += step
            gate = one if index % 2 else two  # a balancer alternates between instances
            assert await gate.hit(42) == await memory.hit(42), index
        verdicts = [await one.hit(7) for _ in range(25)]
        assert verdicts.count(Verdict.NOTICE) == 1
        assert await two.hit(7) is Verdict.DROP  # the other instance knows
        ttl = await redis.pttl("flood:7")
        assert 0 < ttl <= one.ttl_ms  # drained buckets leave Redis by themselves
    finally:
        await redis.flushdb()
        await redis.aclose()


async def test_in_webhook_mode_throttled_presses_are_answered_in_the_reply(tmp_path, logged_errors):
    """The real instance (throttle on, as `make run` has it): a flood of presses gets each
    its answer in the webhook's reply, the first throttled one with the notice."""
    import aiohttp
    from test_webhook import TOKEN, make_settings, post, press_update

    from bot.runner import webhook_instance
    from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig

    async with FakeBotApi(FakeBotApiConfig(token=TOKEN)) as fake:
        settings = make_settings(fake, f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}")
        async with webhook_instance(settings) as server, aiohttp.ClientSession() as http:
            replies = []
            for _ in range(60):
                status, body = await post(http, server, press_update(5106, 1, "stale:1"))
                assert status == 200
                replies.append(json.loads(body))
            flood = server.dispatcher["flood"]
    assert all(reply.get("method") == "answerCallbackQuery" for reply in replies)
    noticed = [reply for reply in replies if reply.get("text") == RU("flood-notice-short")]
    assert len(noticed) == 1 and flood.notices == 1
    assert replies[-1] == {"method": "answerCallbackQuery", "callback_query_id": ANY}
    assert flood.dropped >= 60 - int(FloodLimits().burst) - 5  # a few may drain meanwhile
    assert not logged_errors, [r.getMessage() for r in logged_errors]
