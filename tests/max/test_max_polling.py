"""MAX long polling: the real instance (`bot.max.runner.max_polling_instance`) against the fake
MAX API, and the poller's pacing and backoff with a clock of its own."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

import pytest
from pydantic import SecretStr

from bot.config import PROJECT_ROOT, Settings
from bot.max.api import MaxApi
from bot.max.polling import MaxPolling
from bot.max.runner import max_polling_instance
from bot.testing.fake_max_api import FakeMaxApi

MAX_TOKEN = "max-test-token"


def polling_settings(server: FakeMaxApi, tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(
        _env_file=None,
        messenger="max",
        max_token=SecretStr(MAX_TOKEN),
        max_api_url=server.url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'poll.sqlite3'}",
        redis_url=None,
        default_locale="ru",
    )


async def until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(300):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never: {what}")


async def test_polling_answers_updates_with_the_marker_moving_on(max_server, tmp_path):
    anna, boris = 9101, 9102
    max_server.feed.subscriptions.clear()
    async with max_polling_instance(polling_settings(max_server, tmp_path), timeout=1):
        await max_server.feed.push(max_server.start_update(anna))
        await until(lambda: any("Кто вы?" in t for t in max_server.texts(anna)), "anna answered")
        await max_server.feed.push(max_server.start_update(boris, "help"))
        await until(lambda: len(max_server.texts(boris)) >= 2, "boris answered")
    assert "Как пользоваться ботом" in max_server.texts(boris)[0]
    assert len([t for t in max_server.texts(anna) if "Здравствуйте" in t]) == 1, "once"
    polls = max_server.feed.polls
    assert "marker" not in polls[0]
    markers = [int(poll["marker"]) for poll in polls[1:]]
    assert markers[0] == 1 and markers == sorted(markers), "each poll asks past the last batch"
    assert "message_callback" in polls[0]["types"].split(",")
    assert ("GET", "/me") in [(method, path) for method, path, _, _ in max_server.requests]


async def test_a_webhook_subscription_is_removed_before_polling(max_server, tmp_path):
    max_server.feed.subscribe({"url": "https://bot.example.org/max/webhook", "secret": "abcde"})
    async with max_polling_instance(polling_settings(max_server, tmp_path), timeout=1):
        assert max_server.feed.subscriptions == {}


class Clock:
    """Time that moves only when the poller sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds
        await asyncio.sleep(0)


class NoFeeder:
    async def feed(self, data: dict) -> None:
        raise AssertionError("no updates were pushed")


@pytest.fixture
async def api(max_server) -> MaxApi:  # type: ignore[misc]
    api = MaxApi(MAX_TOKEN, max_server.url)
    yield api
    await api.close()


async def run_until(polling: MaxPolling, server: FakeMaxApi, polls: int) -> None:
    task = asyncio.create_task(polling.run())
    try:
        await until(lambda: len(server.feed.polls) >= polls, f"{polls} polls")
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_requests_are_at_most_two_a_second(max_server, api):
    clock = Clock()
    polling = MaxPolling(api, NoFeeder(), timeout=0, clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]
    await run_until(polling, max_server, 4)
    assert clock.sleeps[:3] == [0.5, 0.5, 0.5], "MAX allows long polling 2 requests a second"


async def test_errors_back_off_doubling_then_polling_goes_on(max_server, api):
    clock = Clock()
    max_server.feed.failures = 3
    polling = MaxPolling(api, NoFeeder(), timeout=0, clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]
    await run_until(polling, max_server, 6)
    # after each failure: the backoff (which covers the pacing); after success: pacing only
    assert clock.sleeps[:5] == [1.0, 2.0, 4.0, 0.5, 0.5]


async def test_a_rate_limit_is_waited_out_too(max_server, api):
    clock = Clock()
    max_server.rate_limited = 1
    polling = MaxPolling(api, NoFeeder(), timeout=0, clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]
    await run_until(polling, max_server, 2)
    assert clock.sleeps[0] == 1.0


async def test_python_m_bot_run_serves_max_and_stops_on_sigterm(max_server, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "MAX_", "MESSENGER", "WEBHOOK", "DATABASE", "REDIS"))
    }
    env.update(
        MESSENGER="max",
        MAX_TOKEN=MAX_TOKEN,
        MAX_API_URL=max_server.url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        anna = 9301
        await max_server.feed.push(max_server.start_update(anna))
        await until(lambda: any("Кто вы?" in t for t in max_server.texts(anna)), "answered")
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert b"Traceback" not in stderr
