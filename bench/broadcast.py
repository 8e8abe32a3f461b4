"""Broadcast delivery against the fake Bot API server (2% blocked, 1% transient errors).

    .venv/bin/python bench/broadcast.py [--quick] [--postgres URL]
    .venv/bin/python bench/broadcast.py --messenger max [--real 3000] [--max-cap 30]

1. Telegram's real limits: server 30/s overall and 1/s per chat, our cap 25/s, 3,000 recipients.
2. Scale (paid broadcasts): server and cap 1,000/s, 10,000 and (without --quick) 100,000
   recipients; peak memory of the worker at each size (the audience is streamed: it should not
   grow); CPU per message of the worker and of the fake server; baseline in the same run: the
   same server driven by bare aiogram sends with the engine's concurrency, no outbox, no pacing.
3. Crash: the worker is killed (SIGKILL) at a random moment and started again; the rows it had
   in flight (`sending`) become uncertain and are never resent.
4. With PostgreSQL: two workers at once share the outbox and one rate budget.
With --messenger max, instead of 2-4: the same audience size in MAX (ids in MAX's range), sent
by the worker through `MaxSession` to the fake MAX server in its own process (MAX's limit of
--max-cap calls a second, 2% blocked, 1% 5xx), at our cap (--max-rate, by default
BROADCAST__MAX_RATE's); beside run 1, the Telegram baseline of the same run.
Prints messages/s against the cap (sustained: the middle 98% of deliveries; and first → last),
429s, duplicates, lost, memory, and the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench import procstat  # noqa: E402
from db import migrate  # noqa: E402
from db.engine import create_engine, create_session_factory, create_write_session_factory  # noqa: E402
from db.models import Subscription, User  # noqa: E402
from services.broadcasts.service import Audience, BroadcastService  # noqa: E402
from services.messengers.ids import MAX_BASE  # noqa: E402

PYTHON = sys.executable
BLOCKED_SHARE = 0.02
ERROR_RATE = 0.01


class FakeServer:
    """python -m bot.testing.fake_bot_api in its own process, recording every delivery to a file."""

    def __init__(self, folder: Path, rate: int, blocked: set[int]) -> None:
        self.record = folder / f"record-{rate}-{time.monotonic_ns()}.jsonl"
        blocked_file = folder / "blocked.txt"
        blocked_file.write_text("\n".join(map(str, sorted(blocked))))
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "bot.testing.fake_bot_api",
                "--port",
                "0",
                "--rate",
                str(rate),
                "--paid-rate",
                str(rate),
                "--blocked-file",
                str(blocked_file),
                "--error-rate",
                str(ERROR_RATE),
                "--seed",
                "5",
                "--record",
                str(self.record),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/_fake/stats", timeout=10) as answer:
            return json.loads(answer.read())

    def records(self) -> list[dict]:
        with self.record.open(encoding="utf-8") as file:
            lines = file.read().splitlines()
        return [json.loads(line) for line in lines if line.strip().endswith("}")]

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (Linux /proc)."""
        return procstat.cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


class FakeMaxServer(FakeServer):
    """python -m bot.testing.fake_max_api in its own process, at MAX's limit, recording every
    delivery to a file. Records name people by the bot's ids (MAX's id + MAX_BASE)."""

    def __init__(self, folder: Path, rate: int, blocked: set[int]) -> None:
        self.record = folder / f"max-record-{rate}-{time.monotonic_ns()}.jsonl"
        blocked_file = folder / "max-blocked.txt"
        # Both spellings: the fake sees MAX's ids, or the bot's ids before the session maps them.
        both = sorted(blocked | {i - MAX_BASE for i in blocked})
        blocked_file.write_text("\n".join(map(str, both)))
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "bot.testing.fake_max_api",
                "--port",
                "0",
                "--rate",
                str(rate),
                "--blocked-file",
                str(blocked_file),
                "--error-rate",
                str(ERROR_RATE),
                "--seed",
                "5",
                "--record",
                str(self.record),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()

    def records(self) -> list[dict]:
        with self.record.open(encoding="utf-8") as file:
            lines = [json.loads(line) for line in file if line.strip().endswith("}")]
        return [
            {"chat_id": r["user_id"] + (MAX_BASE if r["user_id"] < MAX_BASE else 0), "ts": r["ts"]}
            for r in lines
        ]


async def prepare(database_url: str, recipients: int, base: int = 0) -> tuple[int, set[int]]:
    """A fresh database with `recipients` subscribed users (ids after `base`) and one broadcast
    scheduled."""
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    async with sessions() as session:
        for start in range(base + 1, base + recipients + 1, 5000):
            ids = range(start, min(start + 5000, base + recipients + 1))
            await session.execute(
                insert(User),
                [
                    # broadcasts reach only people with consent on record
                    {"id": i, "locale": "ru", "created_at": now, "consent_version": "2026-12"}
                    for i in ids
                ],
            )
            await session.execute(
                insert(Subscription), [{"user_id": i, "topic": "orientation"} for i in ids]
            )
        await session.commit()
    service = BroadcastService(sessions, create_write_session_factory(engine))
    broadcast_id = await service.create(
        1, Audience(topics=("orientation",)), text="<b>Билет в будущее</b>: запись открыта"
    )
    await service.schedule(broadcast_id)
    await engine.dispose()
    blocked = set(
        random.Random(3).sample(
            range(base + 1, base + recipients + 1), int(recipients * BLOCKED_SHARE)
        )
    )
    return broadcast_id, blocked


def worker(
    database_url: str, api_url: str, cap: int, paid: bool, messenger: str = "telegram"
) -> subprocess.Popen:
    command = [PYTHON, str(ROOT / "bench" / "broadcast_worker.py"), database_url, api_url, str(cap)]
    command += ["--messenger", messenger] + (["--paid"] if paid else [])
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def report(
    label: str, server: FakeServer, recipients: int, blocked: set[int], cap: int, extra: str = ""
) -> dict:
    records = server.records()
    stats = server.stats()
    chats = [r["chat_id"] for r in records]
    duplicates = len(chats) - len(set(chats))
    lost = recipients - len(blocked) - len(set(chats))
    times = sorted(r["ts"] for r in records)
    span = (times[-1] - times[0]) if len(times) > 1 else 0.0
    rate = (len(records) - 1) / span if span else 0.0
    # Sustained: the middle 98% of deliveries, leaving out the start and the tail of retries
    # (a 5xx is retried 2 s later, so the last few stretch a short run's first→last span).
    cut = len(times) // 100
    middle = times[cut : len(times) - cut]
    middle_span = middle[-1] - middle[0] if len(middle) > 1 else 0.0
    sustained = (len(middle) - 1) / middle_span if middle_span else rate
    print(f"\n{label}: {recipients} recipients, cap {cap}/s{extra}")
    print(f"  sustained (p1–p99)  {sustained:8.1f} msg/s   = {sustained / cap:5.1%} of the cap")
    print(f"  first → last        {rate:8.1f} msg/s   = {rate / cap:5.1%} of the cap")
    print(f"  429s received       {stats['rate_limited'] + stats.get('rate_limited_chat', 0):8d}")
    print(f"  5xx received        {stats['server_errors']:8d}   403 blocked: {stats['forbidden']}")
    print(f"  duplicates          {duplicates:8d}")
    print(f"  lost                {lost:8d}")
    return {
        "rate": rate,
        "sustained": sustained,
        "duplicates": duplicates,
        "lost": lost,
        "delivered": set(chats),
    }


async def normal_run(
    folder: Path, label: str, recipients: int, server_rate: int, cap: int, paid: bool
) -> dict:
    database_url = f"sqlite:///{folder}/{label.split()[0].lower()}-{recipients}.sqlite3"
    _, blocked = await prepare(database_url, recipients)
    server = FakeServer(folder, server_rate, blocked)
    try:
        process = worker(database_url, server.url, cap, paid)
        output, _ = process.communicate(timeout=3600)
        result = json.loads(output.strip().splitlines()[-1])
        server_cpu = server.cpu_seconds()
        figures = report(
            label,
            server,
            recipients,
            blocked,
            cap,
            f", worker peak memory {result['max_rss_mb']} MB",
        )
        sends = recipients - len(blocked)
        print(
            f"  CPU per message     worker {1000 * result['cpu_seconds'] / sends:.2f} ms, "
            f"fake server {1000 * server_cpu / sends:.2f} ms"
            f"   (concurrency {result['concurrency']})"
        )
        figures["memory"] = result["max_rss_mb"]
        figures["concurrency"] = result["concurrency"]
        figures["cpu_ms"] = 1000 * result["cpu_seconds"] / sends
        return figures
    finally:
        server.stop()


async def max_run(folder: Path, recipients: int, max_cap: int, cap: int) -> dict:
    """The same broadcast to MAX people, through MaxSession, at MAX's limit."""
    database_url = f"sqlite:///{folder}/max-{recipients}.sqlite3"
    _, blocked = await prepare(database_url, recipients, base=MAX_BASE)
    server = FakeMaxServer(folder, max_cap, blocked)
    try:
        process = worker(database_url, server.url, cap, False, messenger="max")
        output, _ = process.communicate(timeout=3600)
        result = json.loads(output.strip().splitlines()[-1])
        figures = report(
            "MAX",
            server,
            recipients,
            blocked,
            cap,
            f" (MAX's limit {max_cap}/s), worker peak memory {result['max_rss_mb']} MB",
        )
        stats = server.stats()
        print(f"  duplicates (server) {stats['duplicates']:8d}   refusals: {stats['refusals']}")
        times = sorted(r["ts"] for r in server.records())
        busiest = max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))
        print(f"  busiest second      {busiest:8d}   deliveries (MAX's limit {max_cap} calls)")
        print(f"  worker counts       {result['counts']}")
        return figures
    finally:
        server.stop()


async def baseline(folder: Path, sends: int, rate: int, concurrency: int) -> tuple[float, float]:
    """Bare aiogram sends to the same kind of server: no outbox, no budget, no pacing.
    Returns messages a second and the CPU milliseconds per message (this process)."""
    from pydantic import SecretStr

    from bot.app import create_bot
    from bot.config import Settings

    server = FakeServer(folder, rate, set())
    settings = Settings(
        _env_file=None, bot_api_url=server.url, bot_token=SecretStr("123456:" + "C" * 35)
    )
    bot = create_bot(settings)
    gate = asyncio.Semaphore(concurrency)
    done = 0

    async def one(chat_id: int) -> None:
        nonlocal done
        async with gate:
            try:
                await bot.send_message(chat_id, "baseline", allow_paid_broadcast=True)
                done += 1
            except Exception:
                pass

    started, cpu = time.monotonic(), time.process_time()
    try:
        await asyncio.gather(*(one(i) for i in range(1, sends + 1)))
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    finally:
        await bot.session.close()
        server.stop()
    return done / elapsed, 1000 * cpu / max(done, 1)


def _states(database_url: str) -> dict[str, list[int]]:
    """Outbox rows by state, read straight from the SQLite file."""
    import sqlite3

    path = database_url.split("///", 1)[1]
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT state, user_id FROM outbox").fetchall()
    states: dict[str, list[int]] = {}
    for state, user_id in rows:
        states.setdefault(state, []).append(user_id)
    return states


async def crash_run(folder: Path, recipients: int, cap: int) -> dict:
    database_url = f"sqlite:///{folder}/crash.sqlite3"
    _, blocked = await prepare(database_url, recipients)
    server = FakeServer(folder, cap, blocked)
    try:
        first = worker(database_url, server.url, cap, True)
        started = time.monotonic()
        while len(server.records()) < recipients // 20:  # noqa: ASYNC110 (another process)
            await asyncio.sleep(0.2)
        await asyncio.sleep(random.Random().uniform(0.0, 2.0))
        delay = time.monotonic() - started
        first.send_signal(signal.SIGKILL)
        first.wait()
        await asyncio.sleep(0.5)  # requests that reached the server are answered
        killed_at = len(server.records())
        in_flight = set(_states(database_url).get("sending", []))
        second = worker(database_url, server.url, cap, True)
        second.communicate(timeout=3600)
        figures = report(
            "Crash run",
            server,
            recipients,
            blocked,
            cap,
            f", killed after {delay:.1f} s ({killed_at} delivered)",
        )
        states = _states(database_url)
        uncertain = set(states.get("uncertain", []))
        arrived = uncertain & figures["delivered"]
        unsent = uncertain - arrived - blocked  # a blocked recipient is not missing anything
        print(
            f"  in flight at kill   {len(in_flight):8d}   (rows `sending`; they become uncertain"
            " and are never resent)"
        )
        print(
            f"  of those delivered  {len(arrived):8d}   not delivered: {len(unsent)}"
            f"   (blocked: {len(uncertain & blocked)}; uncertain in the database: {len(uncertain)})"
        )
        figures["in_flight"] = len(in_flight)
        figures["uncertain"] = len(uncertain)
    finally:
        server.stop()
    return figures


async def two_workers(folder: Path, postgres_url: str, recipients: int, cap: int) -> dict:
    """Two workers, one budget: the cap is shared (charged per calendar second in the
    database), so together they stay within it."""
    _, blocked = await prepare(postgres_url, recipients)
    server = FakeServer(folder, 1000, blocked)
    try:
        workers = [worker(postgres_url, server.url, cap, True) for _ in range(2)]
        for process in workers:
            process.communicate(timeout=3600)
        figures = report("Two workers on PostgreSQL", server, recipients, blocked, cap, " shared")
        times = sorted(r["ts"] for r in server.records())
        busiest = max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))
        print(f"  busiest second      {busiest:8d}   (cap {cap})")
        return figures
    finally:
        server.stop()


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="10,000 at scale instead of 100,000 too"
    )
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--real", type=int, default=3000, help="recipients at real limits")
    parser.add_argument("--messenger", choices=("telegram", "max"), default="telegram")
    parser.add_argument("--max-cap", type=int, default=30, help="MAX's limit, calls a second")
    parser.add_argument("--max-rate", type=int, help="our cap in MAX (BROADCAST__MAX_RATE)")
    args = parser.parse_args()
    print(f"bench/broadcast.py  python {sys.version.split()[0]}  cores {os.cpu_count()}")
    folder = Path(tempfile.mkdtemp())
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results = [await normal_run(folder, "Real limits", args.real, 30, 25, False)]
    if args.messenger == "max":
        return await max_main(folder, args, results[0])
    sizes = [10_000] if args.quick else [10_000, 100_000]
    concurrency = 100  # the engine's default at 1000/s (it reports its own below)
    for size in sizes:
        # Measured right before each scale run: the machine's load changes within minutes.
        raw, raw_cpu = await baseline(folder, 10_000, 1000, concurrency)
        print(
            f"\nBaseline: bare aiogram sends, same server, concurrency {concurrency}: "
            f"{raw:.1f} msg/s = {raw / 1000:.1%} of 1000/s, CPU {raw_cpu:.2f} ms per message"
        )
        result = await normal_run(folder, "Scale", size, 1000, 1000, True)
        assert result["concurrency"] == concurrency
        print(f"  sustained / baseline just before: {result['sustained'] / raw:.2f}")
        results.append(result)
    if len(sizes) == 2:
        print(
            f"  worker peak memory 10k → 100k: "
            f"{results[1]['memory']} MB → {results[2]['memory']} MB"
        )
    crash = await crash_run(folder, 10_000, 1000)
    if args.postgres:
        await two_workers(folder, args.postgres, 3000, 200)
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    bad = (
        any(r["duplicates"] or r["lost"] for r in results)
        or crash["duplicates"] > crash["in_flight"]
        or crash["lost"] > crash["uncertain"]
    )
    return 1 if bad else 0


async def max_main(folder: Path, args: argparse.Namespace, telegram: dict) -> int:
    from bot.config import BroadcastSettings

    cap = args.max_rate or BroadcastSettings().max_rate
    result = await max_run(folder, args.real, args.max_cap, cap)
    print(
        f"\nSame run, sustained: MAX {result['sustained']:.1f} msg/s = "
        f"{result['sustained'] / cap:.1%} of our MAX cap {cap}/s "
        f"({result['sustained'] / args.max_cap:.1%} of MAX's {args.max_cap}/s); "
        f"Telegram {telegram['sustained']:.1f} msg/s = {telegram['sustained'] / 25:.1%} of "
        f"our cap 25/s ({telegram['sustained'] / 30:.1%} of Telegram's 30/s). Target ≥ 95% "
        "of the cap, 0 duplicates, 0 lost."
    )
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    bad = any(r["duplicates"] or r["lost"] for r in (telegram, result))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
