"""Booking rules at the service level: no double booking, limits, cancel, move, slot generation."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from backends import fresh_postgres, needs_postgres
from consult_data import add_users, seed
from sqlalchemy import func, select

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Booking, Reminder, Slot
from services.booking.schedule import Window, add_exception, slot_times
from services.booking.service import BookingError, BookingService, Choice, Contact
from services.demo_data import load_demo_if_empty

TOMSK = ZoneInfo("Asia/Tomsk")
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday morning in Tomsk
CONTACT = Contact("Анна", "+79991234567", 9, "Сын не хочет читать", "ru")


def service_for(engine, zone=TOMSK, clock=lambda: NOW, **kwargs) -> BookingService:
    return BookingService(
        create_session_factory(engine),
        create_write_session_factory(engine),
        zone,
        clock=clock,
        **kwargs,
    )


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'b.sqlite3'}")
    await migrate.upgrade(engine)
    await load_demo_if_empty(create_session_factory(engine))
    await seed(create_session_factory(engine), TOMSK, MONDAY)
    yield engine
    await engine.dispose()


async def _contention(engine, attempts: int = 200) -> None:
    sessions = create_session_factory(engine)
    await add_users(sessions, range(1, attempts + 1))
    booking = service_for(engine)
    choice = Choice(service_id=1)
    slot = (await booking.free_slots(choice, MONDAY))[0]

    async def attempt(user_id: int):
        try:
            return await booking.book(user_id, choice, slot.id, "in_person", CONTACT)
        except BookingError as error:
            return error

    results = await asyncio.gather(*(attempt(i) for i in range(1, attempts + 1)))
    booked = [r for r in results if not isinstance(r, BookingError)]
    refused = [r for r in results if isinstance(r, BookingError)]
    assert len(booked) == 1
    assert {e.reason for e in refused} == {"slot_taken"}
    assert all(e.alternatives and slot.id not in {a.id for a in e.alternatives} for e in refused)
    async with sessions() as session:
        assert (await session.get(Slot, slot.id)).booked == 1
        count = select(func.count()).select_from(Booking).where(Booking.slot_id == slot.id)
        assert (await session.execute(count)).scalar_one() == 1


async def test_two_hundred_concurrent_attempts_make_one_booking_sqlite(engine):
    await _contention(engine)


@needs_postgres
async def test_two_hundred_concurrent_attempts_make_one_booking_postgres():
    engine = await fresh_postgres()
    try:
        await migrate.upgrade(engine)
        await load_demo_if_empty(create_session_factory(engine))
        await seed(create_session_factory(engine), TOMSK, MONDAY)
        await _contention(engine)
    finally:
        await engine.dispose()


async def test_limit_of_active_bookings_per_parent(engine):
    await add_users(create_session_factory(engine), [7])
    booking = service_for(engine, max_active=2)
    slots = await booking.free_slots(Choice(1, specialist_id=1), MONDAY)  # one after another
    await booking.book(7, Choice(1), slots[0].id, "in_person", CONTACT)
    await booking.book(7, Choice(1), slots[1].id, "in_person", CONTACT)
    with pytest.raises(BookingError) as error:
        await booking.book(7, Choice(1), slots[2].id, "in_person", CONTACT)
    assert error.value.reason == "limit"


async def test_format_and_choice_are_checked(engine):
    await add_users(create_session_factory(engine), [8])
    booking = service_for(engine)
    slot = next(s for s in await booking.free_slots(Choice(1), MONDAY) if s.specialist_id == 2)
    for fmt, choice in (
        ("video", Choice(1)),
        ("in_person", Choice(2)),
        ("in_person", Choice(1, specialist_id=1)),
    ):
        with pytest.raises(BookingError) as error:
            await booking.book(8, choice, slot.id, fmt, CONTACT)
        assert error.value.reason == "bad_choice"


async def test_cancel_frees_the_slot_and_drops_reminders(engine):
    sessions = create_session_factory(engine)
    await add_users(sessions, [9])
    booking = service_for(engine)
    slot = (await booking.free_slots(Choice(1), date(2026, 11, 25)))[0]
    made = await booking.book(9, Choice(1), slot.id, "phone", CONTACT)
    async with sessions() as session:
        kinds = (
            (await session.execute(select(Reminder.kind).where(Reminder.booking_id == made.id)))
            .scalars()
            .all()
        )
    assert sorted(kinds) == ["24h", "2h"]
    cancelled = await booking.cancel(9, made.id, "заболели")
    assert cancelled.status == "cancelled"
    async with sessions() as session:
        assert (await session.get(Slot, slot.id)).booked == 0
        assert (
            await session.execute(select(Reminder).where(Reminder.booking_id == made.id))
        ).first() is None
    with pytest.raises(BookingError):
        await booking.cancel(9, made.id, None)
    with pytest.raises(BookingError):
        await booking.cancel(10, made.id, None)


async def test_reschedule_takes_new_slot_before_freeing_old(engine):
    sessions = create_session_factory(engine)
    await add_users(sessions, [11, 12])
    booking = service_for(engine)
    free = await booking.free_slots(Choice(1), MONDAY)
    mine = await booking.book(11, Choice(1), free[0].id, "in_person", CONTACT)
    await booking.book(12, Choice(1), free[1].id, "in_person", CONTACT)
    with pytest.raises(BookingError) as error:
        await booking.reschedule(11, mine.id, free[1].id)
    assert error.value.reason == "slot_taken"
    async with sessions() as session:
        assert (await session.get(Slot, free[0].id)).booked == 1  # the old one is still held
    moved = await booking.reschedule(11, mine.id, free[2].id)
    assert moved.starts_at == free[2].starts_at
    async with sessions() as session:
        assert (await session.get(Slot, free[0].id)).booked == 0
        assert (await session.get(Slot, free[2].id)).booked == 1


async def test_slots_follow_templates_breaks_and_local_time(engine):
    booking = service_for(engine)
    slots = await booking.free_slots(Choice(1, specialist_id=1), MONDAY)
    local = [s.starts_at.astimezone(TOMSK).strftime("%H:%M") for s in slots]
    assert local == ["09:00", "09:45", "11:30", "12:15"]  # 10:30–11:15 would cross the break
    assert MONDAY + timedelta(days=5) not in await booking.free_days(
        Choice(1), MONDAY, MONDAY + timedelta(days=6)
    )


def test_slot_times_across_a_dst_change():
    berlin = ZoneInfo("Europe/Berlin")
    window = [Window(6, 9 * 60, 10 * 60, 60)]  # Sundays 09:00–10:00 local
    before, after = list(slot_times(window, date(2026, 3, 22), date(2026, 3, 29), berlin))
    assert before[0] == datetime(2026, 3, 22, 8, 0, tzinfo=UTC)  # CET, UTC+1
    assert after[0] == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)  # CEST, UTC+2


async def test_exception_closes_slots_and_cancels_their_bookings(engine):
    sessions = create_session_factory(engine)
    await add_users(sessions, [13])
    booking = service_for(engine)
    slot = next(s for s in await booking.free_slots(Choice(1), MONDAY) if s.specialist_id == 1)
    made = await booking.book(13, Choice(1), slot.id, "in_person", CONTACT)
    async with sessions() as session:
        cancelled = await add_exception(session, TOMSK, 1, MONDAY, MONDAY, "больничный")
        await session.commit()
    assert cancelled == [made.id]
    assert (await booking.booking(made.id)).status == "cancelled"
    assert all(s.specialist_id != 1 for s in await booking.free_slots(Choice(1), MONDAY))
