"""/metrics and /healthz: the Prometheus text, the middleware's counts, the database counts,
the health verdict, and the polling mode's own listener."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
from datetime import UTC, datetime, timedelta

import aiohttp
from aiogram import F
from aiogram.types import Message
from prometheus_text import parse_metrics
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import build_app
from bot.clock import Ticker
from bot.config import Settings
from bot.health import TICK_GRACE_SECONDS, Observability
from bot.metrics import LATENCY_BUCKETS, Metrics, render
from bot.runner import run_polling
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits
from db.models import Booking, Broadcast, ConsultService, Outbox, Reminder, Slot
from harness import BotClient

# ------------------------------------------------------------------------------ text format


def test_histogram_buckets_are_cumulative_and_end_with_inf():
    metrics = Metrics()
    for seconds in (0.001, 0.005, 0.3, 7.0):
        metrics.latency.observe(seconds)
    samples = parse_metrics(render(metrics, counts=None))
    bucket = "bot_update_duration_seconds_bucket"
    assert samples[bucket, (("le", "0.005"),)] == 2  # 5 ms itself is "less or equal"
    assert samples[bucket, (("le", "0.25"),)] == 2
    assert samples[bucket, (("le", "0.5"),)] == 3
    assert samples[bucket, (("le", "5.0"),)] == 3
    assert samples[bucket, (("le", "+Inf"),)] == 4
    assert samples["bot_update_duration_seconds_count", ()] == 4
    assert abs(samples["bot_update_duration_seconds_sum", ()] - 7.306) < 1e-9
    assert samples["bot_database_up", ()] == 0
    bounds = [float(labels[0][1]) for name, labels in samples if name == bucket]
    assert bounds[-1] == float("inf")
    bounds = bounds[:-1]
    assert bounds == list(LATENCY_BUCKETS)


def test_label_values_are_escaped():
    metrics = Metrics()
    metrics.updates.labels('odd"type\\\n').inc(2)
    samples = parse_metrics(render(metrics, counts={"outbox": {}, "bookings": {}}))
    assert samples["bot_updates_total", (("type", 'odd\\"type\\\\\\n'),)] == 2


def test_database_counts_and_clock_ticks_are_part_of_the_scrape():
    ticks = {"reminders": datetime(2026, 12, 1, tzinfo=UTC)}
    samples = parse_metrics(render(Metrics(), counts={"bookings": {"active": 3}}, last_ticks=ticks))
    assert samples["bot_database_up", ()] == 1
    assert samples["bot_bookings", (("status", "active"),)] == 3
    job = (("job", "reminders"),)
    assert samples["bot_scheduler_last_tick_time_seconds", job] == ticks["reminders"].timestamp()


# ------------------------------------------------------------------------------ middleware


async def test_the_middleware_counts_updates_by_type_and_times_them(app):
    client = BotClient(app)
    try:
        user = client.user(6001)
        await user.send("/start")
        await user.send("/start")
        metrics = client.dispatcher["metrics"]
        assert metrics.value("bot_updates_total", type="message") == 2
        assert metrics.value("bot_update_duration_seconds_count") == 2
        assert metrics.value("bot_update_duration_seconds_sum") > 0
        assert metrics.last_update_at is not None
        assert metrics.value("bot_update_errors_total", type="message") == 0
    finally:
        await client.dispatcher.storage.close()


async def test_handler_errors_are_counted(app, logged_errors):
    client = BotClient(app)

    async def boom(message: Message) -> None:
        raise RuntimeError("boom")

    client.dispatcher.message.register(boom, F.text == "/boom")
    try:
        await client.user(6002).send("/boom")
        metrics = client.dispatcher["metrics"]
        assert metrics.value("bot_update_errors_total", type="message") == 1
        samples = parse_metrics(render(metrics, counts=None))
        assert samples["bot_update_errors_total", (("type", "message"),)] == 1
        assert logged_errors  # the errors router logged it and apologised
        logged_errors.clear()
    finally:
        await client.dispatcher.storage.close()


# ------------------------------------------------------------------------------ database counts


async def test_shared_counts_come_from_the_database(app):
    async with app.sessions() as session, session.begin():
        slot = (await session.execute(select(Slot).limit(1))).scalar_one()
        service = (await session.execute(select(ConsultService).limit(1))).scalar_one()
        broadcast = Broadcast(created_by=1, text="Анонс", status="done")
        session.add(broadcast)
        await session.flush()
        for user_id, state in enumerate(["sent", "sent", "sent", "blocked", "failed"]):
            session.add(Outbox(broadcast_id=broadcast.id, user_id=user_id, state=state))
        bookings = [
            Booking(
                code=f"T{number}",
                slot_id=slot.id,
                service_id=service.id,
                format="in_person",
                status=status,
            )
            for number, status in enumerate(["active", "active", "cancelled"])
        ]
        session.add_all(bookings)
        await session.flush()
        due = datetime.now(UTC) + timedelta(hours=1)
        session.add(Reminder(booking_id=bookings[0].id, kind="24h", due_at=due, state="sent"))
        session.add(Reminder(booking_id=bookings[0].id, kind="2h", due_at=due, state="pending"))

    observability = Observability(app, Metrics(), ticker=None)
    samples = parse_metrics(await observability.metrics_text())
    assert samples["bot_database_up", ()] == 1
    assert samples["bot_broadcast_messages", (("state", "sent"),)] == 3
    assert samples["bot_broadcast_messages", (("state", "blocked"),)] == 1
    assert samples["bot_broadcast_messages", (("state", "failed"),)] == 1
    assert samples["bot_bookings", (("status", "active"),)] == 2
    assert samples["bot_bookings", (("status", "cancelled"),)] == 1
    assert samples["bot_reminders", (("state", "sent"),)] == 1
    assert samples["bot_reminders", (("state", "pending"),)] == 1


# ------------------------------------------------------------------------------ health


async def _health(observability: Observability) -> tuple[int, dict]:
    response = await observability.healthz(None)  # type: ignore[arg-type]
    return response.status, json.loads(response.body)


async def test_health_follows_the_database_and_the_clock(app):
    ticker = Ticker()
    ran = asyncio.Event()

    async def job() -> None:
        ran.set()

    ticker.every("probe", 30, job)
    observability = Observability(app, Metrics(), ticker)
    status, body = await _health(observability)
    assert status == 503 and body["scheduler"]["running"] is False  # not started yet
    ticker.start()
    try:
        await asyncio.wait_for(ran.wait(), 10)
        for _ in range(100):
            if "probe" in ticker.last_tick:
                break
            await asyncio.sleep(0.01)
        status, body = await _health(observability)
        assert status == 200, body
        assert body["database"] == "ok" and body["status"] == "ok"
        assert body["scheduler"]["jobs"]["probe"]["ok"] is True
        assert body["last_update_at"] is None

        # The job has not run for longer than its interval plus the grace: late.
        late = datetime.now(UTC) - timedelta(seconds=30 + TICK_GRACE_SECONDS + 5)
        ticker.last_tick["probe"] = late
        status, body = await _health(observability)
        assert status == 503
        assert body["scheduler"]["jobs"]["probe"]["ok"] is False
    finally:
        ticker.shutdown()


async def test_health_fails_when_the_database_does_not_answer(tmp_path):
    (tmp_path / "a-directory").mkdir()
    settings = Settings(
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'a-directory'}"
    )
    broken = build_app(settings)
    try:
        observability = Observability(broken, Metrics(), ticker=None)
        status, body = await _health(observability)
        assert status == 503
        assert body["database"].startswith("error")
        samples = parse_metrics(await observability.metrics_text())
        assert samples["bot_database_up", ()] == 0
    finally:
        await broken.close()


# ------------------------------------------------------------------------------ polling mode


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_polling_mode_serves_health_and_metrics_on_metrics_port(tmp_path):
    limits = FakeLimits(per_chat_rate=0)
    async with (
        FakeBotApi(FakeBotApiConfig(limits=limits)) as server,
        aiohttp.ClientSession() as http,
    ):
        server.webhook_url = "https://old.example.org/telegram/webhook"  # left by webhook mode
        port = _free_port()
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr("123456:" + "M" * 35),
            bot_api_url=server.url,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'poll.sqlite3'}",
            metrics_port=port,
        )
        running = asyncio.create_task(run_polling(settings))
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with http.get(base + "/healthz") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("no healthy /healthz on METRICS_PORT")
            assert server.webhook_url == ""  # polling removed the old webhook

            server.push_update(
                {
                    "message": {
                        "message_id": 1,
                        "date": 1_790_000_000,
                        "chat": {"id": 6101, "type": "private"},
                        "from": {"id": 6101, "is_bot": False, "first_name": "Анна"},
                        "text": "/start",
                        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                    }
                }
            )
            for _ in range(300):
                if len(server.per_chat(6101)) >= 2:
                    break
                await asyncio.sleep(0.1)
            async with http.get(base + "/metrics") as response:
                samples = parse_metrics(await response.text())
            assert samples["bot_updates_total", (("type", "message"),)] == 1
            async with http.get(base + "/healthz") as response:
                health = await response.json()
            assert health["last_update_at"] is not None
        finally:
            # As systemd stops it: SIGTERM, which aiogram's polling turns into a graceful stop.
            signal.raise_signal(signal.SIGTERM)
            await asyncio.wait_for(running, 60)
        with contextlib.suppress(aiohttp.ClientConnectionError):
            async with http.get(base + "/healthz"):
                raise AssertionError("the metrics listener outlived the bot")
