"""bench/load.py --messenger max: the open-loop surge of bench/load.py, in MAX.

The fake MAX server runs as its own process (python -m bot.testing.fake_max_api, no rate
limit: the bot is measured, not MAX); the bot runs as another, started as the Telegram run
starts it: `python -m bot run` with MESSENGER=max, BOT_MODE=webhook, MAX_API_URL at the fake and
the MAX webhook secret. Turns come as in bench/load.py (a Poisson process
of --rate a second, each taken by a person ready for a next step or by a newcomer); a step is a
MAX update the fake builds from what the person's chat shows (a press on a label, a text, a
start), posted to the bot's MAX webhook with the `X-Max-Bot-Api-Secret` header, as MAX posts
it; the bot answers after handling.

reply: from posting the update until the bot's first MAX call about that person reached the fake
(a send, an edit, the answer to a press), read afterwards from the fake's call log; answer: until
the bot's 200.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.load import (
    AGES,
    DIRECTIONS,
    QUESTIONS,
    ROLES,
    THINK_SECONDS,
    TOWNS,
    Figures,
    Process,
    Stopped,
    Stuck,
    Turn,
    free_port,
    handled_from_metrics,
    log_errors,
    open_loop,
    spawn_process,
    stop,
    wait_ready,
)

ROOT = Path(__file__).resolve().parent.parent
MAX_USERS = itertools.count(70_000_001)  # MAX user ids of the simulated people
MAX_TOKEN = "max-token"  # the fake MAX server's
MAX_SECRET = "max-load-bench-secret"
MAX_SECRET_HEADER = "X-Max-Bot-Api-Secret"
MAX_HOOK_PATH = "/max/webhook"  # MAX_WEBHOOK__PATH's default


class FakeMax:
    """The fake MAX server's process and its /_fake/ routes."""

    def __init__(self, folder: Path) -> None:
        self.log = (folder / "fake-max.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.testing.fake_max_api", "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


class MaxLoad:
    def __init__(
        self, fake: FakeMax, http: aiohttp.ClientSession, target: str, figures: Figures, pid: int
    ) -> None:
        self.fake = fake
        self.http = http
        self.target = target
        self.figures = figures
        self.pid = pid
        self.measuring = False
        self.stop = False
        self.rng = random.Random(1)
        self.posted: list[tuple[int, float, float]] = []  # measured: (person, posted, answered)
        self.starts = 0  # bot_started posted: each is two aiogram updates (membership, /start)

    async def fake_call(self, path: str, **order: Any) -> tuple[int, Any]:
        async with self.http.post(self.fake.url + path, json=order) as answer:
            return answer.status, await answer.json()

    async def labels(self, user_id: int) -> list[list[str]]:
        async with self.http.get(f"{self.fake.url}/_fake/labels?user_id={user_id}") as answer:
            return await answer.json()

    async def post(self, user_id: int, order: dict[str, Any]) -> None:
        status, update = await self.fake_call("/_fake/update", user_id=user_id, **order)
        if status == 404:
            raise Stuck(update.get("message"))
        figures = self.figures
        figures.posted += 1
        self.starts += order.get("kind") == "start"
        started = time.time()
        try:
            headers = {MAX_SECRET_HEADER: MAX_SECRET}
            async with self.http.post(self.target, json=update, headers=headers) as answer:
                await answer.read()
                code = answer.status
        except aiohttp.ClientError as exc:
            figures.errors[f"webhook {type(exc).__name__}"] += 1
            return
        answered = time.time()
        if code != 200:
            figures.errors[f"webhook HTTP {code}"] += 1
            return
        if self.measuring:
            figures.updates += 1
            figures.answers.append(answered - started)
            self.posted.append((user_id, started, answered))

    async def surge(self, rate: float, warmup: float, seconds: float) -> None:
        """As bench/load.py's `Load.surge`."""

        async def arrive(user_id: int | None, turn: Turn) -> int:
            person = MaxPerson(self, user_id or next(MAX_USERS), turn)
            await (visit if turn.new else returning_visit)(person)
            return person.user_id

        await open_loop(self, [self.pid], rate, warmup, seconds, arrive)

    async def replies(self) -> None:
        """Reply latencies from the fake's call log: a person's first call after posting."""
        async with self.http.get(self.fake.url + "/_fake/calls") as answer:
            calls = await answer.json()
        by_person: dict[int, list[float]] = collections.defaultdict(list)
        for stamp, user_id in calls:
            by_person[user_id].append(stamp)
        for user_id, started, answered in self.posted:
            stamps = [s for s in by_person.get(user_id, ()) if started <= s <= answered + 0.001]
            if stamps:
                self.figures.latencies.append(min(stamps) - started)
            else:
                self.figures.errors["updates without a reply"] += 1


class MaxPerson:
    def __init__(self, load: MaxLoad, user_id: int, turn) -> None:  # type: ignore[no-untyped-def]
        self.load = load
        self.user_id = user_id
        self.rnd = random.Random(user_id)
        self.turn = turn
        self.steps = 0

    async def start(self) -> None:
        await self._post({"kind": "start"})

    async def send(self, text: str) -> None:
        await self._post({"kind": "text", "text": text})

    async def press(self, label: str | None = None) -> None:
        """A button with this label; None: the newest keyboard's first button."""
        if label is None:
            shown = [labels for labels in await self.load.labels(self.user_id) if labels]
            if not shown:
                raise Stuck("no buttons")
            label = shown[-1][0]
        await self._post({"kind": "press", "label": label})

    async def on_newest(self, label: str) -> bool:
        shown = [labels for labels in await self.load.labels(self.user_id) if labels]
        return bool(shown) and label in shown[-1]

    async def _post(self, order: dict[str, Any]) -> None:
        if self.steps:
            await asyncio.sleep(self.rnd.uniform(*THINK_SECONDS))
            await self.turn()
        if self.load.stop:
            raise Stopped
        self.steps += 1
        await self.load.post(self.user_id, order)


async def visit(person: MaxPerson) -> None:
    """bench/load.py's first visit, in MAX: the menu is inline buttons, pressed."""
    rnd = person.rnd
    await person.start()
    await person.press(rnd.choice(ROLES))
    await person.send(rnd.choice(TOWNS))
    if rnd.random() < 0.6:
        await person.send(rnd.choice(AGES))
    else:
        await person.press("Пропустить")
    await person.press("✅ Согласен(на)" if rnd.random() < 0.7 else "Не сейчас")
    if await person.on_newest("Готово") and rnd.random() < 0.5:
        await person.press("⬜ Профориентация и мероприятия")
        await person.press("Готово")
    await person.press("🔎 Кружки и центры")
    await person.press(rnd.choice(DIRECTIONS))
    if await person.on_newest("▶️"):
        await person.press("▶️")
    await person.send(rnd.choice(QUESTIONS))
    await person.press("👨‍👩‍👧 Консультации")
    await person.press("📝 Записаться")
    await person.press()  # a topic
    await person.press("Любая организация")
    await person.press("Любой свободный специалист")


async def returning_visit(person: MaxPerson) -> None:
    rnd = person.rnd
    await person.start()
    await person.press("🔎 Кружки и центры")
    await person.press(rnd.choice(DIRECTIONS))
    await person.send(rnd.choice(QUESTIONS))
    await person.press("👨‍👩‍👧 Консультации")
    await person.press("📝 Записаться")
    await person.press()
    await person.press("Любая организация")


def spawn_max_bot(fake_url: str, folder: Path, database_url: str) -> Process:
    """`python -m bot run` as the Telegram run starts it, in MAX: MESSENGER=max, BOT_MODE=webhook,
    MAX_API_URL at the fake MAX process, no public URL (nothing to subscribe: the bench posts)."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("BOT_", "WEBHOOK__", "MAX_", "LOG_", "METRICS_", "BROADCAST__", "MESSENGER")
        )
        and key not in {"DATABASE_URL", "REDIS_URL", "ADMIN_IDS"}
    }
    env.update(
        MESSENGER="max",
        BOT_MODE="webhook",
        MAX_TOKEN=MAX_TOKEN,
        MAX_API_URL=fake_url,
        MAX_WEBHOOK__SECRET=MAX_SECRET,
        MAX_WEBHOOK__LISTEN_PORT=str(port),
        DATABASE_URL=database_url,
        REDIS_URL="",
        LOG_LEVEL="WARNING",  # a line per update at INFO would be measured too
        PYTHONPATH=str(ROOT),
    )
    return spawn_process("max", [sys.executable, "-m", "bot", "run"], env, folder, port)


async def run_max(args: argparse.Namespace, folder: Path) -> Figures:
    figures = Figures("MAX, one instance, SQLite", 1)
    fake = FakeMax(folder)
    database_url = f"sqlite+aiosqlite:///{folder / 'max.sqlite3'}"
    connector = aiohttp.TCPConnector(limit=0)
    try:
        async with aiohttp.ClientSession(connector=connector) as http:
            bot = spawn_max_bot(fake.url, folder, database_url)
            try:
                await wait_ready(http, bot)
                load = MaxLoad(fake, http, bot.url + MAX_HOOK_PATH, figures, bot.popen.pid)
                await load.surge(args.rate, args.warmup, args.duration)
                await load.replies()
                handled, refused, spent, timed = await handled_from_metrics(http, bot.url)
                figures.handled, figures.repeats_refused = handled - load.starts, refused
                figures.dispatcher_mean = spent / timed if timed else None
                async with http.get(fake.url + "/_fake/stats") as answer:
                    stats = await answer.json()
                figures.api_calls = stats["requests"]
            finally:
                code = await stop(bot)
            log_errors(bot, figures)
            if code != 0:
                figures.errors[f"max: exit code {code}"] += 1
            for name in ("server_errors", "rate_limited", "forbidden"):
                if stats[name]:
                    figures.errors[f"MAX API {name.replace('_', ' ')}"] += stats[name]
            for code_name, count in stats["refusals"].items():
                figures.errors[f"MAX API refused: {code_name}"] += count
    finally:
        fake.stop()
    if figures.handled_twice:
        figures.errors["updates handled twice"] += figures.handled_twice
    if figures.handled is not None and figures.handled < figures.posted:
        figures.errors["updates never handled"] += figures.posted - figures.handled
    return figures
