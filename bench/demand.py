"""The demand report (/insights, `python -m bot report demand`) over 1,000,000 logged searches:
its time, peak memory and the event loop's longest stall, beside baselines measured in the
same run.

    .venv/bin/python bench/demand.py [--rows 1000000] [--keep FILE.sqlite3]

A SQLite file gets the demo catalogue (localities, 501 programmes) and --rows synthetic
demand-log rows spread over the last 365 days (questions, lists, «Рядом»; places, directions,
age bands, topics, votes drawn at random). Then, one after another:

- quiet          nothing for 2 s: the loop's stalls on this machine with nothing to do;
- report 10%     the report over the last ~36 days (about a tenth of the rows);
- report all     the report over the whole year (every row): GROUP BY in the database;
- /insights all  the same and what the chat sends besides the text: the XLSX and the PNG,
                 each made in a worker process (services/files/isolated.py);
- naive all      the baseline the report must not be: every row of the year read into Python
                 and counted there (what a Counter over `SELECT *` costs).

Meanwhile a 10 ms heartbeat task records the event loop's longest gap (bench/stalls.py), and
a thread samples the RSS of this process and its children every 20 ms (peak memory is the
case's peak above what the process held before it). Targets: a loop stall ≤ 100 ms in every
case but the baseline, the report over every row in a few seconds. Timings are printed, never
asserted.

The top level imports only the standard library: the file workers re-import this script.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_STALL_MS = 100
BATCH = 50_000
TOPICS = (
    "робототехник",
    "программирован",
    "шахмат",
    "вокал",
    "танц",
    "футбол",
    "керлинг",
    "конн спорт",
    "гончарн",
    "японск язык",
    "киберспорт",
    "дрон пилотирован",
)
DIRECTIONS = ("technical", "art", "sport", "social", "natural_science", "tourism", None)
BANDS = ("0-6", "7-10", "11-14", "15-18", None)


def fill(path: Path, rows: int, now: datetime) -> float:
    """`rows` demand-log rows over the last 365 days, straight through sqlite3 in the format
    SQLAlchemy stores (UTC, no offset); seconds taken."""
    started = time.perf_counter()
    chance = random.Random(15)
    connection = sqlite3.connect(path)
    places = [row[0] for row in connection.execute("SELECT id FROM localities")]
    weights = [max(40 // (n + 1), 1) for n in range(len(places))]
    statement = (
        "INSERT INTO demand_log (at, kind, locality_id, direction, age_band, answer, topic,"
        " results, missed, opened, booked, vote) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    year = 365 * 86400
    done = 0
    while done < rows:
        batch = []
        for _ in range(min(BATCH, rows - done)):
            kind = chance.choices(("list", "question", "nearby"), (5, 4, 1))[0]
            at = now - timedelta(seconds=chance.randrange(year))
            results = chance.choice((0, 0, 1, 3, 8, 20))
            question = kind == "question"
            batch.append(
                (
                    at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    kind,
                    chance.choices(places, weights)[0],
                    None if kind == "nearby" else chance.choice(DIRECTIONS),
                    chance.choice(BANDS),
                    ("programmes" if results else "nothing") if question else None,
                    chance.choice(TOPICS) if question else None,
                    results,
                    question and chance.random() < 0.3,
                    results > 0 and chance.random() < 0.5,
                    results > 0 and chance.random() < 0.15,
                    chance.choice((None, None, None, 1, -1)) if question else None,
                )
            )
        connection.executemany(statement, batch)
        connection.commit()
        done += len(batch)
    connection.close()
    return time.perf_counter() - started


async def prepare(path: Path) -> None:
    """Migrations, the demo catalogue (its demo month of searches dropped)."""
    from bot.app import build_app, prepare_database
    from bot.config import Settings

    settings = Settings(
        _env_file=None, bot_token=None, database_url=f"sqlite+aiosqlite:///{path}", redis_url=None
    )
    app = build_app(settings)
    try:
        await prepare_database(app)
        async with app.engine.begin() as connection:
            await connection.exec_driver_sql("DELETE FROM demand_log")
    finally:
        await app.close()


async def naive(engine, window) -> int:  # type: ignore[no-untyped-def]
    """The baseline: every row of the period into Python, counted there."""
    from collections import Counter

    from sqlalchemy import select

    from db.models import DemandLog

    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(DemandLog).where(DemandLog.at >= window.start, DemandLog.at < window.end)
            )
        ).all()
    cells = Counter((row.locality_id, row.direction, row.age_band) for row in rows)
    topics = Counter(row.topic for row in rows if row.topic and (row.results == 0 or row.missed))
    return len(cells) + len(topics) + len(rows) * 0


async def insights(app, window) -> int:  # type: ignore[no-untyped-def]
    """What /insights does after the text: the workbook and the chart in worker processes."""
    from handlers.insights import texts
    from handlers.insights.chart import chart_png
    from handlers.insights.commands import chart_words
    from services.files.isolated import run_isolated
    from services.insights.workbook import write_workbook

    report = await app.demand.report(window)
    t = app.locales.get("ru")
    places = {place.id: place.title("ru") for place in await app.localities.all()}
    period = texts.period_label(report, app.settings.zone)
    texts.messages(t, report, places, period)
    sheets = [(table.title, table.headers, table.rows) for table in texts.tables(t, report, places)]
    with tempfile.TemporaryDirectory(prefix="demand-") as folder:
        path = Path(folder) / "demand.xlsx"
        await run_isolated(write_workbook, path, sheets, seconds=120, memory_mb=1024)
        title, legend = chart_words(t, period)
        bars = texts.chart_bars(t, report, places)
        png = await run_isolated(chart_png, title, bars, legend, seconds=120, memory_mb=1024)
    return report.searches + len(png) * 0


async def measure(args: argparse.Namespace, path: Path, fill_seconds: float, size: float) -> None:
    import threading

    from stalls import MemorySampler, Watchdog, gc_timer, heartbeat, tree_memory

    from bot.app import build_app, settle_heap
    from bot.config import Settings
    from services.insights.report import Window

    settings = Settings(
        _env_file=None, bot_token=None, database_url=f"sqlite+aiosqlite:///{path}", redis_url=None
    )
    app = build_app(settings)
    now = datetime.now(UTC)
    year = Window(now - timedelta(days=366), now + timedelta(seconds=1))
    tenth = Window(now - timedelta(days=36.5), now + timedelta(seconds=1))
    cases = (
        ("quiet", lambda: asyncio.sleep(2, 0)),
        ("report 10%", lambda: app.demand.report(tenth)),
        ("report all", lambda: app.demand.report(year)),
        ("/insights all", lambda: insights(app, year)),
        ("naive all", lambda: naive(app.engine, year)),
    )
    sampler = MemorySampler()
    sampler.start()
    watchdog = Watchdog(threading.get_ident()) if args.debug else None
    if watchdog is not None:
        watchdog.start()
        gc.callbacks.append(gc_timer)
    print(
        f"bench/demand.py  Python {sys.version.split()[0]}, {os.cpu_count()} cores,"
        f" SQLite {sqlite3.sqlite_version}; {args.rows:,} rows filled in {fill_seconds:.1f} s,"
        f" file {size:.0f} MB"
    )
    await app.demand.report(tenth)  # warm: the file's pages in the OS cache
    import handlers.insights.commands  # noqa: F401 (the bot imports it at start, not in the loop)

    settle_heap()  # as bot.runner does before serving

    results = []
    for name, work in cases:
        gaps: list[float] = []
        beat = asyncio.create_task(heartbeat(gaps))
        await asyncio.sleep(0.05)
        before = sum(item[1] for item in tree_memory(os.getpid()).values())
        sampler.case_peak = before
        started = time.perf_counter()
        result = await work()
        seconds = time.perf_counter() - started
        await asyncio.sleep(0.05)
        beat.cancel()
        stall = max(gaps, default=0.0) * 1000
        searches = result.searches if hasattr(result, "searches") else result
        results.append((name, seconds, sampler.case_peak - before, stall))
        print(
            f"{name:<14} {seconds:6.2f} s   peak memory +{sampler.case_peak - before:6.1f} MB"
            f"   loop stall {stall:5.0f} ms   ({searches:,})"
        )
        if watchdog is not None:
            watchdog.report()
    sampler.running = False
    await app.close()
    worst = max(stall for name, _s, _m, stall in results if not name.startswith("naive"))
    print(f"max loop stall {worst:.0f} ms (target {TARGET_STALL_MS}; the naive baseline aside)")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) this SQLite file")
    parser.add_argument("--debug", action="store_true", help="where the loop was while late")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    with tempfile.TemporaryDirectory(prefix="demand-") as folder:
        path = args.keep or Path(folder) / "demand.sqlite3"
        fill_seconds = 0.0
        if not path.exists():
            asyncio.run(prepare(path))
            fill_seconds = fill(path, args.rows, datetime.now(UTC))
        asyncio.run(measure(args, path, fill_seconds, path.stat().st_size / 2**20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
