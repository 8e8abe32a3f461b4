"""Load over HTTP: the real bot in webhook mode on loopback, answering into the fake Bot API.

The bot runs as real processes (`python -m bot run`, BOT_MODE=webhook); this process runs the
fake Bot API server (bot/testing/fake_bot_api.py, flood limits off: the bot is measured, not
Telegram) and the simulated users, who post updates to the bot's webhook as Telegram would.

Two load models:
- OPEN LOOP (--rate N): a post-broadcast surge, N updates offered a second whatever the bot's
  speed. Turns to post come at random (a Poisson process of rate N); each goes to a person who
  is ready for their next step (has had the reply and paused 0.5-2.5 s, as a person does), and
  when nobody is ready, someone new arrives: 60 % new people (the visit below), 40 % returning
  ones (/start, the catalogue, a question, the first booking steps). A slow bot thus meets more
  and more people at once, as it would. Measured for --duration (default 60 s, after a 10 s
  warm-up); prints `p99 reply N ms` and `errors N`. The figure users feel.
- CLOSED LOOP (default): a fixed number of concurrent users (--users). Each simulated user
walks one realistic visit after another, a fresh Telegram user each time, with no think time:
onboarding (/start, role, town typed, age or skip, consent, announcements), the catalogue
(directions, a page, a question in plain words), then the first booking steps (consultations,
book, topic, any organisation, any specialist: the calendar). A user posts its next update
only when the webhook has answered the previous one (the bot answers after handling), so one
chat never has two updates in flight, which is also how each reply is matched to its update:
by chat id.

Per update two latencies are taken from the moment the update is posted:
- reply: until the bot's first Bot API call for that chat reaches the fake server (a send, an
  edit, or the answer to the button press) — what the person waits for;
- answer: until the webhook's 200 (handling finished, every reply sent). A method in that
  reply (the answer to a button press, bot/webhook_reply.py) is executed here, as Telegram
  does.
The first --warmup seconds are not measured.

Runs, in this order:
1. one instance on SQLite (a fresh file), posting to it;
2. two instances on PostgreSQL + Redis (TEST_POSTGRES_URL, TEST_REDIS_URL; skipped when
   unset; THE PUBLIC SCHEMA OF THAT DATABASE AND THAT REDIS DATABASE ARE WIPED), requests
   spread round robin as nginx's upstream does (so every conversation moves between the
   instances at each step), and 2 % of updates posted to the other instance too (a re-send):
   every update must be handled once in all (counted from both instances' /metrics);
3. the baseline: a bare aiogram webhook echo bot in its own process, on the same loopback
   path to the same fake server, the same number of users sending plain text.

Errors: webhook answers other than 200, users stuck (a button the bot should have shown was
not there), updates that got no reply, 4xx/5xx the fake Bot API answered, ERROR lines in the
bots' logs, and updates handled twice. Exit code 1 when any run had errors; timings never fail.

Each run also prints the bots' CPU time per update handled (Linux /proc, over the measured
window): the figure to watch while tuning, steadier than updates/s on a shared machine.

    .venv/bin/python bench/load.py [--users 16] [--duration 20] [--quick] [--sqlite-only]
    .venv/bin/python bench/load.py --rate 50 --sqlite-only     # open loop, 60 s
    .venv/bin/python bench/load.py --messenger max  # 50/s in Telegram, then MAX (bench/max_load.py)
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import argparse
import asyncio
import collections
import contextlib
import itertools
import random
import re
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench import procstat
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "555000:" + "L" * 35
SECRET = "load-bench-secret"
HOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
START_TIMEOUT = 180.0
ROLES = ("Родитель", "Ученик", "Педагог или другое")
TOWNS = ("Томск", "Северск", "Асино", "Колпашево", "Стрежевой", "Кожевниково")
AGES = ("10", "7", "5 класс", "14", "3 кл")
DIRECTIONS = ("Техническое", "Естественнонаучное", "Художественное", "Социально-гуманитарное")
QUESTIONS = (
    "робототехника для 10 лет",
    "бесплатное рисование в Асино",
    "что такое точка роста",
    "шахматы рядом",
    "кружок программирования для 12 лет",
)
THINK_SECONDS = (0.5, 2.5)  # open loop: a person's pause between steps
NEW_SHARE = 0.6  # open loop: share of arrivals who are new (the rest come back)
CHAT_IDS = itertools.count(6_000_000_000)
SEQUENCE = itertools.count(1)  # update, message and callback ids


# ----------------------------------------------------------------------------- measuring


@dataclass
class Figures:
    """What one run measured."""

    name: str
    instances: int
    latencies: list[float] = field(default_factory=list)  # reply, seconds
    answers: list[float] = field(default_factory=list)  # webhook 200, seconds
    updates: int = 0  # answered 200 within the measured window
    posted: int = 0  # distinct updates posted, warm-up included
    reposted: int = 0  # extra posts of an update already posted (to the other instance)
    window: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)
    handled: int | None = None  # from the instances' /metrics
    repeats_refused: int | None = None
    dispatcher_mean: float | None = None  # seconds per update inside the dispatcher
    cpu_seconds: float | None = None  # the bots' processes' CPU time in the measured window
    posted_before: int = 0  # open loop: updates posted before the measured window
    offered: int = 0  # open loop: updates posted within the measured window
    api_calls: int | None = None  # requests the bots made to the (fake) messenger API

    @property
    def rate(self) -> float:
        return self.updates / self.window if self.window else 0.0

    def quantile(self, values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def handled_twice(self) -> int | None:
        return None if self.handled is None else max(0, self.handled - self.posted)


class LoadFakeApi(FakeBotApi):
    """The fake Bot API that also notes the first call the bot makes for a chat awaiting one."""

    def __init__(self, config: FakeBotApiConfig) -> None:
        super().__init__(config)
        self.waiting: dict[int, float] = {}  # chat id → perf_counter at posting
        self.replied: dict[int, float] = {}  # chat id → reply latency of its update in flight

    def call(self, method: str, values: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        params = values if hasattr(values, "raw") else None
        raw = params.raw if params is not None else values  # type: ignore[attr-defined]
        chat = _chat_of(raw)
        if chat is not None:
            started = self.waiting.pop(chat, None)
            if started is not None:
                self.replied[chat] = time.perf_counter() - started
        return super().call(method, values)


def _chat_of(raw: Mapping[str, Any]) -> int | None:
    value = raw.get("chat_id")
    if value is None:
        query = raw.get("callback_query_id")  # ours are "<chat id>:<n>"
        value = query.split(":", 1)[0] if isinstance(query, str) and ":" in query else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class Stuck(Exception):
    """The bot did not show what the simulated person needed next."""


class Stopped(Exception):
    """The run is over: the visit ends where it is."""


class Load:
    """Posting updates for simulated people and timing the answers."""

    def __init__(
        self,
        fake: LoadFakeApi,
        http: aiohttp.ClientSession,
        targets: list[str],
        figures: Figures,
        pids: list[int],
    ) -> None:
        self.fake = fake
        self.pids = pids  # the bots' processes, whose CPU time the window takes
        self.http = http
        self.targets = targets  # webhook URLs
        self.figures = figures
        self.measuring = False
        self.stop = False
        self.repost_share = 0.02 if len(targets) > 1 else 0.0
        self.turn = itertools.count()  # round robin over the instances, per request
        self.rng = random.Random(1)

    async def post(self, chat_id: int, update: dict[str, Any]) -> None:
        figures = self.figures
        figures.posted += 1
        self.fake.replied.pop(chat_id, None)
        started = time.perf_counter()
        self.fake.waiting[chat_id] = started
        # As nginx's default upstream does: each request to the next instance, so one user's
        # conversation moves between instances at every step.
        target = next(self.turn)
        url = self.targets[target % len(self.targets)]
        headers = {SECRET_HEADER: SECRET}
        try:
            async with self.http.post(url, json=update, headers=headers) as answer:
                body = await answer.read()
                status = answer.status
        except aiohttp.ClientError as exc:
            figures.errors[f"webhook {type(exc).__name__}"] += 1
            return
        finally:
            self.fake.waiting.pop(chat_id, None)
        elapsed = time.perf_counter() - started
        if status != 200:
            figures.errors[f"webhook HTTP {status}"] += 1
            return
        # As Telegram does: a method in the webhook's reply (a press's answer) is executed.
        executed = self.fake.webhook_reply(body)
        if executed is not None and executed[0] != 200:
            figures.errors[f"webhook reply refused: {executed[1].get('description')}"] += 1
        reply = self.fake.replied.pop(chat_id, None)
        if reply is None and executed is not None:
            reply = elapsed  # the press's answer was the first thing the person saw
        if self.measuring:
            figures.updates += 1
            figures.answers.append(elapsed)
            if reply is None:
                figures.errors["updates without a reply"] += 1
            else:
                figures.latencies.append(reply)
        if self.repost_share and self.rng.random() < self.repost_share:
            # Telegram re-sends it to the other instance: answered, never handled again.
            figures.reposted += 1
            other = self.targets[(target + 1) % len(self.targets)]
            async with self.http.post(other, json=update, headers=headers) as answer:
                await answer.read()
                if answer.status != 200:
                    figures.errors[f"re-send HTTP {answer.status}"] += 1

    async def users(
        self, count: int, visit: Callable[[Person], Awaitable[None]], warmup: float, seconds: float
    ) -> None:
        async def user(index: int) -> None:
            while not self.stop:
                person = Person(self, next(CHAT_IDS), seed=index * 7919)
                try:
                    await visit(person)
                except Stopped:
                    pass
                except Stuck as exc:
                    note_stuck(self.figures, exc)
                self.fake.forget(person.chat_id)

        tasks = [asyncio.create_task(user(index)) for index in range(count)]
        await asyncio.sleep(warmup)
        self.measuring = True
        started, cpu = time.perf_counter(), cpu_seconds(self.pids)
        await asyncio.sleep(seconds)
        self.measuring = False
        self.figures.window = time.perf_counter() - started
        after = cpu_seconds(self.pids)
        if cpu is not None and after is not None:
            self.figures.cpu_seconds = after - cpu
        self.stop = True
        await asyncio.gather(*tasks)

    async def surge(self, rate: float, warmup: float, seconds: float) -> None:
        """Open loop: `rate` turns a second, each taken by a person ready for a next step or,
        when nobody is, by someone arriving."""

        async def arrive(chat_id: int | None, turn: Turn) -> int | None:
            chat_id = chat_id or next(CHAT_IDS)
            person = Person(self, chat_id, seed=chat_id, turn=turn)
            try:
                await (visit if turn.new else returning_visit)(person)
            except Stuck:
                # A stuck person does not come back: their chat's messages go.
                self.fake.forget(chat_id)
                raise
            # A returning person's chat keeps its messages, as Telegram does: the bot takes
            # the buttons off the last one it sent, after its reply and again on the return.
            return chat_id

        await open_loop(self, self.pids, rate, warmup, seconds, arrive)


class Turn:
    """A person's wait for their next turn in the open loop (`new`: a first visit)."""

    def __init__(self, ready: collections.deque[asyncio.Future[None]], load: Any, new: bool):
        self.ready = ready
        self.load = load
        self.new = new

    async def __call__(self) -> None:
        if self.load.stop:
            return
        waiting = asyncio.get_running_loop().create_future()
        self.ready.append(waiting)
        await waiting


async def open_loop(
    load: Any,
    pids: list[int],
    rate: float,
    warmup: float,
    seconds: float,
    arrive: Callable[[int | None, Turn], Awaitable[int | None]],
) -> None:
    """A Poisson process of `rate` turns a second for warmup + seconds, each taken by a person
    ready for a next step or, when nobody is, by someone arriving: `arrive(None, turn)` a
    newcomer, `arrive(id, turn)` someone back; it answers the id of a person who may return.
    Measures the window's posts and the bots' CPU time into `load.figures`."""
    loop = asyncio.get_running_loop()
    ready: collections.deque[asyncio.Future[None]] = collections.deque()
    returning: list[int] = []  # people who finished a visit
    people: set[asyncio.Task[None]] = set()

    async def come(new: bool) -> None:
        back = None if new else returning.pop(load.rng.randrange(len(returning)))
        try:
            done = await arrive(back, Turn(ready, load, new))
        except Stopped:
            return
        except Stuck as exc:
            note_stuck(load.figures, exc)
            return
        if done is not None:
            returning.append(done)

    started_at = loop.time()
    measure_at, end_at = started_at + warmup, started_at + warmup + seconds
    next_at, measured, cpu = started_at, time.perf_counter(), None
    while True:
        next_at += load.rng.expovariate(rate)
        if next_at >= end_at:
            break
        await asyncio.sleep(max(0.0, next_at - loop.time()))
        if not load.measuring and loop.time() >= measure_at:
            load.measuring, measured, cpu = True, time.perf_counter(), cpu_seconds(pids)
            load.figures.posted_before = load.figures.posted
        if ready:
            ready.popleft().set_result(None)
            continue
        new = not returning or load.rng.random() < NEW_SHARE
        task = asyncio.create_task(come(new))
        people.add(task)
        task.add_done_callback(people.discard)
    await asyncio.sleep(max(0.0, end_at - loop.time()))
    load.measuring = False
    load.figures.window = time.perf_counter() - measured
    load.figures.offered = load.figures.posted - load.figures.posted_before
    after = cpu_seconds(pids)
    if cpu is not None and after is not None:
        load.figures.cpu_seconds = after - cpu
    load.stop = True
    while ready:
        ready.popleft().set_result(None)
    await asyncio.gather(*people)


def note_stuck(figures: Figures, exc: Stuck) -> None:
    """A person who found no button to press: counted, the first three said."""
    figures.errors["stuck users"] += 1
    if figures.errors["stuck users"] <= 3:
        print(f"  stuck: {exc}", file=sys.stderr)


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU time of these processes so far (Linux /proc; None elsewhere)."""
    try:
        return sum(procstat.cpu_seconds(pid) for pid in pids)
    except (OSError, IndexError, ValueError):
        return None


class Person:
    """One Telegram user: a private chat whose updates the balancer spreads over instances."""

    def __init__(
        self,
        load: Load,
        chat_id: int,
        seed: int,
        *,
        turn: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.load = load
        self.chat_id = chat_id
        self.rnd = random.Random(seed + chat_id)
        self.turn = turn  # open loop: a pause, then waiting for a turn, before each later step
        self.steps = 0
        self.sender = {"id": chat_id, "is_bot": False, "first_name": "Анна", "language_code": "ru"}

    def _chat(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": "private"}

    async def send(self, text: str) -> None:
        message: dict[str, Any] = {
            "message_id": next(SEQUENCE),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self.sender,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        await self._post({"update_id": next(SEQUENCE), "message": message})

    async def press(self, label: str | None = None) -> None:
        """The newest inline button with this label; None: the newest message's first one."""
        buttons = self.load.fake.buttons(self.chat_id)
        if label is not None:
            buttons = [b for b in buttons if b[1] == label]
        if not buttons:
            raise Stuck(f"no button {label!r}")
        message_id, _, data = buttons[0]
        query = {
            "id": f"{self.chat_id}:{next(SEQUENCE)}",
            "from": self.sender,
            "chat_instance": "load",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(),
                "text": self.load.fake.stored_text(self.chat_id, message_id) or "",
            },
        }
        await self._post({"update_id": next(SEQUENCE), "callback_query": query})

    def on_newest(self, label: str) -> bool:
        """Whether the newest message with buttons has one with this label."""
        buttons = self.load.fake.buttons(self.chat_id)
        newest = buttons[0][0] if buttons else None
        return any(message_id == newest and text == label for message_id, text, _ in buttons)

    async def _post(self, update: dict[str, Any]) -> None:
        if self.turn is not None and self.steps:
            await asyncio.sleep(self.rnd.uniform(*THINK_SECONDS))
            await self.turn()
        if self.load.stop:
            raise Stopped
        self.steps += 1
        await self.load.post(self.chat_id, update)


async def visit(person: Person) -> None:
    """One parent's or pupil's visit: onboarding, the catalogue, the first booking steps."""
    rnd = person.rnd
    await person.send("/start")
    await person.press(rnd.choice(ROLES))
    await person.send(rnd.choice(TOWNS))
    if rnd.random() < 0.6:
        await person.send(rnd.choice(AGES))
    else:
        await person.press("Пропустить")
    await person.press("✅ Согласен(на)" if rnd.random() < 0.7 else "Не сейчас")
    if person.on_newest("Готово") and rnd.random() < 0.5:  # the announcements on offer
        await person.press("⬜ Профориентация и мероприятия")
        await person.press("Готово")
    await person.send("🔎 Кружки и центры")
    await person.press(rnd.choice(DIRECTIONS))
    if person.on_newest("▶️"):  # a list of more than one page
        await person.press("▶️")
    await person.send(rnd.choice(QUESTIONS))
    await person.send("👨‍👩‍👧 Консультации")
    await person.press("📝 Записаться")
    await person.press()  # a topic
    await person.press("Любая организация")
    await person.press("Любой свободный специалист")


async def returning_visit(person: Person) -> None:
    """Someone who met the bot before: straight to the catalogue, a question, a booking."""
    rnd = person.rnd
    await person.send("/start")
    await person.send("🔎 Кружки и центры")
    await person.press(rnd.choice(DIRECTIONS))
    await person.send(rnd.choice(QUESTIONS))
    await person.send("👨‍👩‍👧 Консультации")
    await person.press("📝 Записаться")
    await person.press()  # a topic
    await person.press("Любая организация")


async def echo_visit(person: Person) -> None:
    for step in range(14):  # as many updates as a visit
        await person.send(f"сообщение {step}")


# ----------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Process:
    name: str
    url: str  # http://127.0.0.1:port
    popen: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def spawn_bot(name: str, fake_url: str, folder: Path, database_url: str, redis_url: str) -> Process:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "WEBHOOK__", "LOG_", "METRICS_", "BROADCAST__"))
        and key not in {"DATABASE_URL", "REDIS_URL", "ADMIN_IDS"}
    }
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_API_URL=fake_url,
        BOT_MODE="webhook",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        WEBHOOK__PUBLIC_URL="http://bot.internal:8443",
        WEBHOOK__SECRET=SECRET,
        WEBHOOK__LISTEN_PORT=str(port),
        WEBHOOK__MAX_CONNECTIONS="100",
        LOG_LEVEL="WARNING",  # a line per update at INFO would be measured too
        PYTHONPATH=ROOT,
    )
    return spawn_process(name, [sys.executable, "-m", "bot", "run"], env, folder, port)


def spawn_echo(fake_url: str, folder: Path) -> Process:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": ROOT}
    command = [sys.executable, os.path.abspath(__file__), "--echo-bot", str(port), fake_url]
    return spawn_process("echo", command, env, folder, port)


def spawn_process(
    name: str, command: list[str], env: dict[str, str], folder: Path, port: int
) -> Process:
    workdir = folder / name
    workdir.mkdir(exist_ok=True)
    log_path = folder / f"{name}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            command, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    return Process(name, f"http://127.0.0.1:{port}", popen, log_path)


async def wait_ready(http: aiohttp.ClientSession, process: Process) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(
                f"{process.name} exited {process.popen.returncode}:\n{process.log()}"
            )
        with contextlib.suppress(aiohttp.ClientError):
            async with http.get(process.url + "/healthz") as answer:
                if answer.status == 200:
                    return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{process.name} not ready in {START_TIMEOUT} s:\n{process.log()}")


async def stop(process: Process) -> int:
    if process.popen.poll() is None:
        process.popen.send_signal(signal.SIGTERM)
    try:
        return await asyncio.to_thread(process.popen.wait, 60)
    except subprocess.TimeoutExpired:
        process.popen.kill()
        return await asyncio.to_thread(process.popen.wait)


async def handled_from_metrics(
    http: aiohttp.ClientSession, url: str
) -> tuple[int, int, float, int]:
    """(updates handled, re-sends refused, seconds spent in the dispatcher, its update count)
    from one instance's /metrics."""
    async with http.get(url + "/metrics") as answer:
        text = await answer.text()

    def sample(name: str) -> float:
        found = re.search(rf"^{name} (\S+)$", text, re.M)
        return float(found.group(1)) if found else 0.0

    handled = sum(float(v) for v in re.findall(r"^bot_updates_total\{[^}]*\} (\S+)$", text, re.M))
    repeat = sample('bot_webhook_requests_refused_total\\{reason="repeat"\\}')
    spent = sample("bot_update_duration_seconds_sum")
    count = sample("bot_update_duration_seconds_count")
    return int(handled), int(repeat), spent, int(count)


def log_errors(process: Process, figures: Figures) -> None:
    """ERROR and CRITICAL records (a traceback belongs to the record before it; a crash
    without one shows as a non-zero exit code)."""
    for line in process.log().splitlines():
        if " ERROR " in line or " CRITICAL " in line:
            figures.errors[f"{process.name}: errors logged"] += 1


@contextlib.asynccontextmanager
async def fake_api() -> AsyncIterator[LoadFakeApi]:
    limits = FakeLimits(global_rate=0, per_chat_rate=0)  # the bot is measured, not Telegram
    # Telegram edits any message of a chat: a returning person's dialog may take the buttons
    # off a message sent many visits before, so the fake keeps far more than a load run sends.
    config = FakeBotApiConfig(token=None, limits=limits, keep_per_chat=1000)
    async with LoadFakeApi(config) as fake:
        yield fake


# ----------------------------------------------------------------------------- runs


async def run_bots(
    name: str,
    database_url: str,
    redis_url: str,
    instances: int,
    args: argparse.Namespace,
    folder: Path,
) -> Figures:
    figures = Figures(name, instances)
    connector = aiohttp.TCPConnector(limit=0)
    async with fake_api() as fake, aiohttp.ClientSession(connector=connector) as http:
        bots = [
            spawn_bot(f"{name.split()[0]}-{i}", fake.url, folder, database_url, redis_url)
            for i in range(instances)
        ]
        try:
            await asyncio.gather(*(wait_ready(http, bot) for bot in bots))
            targets = [bot.url + HOOK_PATH for bot in bots]
            load = Load(fake, http, targets, figures, [bot.popen.pid for bot in bots])
            if args.rate:
                await load.surge(args.rate, args.warmup, args.duration)
            else:
                await load.users(args.users, visit, args.warmup, args.duration)
            counts = [await handled_from_metrics(http, bot.url) for bot in bots]
            figures.handled = sum(count[0] for count in counts)
            figures.repeats_refused = sum(count[1] for count in counts)
            timed = sum(count[3] for count in counts)
            figures.dispatcher_mean = sum(count[2] for count in counts) / timed if timed else None
        finally:
            codes = await asyncio.gather(*(stop(bot) for bot in bots))
        for bot, code in zip(bots, codes, strict=True):
            log_errors(bot, figures)
            if code != 0:
                figures.errors[f"{bot.name}: exit code {code}"] += 1
        _fake_errors(fake, figures)
    if figures.handled_twice:
        figures.errors["updates handled twice"] += figures.handled_twice
    if figures.handled is not None and figures.handled < figures.posted:
        figures.errors["updates never handled"] += figures.posted - figures.handled
    return figures


async def run_echo(args: argparse.Namespace, folder: Path) -> Figures:
    figures = Figures("baseline: aiogram echo", 1)
    connector = aiohttp.TCPConnector(limit=0)
    async with fake_api() as fake, aiohttp.ClientSession(connector=connector) as http:
        echo = spawn_echo(fake.url, folder)
        try:
            await wait_ready(http, echo)
            load = Load(fake, http, [echo.url + HOOK_PATH], figures, [echo.popen.pid])
            await load.users(args.users, echo_visit, args.warmup, args.duration)
        finally:
            code = await stop(echo)
        log_errors(echo, figures)
        if code != 0:
            figures.errors[f"echo: exit code {code}"] += 1
        _fake_errors(fake, figures)
    return figures


def _fake_errors(fake: FakeBotApi, figures: Figures) -> None:
    counters = fake.counters
    figures.api_calls = counters.requests
    for name in ("bad_requests", "unauthorized", "not_found", "server_errors", "rate_limited"):
        if value := getattr(counters, name):
            figures.errors[f"Bot API {name.replace('_', ' ')}"] += value
    for said, value in sorted(counters.refusals.items(), key=lambda item: -item[1])[:5]:
        print(f"  refused {value} × {said}")


async def fresh_backends(postgres_url: str, redis_url: str) -> None:
    """Empty public schema and Redis database, then migrations and demo data, once: the two
    instances start on a prepared database instead of racing to create it."""
    import redis.asyncio as redis

    from bot.app import build_app, prepare_database
    from bot.config import Settings
    from db.engine import create_engine

    engine = create_engine(postgres_url)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        await connection.exec_driver_sql("CREATE SCHEMA public")
    await engine.dispose()
    client = redis.from_url(redis_url)
    await client.flushdb()
    await client.aclose()
    app = build_app(
        Settings(_env_file=None, database_url=postgres_url, redis_url=None, bot_token=None)
    )
    try:
        await prepare_database(app)
    finally:
        await app.close()


def report(runs: list[Figures]) -> None:
    head = (
        f"{'run':<34}{'inst':>5}{'updates':>9}{'upd/s':>8}{'reply p50':>11}{'p99':>9}"
        f"{'answer p50':>12}{'p99':>9}{'errors':>8}{'twice':>7}   (latencies in ms)"
    )
    print("\n" + head)
    for figures in runs:
        reply50 = figures.quantile(figures.latencies, 0.5)
        reply99 = figures.quantile(figures.latencies, 0.99)
        answer50 = figures.quantile(figures.answers, 0.5)
        answer99 = figures.quantile(figures.answers, 0.99)
        twice = "-" if figures.handled_twice is None else str(figures.handled_twice)
        print(
            f"{figures.name:<34}{figures.instances:>5}{figures.updates:>9}{figures.rate:>8.0f}"
            f"{reply50:>11.1f}{reply99:>9.1f}{answer50:>12.1f}{answer99:>9.1f}"
            f"{sum(figures.errors.values()):>8}{twice:>7}"
        )
    for figures in runs:
        for kind, count in sorted(figures.errors.items()):
            print(f"  {figures.name}: {count} × {kind}")
        if figures.handled is not None:
            print(
                f"  {figures.name}: posted {figures.posted} distinct updates "
                f"(+{figures.reposted} re-sent to the other instance), handled "
                f"{figures.handled}, re-sends refused {figures.repeats_refused}"
            )
        if figures.cpu_seconds is not None and figures.updates:
            busy = figures.cpu_seconds / figures.window / figures.instances
            print(
                f"  {figures.name}: CPU {figures.cpu_seconds / figures.updates * 1000:.2f} ms "
                f"per update handled, {busy:.0%} of a core per process"
            )
        if figures.api_calls is not None and figures.posted:
            print(
                f"  {figures.name}: {figures.api_calls / figures.posted:.2f} API requests per "
                "update posted (warm-up included; Telegram's answer to a press rides in the "
                "webhook reply)"
            )
        if figures.dispatcher_mean is not None:
            print(
                f"  {figures.name}: mean time inside the dispatcher "
                f"{figures.dispatcher_mean * 1000:.1f} ms per update (the bot's own "
                "bot_update_duration_seconds; the rest of 'answer' is the webhook, the update_id "
                "claim and HTTP)"
            )


async def main(args: argparse.Namespace) -> int:
    import aiogram
    import sqlalchemy

    print(
        f"Python {sys.version.split()[0]}, aiogram {aiogram.__version__}, SQLAlchemy "
        f"{sqlalchemy.__version__}, {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    if args.rate:
        print(
            f"open loop: {args.rate:g} updates/s offered, each by a person ready for a next step "
            f"({THINK_SECONDS[0]:g}-{THINK_SECONDS[1]:g} s after the last reply) or a newcomer "
            f"({NEW_SHARE:.0%} new, the rest returning); {args.warmup:g} s warm-up, then "
            f"{args.duration:g} s measured per run"
        )
    else:
        print(
            f"closed loop: {args.users} concurrent users, each posting its next update when the "
            f"webhook answered the last (no think time); {args.warmup:g} s warm-up, then "
            f"{args.duration:g} s measured per run"
        )
    runs: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        folder = Path(tmp)
        sqlite = f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}"
        runs.append(await run_bots("one instance, SQLite", sqlite, "", 1, args, folder))
        report(runs)
        if args.messenger == "max":  # the same surge in MAX, beside Telegram's of this run
            from bench.max_load import run_max

            runs.append(await run_max(args, folder))
        if not args.sqlite_only:
            postgres = os.environ.get("TEST_POSTGRES_URL")
            redis_url = os.environ.get("TEST_REDIS_URL")
            if postgres and redis_url:
                await fresh_backends(postgres, redis_url)
                name = "two instances, PostgreSQL+Redis"
                runs.append(await run_bots(name, postgres, redis_url, 2, args, folder))
            else:
                print("\ntwo instances: skipped (TEST_POSTGRES_URL and TEST_REDIS_URL are not set)")
        if not args.rate:
            runs.append(await run_echo(args, folder))
    report(runs)
    if args.rate:
        for figures in runs:
            offered = figures.offered / figures.window if figures.window else 0.0
            print(
                f"\n{figures.name}: offered {offered:.1f} updates/s\n"
                f"p99 reply {figures.quantile(figures.latencies, 0.99):.0f} ms\n"
                f"errors {sum(figures.errors.values())}\n"
                f"handled twice {figures.handled_twice}"
            )
        for one in runs:
            if one.instances != 1:
                continue
            met = (
                one.quantile(one.latencies, 0.99) <= 150
                and not one.errors
                and not one.handled_twice
            )
            print(
                f"target {one.name} at {args.rate:g}/s: reply p99 <= 150 ms, 0 errors, 0 handled "
                "twice: " + ("MET" if met else "NOT MET")
            )
    else:
        one, baseline = runs[0], runs[-1]
        if baseline.rate:
            print(f"\nratio one instance / baseline (updates/s): {one.rate / baseline.rate:.2f}")
    if len(runs) > 1 and runs[1].instances == 2:
        two = runs[1]
        ok = not two.errors and two.handled_twice == 0
        print("target two instances: 0 errors, none handled twice: " + ("MET" if ok else "NOT MET"))
    return int(any(figures.errors for figures in runs))


# ----------------------------------------------------------------------------- echo bot


async def echo_bot(port: int, api_url: str) -> None:
    """The baseline: aiogram's own webhook handler and a one-line echo handler, nothing else."""
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler
    from aiohttp import web

    session = AiohttpSession()
    session.api = TelegramAPIServer.from_base(api_url)
    bot = Bot(TOKEN, session=session)
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    # Answer after handling, as the bot's own webhook does.
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token=SECRET).register(
        app, path=HOOK_PATH
    )
    app.router.add_get("/healthz", health)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    await runner.cleanup()
    await bot.session.close()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16, help="concurrent users (closed loop)")
    parser.add_argument("--duration", type=float, help="measured seconds per run (default 20)")
    parser.add_argument("--warmup", type=float, help="unmeasured seconds first (default 3)")
    parser.add_argument(
        "--sqlite-only", action="store_true", help="only the one-instance run (while tuning)"
    )
    parser.add_argument("--quick", action="store_true", help="8 s per run, 2 s warm-up")
    parser.add_argument(
        "--rate", type=float, help="open loop: updates offered a second (default: closed loop)"
    )
    parser.add_argument(
        "--messenger",
        choices=("telegram", "max"),
        default="telegram",
        help="max: the open-loop surge in Telegram, then in MAX (one instance, SQLite, each)",
    )
    parser.add_argument("--echo-bot", nargs=2, metavar=("PORT", "API_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.messenger == "max":
        args.rate = args.rate or 50.0
        args.sqlite_only = True
    long_run = 60.0 if args.rate else 20.0
    args.duration = args.duration or (8.0 if args.quick else long_run)
    long_warmup = 10.0 if args.rate else 3.0
    args.warmup = args.warmup if args.warmup is not None else (2.0 if args.quick else long_warmup)
    return args


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.echo_bot:
        asyncio.run(echo_bot(int(arguments.echo_bot[0]), arguments.echo_bot[1]))
        sys.exit(0)
    sys.exit(asyncio.run(main(arguments)))
