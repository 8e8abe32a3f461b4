"""1,000 parents booking 100 slots at once: throughput and proof of no overbooking.

    .venv/bin/python bench/booking.py [--parents 1000] [--slots 100] [--postgres URL]

Each parent tries a random free slot; when it was just taken, they take one of the
alternatives offered (up to 5 tries), as the chat flow does. The baseline in the same run is
plain inserts of the same number of bookings with no contention control, so the ratio shows
what the guarantees cost. PostgreSQL runs too when --postgres or TEST_POSTGRES_URL is given.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import (
    Booking,
    ConsultService,
    Provider,
    ScheduleTemplate,
    Slot,
    Specialist,
    User,
    specialist_services,
)
from services.booking.schedule import generate_slots
from services.booking.service import BookingError, BookingService, Choice, Contact
from services.demo_data import load_demo_if_empty

ZONE = ZoneInfo("Asia/Tomsk")
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 11, 23)  # a Monday
CONTACT = Contact("Родитель", "+79990000000", 8, None, "ru")


async def prepare(engine, parents: int, slots: int) -> None:
    sessions = create_session_factory(engine)
    await migrate.upgrade(engine)
    await load_demo_if_empty(sessions)
    async with sessions() as session:
        session.add(ConsultService(id=1, external_id="S", name="Консультация"))
        session.add(Provider(id=1, external_id="P", name="Школа", locality_id=1))
        specialists = max(1, slots // 20)  # 20 slots a week each: Mon–Fri, 4 an afternoon
        for n in range(1, specialists + 1):
            session.add(
                Specialist(id=n, external_id=f"E{n}", name=f"Специалист {n}", provider_id=1)
            )
        await session.flush()
        await session.execute(
            insert(specialist_services),
            [{"specialist_id": n, "service_id": 1} for n in range(1, specialists + 1)],
        )
        for n in range(1, specialists + 1):
            session.add_all(
                ScheduleTemplate(
                    specialist_id=n,
                    weekday=d,
                    start_minute=14 * 60,
                    end_minute=17 * 60,
                    slot_minutes=45,
                )
                for d in range(5)
            )
        await session.flush()
        await generate_slots(session, ZONE, FIRST_DAY, FIRST_DAY + timedelta(days=4))
        session.add_all(User(id=i, locale="ru") for i in range(1, parents + 1))
        await session.commit()


async def contended(engine, parents: int, seed: int = 7) -> tuple[float, int, int]:
    sessions = create_session_factory(engine)
    service = BookingService(
        sessions, create_write_session_factory(engine), ZONE, clock=lambda: NOW
    )
    async with sessions() as session:
        slot_ids = (await session.execute(select(Slot.id))).scalars().all()
    rng = random.Random(seed)
    tries = 0

    async def parent(user_id: int) -> bool:
        nonlocal tries
        target = rng.choice(slot_ids)
        for _ in range(5):
            tries += 1
            try:
                await service.book(user_id, Choice(1), target, "in_person", CONTACT)
                return True
            except BookingError as error:
                if error.reason != "slot_taken" or not error.alternatives:
                    return False
                target = rng.choice(error.alternatives).id
        return False

    start = time.perf_counter()
    results = await asyncio.gather(*(parent(i) for i in range(1, parents + 1)))
    return time.perf_counter() - start, sum(results), tries


async def baseline(engine, rows: int) -> float:
    """Plain inserts of `rows` bookings, one transaction each, no checks at all."""
    sessions = create_session_factory(engine)
    async with sessions() as session:
        slot_id = (await session.execute(select(Slot.id).limit(1))).scalar_one()
    start = time.perf_counter()

    async def one(n: int) -> None:
        async with sessions() as session:
            await session.execute(
                insert(Booking).values(
                    code=f"B{n:06d}",
                    slot_id=slot_id,
                    user_id=n % 1000 + 1,
                    service_id=1,
                    format="in_person",
                    status="baseline",
                    locale="ru",
                    created_at=NOW,
                )
            )
            await session.commit()

    await asyncio.gather(*(one(n) for n in range(1, rows + 1)))
    return time.perf_counter() - start


async def verify(engine) -> tuple[int, int, int]:
    sessions = create_session_factory(engine)
    async with sessions() as session:
        capacity = (await session.execute(select(func.sum(Slot.capacity)))).scalar_one()
        overbooked = (
            await session.execute(select(func.count()).where(Slot.booked > Slot.capacity))
        ).scalar_one()
        mismatched = (
            await session.execute(
                text(
                    "SELECT count(*) FROM slots s WHERE s.booked <>"
                    " (SELECT count(*) FROM bookings b"
                    " WHERE b.slot_id = s.id AND b.status = 'active')"
                )
            )
        ).scalar_one()
    return capacity, overbooked, mismatched


async def run(label: str, make_engine, parents: int, slots: int) -> bool:
    engine = await make_engine()
    try:
        await prepare(engine, parents, slots)
        wall, booked, tries = await contended(engine, parents)
        capacity, overbooked, mismatched = await verify(engine)
        async with create_session_factory(engine)() as session:
            await session.execute(text("DELETE FROM reminders"))
            await session.commit()
        base = await baseline(engine, tries)
    finally:
        await engine.dispose()
    rate, base_rate = tries / wall, tries / base
    ok = booked == capacity and overbooked == 0 and mismatched == 0
    print(f"\n{label}: {parents} parents, {capacity} slots of capacity 1")
    print(f"  wall time            {wall:8.2f} s   ({tries} attempts)")
    print(f"  booking attempts/s   {rate:8.1f}   (each a checked transaction)")
    print(f"  successful/s         {booked / wall:8.1f}")
    print(f"  baseline inserts/s   {base_rate:8.1f}   (same count, plain inserts, no checks)")
    print(f"  ratio attempts/base  {rate / base_rate:8.2f}")
    print(f"  successes = capacity {booked} = {capacity}  {'OK' if booked == capacity else 'FAIL'}")
    print(f"  overbooked slots     {overbooked}   slots whose count disagrees: {mismatched}")
    return ok


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parents", type=int, default=1000)
    parser.add_argument("--slots", type=int, default=100)
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"bench/booking.py  python {sys.version.split()[0]}  cores {os.cpu_count()}")
    folder = tempfile.mkdtemp()

    async def sqlite_engine():
        return create_engine(f"sqlite:///{folder}/booking.sqlite3")

    ok = await run("SQLite (default)", sqlite_engine, args.parents, args.slots)
    if args.postgres:

        async def postgres_engine():
            engine = create_engine(args.postgres)
            async with engine.begin() as connection:
                await connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                await connection.exec_driver_sql("CREATE SCHEMA public")
            return engine

        ok = await run("PostgreSQL", postgres_engine, args.parents, args.slots) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
