"""Updates/s and latency of the full bot against a bare aiogram echo dispatcher (see --help)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import argparse
import asyncio
import itertools
import logging
import random
import re
import resource
import tempfile
import time
from collections import Counter

import aiogram
import sqlalchemy
from aiogram import Dispatcher
from aiogram.types import CallbackQuery, Chat, Location, Message, MessageEntity, Update, User
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App, build_app, create_bot, create_dispatcher, prepare_database, settle_heap
from bot.config import Settings
from bot.testing.offline_session import OfflineSession, Outgoing
from bot.webhook import UpdateClaims
from db.models import User as UserRow

ROLES = ("Родитель", "Ученик", "Педагог или другое")
TYPED = ("Томск", "Северск", "Асино", "Колпашево", "Стрежевой", "томск", "Кожевниково")
PAGED = (("▶️", "Каргасок"), ("▶️", "▶️", "Парабель"), ("▶️", "▶️", "▶️", "Светлый"))
TOWNS = ((56.4847, 84.9482), (56.6031, 84.8809), (58.3131, 82.9086), (56.9908, 86.1578))
AGES = ("10", "7", "5 класс", "14", "3 кл")
IDS = itertools.count(1)  # message, update and callback query ids
TOPIC = "Психолого-педагогическая помощь"
UNKNOWN = ("а где запись на робототехнику?", "спасибо", "Когда откроется каталог?")
# Timings are never asserted: the exit code is 1 only for these (stuck: a button was missing).
FAILURES = ("raised", "logged errors", "rejected calls", "stuck users")
PROBLEMS: Counter[str] = Counter()  # the kinds above, and warnings
DETAILS: Counter[str] = Counter()  # what exactly went wrong, numbers masked


def problem(kind: str, text: str) -> None:
    PROBLEMS[kind] += 1
    DETAILS[re.sub(r"\d+", "N", text)[:160]] += 1


class LogCheck(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        cause = f" ({str(record.exc_info[1]).splitlines()[0]})" if record.exc_info else ""
        kind = "logged errors" if record.levelno >= logging.ERROR else "logged warnings"
        problem(kind, f"log {record.levelname} {record.name}: {record.getMessage()}{cause}")


class Run:
    """A dispatcher and its bot on an offline session, with the latency of every update."""

    def __init__(self, dp: Dispatcher, settings: Settings) -> None:
        self.session = OfflineSession()
        self.session.keep_log = False  # then it keeps only each chat's current view
        self.session.listeners.append(self.listen)
        self.bot, self.dp = create_bot(settings, session=self.session), dp
        self.latencies: list[float] = []
        self.round_trips: list[tuple[str, int]] = []

    def listen(self, out: Outgoing) -> None:
        if out.error is not None:
            problem("rejected calls", f"rejected {type(out.method).__name__}: {out.error}")

    async def feed(self, update: Update) -> None:
        start = time.perf_counter()
        try:
            await self.dp.feed_update(self.bot, update)
        except Exception as exc:
            problem("raised", f"update raised {exc!r}")
        finally:
            self.latencies.append(time.perf_counter() - start)

    async def users(self, n: int, concurrency: int, first_id: int, visit) -> int:  # type: ignore[no-untyped-def]
        """`concurrency` users at once, each one's updates in order; how many agreed."""
        pending, agreed = iter(range(n)), 0

        async def worker() -> None:
            nonlocal agreed
            for index in pending:
                person = Person(self, first_id + index)
                try:
                    await visit(person, index)
                except LookupError as exc:  # the bot did not show what the person needed
                    problem("stuck users", f"user stuck: {exc}")
                agreed += person.agreed
                self.session.chats.pop(person.chat.id, None)  # so that memory stays flat

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        self.wall = time.perf_counter() - start
        return agreed

    def report(self, name: str) -> tuple[float, float]:
        lat = sorted(self.latencies)
        p50, p99 = (lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 for q in (0.5, 0.99))
        rate = len(lat) / self.wall
        print(f"{name:<6}{len(lat):>9}{self.wall:>9.2f}{rate:>11.0f}{p50:>9.2f}{p99:>9.2f}")
        return rate, p99


class Person:
    """One private chat: a lean `tests/harness.TestUser` that keeps no log."""

    def __init__(self, run: Run, uid: int) -> None:
        self.user = User(id=uid, is_bot=False, first_name="Анна", language_code="ru")
        self.chat = Chat(id=uid, type="private", first_name="Анна")
        self.run, self.agreed = run, False

    async def send(self, text: str | None = None, **content: object) -> None:
        if text and text.startswith("/"):  # commands are sent without arguments
            content["entities"] = [MessageEntity(type="bot_command", offset=0, length=len(text))]
        message = Message(
            message_id=next(IDS), date=int(time.time()), chat=self.chat,
            from_user=self.user, text=text, **content,
        )  # fmt: skip
        await self.run.feed(Update(update_id=next(IDS), message=message))

    async def press(self, label: str) -> None:
        """The newest inline button with this label, else the reply-keyboard one."""
        view = self.run.session.chat(self.chat.id)
        for message in reversed(view.messages.values()):
            for row in message.reply_markup.inline_keyboard if message.reply_markup else []:
                for button in row:
                    if button.text == label and button.callback_data:
                        return await self._callback(message, button.callback_data)
        keyboard = view.reply_keyboard.keyboard if view.reply_keyboard else []
        if any(button.text == label for row in keyboard for button in row):
            return await self.send(label)
        raise LookupError(f"no button {label!r}")

    async def _callback(self, message: Message, data: str) -> None:
        query_id = f"cq{next(IDS)}"
        query = CallbackQuery(
            id=query_id, from_user=self.user, chat_instance="ci", message=message, data=data
        )
        await self.run.feed(Update(update_id=next(IDS), callback_query=query))
        self.run.session.answered_callbacks.discard(query_id)  # ids are never reused


async def journey(p: Person, index: int) -> None:
    """One user's whole visit."""
    rnd = random.Random(index)
    await p.send("/start")
    await p.press(rnd.choice(ROLES))
    way = rnd.random()
    if way < 0.35:
        await p.send(rnd.choice(TYPED))
    elif way < 0.45:
        await p.send("Тосмк")  # a typo first, then the right name
        await p.send("Томск")
    elif way < 0.55:
        await p.send("Мо")  # two matches: pick one from the list the bot offers
        await p.press("Моряковский Затон · Томский район")
    elif way < 0.8:
        lat, lon = (x + rnd.uniform(-0.03, 0.03) for x in rnd.choice(TOWNS))
        await p.send(location=Location(latitude=lat, longitude=lon))
    else:
        for label in rnd.choice(PAGED):
            await p.press(label)
    if rnd.random() < 0.6:
        if rnd.random() < 0.1:
            await p.send("десять")  # not understood, asked again
        await p.send(rnd.choice(AGES))
    else:
        await p.press("Пропустить")
    p.agreed = rnd.random() < 0.7
    await p.press("✅ Согласен(на)" if p.agreed else "Не сейчас")
    await p.send("/menu")
    for label in ("❓ Помощь", "🔎 Кружки и центры"):  # the reply keyboard's buttons
        await p.press(label)
    await p.send("/settings")
    if rnd.random() < 0.5:
        for label in ("🌐 Язык", "English", "🌐 Language", "Русский"):
            await p.press(label)
    else:
        await p.press("👤 Роль")  # without consent the bot asks for it first: decline again
        await p.press(rnd.choice(ROLES) if p.agreed else "Не сейчас")
    await p.send(rnd.choice(UNKNOWN))


async def bench_full(n: int, concurrency: int, tmp: str) -> Run:
    db = f"sqlite:///{tmp}/bench.sqlite3"
    settings = Settings(_env_file=None, database_url=db, bot_token=None, redis_url=None)
    app = build_app(settings)
    await prepare_database(app)
    run = Run(create_dispatcher(app), settings)
    settle_heap()  # as bot.runner does before serving
    first_id = 7_000_000
    agreed = await run.users(n, concurrency, first_id, journey)
    async with app.sessions() as session:  # the demo data has people of its own
        counts = select(func.count(), func.count(UserRow.consent_version))
        counts = counts.where(UserRow.id.between(first_id, first_id + n - 1))
        users, with_consent = (await session.execute(counts)).one()
    ok = "OK" if users == n and with_consent == agreed else "WRONG"
    print(f"sanity: users {users} of {n}, with consent {with_consent} of {agreed} agreed: {ok}")
    await run.dp.storage.close()
    run.round_trips = await count_round_trips(app, settings)
    await app.close()
    return run


class RoundTrips:
    """Database round trips: every statement the driver runs (BEGIN included), every COMMIT and
    ROLLBACK. Through aiosqlite each is a hand-off to the connection's thread and back."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        for name in ("before_cursor_execute", "commit", "rollback"):
            event.listen(engine.sync_engine, name, self._one)

    def _one(self, *args: object, **kwargs: object) -> None:
        self.count += 1


async def count_round_trips(app: App, settings: Settings) -> list[tuple[str, int]]:
    """Round trips of single updates by someone who has finished onboarding."""
    run = Run(create_dispatcher(app), settings)
    trips = RoundTrips(app.engine)
    person = Person(run, 9_000_001)
    await person.send("/start")
    await person.press("Родитель")
    await person.send("Томск")
    await person.press("Пропустить")
    await person.press("✅ Согласен(на)")
    await person.send("/menu")  # the profile is in the cache now, as for anyone active
    counted = []
    steps = (
        ("menu update: «❓ Помощь»", lambda: person.press("❓ Помощь")),
        ("menu update: /menu", lambda: person.send("/menu")),
        ("booking: «👨‍👩‍👧 Консультации»", lambda: person.press("👨‍👩‍👧 Консультации")),
        ("booking: «📝 Записаться»", lambda: person.press("📝 Записаться")),
        ("booking step: a topic", lambda: person.press(TOPIC)),
        ("booking step: «Любая организация»", lambda: person.press("Любая организация")),
    )
    for name, step in steps:
        before = trips.count
        await step()
        counted.append((name, trips.count - before))
    await run.dp.storage.close()
    before = trips.count
    await UpdateClaims(app.writer, app.write_sessions).claim(next(IDS))
    counted.append(("webhook mode adds: the update_id claim", trips.count - before))
    return counted


async def bench_bare(n: int, total: int, concurrency: int) -> Run:
    run = Run(Dispatcher(), Settings(_env_file=None, bot_token=None, redis_url=None))

    @run.dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text)

    async def visit(person: Person, index: int) -> None:
        for k in range(total // n + (index < total % n)):  # the same number of updates
            await person.send(f"сообщение {k}")

    await run.users(n, concurrency, 8_000_000, visit)
    return run


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, help="users (default 3000)")
    parser.add_argument("--concurrency", type=int, default=16, help="users in flight at once")
    parser.add_argument("--quick", action="store_true", help="300 users")
    args = parser.parse_args()
    n, c = args.users or (300 if args.quick else 3000), args.concurrency
    print(
        f"Python {sys.version.split()[0]}, aiogram {aiogram.__version__}, SQLAlchemy "
        f"{sqlalchemy.__version__}, {os.cpu_count()} cores; {n} users, concurrency {c}"
    )
    logging.getLogger().addHandler(LogCheck(logging.WARNING))
    with tempfile.TemporaryDirectory() as tmp:
        full = await bench_full(n, c, tmp)
    bare = await bench_bare(n, len(full.latencies), c)
    print(f"\n{'':<6}{'updates':>9}{'wall s':>9}{'updates/s':>11}{'p50 ms':>9}{'p99 ms':>9}")
    (full_rate, full_p99), (bare_rate, _) = full.report("full"), bare.report("bare")
    ratio = full_rate / bare_rate
    print(f"ratio full/bare (updates/s): {ratio:.2f}")
    print(f"target ratio >= 0.1: {'PASS' if ratio >= 0.1 else 'MISS'}")
    print(f"target full p99 <= 20 ms: {'PASS' if full_p99 <= 20 else 'MISS'}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("database round trips per update (statements incl. BEGIN, COMMIT, ROLLBACK):")
    for name, trips in full.round_trips:
        print(f"  {trips:>3}  {name}")
    menu = max(trips for name, trips in full.round_trips if name.startswith("menu"))
    claim = dict(full.round_trips)["webhook mode adds: the update_id claim"]
    verdict = "PASS" if menu + claim <= 2 else "MISS"
    print(f"target <= 2 round trips for a menu update (webhook claim included): {verdict}")
    print(", ".join(f"{kind} {PROBLEMS[kind]}" for kind in FAILURES))
    for text, times in DETAILS.most_common(8):
        print(f"  {times:>6} × {text}")
    return int(any(PROBLEMS[kind] for kind in FAILURES))


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
