"""Reminders and specialist notices through the real bot objects and the offline session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import SendMessage
from consult_data import add_users, seed
from sqlalchemy import update

from bot.clock import Ticker
from bot.notify.consultations import Notices
from db.models import Specialist
from services.booking.reminders import ReminderService
from services.booking.service import Choice, Contact


async def test_reminder_reaches_the_parent_in_their_language(client, app):
    tomorrow = datetime.now(app.settings.zone).date() + timedelta(days=1)
    await seed(app.sessions, app.settings.zone, tomorrow, days=7)
    await add_users(app.sessions, [4242])
    async with app.sessions() as session:
        await session.execute(
            update(Specialist).where(Specialist.id == 1).values(telegram_user_id=777)
        )
        await session.commit()
    choice = Choice(1, specialist_id=1)
    day = min(await app.booking.free_days(choice, tomorrow, tomorrow + timedelta(days=7)))
    slot = (await app.booking.free_slots(choice, day))[0]
    made = await app.booking.book(
        4242, choice, slot.id, "video", Contact("John", "+79990000000", None, None, "en")
    )

    notices = Notices(client.bot, app)
    await notices.booked(made)
    to_specialist = client.session.log[-1]
    assert to_specialist.method.chat_id == 777 and "Новая запись" in to_specialist.message.text
    assert "John" in to_specialist.message.text

    later = ReminderService(app.write_sessions, clock=lambda: made.starts_at - timedelta(hours=2))
    counts = await later.run_due(notices.deliver_reminder)
    assert counts["sent"] == 1
    reminder = client.session.log[-1]
    assert isinstance(reminder.method, SendMessage) and reminder.method.chat_id == 4242
    assert "Consultation reminder" in reminder.message.text and made.code in reminder.message.text
    assert "by video call" in reminder.message.text


async def test_demo_set_up_gives_bookable_slots(app):
    services = await app.booking.services()
    assert len(services) == 4
    today = datetime.now(app.settings.zone).date()
    days = await app.booking.free_days(Choice(services[0].id), today, today + timedelta(days=14))
    assert len(days) >= 5


async def test_ticker_survives_a_failing_job():
    calls = []

    async def broken():
        calls.append(datetime.now(UTC))
        raise RuntimeError("boom")

    ticker = Ticker()
    ticker.every("broken", 3600, broken)
    ticker.start()
    try:
        import asyncio

        for _ in range(50):
            if "broken" in ticker.last_tick:
                break
            await asyncio.sleep(0.02)
    finally:
        ticker.shutdown()
    assert calls and "broken" in ticker.last_tick


async def test_stopping_the_ticker_lets_a_job_under_way_finish():
    """A send under way at SIGTERM must complete, not be cancelled mid-way (it would be left
    `sending`, then `uncertain`, and never delivered)."""
    import asyncio

    started, finished = asyncio.Event(), []

    async def slow_send():
        started.set()
        await asyncio.sleep(0.3)
        finished.append(True)

    ticker = Ticker()
    ticker.every("slow", 3600, slow_send)
    ticker.start()
    await asyncio.wait_for(started.wait(), 10)
    await ticker.stop(timeout=10)
    assert finished == [True]
    assert "slow" in ticker.last_tick
    await asyncio.sleep(0.05)  # AsyncIOScheduler.shutdown runs on the loop's next turn
    assert not ticker.scheduler.running
