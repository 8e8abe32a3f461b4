"""Webhook mode end to end: the real instance (`bot.runner.webhook_instance`) against the fake
Bot API, updates posted over HTTP as Telegram posts them."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from backends import POSTGRES_URL, REDIS_URL, fresh_postgres, needs_postgres
from prometheus_text import parse_metrics
from pydantic import SecretStr
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import OperationalError

from bot.config import ConfigError, Settings, WebhookSettings, load_settings
from bot.runner import webhook_instance
from bot.telegram.i18n import Locales
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeFaults, FakeLimits
from bot.webhook import SECRET_HEADER, UpdateClaims, WebhookServer
from db.models import ProcessedUpdate

TOKEN = "123456:" + "W" * 35
SECRET = "s3cret-Token_for_tests"
PUBLIC_URL = "https://bot.example.org"
T = Locales(default="ru").get("ru")
_update_ids = itertools.count(random.randrange(10**6, 10**8))


# ------------------------------------------------------------------------------ helpers


def start_update(user_id: int, update_id: int | None = None) -> dict:
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Анна", "language_code": "ru"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def press_update(user_id: int, message_id: int, data: str) -> dict:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cb{random.randrange(10**9)}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Анна", "language_code": "ru"},
            "chat_instance": "42",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": 1_790_000_000,
                "chat": {"id": user_id, "type": "private"},
                "text": T("onb-role-ask"),
            },
        },
    }


def make_settings(fake: FakeBotApi, database_url: str, **overrides) -> Settings:
    webhook = {
        "public_url": PUBLIC_URL,
        "secret": SECRET,
        "listen_port": 0,
        "max_connections": 17,
        "drop_pending": True,
        **overrides.pop("webhook", {}),
    }
    values = {
        "bot_token": SecretStr(TOKEN),
        "bot_api_url": fake.url,
        "database_url": database_url,
        "redis_url": None,
        "bot_mode": "webhook",
        "webhook": WebhookSettings(**webhook),
        **overrides,
    }
    return Settings(_env_file=None, **values)


def record_set_webhook(fake: FakeBotApi) -> list[dict]:
    """The fake keeps only the URL of setWebhook: keep every field it was called with."""
    calls: list[dict] = []
    original = fake._api_setWebhook

    def recording(params):  # type: ignore[no-untyped-def]
        calls.append(dict(params.raw))
        return original(params)

    fake._api_setWebhook = recording  # type: ignore[method-assign]
    return calls


async def post(
    http: aiohttp.ClientSession, server: WebhookServer, update: dict, secret: str | None = SECRET
) -> tuple[int, str]:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    url = server.url + server.settings.path
    async with http.post(url, json=update, headers=headers) as response:
        return response.status, await response.text()


def button_data(fake: FakeBotApi, chat_id: int, message_id: int, label: str | None = None) -> str:
    """The callback data of a button on a kept message: the one labelled `label`, or the first
    (a dialog's buttons carry its ids, known only from the message)."""
    markup = json.loads(fake._find(chat_id, message_id).markup)
    for row in markup["inline_keyboard"]:
        for button in row:
            if label is None or button["text"] == label:
                return button["callback_data"]
    raise AssertionError(f"no button {label!r}")


def texts(fake: FakeBotApi, chat_id: int) -> list[str | None]:
    return [delivery.text for delivery in fake.per_chat(chat_id)]


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture
async def fake():
    # Conversations send two or three messages at once, which Telegram allows.
    config = FakeBotApiConfig(token=TOKEN, limits=FakeLimits(per_chat_rate=0))
    async with FakeBotApi(config) as server:
        yield server


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def instance(fake, tmp_path):
    settings = make_settings(fake, f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}")
    calls = record_set_webhook(fake)
    async with webhook_instance(settings) as server:
        server.set_webhook_calls = calls  # type: ignore[attr-defined]
        yield server


# ------------------------------------------------------------------------------ tests


async def test_start_registers_the_webhook_with_the_secret(instance, fake):
    assert fake.webhook_url == PUBLIC_URL + "/telegram/webhook"
    [call] = instance.set_webhook_calls
    assert call["url"] == PUBLIC_URL + "/telegram/webhook"
    assert call["secret_token"] == SECRET
    assert int(call["max_connections"]) == 17  # a form field, as aiogram sends it
    assert call["drop_pending_updates"] == "true"
    allowed = json.loads(call["allowed_updates"])
    assert {"message", "callback_query"} <= set(allowed)
    assert allowed == instance.dispatcher.resolve_used_update_types()


async def test_without_the_right_secret_nothing_is_handled(instance, fake, http):
    metrics = instance.dispatcher["metrics"]
    update = start_update(7001)
    assert (await post(http, instance, update, secret=None))[0] == 401
    assert (await post(http, instance, update, secret="wrong-secret"))[0] == 401
    assert (await post(http, instance, update, secret=SECRET + "x"))[0] == 401
    assert fake.per_chat(7001) == []
    assert metrics.registry.get_sample_value("bot_updates_total", {"type": "message"}) is None
    assert metrics.value("bot_webhook_requests_refused_total", reason="secret") == 3
    # Nothing was taken either: the genuine delivery of the same update is handled.
    status, _ = await post(http, instance, update)
    assert status == 200
    assert len(fake.per_chat(7001)) == 2


async def test_the_answer_comes_after_handling_and_a_resend_is_not_handled_again(
    instance, fake, http
):
    update = start_update(7002)
    status, body = await post(http, instance, update)
    assert status == 200 and json.loads(body) == {}
    # Answered only after handling: the replies are already at Telegram's side.
    replies = texts(fake, 7002)
    assert len(replies) == 2
    assert "Здравствуйте" in replies[0] and T("onb-role-ask") in replies[1]

    # Telegram re-sends (say, our 200 was lost): answered, not handled again.
    status, _ = await post(http, instance, update)
    assert status == 200
    assert len(fake.per_chat(7002)) == 2
    metrics = instance.dispatcher["metrics"]
    assert metrics.value("bot_updates_total", type="message") == 1
    assert metrics.value("bot_webhook_requests_refused_total", reason="repeat") == 1


async def test_a_button_press_is_answered_in_the_webhooks_reply_once(instance, fake, http):
    user_id = 7010
    await post(http, instance, start_update(user_id))
    [question] = [d for d in fake.per_chat(user_id) if d.text == T("onb-role-ask")]
    calls_before = fake.counters.requests
    data = button_data(fake, user_id, question.message_id, T("role-parent"))
    update = press_update(user_id, question.message_id, data)
    status, body = await post(http, instance, update)
    assert status == 200
    reply = json.loads(body)
    query_id = update["callback_query"]["id"]
    assert reply == {"method": "answerCallbackQuery", "callback_query_id": query_id}
    # Not also answered by a call of its own (Telegram would refuse the second answer) ...
    assert query_id not in fake.answered_queries
    # the role question edited into the locality list, and the location question under it
    assert fake.counters.requests - calls_before == 2
    # ... and the reply is what Telegram executes.
    assert fake.webhook_reply(body) == (200, {"ok": True, "result": True})
    assert fake.webhook_reply(body)[0] == 400  # one answer per press
    assert fake.stored_text(user_id, question.message_id) == T("locality-list")


async def test_the_same_update_posted_concurrently_is_handled_once(instance, fake, http):
    update = start_update(7003)
    results = await asyncio.gather(*(post(http, instance, update) for _ in range(5)))
    assert [status for status, _ in results] == [200] * 5
    assert len(fake.per_chat(7003)) == 2
    assert instance.dispatcher["metrics"].value("bot_updates_total", type="message") == 1


async def test_a_crash_after_taking_an_update_loses_it_at_most_once(instance, fake, http):
    """The chosen trade-off: the update_id is recorded before handling. An instance that died
    while handling left the row behind; Telegram's re-send is answered and not handled."""
    update = start_update(7004)
    assert await instance.handler.claims.claim(update["update_id"])  # then "kill -9"
    status, _ = await post(http, instance, update)
    assert status == 200
    assert fake.per_chat(7004) == []
    assert (
        instance.dispatcher["metrics"].value("bot_webhook_requests_refused_total", reason="repeat")
        == 1
    )


async def test_when_the_database_cannot_record_the_update_telegram_sends_it_again(
    instance, fake, http, monkeypatch, logged_errors
):
    claims = instance.handler.claims

    async def unavailable(update_id: int) -> bool:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    update = start_update(7005)
    with monkeypatch.context() as patch:
        patch.setattr(claims, "claim", unavailable)
        status, _ = await post(http, instance, update)
    assert status == 503
    assert fake.per_chat(7005) == []
    assert any("could not record update" in r.getMessage() for r in logged_errors)
    logged_errors.clear()
    # Telegram's next attempt goes through.
    assert (await post(http, instance, update))[0] == 200
    assert len(fake.per_chat(7005)) == 2


async def test_malformed_requests_are_refused(instance, http):
    url = instance.url + instance.settings.path
    headers = {SECRET_HEADER: SECRET}
    async with http.post(url, data=b"not json", headers=headers) as response:
        assert response.status == 400
    async with http.post(url, json={"message": {}}, headers=headers) as response:
        assert response.status == 400
    async with http.get(url, headers=headers) as response:
        assert response.status == 405


async def test_health_and_metrics_on_the_webhook_listener(instance, http):
    status, _ = await post(http, instance, start_update(7006))
    assert status == 200
    ticks = instance.observability.ticker.last_tick
    for _ in range(100):  # the clock's first ticks run at start
        if "reminders" in ticks:
            break
        await asyncio.sleep(0.1)
    async with http.get(instance.url + "/healthz") as response:
        health = await response.json()
        assert response.status == 200, health
    assert health["status"] == "ok" and health["database"] == "ok"
    jobs = health["scheduler"]["jobs"]
    assert {"reminders", "slots", "broadcasts", "processed-updates"} <= set(jobs)
    assert all(job["ok"] for job in jobs.values())
    assert jobs["reminders"]["interval_seconds"] == 30
    assert 0 <= jobs["reminders"]["last_tick_age_seconds"] < 60
    assert health["last_update_at"] is not None

    async with http.get(instance.url + "/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        samples = parse_metrics(await response.text())
    assert samples["bot_updates_total", (("type", "message"),)] == 1
    assert samples["bot_update_duration_seconds_count", ()] == 1
    assert samples["bot_database_up", ()] == 1


async def test_old_taken_update_ids_are_pruned(instance):
    claims = instance.handler.claims
    sessions = instance.handler.claims.write_sessions
    old = datetime.now(UTC) - timedelta(days=3)
    async with sessions() as session, session.begin():
        await session.execute(insert(ProcessedUpdate).values(update_id=1, processed_at=old))
    assert await claims.claim(2)
    assert await claims.prune() == 1
    async with sessions() as session:
        left = (await session.execute(select(ProcessedUpdate.update_id))).scalars().all()
    assert left == [2]


async def test_stop_finishes_the_update_in_flight(tmp_path, http):
    """Graceful stop: the listener closes, the request being handled is finished and answered."""
    faults = FakeFaults(slow_delivered_rate=1.0, slow_delivered_delay=0.4)
    config = FakeBotApiConfig(token=TOKEN, limits=FakeLimits(per_chat_rate=0), faults=faults)
    async with FakeBotApi(config) as fake:
        settings = make_settings(fake, f"sqlite+aiosqlite:///{tmp_path / 'stop.sqlite3'}")
        async with webhook_instance(settings) as server:
            url = server.url
            posting = asyncio.create_task(post(http, server, start_update(7007)))
            for _ in range(200):
                if server.handler.in_flight:
                    break
                await asyncio.sleep(0.01)
            assert server.handler.in_flight, "the update never started"
        # The block has ended: the instance stopped while the update was being handled.
        status, _ = await posting
        assert status == 200
        assert len(fake.per_chat(7007)) == 2
        with pytest.raises(aiohttp.ClientConnectionError):
            async with http.get(url + "/healthz"):
                pass


# ------------------------------------------------------------------------------ settings


def test_webhook_mode_needs_a_secret_and_an_address():
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None, bot_mode="webhook")
    keys = [problem.split(":")[0] for problem in error.value.problems]
    assert keys == ["WEBHOOK__PUBLIC_URL", "WEBHOOK__SECRET"]


def test_webhook_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("BOT_MODE", "Webhook")
    monkeypatch.setenv("WEBHOOK__PUBLIC_URL", "https://bot.example.org:8443/")
    monkeypatch.setenv("WEBHOOK__SECRET", "A" * 256)
    monkeypatch.setenv("WEBHOOK__MAX_CONNECTIONS", "100")
    monkeypatch.setenv("WEBHOOK__DROP_PENDING", "true")
    monkeypatch.setenv("WEBHOOK__LISTEN_PORT", "9000")
    monkeypatch.setenv("METRICS_PORT", "9100")
    settings = load_settings(_env_file=None)
    assert settings.bot_mode == "webhook"
    assert settings.webhook.url == "https://bot.example.org:8443/telegram/webhook"
    assert settings.webhook.listen_host == "127.0.0.1" and settings.webhook.listen_port == 9000
    assert settings.webhook.max_connections == 100 and settings.webhook.drop_pending
    assert "A" * 256 not in repr(settings)
    assert settings.metrics_port == 9100 and settings.metrics_host == "127.0.0.1"


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"webhook": {"public_url": PUBLIC_URL, "secret": "has space"}}, "WEBHOOK__SECRET"),
        ({"webhook": {"public_url": PUBLIC_URL, "secret": "ключ"}}, "WEBHOOK__SECRET"),
        ({"webhook": {"public_url": PUBLIC_URL, "secret": "a" * 257}}, "WEBHOOK__SECRET"),
        ({"webhook": {"public_url": PUBLIC_URL, "secret": "   "}}, "WEBHOOK__SECRET"),
        (
            {"webhook": {"public_url": PUBLIC_URL, "secret": "ok", "max_connections": 0}},
            "WEBHOOK__MAX_CONNECTIONS",
        ),
        (
            {"webhook": {"public_url": PUBLIC_URL, "secret": "ok", "max_connections": 101}},
            "WEBHOOK__MAX_CONNECTIONS",
        ),
        (
            {"webhook": {"public_url": "http://bot.example.org", "secret": "ok"}},
            "WEBHOOK__PUBLIC_URL",
        ),
        (
            {"webhook": {"public_url": "https://bot.example.org:8080", "secret": "ok"}},
            "WEBHOOK__PUBLIC_URL",
        ),
        ({"webhook": {"public_url": PUBLIC_URL + "/hook", "secret": "ok"}}, "WEBHOOK__PUBLIC_URL"),
        ({"webhook": {"public_url": PUBLIC_URL, "secret": "ok", "path": "hook"}}, "WEBHOOK__PATH"),
        (
            {"webhook": {"public_url": PUBLIC_URL, "secret": "ok"}, "metrics_port": 8080},
            "METRICS_PORT",
        ),
        ({"bot_mode": "pull"}, "BOT_MODE"),
    ],
)
def test_bad_webhook_settings_name_their_key(overrides, key):
    overrides = {"bot_mode": "webhook", **overrides}
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None, **overrides)
    assert [problem.split(":")[0] for problem in error.value.problems] == [key]
    assert "has space" not in str(error.value)


def test_polling_mode_needs_no_webhook_settings_and_a_self_hosted_api_may_use_http():
    assert load_settings(_env_file=None).bot_mode == "polling"
    settings = load_settings(
        _env_file=None,
        bot_mode="webhook",
        bot_api_url="http://127.0.0.1:8081",
        webhook={"public_url": "http://bot.internal:8000", "secret": "ok"},
    )
    assert settings.webhook.url == "http://bot.internal:8000/telegram/webhook"


# ------------------------------------------------------------------------------ two instances


@contextlib.asynccontextmanager
async def two_instances(fake: FakeBotApi, redis_url: str | None):
    engine = await fresh_postgres()
    await engine.dispose()
    assert POSTGRES_URL
    async with contextlib.AsyncExitStack() as stack:
        first = await stack.enter_async_context(
            webhook_instance(make_settings(fake, POSTGRES_URL, redis_url=redis_url))
        )
        second = await stack.enter_async_context(
            webhook_instance(make_settings(fake, POSTGRES_URL, redis_url=redis_url))
        )
        yield first, second


@needs_postgres
async def test_two_instances_on_one_postgres_handle_an_update_once(fake, http):
    async with two_instances(fake, REDIS_URL) as (first, second):
        user_id = random.randrange(10**8, 10**9)
        for _ in range(3):  # each time a fresh update, at both instances at once
            update = start_update(user_id)
            before = len(fake.per_chat(user_id))
            results = await asyncio.gather(
                post(http, first, update),
                post(http, second, update),
                post(http, first, update),
                post(http, second, update),
            )
            assert [status for status, _ in results] == [200] * 4
            assert len(fake.per_chat(user_id)) - before == 2
        handled = sum(
            instance.dispatcher["metrics"].value("bot_updates_total", type="message")
            for instance in (first, second)
        )
        repeated = sum(
            instance.dispatcher["metrics"].value(
                "bot_webhook_requests_refused_total", reason="repeat"
            )
            for instance in (first, second)
        )
        assert (handled, repeated) == (3, 9)
        async with first.handler.claims.write_sessions() as session:
            rows = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
        assert rows == 3


@needs_postgres
async def test_a_conversation_started_at_one_instance_continues_at_the_other(fake, http):
    if not REDIS_URL:
        pytest.skip(
            "TEST_REDIS_URL is not set: two instances share conversations through Redis "
            "(the SQL storage caches state per process)"
        )
    user_id = random.randrange(10**8, 10**9)
    async with two_instances(fake, REDIS_URL) as (first, second):
        try:
            assert (await post(http, first, start_update(user_id)))[0] == 200
            [question] = [d for d in fake.per_chat(user_id) if d.text == T("onb-role-ask")]
            data = button_data(fake, user_id, question.message_id, T("role-parent"))
            press = press_update(user_id, question.message_id, data)
            status, body = await post(http, second, press)
            assert status == 200 and fake.webhook_reply(body)[0] == 200  # the press's answer
            assert (
                second.dispatcher["metrics"].value("bot_updates_total", type="callback_query") == 1
            )
            assert fake.stored_text(user_id, question.message_id) == T("locality-list")
            assert T("locality-ask") in texts(fake, user_id)

            # And back at the first, which saw the conversation at its start: the state the
            # second one set is what it sees now.
            data = button_data(fake, user_id, question.message_id)  # the list's first place
            status, _ = await post(http, first, press_update(user_id, question.message_id, data))
            assert status == 200
            assert T("age-ask") in texts(fake, user_id)
        finally:
            redis = second.dispatcher.storage.redis
            keys = [key async for key in redis.scan_iter(f"*:{user_id}:*")]
            if keys:
                await redis.delete(*keys)


async def test_claims_arriving_together_are_written_together(app):
    """A surge's claims share one insert; each update is still taken exactly once, a re-sent
    one (in the same batch or a later one) by nobody else."""
    claims = UpdateClaims(app.writer, app.write_sessions)
    inserts = []
    event.listen(
        app.engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: (
            inserts.append(statement) if "processed_updates" in statement else None
        ),
    )
    ids = [*range(100, 160), 120, 130]  # two re-sent while the originals are in flight
    taken = await asyncio.gather(*(claims.claim(update_id) for update_id in ids))
    assert sum(taken) == 60 and taken[-2:] == [False, False]
    assert len(inserts) < 10, "claims waiting for the writer go in one statement"
    assert await claims.claim(140) is False, "taken before: a later re-send is refused too"
    assert await claims.claim(7) is True
    async with app.sessions() as session:
        stored = (await session.execute(select(func.count(ProcessedUpdate.update_id)))).scalar()
    assert stored == 61
