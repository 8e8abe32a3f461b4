"""One person floods, ten others use the bot: the real bot against Telegram's limits.

The bot runs as a real process (`python -m bot run`, webhook mode, SQLite), answering into the
fake Bot API (bot/testing/fake_bot_api.py) with Telegram's limits ON: 30 sends a second in all
and one a second to each chat, 429 with retry_after beyond them. Meanwhile:

- the flooder posts --flood messages (1,000) to the webhook, --connections at a time (40, the
  webhook's default max_connections), as fast as the bot takes them;
- --users innocent people (10) each walk a visit (onboarding, the catalogue, the first booking
  steps, /help: bench/load.py's `visit`), an update at a time, each waiting for the webhook's
  answer to the previous one.

Printed: how long the flood took to post; the webhook's answers; what reached the flooder
(replies, notices); for the innocent: updates, how many got an answer (a message, an edit, or
the press's answer that Telegram accepted), reply times; the 429s Telegram answered, the
calls the bot sent again after waiting, and the LOST replies (429s not followed by a retry:
given up, or never retried); the bot's log (lines, WARNING, ERROR, tracebacks).

Targets: every innocent message answered, 0 lost replies, no ERROR; exit code 1 otherwise.
`--code DIR` runs the bot from another checkout (e.g. the main branch, for a before/after).

    .venv/bin/python bench/flood.py [--flood 1000] [--users 10] [--code DIR]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import argparse
import asyncio
import itertools
import random
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp

from bench.load import (
    HOOK_PATH,
    SECRET,
    SECRET_HEADER,
    TOKEN,
    Process,
    Stuck,
    free_port,
    spawn_process,
    stop,
    visit,
    wait_ready,
)
from bot.telegram.i18n import Locales
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLOODER = 7_000_000_001
SEQUENCE = itertools.count(1)


class FloodFakeApi(FakeBotApi):
    """The fake Bot API, counting per chat the calls it accepted and the 429s it answered."""

    def __init__(self, config: FakeBotApiConfig) -> None:
        super().__init__(config)
        self.accepted: Counter[int] = Counter()
        self.refused_429: Counter[int] = Counter()

    def call(self, method: str, values: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        status, answer = super().call(method, values)
        raw = values.raw if hasattr(values, "raw") else values  # type: ignore[attr-defined]
        chat = _chat_of(raw)
        if chat is not None:
            if status == 200:
                self.accepted[chat] += 1
            elif status == 429:
                self.refused_429[chat] += 1
        return status, answer


def _chat_of(raw: Mapping[str, Any]) -> int | None:
    value = raw.get("chat_id")
    if value is None:
        query = raw.get("callback_query_id")  # ours are "<chat id>:<n>"
        value = query.split(":", 1)[0] if isinstance(query, str) and ":" in query else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class Run:
    def __init__(self, fake: FloodFakeApi, http: aiohttp.ClientSession, url: str) -> None:
        self.fake = fake
        self.http = http
        self.url = url
        self.statuses: Counter[str] = Counter()
        self.innocent_updates = 0
        self.unanswered = 0
        self.latencies: list[float] = []
        self.stuck = 0
        self.stop = False  # bench.load.Person's interface

    async def post(self, update: dict[str, Any]) -> bytes | None:
        headers = {SECRET_HEADER: SECRET}
        try:
            async with self.http.post(self.url, json=update, headers=headers) as answer:
                body = await answer.read()
                self.statuses[str(answer.status)] += 1
                return body if answer.status == 200 else None
        except aiohttp.ClientError as error:
            self.statuses[type(error).__name__] += 1
            return None


class Innocent:
    """A person walking bench/load.py's visit; each update must be answered."""

    def __init__(self, run: Run, chat_id: int, seed: int) -> None:
        self.run = run
        self.chat_id = chat_id
        self.rnd = random.Random(seed)
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
        buttons = self.run.fake.buttons(self.chat_id)
        if label is not None:
            buttons = [b for b in buttons if b[1] == label]
        if not buttons:
            raise Stuck(f"no button {label!r}")
        message_id, _, data = buttons[0]
        query = {
            "id": f"{self.chat_id}:{next(SEQUENCE)}",
            "from": self.sender,
            "chat_instance": "flood",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(),
                "text": self.run.fake.stored_text(self.chat_id, message_id) or "",
            },
        }
        await self._post({"update_id": next(SEQUENCE), "callback_query": query})

    async def _post(self, update: dict[str, Any]) -> None:
        run = self.run
        before = run.fake.accepted[self.chat_id]
        started = time.perf_counter()
        body = await run.post(update)
        run.innocent_updates += 1
        if body is not None:
            executed = run.fake.webhook_reply(body)  # a press's answer, as Telegram does
            if executed is not None and executed[0] == 200:
                run.fake.accepted[self.chat_id] += 1
        if run.fake.accepted[self.chat_id] > before:
            run.latencies.append(time.perf_counter() - started)
        else:
            run.unanswered += 1


async def innocent_visit(person: Innocent) -> None:
    try:
        await visit(person)  # type: ignore[arg-type]
        await person.send("/help")
    except Stuck:
        person.run.stuck += 1


async def flood(run: Run, count: int, connections: int) -> float:
    """The flooder's messages, `connections` in flight at a time; seconds it took."""
    sender = {"id": FLOODER, "is_bot": False, "first_name": "Флуд", "language_code": "ru"}
    numbers = iter(range(count))
    started = time.perf_counter()

    async def connection() -> None:
        for number in numbers:
            message = {
                "message_id": next(SEQUENCE),
                "date": int(time.time()),
                "chat": {"id": FLOODER, "type": "private"},
                "from": sender,
                "text": f"а ответь {number}",
            }
            await run.post({"update_id": next(SEQUENCE), "message": message})

    await asyncio.gather(*(connection() for _ in range(connections)))
    return time.perf_counter() - started


def spawn_bot(code: str, fake_url: str, folder: Path) -> Process:
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
        DATABASE_URL=f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}",
        WEBHOOK__PUBLIC_URL="http://bot.internal:8443",
        WEBHOOK__SECRET=SECRET,
        WEBHOOK__LISTEN_PORT=str(port),
        WEBHOOK__MAX_CONNECTIONS="100",
        LOG_LEVEL="WARNING",
        PYTHONPATH=code,
    )
    return spawn_process("bot", [sys.executable, "-m", "bot", "run"], env, folder, port)


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main(args: argparse.Namespace) -> int:
    code = args.code
    print(
        f"bot from {code}; fake Bot API with Telegram's limits (30 sends/s in all, 1/s per "
        f"chat); {args.flood} flood messages over {args.connections} connections, "
        f"{args.users} innocent users; {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    notice = Locales(default="ru").get("ru")("flood-notice")
    config = FakeBotApiConfig(token=None, limits=FakeLimits(), keep_per_chat=6)
    with tempfile.TemporaryDirectory(prefix="flood-") as tmp:
        folder = Path(tmp)
        connector = aiohttp.TCPConnector(limit=0)
        async with FloodFakeApi(config) as fake, aiohttp.ClientSession(connector=connector) as http:
            bot = spawn_bot(code, fake.url, folder)
            try:
                await wait_ready(http, bot)
                fake.reset()
                fake.accepted.clear()
                fake.refused_429.clear()
                run = Run(fake, http, bot.url + HOOK_PATH)
                people = [Innocent(run, 6_100_000_000 + i, seed=i) for i in range(args.users)]
                started = time.perf_counter()
                flood_seconds, *_ = await asyncio.gather(
                    flood(run, args.flood, args.connections),
                    *(innocent_visit(person) for person in people),
                )
                total_seconds = time.perf_counter() - started
            finally:
                code_ = await stop(bot)
            log = bot.log()
            flooder = fake.per_chat(FLOODER)
            refused = sum(fake.refused_429.values())

    retried = log.count("sending again in")
    lines = log.splitlines()
    errors = sum(1 for line in lines if " ERROR " in line or " CRITICAL " in line)
    lost = refused - retried
    flooder_refused = fake.refused_429[FLOODER]
    print(
        f"flood: {args.flood} messages posted in {flood_seconds:.1f} s; all done in "
        f"{total_seconds:.1f} s; webhook answers {dict(run.statuses)}"
    )
    print(
        f"flooder: {len(flooder)} messages reached them, of which "
        f"{sum(1 for d in flooder if d.text == notice)} the flood notice; "
        f"Telegram answered their chat 429 {flooder_refused} times"
    )
    print(
        f"innocent: {args.users} users, {run.innocent_updates} updates, answered "
        f"{run.innocent_updates - run.unanswered}, unanswered {run.unanswered}, stuck {run.stuck}; "
        f"reply p50 {quantile(run.latencies, 0.5):.0f} ms, p99 {quantile(run.latencies, 0.99):.0f} "
        f"ms, max {quantile(run.latencies, 1.0):.0f} ms; 429s in their chats "
        f"{refused - flooder_refused}"
    )
    print(
        f"Bot API: {fake.counters.requests} requests, {fake.counters.delivered} messages "
        f"delivered, 429 answered {refused}, sent again after waiting {retried}, "
        f"LOST replies {lost}"
    )
    print(
        f"bot log: {len(lines)} lines, {log.count(' WARNING ')} WARNING, {errors} ERROR, "
        f"{log.count('Traceback')} tracebacks; exit code {code_}"
    )
    answered = run.unanswered == 0 and run.stuck == 0
    print(
        "target every innocent message answered: "
        + ("MET" if answered else "NOT MET")
        + f"; 0 lost replies: {'MET' if lost == 0 else 'NOT MET'}"
        + f"; no ERROR: {'MET' if errors == 0 else 'NOT MET'}"
    )
    return int(not answered or lost != 0 or errors != 0 or code_ != 0)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=1000, help="the flooder's messages")
    parser.add_argument("--users", type=int, default=10, help="innocent users")
    parser.add_argument("--connections", type=int, default=40, help="flood posts in flight")
    parser.add_argument("--code", default=ROOT, help="the checkout the bot runs from")
    args = parser.parse_args()
    args.code = os.path.abspath(args.code)
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
