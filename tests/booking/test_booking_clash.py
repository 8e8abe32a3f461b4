"""No two consultations at once for one parent: a booking or a move onto a time that overlaps
another active booking of theirs (another specialist, another organisation) is refused, naming
that booking; on SQLite and on PostgreSQL, through the dispatcher and under concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from backends import POSTGRES_URL, fresh_postgres, needs_postgres
from consult_data import add_users, seed
from sqlalchemy import func, select

from bot.app import build_app, prepare_database
from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Booking, Slot
from services.booking.schedule import local_to_utc
from services.booking.service import BookingError, BookingService, Choice, Contact
from services.demo_data import load_demo_if_empty

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk
MONDAY = date(2026, 11, 23)
TOMSK = ZoneInfo("Asia/Tomsk")
CONTACT = Contact("Анна", "+79991234567", 9, None, "ru", notice_at=NOW)
PARENT = 5201
IVANOVA = "Иванова М. П. · педагог-психолог"
AGREE, CONFIRM = "✅ Согласен(на)", "✅ Подтвердить"
FOSTER, GUARDIANSHIP = "Консультация для будущих приёмных родителей", "Отдел опеки и попечительства"

BACKENDS = ["sqlite", pytest.param("postgres", marks=needs_postgres)]


@pytest.fixture(params=BACKENDS)
async def app(request, settings):
    """The suite's app, on SQLite or on PostgreSQL (the `client` fixture drives it)."""
    engine = None
    if request.param == "postgres":
        settings = settings.model_copy(update={"database_url": POSTGRES_URL})
        engine = await fresh_postgres()
    app = build_app(settings, engine)
    await prepare_database(app)
    app.booking.now = lambda: NOW
    await seed(app.sessions, app.settings.zone, MONDAY)
    await app.profiles.get_or_create(PARENT, "ru")
    yield app
    await app.close()


async def _slot(booking: BookingService, service: int, specialist: int, day: date, hhmm: str):
    choice = Choice(service, specialist_id=specialist)
    for slot in await booking.free_slots(choice, day):
        if slot.starts_at.astimezone(booking.zone).strftime("%H:%M") == hhmm:
            return slot
    raise AssertionError(f"no free slot {hhmm} of specialist {specialist}")


async def _book(app, service: int, specialist: int, hhmm: str, day: date = MONDAY):
    slot = await _slot(app.booking, service, specialist, day, hhmm)
    return await app.booking.book(PARENT, Choice(service), slot.id, "in_person", CONTACT)


async def _held(app, specialist: int, hhmm: str) -> int:
    start = local_to_utc(MONDAY, int(hhmm[:2]) * 60 + int(hhmm[3:]), app.settings.zone)
    async with app.sessions() as session:
        return await session.scalar(
            select(Slot.booked).where(Slot.specialist_id == specialist, Slot.starts_at == start)
        )


async def _count(app) -> int:
    async with app.sessions() as session:
        return await session.scalar(
            select(func.count()).select_from(Booking).where(Booking.user_id == PARENT)
        )


async def test_a_booking_at_the_time_of_another_is_refused_naming_it(client, app):
    other = await _book(app, 2, 3, "09:00")  # foster parents, the guardianship department
    anna = client.user(PARENT)
    await anna.send("👨‍👩‍👧 Консультации")
    await anna.press("📝 Записаться")
    await anna.press("Психолого-педагогическая помощь")
    await anna.press("МБОУ «СОШ № 5»")
    await anna.press(IVANOVA)
    await anna.press("23")
    await anna.press("09:00")
    await anna.press("🏫 Очно")
    await anna.press(AGREE)
    await anna.send("Анна")
    await anna.send("+79991234567")
    await anna.press("Пропустить")
    await anna.press("Пропустить")
    await anna.press(CONFIRM)

    text = anna.text()
    assert "В это время у вас уже есть запись" in text
    for part in ("пн, 23 ноября, 09:00", FOSTER, GUARDIANSHIP, other.code):
        assert part in text, part
    assert await _count(app) == 1
    assert await _held(app, 1, "09:00") == 0  # the slot taken for a moment was given back
    assert {"📅 Выбрать другой день", "📋 Мои записи", "Отмена"} <= set(anna.visible_labels())

    await anna.press("📅 Выбрать другой день")
    await anna.press("23")
    await anna.press("09:45")  # right after the other one: touching is not overlapping
    await anna.press("🏫 Очно")
    await anna.press(AGREE)
    await anna.send("Анна")
    await anna.send("+79991234567")
    await anna.press("Пропустить")
    await anna.press("Пропустить")
    await anna.press(CONFIRM)
    assert "Вы записаны" in anna.text()
    assert await _count(app) == 2


async def test_a_move_may_overlap_itself_but_not_another_booking(client, app):
    await _book(app, 1, 1, "09:00")  # Ivanova, the one to move
    other = await _book(app, 2, 3, "09:45")  # Smirnova, at the guardianship department
    anna = client.user(PARENT)
    await anna.send("👨‍👩‍👧 Консультации")
    await anna.press("📋 Мои записи")
    await anna.press("🔁 Перенести 23.11 09:00")
    await anna.press("23")
    await anna.press("09:45 · Петров О. Н.")
    await anna.press(CONFIRM)
    text = anna.text()
    assert "В это время у вас уже есть запись" in text
    assert "пн, 23 ноября, 09:45" in text and other.code in text and GUARDIANSHIP in text
    assert await _held(app, 2, "09:45") == 0 and await _held(app, 1, "09:00") == 1

    await anna.press("📅 Выбрать другой день")
    await anna.press("23")
    await anna.press("09:00 · Петров О. Н.")  # the same time as the booking being moved
    await anna.press(CONFIRM)
    assert "Запись перенесена" in anna.text()
    assert await _held(app, 2, "09:00") == 1 and await _held(app, 1, "09:00") == 0


# --- the service, partial overlaps and concurrency, on both backends -------------------------
async def _service_on(engine) -> BookingService:
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    await load_demo_if_empty(sessions)
    await seed(sessions, TOMSK, MONDAY)
    await add_users(sessions, [PARENT, PARENT + 1])
    return BookingService(
        sessions,
        create_write_session_factory(engine),
        TOMSK,
        max_active=20,
        clock=lambda: NOW,
    )


async def _partial_overlaps_and_races(engine) -> None:
    booking = await _service_on(engine)
    mine = await booking.book(
        PARENT, Choice(1), (await _slot(booking, 1, 1, MONDAY, "09:00")).id, "phone", CONTACT
    )
    # A slot of another specialist from 09:30 to 10:15 overlaps 09:00–09:45 in part.
    start = local_to_utc(MONDAY, 9 * 60 + 30, booking.zone)
    async with create_session_factory(engine)() as session:
        odd = Slot(specialist_id=3, starts_at=start, ends_at=start + timedelta(minutes=45))
        session.add(odd)
        await session.commit()
        odd_id = odd.id
    with pytest.raises(BookingError) as refused:
        await booking.book(PARENT, Choice(2), odd_id, "in_person", CONTACT)
    assert refused.value.reason == "clash" and refused.value.clash.id == mine.id
    # Another parent may take it; the first one's 09:45 only touches 09:00–09:45.
    await booking.book(PARENT + 1, Choice(2), odd_id, "in_person", CONTACT)
    later = await _slot(booking, 1, 2, MONDAY, "09:45")
    await booking.book(PARENT, Choice(1), later.id, "in_person", CONTACT)
    # A cancelled booking clashes with nothing.
    cancelled = await _slot(booking, 2, 3, MONDAY, "12:15")
    cancelled = await booking.book(PARENT, Choice(2), cancelled.id, "in_person", CONTACT)
    await booking.cancel(PARENT, cancelled.id, None)
    again = await _slot(booking, 1, 1, MONDAY, "12:15")
    await booking.book(PARENT, Choice(1), again.id, "phone", CONTACT)

    # Two bookings at one time, at once (another specialist, another organisation): one wins.
    for day in (MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)):
        for hhmm in ("09:00", "09:45", "11:30", "12:15"):
            a = await _slot(booking, 1, 1, day, hhmm)
            b = await _slot(booking, 2, 3, day, hhmm)
            results = await asyncio.gather(
                booking.book(PARENT, Choice(1), a.id, "phone", CONTACT),
                booking.book(PARENT, Choice(2), b.id, "video", CONTACT),
                return_exceptions=True,
            )
            refusals = [r for r in results if isinstance(r, BookingError)]
            assert len(refusals) == 1 and refusals[0].reason == "clash", results
            winner = next(r for r in results if not isinstance(r, BaseException))
            assert refusals[0].clash.id == winner.id


async def test_partial_overlaps_and_simultaneous_bookings_sqlite(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        await _partial_overlaps_and_races(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_partial_overlaps_and_simultaneous_bookings_postgres():
    engine = await fresh_postgres()
    try:
        await _partial_overlaps_and_races(engine)
    finally:
        await engine.dispose()
