"""Two real bot processes (`python -m bot run`, BOT_MODE=webhook) behind one address, on one
PostgreSQL database and one Redis, answering into the fake Bot API server that runs here.

What it proves, each over real HTTP between real processes:
- an update posted to both instances (Telegram re-sending it, or a balancer retrying) is
  handled once;
- a conversation started on one instance goes on on the other, step by step, alternating;
- periodic work runs once: a due consultation reminder seeded before both start, and a
  broadcast scheduled while both run, reach each recipient exactly once (row claims in
  PostgreSQL, not APScheduler's job store);
- SIGTERM stops both cleanly (exit code 0), and their logs hold no error; one instance logs
  JSON lines (LOG_FORMAT=json) with the update_id as a field.

The processes cost a few seconds to start (imports, migrations checked, demo data found), so
they are started once for the module; the tests run in file order on that one pair.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from backends import POSTGRES_URL, REDIS_URL, fresh_postgres
from kids import given_of
from prometheus_text import parse_metrics
from sqlalchemy import func, insert, select

from bot.app import build_app, prepare_database, startup_lock
from bot.config import Settings
from bot.telegram.i18n import Locales
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits
from bot.webhook import SECRET_HEADER
from db.models import (
    Booking,
    Broadcast,
    ConsultService,
    Locality,
    Outbox,
    Reminder,
    Slot,
    Specialist,
    User,
)
from services.broadcasts.service import Audience
from services.people.profiles import CONSENT_VERSION

pytestmark = [
    pytest.mark.skipif(
        not (POSTGRES_URL and REDIS_URL),
        reason="TEST_POSTGRES_URL and TEST_REDIS_URL are not both set: two processes share "
        "updates and periodic work through PostgreSQL and conversations through Redis",
    ),
    pytest.mark.asyncio(loop_scope="module"),
]

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "424242:" + "P" * 35
SECRET = "two-processes_secret"
ADMIN_ID = 900_001
RU = Locales(default="ru").get("ru")
EN = Locales(default="ru").get("en")
BROADCAST_TEXT = "Two processes: one copy each"
RECIPIENTS = range(5_100_000_001, 5_100_000_021)  # 20 users seeded for the broadcast
REMINDED = 5_200_000_001
START_TIMEOUT = 90.0  # seconds; imports alone take a few on a busy machine
_update_ids = itertools.count(random.randrange(10**6, 10**8))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Instance:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    log_format: str

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@dataclass
class Cluster:
    fake: FakeBotApi
    http: aiohttp.ClientSession
    first: Instance
    second: Instance
    settings: Settings
    posted: int = 0  # distinct updates posted
    repeats: int = 0  # posts of an update already posted
    seen: set[int] = field(default_factory=set)

    async def post(self, instance: Instance, update: dict) -> None:
        if update["update_id"] in self.seen:
            self.repeats += 1
        else:
            self.seen.add(update["update_id"])
            self.posted += 1
        url = instance.url + "/telegram/webhook"
        async with self.http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as answer:
            assert answer.status == 200, (instance.name, answer.status, await answer.text())
            reply = await answer.read()
        if self.fake.webhook_reply(reply) is not None:  # as Telegram: a press's answer
            assert "callback_query" in update


def start_instance(name: str, fake_url: str, folder: Path, log_format: str) -> Instance:
    port = free_port()
    # Only what this test sets: no .env (the working directory is empty), nothing inherited.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "WEBHOOK__", "LOG_", "METRICS_", "BROADCAST__"))
        and key not in {"DATABASE_URL", "REDIS_URL", "ADMIN_IDS", "TIMEZONE"}
    }
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_API_URL=fake_url,
        BOT_MODE="webhook",
        DATABASE_URL=str(POSTGRES_URL),
        REDIS_URL=str(REDIS_URL),
        ADMIN_IDS=str(ADMIN_ID),
        WEBHOOK__PUBLIC_URL="http://bot.internal:8443",
        WEBHOOK__SECRET=SECRET,
        WEBHOOK__LISTEN_PORT=str(port),
        LOG_LEVEL="INFO",
        LOG_FORMAT=log_format,
        PYTHONPATH=str(ROOT),
    )
    workdir = folder / name
    workdir.mkdir()
    log_path = folder / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Instance(name, f"http://127.0.0.1:{port}", process, log_path, log_format)


async def wait_healthy(http: aiohttp.ClientSession, instance: Instance) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            pytest.fail(f"{instance.name} exited {instance.process.returncode}:\n{instance.log()}")
        try:
            async with http.get(instance.url + "/healthz") as answer:
                if answer.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.2)
    pytest.fail(f"{instance.name} not healthy in {START_TIMEOUT} s:\n{instance.log()}")


async def seed_due_reminder(settings: Settings) -> int:
    """A booking whose consultation starts in an hour, with its 2-hour reminder overdue."""
    app = build_app(settings)
    now = datetime.now(UTC)
    try:
        async with app.write_sessions() as session, session.begin():
            specialist = await session.scalar(select(Specialist).order_by(Specialist.id).limit(1))
            service_id = await session.scalar(select(func.min(ConsultService.id)))
            assert specialist is not None and service_id is not None, "no demo consultations"
            session.add(
                User(id=REMINDED, locale="ru", created_at=now, consent_version=CONSENT_VERSION)
            )
            slot_id = await session.scalar(
                insert(Slot)
                .values(
                    specialist_id=specialist.id,
                    starts_at=now + timedelta(hours=1),
                    ends_at=now + timedelta(hours=1, minutes=45),
                    capacity=1,
                    booked=1,
                )
                .returning(Slot.id)
            )
            booking_id = await session.scalar(
                insert(Booking)
                .values(
                    code=f"T{random.randrange(10**8)}",
                    slot_id=slot_id,
                    user_id=REMINDED,
                    service_id=service_id,
                    format="in_person",
                    status="active",
                    name="Анна",
                    phone="+79991234567",
                    locale="ru",
                    created_at=now - timedelta(days=1),
                )
                .returning(Booking.id)
            )
            reminder_id = await session.scalar(
                insert(Reminder)
                .values(booking_id=booking_id, kind="2h", due_at=now - timedelta(minutes=1))
                .returning(Reminder.id)
            )
    finally:
        await app.close()
    assert reminder_id is not None
    return reminder_id


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(tmp_path_factory):
    import redis.asyncio as redis

    folder = tmp_path_factory.mktemp("two_processes")
    client = redis.from_url(str(REDIS_URL))
    await client.flushdb()  # this test's own Redis database (TEST_REDIS_URL)
    await client.aclose()
    settings = Settings(
        _env_file=None, database_url=str(POSTGRES_URL), redis_url=None, bot_token=None
    )
    engine = await fresh_postgres()

    # Conversations send two or three messages at once; Telegram allows that.
    config = FakeBotApiConfig(token=TOKEN, limits=FakeLimits(global_rate=1000, per_chat_rate=0))
    async with FakeBotApi(config) as fake, aiohttp.ClientSession() as http:
        # While both processes import (seconds), this one prepares the database and seeds a due
        # reminder, holding the startup lock: the instances wait for it in prepare_database,
        # then their first clock ticks race for the reminder.
        async with startup_lock(engine):
            first = start_instance("first", fake.url, folder, "text")
            second = start_instance("second", fake.url, folder, "json")
            app = build_app(settings)
            try:
                await prepare_database(app, lock=False)
            finally:
                await app.close()
            reminder_id = await seed_due_reminder(settings)
        await engine.dispose()
        try:
            await asyncio.gather(wait_healthy(http, first), wait_healthy(http, second))
            cluster = Cluster(fake, http, first, second, settings)
            cluster.reminder_id = reminder_id  # type: ignore[attr-defined]
            yield cluster
        finally:
            for instance in (first, second):
                if instance.process.poll() is None:
                    instance.process.kill()
                    instance.process.wait(10)


class Person:
    """One private chat that talks to whichever instance it is told to."""

    def __init__(self, cluster: Cluster, user_id: int) -> None:
        self.cluster = cluster
        self.user_id = user_id
        self.sender = {"id": user_id, "is_bot": False, "first_name": "Анна", "language_code": "ru"}

    def message(self, text: str) -> dict:
        message: dict = {
            "message_id": next(_update_ids),
            "date": int(time.time()),
            "chat": {"id": self.user_id, "type": "private"},
            "from": self.sender,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        return {"update_id": next(_update_ids), "message": message}

    async def send(self, text: str, via: Instance) -> list[str | None]:
        return await self._post(self.message(text), via)

    async def press(self, label: str, via: Instance) -> list[str | None]:
        found = self.cluster.fake.button(self.user_id, label)
        assert found is not None, (label, self.texts())
        message_id, data = found
        update = {
            "update_id": next(_update_ids),
            "callback_query": {
                "id": f"cq{next(_update_ids)}",
                "from": self.sender,
                "chat_instance": "two",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": self.user_id, "type": "private"},
                    "text": self.cluster.fake.stored_text(self.user_id, message_id) or "",
                },
            },
        }
        return await self._post(update, via)

    async def _post(self, update: dict, via: Instance) -> list[str | None]:
        before = len(self.texts())
        await self.cluster.post(via, update)
        return self.texts()[before:]  # what the bot sent in answer (edits not included)

    def texts(self) -> list[str | None]:
        return [delivery.text for delivery in self.cluster.fake.per_chat(self.user_id)]


# ------------------------------------------------------------------------------ tests


async def test_an_update_posted_to_both_instances_is_handled_once(cluster):
    person = Person(cluster, random.randrange(10**8, 10**9))
    for _ in range(3):  # each time a fresh /start, twice at each instance at the same moment
        update = person.message("/start")
        before = len(person.texts())
        await asyncio.gather(
            cluster.post(cluster.first, update),
            cluster.post(cluster.second, update),
            cluster.post(cluster.first, update),
            cluster.post(cluster.second, update),
        )
        answers = person.texts()[before:]
        assert len(answers) == 2, answers
        assert RU("onb-role-ask") in answers


async def test_a_conversation_goes_on_across_the_instances(cluster):
    first, second = cluster.first, cluster.second
    person = Person(cluster, random.randrange(10**8, 10**9))
    assert RU("onb-role-ask") in await person.send("/start", via=first)
    assert RU("locality-ask") in await person.press(RU("role-parent"), via=second)
    assert RU("age-ask") in await person.send("Томск", via=first)
    answers = await person.send("10", via=second)
    assert any(text and text.startswith(RU("consent-text")[:30]) for text in answers), answers
    answers = await person.press("✅ Согласен(на)", via=first)
    assert any(text and text.startswith(RU("onb-done")) for text in answers), answers

    # What the four steps left in the shared database: every answer, from either instance.
    app = build_app(cluster.settings)
    try:
        async with app.sessions() as session:
            user = await session.get(User, person.user_id)
            tomsk = await session.scalar(select(Locality.id).where(Locality.name == "Томск"))
        ages = await given_of(app.sessions, person.user_id)
    finally:
        await app.close()
    assert user is not None
    assert (user.role, user.locality_id, ages) == ("parent", tomsk, [(10, None, None)])
    assert user.consent_version is not None and user.onboarded_at is not None


async def test_a_language_changed_on_one_instance_is_used_by_the_other(cluster):
    """With REDIS_URL (several instances) profiles are not cached per process: an instance
    that saw a user before notices what the other instance changed since."""
    first, second = cluster.first, cluster.second
    person = Person(cluster, random.randrange(10**8, 10**9))
    await person.send("/start", via=first)
    await person.press(RU("role-parent"), via=first)
    await person.send("Томск", via=first)
    await person.press("Пропустить", via=first)
    await person.press("✅ Согласен(на)", via=first)
    await person.send("/settings", via=first)
    await person.press(RU("settings-btn-language"), via=first)
    await person.press("English", via=second)
    assert EN("menu-shown") in await person.send("/menu", via=second)
    assert EN("menu-shown") in await person.send("/menu", via=first)


async def test_periodic_work_runs_once_across_the_instances(cluster):
    """The reminder was due before both started (both first ticks race for it); the broadcast
    is scheduled now, while both tick every two seconds."""
    app = build_app(cluster.settings)
    try:
        async with app.write_sessions() as session, session.begin():
            now = datetime.now(UTC)
            session.add_all(
                User(
                    id=uid,
                    locale="ru",
                    created_at=now,
                    consent_version=CONSENT_VERSION,
                    consent_at=now,
                )
                for uid in RECIPIENTS
            )
        broadcast_id = await app.broadcasts.create(ADMIN_ID, Audience(), text=BROADCAST_TEXT)
        assert await app.broadcasts.schedule(broadcast_id)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            async with app.sessions() as session:
                status = await session.scalar(
                    select(Broadcast.status).where(Broadcast.id == broadcast_id)
                )
                states = dict(
                    (
                        await session.execute(
                            select(Outbox.state, func.count())
                            .where(Outbox.broadcast_id == broadcast_id)
                            .group_by(Outbox.state)
                        )
                    ).all()
                )
                reminder = await session.get(Reminder, cluster.reminder_id)
            if status == "done" and reminder is not None and reminder.state == "sent":
                break
            await asyncio.sleep(0.3)
        await asyncio.sleep(2.5)  # one more broadcast tick at both: still nothing more sent
        async with app.sessions() as session:  # letters go only to people with consent
            consented = select(User.id).where(User.consent_version.is_not(None))
            audience = set((await session.execute(consented)).scalars())
    finally:
        await app.close()

    assert status == "done", (status, states)
    assert states == {"sent": len(audience)}, states
    assert reminder is not None and reminder.state == "sent", reminder and reminder.state
    copies = {uid: 0 for uid in audience}
    for delivery in cluster.fake.delivered:
        if delivery.text == BROADCAST_TEXT:
            copies[delivery.chat_id] = copies.get(delivery.chat_id, 0) + 1
    assert set(RECIPIENTS) <= audience and REMINDED in audience
    assert {uid for uid, n in copies.items() if n != 1} == set(), copies
    reminders = [d for d in cluster.fake.per_chat(REMINDED) if d.text != BROADCAST_TEXT]
    assert len(reminders) == 1, reminders


async def test_both_stop_cleanly_on_sigterm_and_logged_no_error(cluster):
    instances = (cluster.first, cluster.second)
    metrics = []
    for instance in instances:
        async with cluster.http.get(instance.url + "/metrics") as answer:
            metrics.append(parse_metrics(await answer.text()))
    handled = sum(
        value for sample in metrics for (name, _), value in sample.items()
        if name == "bot_updates_total"
    )  # fmt: skip
    repeated = sum(
        sample["bot_webhook_requests_refused_total", (("reason", "repeat"),)] for sample in metrics
    )
    assert (handled, repeated) == (cluster.posted, cluster.repeats)
    assert all(sample["bot_updates_total", (("type", "message"),)] > 0 for sample in metrics)

    for instance in instances:
        instance.process.send_signal(signal.SIGTERM)
    for instance in instances:
        code = await asyncio.to_thread(instance.process.wait, 30)
        assert code == 0, instance.log()

    text_log, json_log = cluster.first.log(), cluster.second.log()
    assert " ERROR " not in text_log and "Traceback" not in text_log, text_log
    assert " INFO bot.webhook: webhook listener at " in text_log
    entries = [json.loads(line) for line in json_log.splitlines() if line.strip()]
    assert {entry["level"] for entry in entries} <= {"INFO", "WARNING"}, json_log
    assert any("update_id" in entry for entry in entries), json_log
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    for log in (text_log, json_log):
        assert TOKEN not in log and "9991234567" not in log
