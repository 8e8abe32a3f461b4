"""MAX's webhook end to end: the real instance (`bot.max.runner.max_webhook_instance`) against
the fake MAX API, updates posted over HTTP as MAX posts them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest
from backends import POSTGRES_URL, fresh_postgres, needs_postgres
from sqlalchemy import func, select

from bot.config import Settings
from bot.max.runner import max_webhook_instance
from bot.max.webhook import SECRET_HEADER, MaxWebhookServer
from bot.testing.fake_max_api import FakeMaxApi
from db.models import ProcessedUpdate
from services.messengers.ids import MAX_BASE

MAX_TOKEN = "max-test-token"
SECRET = "max-webhook-secret-42"
PUBLIC_URL = "https://bot.example.org"


def max_settings(server: FakeMaxApi, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "messenger": "max",
        "bot_mode": "webhook",
        "max_token": MAX_TOKEN,
        "max_api_url": server.url,
        "database_url": database_url,
        "redis_url": None,
        "default_locale": "ru",
        "max_webhook": {"public_url": PUBLIC_URL, "secret": SECRET, "listen_port": 0},
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
async def instance(tmp_path, max_server) -> AsyncIterator[MaxWebhookServer]:
    settings = max_settings(max_server, f"sqlite+aiosqlite:///{tmp_path / 'max.sqlite3'}")
    async with max_webhook_instance(settings) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        yield session


async def post(
    http: aiohttp.ClientSession, server: MaxWebhookServer, data: object, secret: str | None = SECRET
) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    url = server.url + server.settings.path
    async with http.post(url, json=data, headers=headers) as answer:
        await answer.read()
        return answer.status


def refused(server: MaxWebhookServer, reason: str) -> float:
    return server.observability.metrics.value("bot_webhook_requests_refused_total", reason=reason)


async def test_the_subscription_is_made_at_start_with_the_secret(instance, max_server):
    url = PUBLIC_URL + "/max/webhook"
    subscription = max_server.feed.subscriptions[url]
    assert max_server.feed.secrets[url] == SECRET
    assert {"message_created", "message_callback", "bot_started"} <= set(
        subscription.update_types or []
    )


async def test_an_update_is_handled_and_answered_200(instance, max_server, http):
    anna = 8101
    assert await post(http, instance, max_server.start_update(anna)) == 200
    assert "Кто вы?" in max_server.texts(anna)[-1]
    assert await post(http, instance, max_server.press_update(anna, "Родитель")) == 200
    assert "Где вы живёте" in max_server.texts(anna)[-1]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret-42", SECRET + "x"])
async def test_a_missing_or_wrong_secret_is_refused_before_the_body(
    instance, max_server, http, secret
):
    anna = 8102
    status = await post(http, instance, max_server.start_update(anna), secret=secret)
    assert status == 401
    assert max_server.texts(anna) == []
    assert refused(instance, "secret") == 1


async def test_a_wrong_secret_is_answered_while_the_body_never_comes(instance, http):
    never = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield b'{"update_type": "message_created", '
        await never.wait()  # the rest never comes: a reader of the body would wait forever

    url = instance.url + instance.settings.path
    async with asyncio.timeout(20):  # a guard against hanging, not a measurement
        async with http.post(url, data=body(), headers={SECRET_HEADER: "nope-nope"}) as answer:
            assert answer.status == 401


@pytest.mark.parametrize(
    "data",
    [
        {"no": "update_type"},
        [1, 2, 3],
        {"update_type": "message_created", "timestamp": 1, "message": "not a message"},
        {"update_type": "message_callback", "timestamp": 1},
        {  # from nobody: no person's id anywhere
            "update_type": "message_created",
            "timestamp": 1,
            "message": {
                "sender": {"user_id": 0, "first_name": "", "is_bot": False},
                "recipient": {"chat_type": "dialog"},
                "timestamp": 1,
                "body": {"mid": "mid.0", "seq": 0, "text": "hi"},
            },
        },
    ],
)
async def test_a_body_that_is_not_a_max_update_is_400(instance, http, data):
    assert await post(http, instance, data) == 400


async def test_not_json_is_400(instance, http):
    url = instance.url + instance.settings.path
    async with http.post(url, data=b"{oops", headers={SECRET_HEADER: SECRET}) as answer:
        assert answer.status == 400


async def test_a_type_the_bot_does_not_handle_is_ignored_and_logged_once(instance, http, caplog):
    muted = {"update_type": "dialog_muted", "timestamp": 1, "chat_id": 5, "user": {}}
    with caplog.at_level(logging.INFO, logger="bot.max.updates"):
        assert await post(http, instance, muted) == 200
        assert await post(http, instance, muted) == 200
        assert await post(http, instance, {"update_type": "chat_title_changed"}) == 200
    notes = [r for r in caplog.records if "is not handled" in r.getMessage()]
    assert [r.levelno for r in notes] == [logging.INFO, logging.INFO]
    assert "dialog_muted" in notes[0].getMessage() and "chat_title" in notes[1].getMessage()


async def test_a_resent_update_is_handled_once(instance, max_server, http):
    anna = 8103
    start = max_server.start_update(anna)
    assert await post(http, instance, start) == 200
    shown = len(max_server.chat(anna))
    results = await asyncio.gather(*(post(http, instance, start) for _ in range(3)))
    assert results == [200, 200, 200]
    assert len(max_server.chat(anna)) == shown
    assert refused(instance, "repeat") == 3

    text = max_server.text_update(anna, "Помощь")
    assert [await post(http, instance, text), await post(http, instance, text)] == [200, 200]
    assert refused(instance, "repeat") == 4
    async with instance.handler.claims.write_sessions() as session:
        ids = (await session.scalars(select(ProcessedUpdate.update_id))).all()
    assert len(ids) == 2 and all(update_id > MAX_BASE for update_id in ids)


@contextlib.asynccontextmanager
async def two_instances(max_server: FakeMaxApi):
    engine = await fresh_postgres()
    await engine.dispose()
    assert POSTGRES_URL
    async with contextlib.AsyncExitStack() as stack:
        first = await stack.enter_async_context(
            max_webhook_instance(max_settings(max_server, POSTGRES_URL))
        )
        second = await stack.enter_async_context(
            max_webhook_instance(max_settings(max_server, POSTGRES_URL))
        )
        yield first, second


@needs_postgres
async def test_two_instances_on_one_postgres_handle_an_update_once(max_server, http):
    async with two_instances(max_server) as (first, second):
        for anna in (8201, 8202, 8203):  # each time a fresh update, at both instances at once
            start = max_server.start_update(anna)
            results = await asyncio.gather(
                post(http, first, start),
                post(http, second, start),
                post(http, first, start),
                post(http, second, start),
            )
            assert results == [200] * 4
            welcome = [text for text in max_server.texts(anna) if "Здравствуйте" in text]
            assert len(welcome) == 1, max_server.texts(anna)
        repeated = refused(first, "repeat") + refused(second, "repeat")
        assert repeated == 9
        async with first.handler.claims.write_sessions() as session:
            rows = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
        assert rows == 3


async def test_health_and_metrics_are_served_beside_the_webhook(instance, http):
    async with http.get(instance.url + "/healthz") as answer:
        health = await answer.json()
        assert answer.status == 200, health
    assert health["database"] == "ok"
    async with http.get(instance.url + "/metrics") as answer:
        assert answer.status == 200
        assert "bot_webhook_requests_refused_total" in await answer.text()
