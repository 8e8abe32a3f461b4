"""The daily clean-up on SQLite and PostgreSQL: what only grows is pruned, old bookings lose
their personal fields and keep their counts, and nothing still needed goes."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from backends import fresh_postgres, needs_postgres
from consult_data import add_users, seed
from sqlalchemy import insert, select

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Booking, Broadcast, Event, EventReminder, Notice, Outbox, Reminder, Slot
from services.demo_data import load_demo_if_empty
from services.housekeeping import Housekeeping, Pruned

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def housekeeping(engine, batch: int = 2) -> Housekeeping:  # type: ignore[no-untyped-def]
    return Housekeeping(
        create_write_session_factory(engine),
        keep_days=90,
        booking_days=365,
        clock=lambda: NOW,
        batch=batch,  # small: the batches themselves are exercised
    )


async def prepare(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows old and new of every kind the clean-up looks at; their ids by name."""
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    await load_demo_if_empty(sessions)
    await seed(sessions, ZoneInfo("Asia/Tomsk"), date(2026, 11, 23), days=1)
    await add_users(sessions, [1, 2, 3])
    ids: dict[str, int] = {}
    async with sessions() as session, session.begin():

        async def add(key: str, model, /, **values) -> int:  # type: ignore[no-untyped-def]
            ids[key] = (
                await session.execute(insert(model).values(**values).returning(model.id))
            ).scalar_one()
            return ids[key]

        def slot(starts: datetime, booked: int = 0) -> dict:
            return dict(specialist_id=1, starts_at=starts, ends_at=starts + HOUR, booked=booked)

        await add("old free slot", Slot, **slot(NOW - 200 * DAY))
        await add("old free slot 2", Slot, **slot(NOW - 150 * DAY))
        await add("old free slot 3", Slot, **slot(NOW - 91 * DAY))
        await add("recent free slot", Slot, **slot(NOW - 10 * DAY))
        await add("future free slot", Slot, **slot(NOW + 5 * DAY))
        await add("old booked slot", Slot, **slot(NOW - 200 * DAY + 2 * HOUR, booked=1))
        await add("ancient booked slot", Slot, **slot(NOW - 400 * DAY, booked=1))
        await add("ancient closed slot", Slot, **slot(NOW - 400 * DAY + 2 * HOUR))

        def booking(code: str, slot_name: str, **values) -> dict:  # type: ignore[no-untyped-def]
            personal = dict(name="Анна", phone="+79991234567", question="Сын не читает")
            return dict(
                code=code,
                slot_id=ids[slot_name],
                user_id=1,
                service_id=1,
                format="in_person",
                child_age=9,
                **{**personal, **values},
            )

        await add("old booking", Booking, **booking("OLD1", "old booked slot"))
        await add(
            "ancient booking",
            Booking,
            **booking("ANC1", "ancient booked slot", status="done", rating=5, comment="Спасибо"),
        )
        await add(
            "ancient cancelled",
            Booking,
            **booking(
                "ANC2", "ancient booked slot", status="cancelled", cancel_reason="уезжаем в Томск"
            ),
        )
        await add(
            "ancient closed",
            Booking,
            **booking("ANC3", "ancient closed slot", status="cancelled", cancel_reason="closed"),
        )

        def reminder(booking_name: str, kind: str, state: str, due: datetime) -> dict:
            return dict(booking_id=ids[booking_name], kind=kind, state=state, due_at=due)

        await add(
            "ancient sent", Reminder, **reminder("ancient booking", "24h", "sent", NOW - 401 * DAY)
        )
        await add(
            "ancient skipped",
            Reminder,
            **reminder("ancient booking", "2h", "skipped", NOW - 400 * DAY),
        )
        await add(
            "old pending", Reminder, **reminder("old booking", "2h", "pending", NOW - 200 * DAY)
        )
        await add("recent sent", Reminder, **reminder("old booking", "24h", "sent", NOW - 5 * DAY))

        def notice(state: str, due: datetime) -> dict:
            return dict(user_id=2, kind="alert", args={"update_id": 1}, state=state, due_at=due)

        await add("ancient sent notice", Notice, **notice("sent", NOW - 100 * DAY))
        await add("ancient unsent notice", Notice, **notice("pending", NOW - 100 * DAY))
        await add("recent sent notice", Notice, **notice("sent", NOW - 10 * DAY))

        old_event = await add(
            "old event", Event, title="День открытых дверей", starts_at=NOW - 100 * DAY
        )
        new_event = await add("new event", Event, title="Фестиваль", starts_at=NOW - 10 * DAY)
        await add(
            "old event sent",
            EventReminder,
            event_id=old_event,
            user_id=1,
            state="sent",
            due_at=NOW - 101 * DAY,
        )
        await add(
            "old event pending",
            EventReminder,
            event_id=old_event,
            user_id=2,
            state="pending",
            due_at=NOW - 101 * DAY,
        )
        await add(
            "new event sent",
            EventReminder,
            event_id=new_event,
            user_id=3,
            state="sent",
            due_at=NOW - 11 * DAY,
        )

        def broadcast(status: str, finished: datetime | None) -> dict:
            return dict(
                created_by=900001, text="Новость", status=status, finished_at=finished, total=3
            )

        old_done = await add("old done", Broadcast, **broadcast("done", NOW - 100 * DAY))
        recent_cancelled = await add(
            "recent cancelled", Broadcast, **broadcast("cancelled", NOW - 10 * DAY)
        )
        old_running = await add("old running", Broadcast, **broadcast("running", None))
        for broadcast_id in (old_done, recent_cancelled, old_running):
            for user_id in (1, 2, 3):
                await session.execute(
                    insert(Outbox).values(broadcast_id=broadcast_id, user_id=user_id, state="sent")
                )
    return ids


async def scenario(engine) -> None:  # type: ignore[no-untyped-def]
    ids = await prepare(engine)
    pruned = await housekeeping(engine).run()
    assert pruned == Pruned(
        letters=3, slots=3, reminders=2, event_reminders=1, bookings_erased=3, notices=2
    )

    sessions = create_session_factory(engine)
    async with sessions() as session:
        slots = set((await session.execute(select(Slot.id))).scalars())
        assert not {ids["old free slot"], ids["old free slot 2"], ids["old free slot 3"]} & slots
        for kept in ("recent free slot", "future free slot", "old booked slot"):
            assert ids[kept] in slots, kept
        assert ids["ancient booked slot"] in slots  # bookings still point at it
        reminders = set((await session.execute(select(Reminder.id))).scalars())
        assert reminders == {ids["old pending"], ids["recent sent"]}
        event_reminders = set((await session.execute(select(EventReminder.id))).scalars())
        assert event_reminders == {ids["old event pending"], ids["new event sent"]}
        notices = set((await session.execute(select(Notice.id))).scalars())
        assert notices == {ids["recent sent notice"]}
        letters = (await session.execute(select(Outbox.broadcast_id))).scalars().all()
        assert sorted(letters) == sorted([ids["recent cancelled"], ids["old running"]] * 3)
        assert len((await session.execute(select(Broadcast.id))).all()) == 3  # the history stays

        bookings = {
            row.code: row for row in (await session.execute(select(Booking))).scalars().all()
        }
    ancient = bookings["ANC1"]
    assert (ancient.name, ancient.phone, ancient.question, ancient.comment) == (None,) * 4
    # What the reports count stays.
    assert (ancient.status, ancient.rating, ancient.service_id, ancient.format) == (
        "done",
        5,
        1,
        "in_person",
    )
    assert ancient.child_age == 9 and ancient.slot_id == ids["ancient booked slot"]
    assert bookings["ANC2"].cancel_reason is None and bookings["ANC2"].name is None
    assert bookings["ANC3"].cancel_reason == "closed"  # ours, not the parent's words
    assert bookings["ANC3"].name is None
    recent = bookings["OLD1"]  # its consultation ended 200 days ago: within the year
    assert (recent.name, recent.phone, recent.question) == ("Анна", "+79991234567", "Сын не читает")

    assert await housekeeping(engine).run() == Pruned()  # nothing left: a second run is a no-op


@pytest.fixture
async def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'h.sqlite3'}")
    yield engine
    await engine.dispose()


async def test_housekeeping_sqlite(sqlite_engine):
    await scenario(sqlite_engine)


@needs_postgres
async def test_housekeeping_postgres():
    engine = await fresh_postgres()
    try:
        await scenario(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_two_instances_at_once_clean_up_once_between_them():
    engine = await fresh_postgres()
    try:
        await prepare(engine)
        results = await asyncio.gather(*(housekeeping(engine, batch=1).run() for _ in range(3)))
        done = [result for result in results if result is not None]
        assert done  # somebody did it; the others skipped or found nothing left
        totals = {key: sum(asdict(result)[key] for result in done) for key in asdict(Pruned())}
        assert totals == asdict(
            Pruned(letters=3, slots=3, reminders=2, event_reminders=1, bookings_erased=3, notices=2)
        )
    finally:
        await engine.dispose()


async def test_the_clock_runs_the_clean_up_daily(app):
    from bot.clock import HOUSEKEEPING_EVERY_SECONDS, build_ticker

    async def deliver(_):  # type: ignore[no-untyped-def]
        raise AssertionError("nothing is due")

    ticker = build_ticker(app, deliver)
    job = ticker.scheduler.get_job("housekeeping")
    assert job is not None
    assert job.trigger.interval == timedelta(seconds=HOUSEKEEPING_EVERY_SECONDS) == DAY
