"""Event-loop stalls while staff move big files, and what a parent searching meanwhile feels.

    .venv/bin/python bench/stalls.py [--programmes 100000] [--bookings 50000] [--quick]
                                     [--postgres URL] [--only CASE ...]

The bot (the real dispatcher, SQLite by default) holds --programmes programmes and --bookings
bookings of this year. In turn, an admin uploads files as document messages (the ordinary
template with formatted empty rows down to row 1,048,576; a 99 KB zip bomb of 10.5 million
empty rows; a workbook with one 1 GiB cell; a 20 MB CSV of catalogue changes), exports the
catalogue (/export), exports this year's bookings (/reports, XLSX) and builds the plan report
(/reports). Meanwhile a 10 ms heartbeat task records the longest gap of the event loop (a
stall), and a parent types questions («шахматы в Томске») one after another, each timed from
the update to the handler's end.

One line per case; then peak memory (RSS of this process and all its children, sampled every
20 ms) and `max loop stall N ms`. A refused file must change nothing: the catalogue's row
count and newest `updated_at` are compared before and after. The longest SQL statement of each
case is printed too: on SQLite statements run in the event loop's thread (db/sqlite_inloop.py),
so one long statement is a stall of its own length. Targets: every case ≤ 100 ms, the
parent's p99 ≤ 200 ms, peak memory ≤ 500 MB. Timings are never asserted; the exit code is 1
when a refused file changed anything or a case did not end as it should.

The top level imports only the standard library: the file workers re-import this script.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_STALL_MS = 100
TARGET_P99_MS = 200
TARGET_MEMORY_MB = 500
CASES = ("template", "bomb", "huge-cell", "csv", "export", "bookings", "plan")
QUESTIONS = (
    "шахматы в Томске",
    "робототехника для 10 лет",
    "бесплатное рисование",
    "футбол в Северске",
    "программирование python",
    "кружки для детей с ОВЗ в Томске",
    "что такое точка роста",
    "танцы для девочки 6 лет",
)
ADMIN = 900001
PARENT = 700001


# --- measuring ---------------------------------------------------------------------------------


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants (Linux /proc), MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
        rss[int(entry)] = int(stat[21])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


class MemorySampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
            time.sleep(0.02)


TICK = [time.perf_counter()]  # the heartbeat's last tick, for the watchdog


async def heartbeat(gaps: list[float]) -> None:
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0.01)
        now = TICK[0] = time.perf_counter()
        gaps.append(now - last - 0.01)
        last = now


class Watchdog(threading.Thread):
    """--debug: where the event loop's thread is while the heartbeat is late (> 50 ms)."""

    def __init__(self, loop_thread: int) -> None:
        super().__init__(daemon=True)
        self.loop_thread = loop_thread
        self.seen: dict[str, int] = {}
        self.running = True

    def run(self) -> None:
        import traceback

        while self.running:
            time.sleep(0.02)
            if time.perf_counter() - TICK[0] < 0.05:
                continue
            frame = sys._current_frames().get(self.loop_thread)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [f for f in stack if "site-packages" not in f.filename][-3:]
            where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours)
            last = stack[-1]
            key = f"{Path(last.filename).name}:{last.lineno} {last.name} | {where}"
            self.seen[key] = self.seen.get(key, 0) + 1

    def report(self) -> None:
        for key, count in sorted(self.seen.items(), key=lambda item: -item[1])[:8]:
            print(f"    late x{count}: {key}")
        self.seen.clear()
        print(f"    garbage collections over 20 ms: {[round(t * 1000) for t in GC_SLOW]}")
        GC_SLOW.clear()


GC_SLOW: list[float] = []
_GC_START = [0.0]


def _gc_timer(phase: str, info: dict) -> None:  # type: ignore[type-arg]
    if phase == "start":
        _GC_START[0] = time.perf_counter()
    elif time.perf_counter() - _GC_START[0] > 0.02:
        GC_SLOW.append(time.perf_counter() - _GC_START[0])


@dataclass
class Case:
    name: str
    seconds: float = 0.0
    stall_ms: float = 0.0
    replies: list[float] = field(default_factory=list)
    statement_ms: float = 0.0
    note: str = ""
    ok: bool = True

    def quantile(self, q: float) -> float:
        if not self.replies:
            return float("nan")
        ordered = sorted(self.replies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Statements:
    """The longest SQL statement since the last reset (engine events, milliseconds)."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import event

        self.longest = 0.0
        self.started: dict[int, float] = {}
        event.listen(engine.sync_engine, "before_cursor_execute", self.before)
        event.listen(engine.sync_engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        self.started[id(cursor)] = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        started = self.started.pop(id(cursor), None)
        if started is not None:
            self.longest = max(self.longest, (time.perf_counter() - started) * 1000)


# --- data --------------------------------------------------------------------------------------


def catalogue_csv(path: Path, programmes: int, seed: int, limit_bytes: int | None = None) -> int:
    """The demo catalogue scaled to `programmes` (as bench/catalog.py makes it); with
    `limit_bytes`, only the rows that fit."""
    import csv

    from services import demo_catalog
    from services.catalog_columns import COLUMNS

    total = sum(demo_catalog.REPORT_COUNTS.values())
    counts = {d: round(n * programmes / total) for d, n in demo_catalog.REPORT_COUNTS.items()}
    counts["technical"] += programmes - sum(counts.values())
    scale = max(1, round(programmes / 10 / 116))
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow([column.header for column in COLUMNS])
        for row in demo_catalog.generate(counts, seed=seed, org_scale=scale):
            if limit_bytes is not None and file.tell() > limit_bytes - 2000:
                break
            writer.writerow([row.get(column.key, "") for column in COLUMNS])
            rows += 1
    return rows


async def add_bookings(app, count: int, year: int) -> None:  # type: ignore[no-untyped-def]
    """`count` bookings over the year: 20 organisations, 100 specialists, a slot each."""
    import random
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, insert, select

    from db.models import Booking, ConsultService, Provider, Slot, Specialist, User

    rng = random.Random(11)
    async with app.sessions() as session:
        service_id = (await session.execute(select(func.min(ConsultService.id)))).scalar_one()
        providers = [
            {"external_id": f"BP-{n}", "name": f"Школа № {n} (стенд)", "locality_id": 1}
            for n in range(1, 21)
        ]
        await session.execute(insert(Provider), providers)
        provider_ids = (
            (await session.execute(select(Provider.id).where(Provider.external_id.like("BP-%"))))
            .scalars()
            .all()
        )
        await session.execute(
            insert(Specialist),
            [
                {
                    "external_id": f"BE-{n}",
                    "name": f"Специалист {n}",
                    "provider_id": provider_ids[n % len(provider_ids)],
                }
                for n in range(1, 101)
            ],
        )
        specialist_ids = (
            (
                await session.execute(
                    select(Specialist.id).where(Specialist.external_id.like("BE-%"))
                )
            )
            .scalars()
            .all()
        )
        await session.execute(
            insert(User), [{"id": 800_000 + n, "locale": "ru"} for n in range(5000)]
        )
        first_day = datetime(year, 1, 1, 2, 0, tzinfo=UTC)  # 09:00 in Tomsk
        now = datetime.now(UTC)
        each = -(-count // len(specialist_ids))  # slots per specialist, spread over the year
        slots = []
        for n in range(count):
            i = n // len(specialist_ids)
            at = first_day + timedelta(days=i * 364 // each, minutes=45 * (i % 8))
            slots.append(
                {
                    "specialist_id": specialist_ids[n % len(specialist_ids)],
                    "starts_at": at,
                    "ends_at": at + timedelta(minutes=45),
                    "capacity": 1,
                    "booked": 0,
                }
            )
        for first in range(0, count, 5000):
            await session.execute(insert(Slot), slots[first : first + 5000])
        slot_rows = (
            await session.execute(
                select(Slot.id, Slot.starts_at).where(Slot.specialist_id.in_(specialist_ids))
            )
        ).all()
        bookings = []
        for n, (slot_id, starts_at) in enumerate(slot_rows):
            status = (
                "active" if starts_at > now else rng.choice(["done"] * 6 + ["missed", "cancelled"])
            )
            bookings.append(
                {
                    "code": f"B{n:07d}",
                    "slot_id": slot_id,
                    "user_id": 800_000 + n % 5000,
                    "service_id": service_id,
                    "format": "in_person",
                    "status": status,
                    "name": "Родитель стенда",
                    "phone": "+79990000000",
                    "child_age": 9,
                    "question": "Вопрос о развитии ребёнка",
                    "locale": "ru",
                    "created_at": now,
                }
            )
        for first in range(0, len(bookings), 5000):
            await session.execute(insert(Booking), bookings[first : first + 5000])
        await session.commit()


async def catalogue_state(app) -> tuple[int, int, object]:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from db.models import Organisation, Programme

    async with app.sessions() as session:
        orgs = (await session.execute(select(func.count(Organisation.id)))).scalar_one()
        row = (
            await session.execute(select(func.count(Programme.id), func.max(Programme.updated_at)))
        ).one()
    return orgs, row[0], row[1]


# --- the run -----------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    import logging

    import hostile_files
    from aiogram.methods import SendDocument, SendPhoto
    from aiogram.types import Document

    from bot.app import build_app, prepare_database, settle_heap
    from bot.config import Settings
    from bot.i18n import Locales
    from harness import BotClient
    from services.catalog_import import import_catalog

    logging.basicConfig(level=logging.WARNING)
    if args.debug:  # asyncio names every callback that held the loop longer than 50 ms
        loop = asyncio.get_running_loop()
        loop.set_debug(True)
        loop.slow_callback_duration = 0.05
        watchdog = Watchdog(threading.get_ident())
        watchdog.start()
        import gc

        gc.callbacks.append(_gc_timer)
    folder = Path(tempfile.mkdtemp(prefix="stalls-"))
    database_url = args.postgres or f"sqlite:///{folder}/bot.sqlite3"
    if args.postgres:
        from db.engine import create_engine

        engine = create_engine(args.postgres)
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
        await engine.dispose()
    settings = Settings(
        _env_file=None,
        bot_token=None,
        database_url=database_url,
        redis_url=None,
        admin_ids=[ADMIN],
        default_locale="ru",
    )
    t = Locales().get("ru")
    sampler = MemorySampler()
    sampler.start()
    app = build_app(settings)
    failed = False
    try:
        started = time.perf_counter()
        await prepare_database(app)
        catalogue = folder / "catalogue.csv"
        rows = await asyncio.to_thread(catalogue_csv, catalogue, args.programmes, 2026)
        report = await import_catalog(app.sessions, catalogue)
        if not report.ok:
            print("catalogue import FAILED:", report.problems[:3])
            return 1
        year = time.gmtime().tm_year
        await add_bookings(app, args.bookings, year)
        orgs, programmes, _ = await catalogue_state(app)
        print(
            f"bench/stalls.py  Python {sys.version.split()[0]}, {os.cpu_count()} cores,"
            f" {'PostgreSQL' if args.postgres else 'SQLite'}; {programmes} programmes at"
            f" {orgs} organisations ({rows} rows imported), {args.bookings} bookings in {year};"
            f" set up in {time.perf_counter() - started:.0f} s"
        )

        files = {
            "template": ("template.xlsx", hostile_files.formatted_template(folder / "t.xlsx")),
            "bomb": ("bomb.xlsx", hostile_files.zip_bomb(folder / "b.xlsx")),
            "huge-cell": (
                "cell.xlsx",
                hostile_files.huge_cell(folder / "c.xlsx", chars=args.cell_mb * 2**20),
            ),
        }
        changes = folder / "changes.csv"
        csv_rows = await asyncio.to_thread(
            catalogue_csv, changes, args.programmes, 7, args.csv_mb * 2**20
        )
        files["csv"] = ("changes.csv", changes)
        for name, (_, path) in files.items():
            print(f"  {name}: {path.stat().st_size / 2**20:.2f} MB", end="")
        print(f" (the CSV: {csv_rows} rows of changes)")

        client = BotClient(app)
        settle_heap()  # as bot.runner does before serving
        statements = Statements(app.engine)
        admin = client.user(ADMIN)
        parent = client.user(PARENT)
        await parent.send("шахматы")  # first contact: the profile row exists from here on
        served: dict[str, bytes] = {}

        async def downloader(bot, document: Document) -> bytes:  # type: ignore[no-untyped-def]
            return served[document.file_id]

        client.dispatcher["downloader"] = downloader

        def answers() -> list[str]:
            """What the admin was sent in reply to their last action (not the parent)."""
            return [
                out.message.text or out.message.caption or ""
                for out in admin.last
                if out.message is not None and out.message.chat.id == ADMIN
            ]

        async def upload(name: str) -> str:
            file_name, path = files[name]
            served[name] = await asyncio.to_thread(path.read_bytes)
            document = Document(
                file_id=name,
                file_unique_id=name,
                file_name=file_name,
                file_size=len(served[name]),
            )
            await admin._message(document=document)
            return (answers() or [""])[-1]

        async def export() -> str:
            await admin.send("/export")
            sent = [o for o in admin.last if isinstance(o.method, SendDocument)]
            return sent[0].method.caption if sent else "no file"

        async def bookings() -> str:
            await admin.send("/reports")
            await admin.press(t("srep-btn-export"))
            await admin.press(t("srep-btn-period-year"))
            await admin.press(t("srep-btn-kind-xlsx"))
            sent = [o for o in admin.last if isinstance(o.method, SendDocument)]
            return sent[0].method.caption if sent else "no file"

        async def plan() -> str:
            await admin.send("/reports")
            await admin.press(t("srep-btn-plan"))
            pictures = [o for o in admin.last if isinstance(o.method, SendPhoto)]
            return (answers() or [""])[0][:60] + ("; chart sent" if pictures else "; no chart")

        actions = {
            "template": lambda: upload("template"),
            "bomb": lambda: upload("bomb"),
            "huge-cell": lambda: upload("huge-cell"),
            "csv": lambda: upload("csv"),
            "export": export,
            "bookings": bookings,
            "plan": plan,
        }
        refused = {"bomb", "huge-cell"}
        results: list[Case] = []
        for name in args.only or CASES:
            case = Case(name)
            before = await catalogue_state(app)
            gaps: list[float] = []
            beat = asyncio.create_task(heartbeat(gaps))
            stop = asyncio.Event()

            async def search(case: Case = case, stop: asyncio.Event = stop) -> None:
                n = 0
                while not stop.is_set():
                    question = QUESTIONS[n % len(QUESTIONS)]
                    n += 1
                    begun = time.perf_counter()
                    try:
                        await parent.send(question)
                    except Exception as exc:  # counted as a failed case below
                        case.ok, case.note = False, f"search raised {exc!r}"
                    case.replies.append(time.perf_counter() - begun)
                    await asyncio.sleep(0.05)

            searching = asyncio.create_task(search())
            await asyncio.sleep(0.2)
            statements.longest = 0.0
            begun = time.perf_counter()
            try:
                outcome = await actions[name]()
            except Exception as exc:  # a case that breaks is reported, not hidden
                outcome = f"FAILED: {exc!r}"
                case.ok = False
            case.seconds = time.perf_counter() - begun
            case.statement_ms = statements.longest
            await asyncio.sleep(0.2)
            stop.set()
            await searching
            beat.cancel()
            case.stall_ms = max(gaps, default=0.0) * 1000
            after = await catalogue_state(app)
            answer = " ".join(outcome.split())
            if name in refused:
                case.ok = case.ok and after == before and "не изменён" in answer
                change = "nothing changed" if after == before else f"CHANGED {before} → {after}"
                case.note = f"{change}; {answer[:150]}"
            else:
                case.note = answer[:150]
            results.append(case)
            client.session.log.clear()  # what the bot sent in this case: not needed any more
            print(
                f"{name:<10} {case.seconds:7.1f} s  loop stall {case.stall_ms:5.0f} ms"
                f"  (longest SQL {case.statement_ms:4.0f} ms)"
                f"  search p50 {case.quantile(0.5):4.0f} ms p99 {case.quantile(0.99):5.0f} ms"
                f" n={len(case.replies):<4} {'' if case.ok else 'NOT OK '}{case.note}",
                flush=True,
            )
            failed = failed or not case.ok
            if args.debug:
                watchdog.report()
        await client.dispatcher.storage.close()
    finally:
        await app.close()
        sampler.running = False
        sampler.join()
    worst = max((case.stall_ms for case in results), default=0.0)
    replies = [r for case in results for r in case.replies]
    p99 = Case("all", replies=replies).quantile(0.99)
    print(
        f"search replies in all cases: p99 {p99:.0f} ms (target {TARGET_P99_MS});"
        f" peak memory {sampler.peak:.0f} MB incl. children (target {TARGET_MEMORY_MB})"
    )
    print(f"max loop stall {worst:.0f} ms (target {TARGET_STALL_MS} per case)")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--programmes", type=int, default=100_000)
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--csv-mb", type=int, default=20, help="size of the CSV upload")
    parser.add_argument("--cell-mb", type=int, default=1024, help="the huge cell, MiB")
    parser.add_argument("--quick", action="store_true", help="10,000 programmes, 5,000 bookings")
    parser.add_argument("--postgres", help="a PostgreSQL URL (ITS PUBLIC SCHEMA IS WIPED)")
    parser.add_argument("--only", choices=CASES, action="append", help="these cases only")
    parser.add_argument("--debug", action="store_true", help="log callbacks over 50 ms")
    args = parser.parse_args()
    if args.quick:
        args.programmes, args.bookings, args.csv_mb, args.cell_mb = 10_000, 5_000, 4, 128
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
