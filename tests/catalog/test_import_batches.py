"""A catalogue import writes in short batches: a parent's booking made while it writes goes
through at once, in this process or from another connection (a command-line import), on
SQLite and PostgreSQL; and an import interrupted mid-way converges when run again."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from backends import fresh_postgres, needs_postgres
from consult_data import add_users, seed
from sqlalchemy import func, select

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Booking, Programme
from services.booking.service import BookingService, Choice, Contact
from services.catalog import demo as demo_catalog
from services.catalog.imports import import_catalog
from services.demo_data import load_demo_if_empty

TOMSK = ZoneInfo("Asia/Tomsk")
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
CONTACT = Contact("Анна", "+79991234567", 9, "Сын не хочет читать", "ru")
PROGRAMMES = 3000  # six batches of programmes after the organisations


def catalogue_file(path: Path) -> Path:
    """PROGRAMMES new programmes (ids unlike the demo catalogue's)."""
    rows = demo_catalog.generate({"technical": PROGRAMMES}, seed=5, org_scale=2)
    demo_catalog.write_csv((_renamed(row) for row in rows), path)
    return path


def _renamed(row: dict[str, str]) -> dict[str, str]:
    row = {**row, "org_id": f"T{row['org_id']}"}
    if row.get("programme_id"):
        row["programme_id"] = f"T{row['programme_id']}"
    return row


async def prepared(engine) -> None:
    await migrate.upgrade(engine)
    await load_demo_if_empty(create_session_factory(engine))
    await seed(create_session_factory(engine), TOMSK, MONDAY)
    await add_users(create_session_factory(engine), [501])


async def book_while_importing(importer_engine, booking_engine, path: Path) -> None:
    """Start the import; once it writes, book; the booking must be done before the import."""
    writing = asyncio.Event()

    def progress(done: int, total: int, phase: str) -> None:
        if phase == "write":
            writing.set()

    importing = asyncio.create_task(
        import_catalog(create_session_factory(importer_engine), path, progress=progress)
    )
    booking = BookingService(
        create_session_factory(booking_engine),
        create_write_session_factory(booking_engine),
        TOMSK,
        clock=lambda: NOW,
    )
    slot = (await booking.free_slots(Choice(service_id=1), MONDAY))[0]
    await writing.wait()
    booked = await booking.book(501, Choice(service_id=1), slot.id, "in_person", CONTACT)
    assert not importing.done(), "the booking waited for the whole import"
    report = await importing
    assert report.ok and report.programmes.added == PROGRAMMES, report.problems[:3]
    async with create_session_factory(booking_engine)() as session:
        codes = (await session.execute(select(Booking.code))).scalars().all()
    assert booked.code in codes


@pytest.fixture
async def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'b.sqlite3'}")
    await prepared(engine)
    yield engine
    await engine.dispose()


async def test_a_booking_made_while_the_bot_imports_goes_through_between_batches(
    sqlite_engine, tmp_path
):
    await book_while_importing(sqlite_engine, sqlite_engine, catalogue_file(tmp_path / "c.csv"))


async def test_a_booking_goes_through_while_another_connection_imports(sqlite_engine, tmp_path):
    # A second engine on the same file: what a command-line import in another process is.
    other = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        await book_while_importing(other, sqlite_engine, catalogue_file(tmp_path / "c.csv"))
    finally:
        await other.dispose()


@needs_postgres
async def test_a_booking_made_while_importing_goes_through_on_postgresql(tmp_path):
    engine = await fresh_postgres()
    try:
        await prepared(engine)
        await book_while_importing(engine, engine, catalogue_file(tmp_path / "c.csv"))
    finally:
        await engine.dispose()


async def test_an_interrupted_import_converges_when_run_again(sqlite_engine, tmp_path):
    path = catalogue_file(tmp_path / "c.csv")
    sessions = create_session_factory(sqlite_engine)
    async with sessions() as session:
        before = (await session.execute(select(func.count(Programme.id)))).scalar_one()
    batches: list[int] = []
    third = asyncio.Event()

    def progress(done: int, total: int, phase: str) -> None:
        if phase == "write":
            batches.append(done)
            if len(batches) == 3:  # the organisations and two batches of programmes
                third.set()

    importing = asyncio.create_task(import_catalog(sessions, path, progress=progress))
    await third.wait()
    importing.cancel()  # the process dies mid-way: the batches written so far stay
    with pytest.raises(asyncio.CancelledError):
        await importing
    async with sessions() as session:
        written = (await session.execute(select(func.count(Programme.id)))).scalar_one() - before
    assert 0 < written < PROGRAMMES

    again = await import_catalog(sessions, path)
    assert again.ok, again.problems[:3]
    assert again.programmes.added + again.programmes.unchanged == PROGRAMMES
    assert again.programmes.unchanged >= written and again.programmes.changed == 0
    last = await import_catalog(sessions, path)
    assert (last.programmes.added, last.programmes.changed) == (0, 0)
    async with sessions() as session:
        total = (await session.execute(select(func.count(Programme.id)))).scalar_one()
    assert total == before + PROGRAMMES
