"""The webhook listener reads within a time and a size, and parses within bounds: a real
listener (`bot.runner.webhook_instance`), raw sockets for the slow clients."""

from __future__ import annotations

import asyncio
import io
import json
import time
from urllib.parse import urlsplit

import aiohttp
import pytest
from test_webhook import SECRET, TOKEN, make_settings, start_update

from bot.runner import webhook_instance
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits
from bot.webhook import SECRET_HEADER
from bot.webhook_body import BodyLimits, depth

LIMITS = BodyLimits(read_timeout=0.5, idle_timeout=1.0, linger=0.5)


@pytest.fixture
async def fake():
    config = FakeBotApiConfig(token=TOKEN, limits=FakeLimits(per_chat_rate=0))
    async with FakeBotApi(config) as server:
        yield server


@pytest.fixture
async def instance(fake, tmp_path):
    settings = make_settings(fake, f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}")
    async with webhook_instance(settings, limits=LIMITS) as server:
        yield server


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def post_raw(http, instance, body) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    url = instance.url + instance.settings.path
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    async with http.post(url, data=body, headers=headers) as response:
        return response.status, await response.text()


async def connect(instance) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:  # type: ignore[no-untyped-def]
    parts = urlsplit(instance.url)
    return await asyncio.open_connection(parts.hostname, parts.port)


def head(instance, length: int) -> bytes:  # type: ignore[no-untyped-def]
    return (
        f"POST {instance.settings.path} HTTP/1.1\r\nHost: bot\r\n{SECRET_HEADER}: {SECRET}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


async def until_closed(reader: asyncio.StreamReader, limit: float) -> bytes:
    """Everything the server sends until it closes the connection (at most `limit` s)."""
    return await asyncio.wait_for(reader.read(), limit)


async def test_a_client_that_sends_its_body_slowly_is_cut_off(instance, fake):
    reader, writer = await connect(instance)
    body = json.dumps(start_update(7301)).encode()
    started = time.monotonic()
    writer.write(head(instance, len(body)) + body[:10])  # ... and the rest never comes
    await writer.drain()
    answer = await until_closed(reader, 5.0)
    elapsed = time.monotonic() - started
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408")
    assert elapsed < LIMITS.read_timeout + LIMITS.linger + 1.0
    assert fake.per_chat(7301) == []


async def test_connections_that_never_complete_a_request_are_closed(instance, fake, http):
    """200 half-open connections (nothing sent, or headers cut short) are all closed within the
    idle timeout, and Telegram's updates are handled meanwhile."""
    started = time.monotonic()
    connections = [await connect(instance) for _ in range(200)]
    for index, (_, writer) in enumerate(connections):
        if index % 2:
            writer.write(head(instance, 100)[:30])  # the request line, then silence
    update = start_update(7302)
    status, _ = await post_raw(http, instance, json.dumps(update).encode())
    assert status == 200 and len(fake.per_chat(7302)) == 2
    answers = await asyncio.gather(*(until_closed(reader, 5.0) for reader, _ in connections))
    elapsed = time.monotonic() - started
    for _, writer in connections:
        writer.close()
    assert all(answer == b"" for answer in answers)  # closed without a word
    assert elapsed < LIMITS.idle_timeout + 2.0


async def test_deeply_nested_json_is_refused(instance, http):
    deep = b'{"update_id": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert (await post_raw(http, instance, deep))[0] == 400
    just_too_deep = {"update_id": 2, "x": 1}
    for _ in range(LIMITS.max_depth):
        just_too_deep = {"update_id": 2, "x": [just_too_deep]}
    assert (await post_raw(http, instance, json.dumps(just_too_deep).encode()))[0] == 400


@pytest.mark.parametrize(
    "change",
    [
        lambda u: u.update(update_id=2**63),
        lambda u: u.update(update_id=-1),
        lambda u: u.update(update_id=True),
        lambda u: u["message"]["chat"].update(id=2**70),
        lambda u: u["message"].update(message_id=-(2**63) - 1),
        lambda u: u["message"].update(message_id="9" * 5000),
    ],
    ids=["update_id 2^63", "negative", "boolean", "chat id 2^70", "below -2^63", "digits"],
)
async def test_integers_out_of_range_are_refused(instance, fake, http, change):
    update = start_update(7303)
    change(update)
    body = json.dumps(update).encode().replace(b'"' + b"9" * 5000 + b'"', b"9" * 5000)
    assert (await post_raw(http, instance, body))[0] == 400
    assert fake.per_chat(7303) == []


async def test_not_a_number_and_oversized_bodies_are_refused(instance, http):
    update = json.dumps(start_update(7304)).encode()
    assert (await post_raw(http, instance, update[:-1] + b', "x": NaN}'))[0] == 400
    assert (await post_raw(http, instance, update[:-1] + b', "x": 1e999}'))[0] == 400
    assert (await post_raw(http, instance, b"\xff\xfe not utf-8"))[0] == 400
    assert (await post_raw(http, instance, b"[1, 2]"))[0] == 400
    padding = b" " * (LIMITS.max_bytes + 1)
    assert (await post_raw(http, instance, io.BytesIO(update + padding)))[0] == 413

    async def chunked():  # no Content-Length: counted while read
        yield update
        for _ in range(20):
            yield b" " * (LIMITS.max_bytes // 10)

    assert (await post_raw(http, instance, chunked()))[0] == 413


async def test_an_ordinary_update_is_still_handled(instance, fake, http):
    update = start_update(7305)
    update["message"]["chat"]["id"] = update["message"]["from"]["id"] = 7305
    status, body = await post_raw(http, instance, json.dumps(update).encode())
    assert status == 200 and json.loads(body) == {}
    assert len(fake.per_chat(7305)) == 2


def test_depth_counts_nesting_without_recursion():
    assert depth(1, 10) == 0
    assert depth({"a": [1, {"b": []}]}, 10) == 4
    nested: list = []
    for _ in range(50_000):
        nested = [nested]
    assert depth(nested, 64) == 65  # stops counting past the limit
