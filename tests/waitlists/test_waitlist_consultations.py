"""A consultation topic with no free time: the booking dialog offers «🔔 Сообщить, когда
появится время»; a cancelled booking frees time and everyone waiting is told, with a button
that books that topic; the first to book gets it (booking's own guarantee)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from consult_data import seed
from sqlalchemy import update
from waitlist_kit import entries, no_demo_queues, sent_to

from bot.notify.waitlists import WaitlistNotices
from db.models import Slot
from services.booking.service import BookingError, Choice, Contact
from services.waitlists.notices import WaitNoticeWorker

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk (as tests/booking)
MONDAY = date(2026, 11, 23)
CONSULT = "👨‍👩‍👧 Консультации"
BOOK = "📝 Записаться"
TOPIC = "Психолого-педагогическая помощь"
SCHOOL = "МБОУ «СОШ № 5»"
WAIT = "🔔 Сообщить, когда появится время"
ANY = "Любой свободный специалист"


@pytest.fixture
async def consult(any_app):
    await no_demo_queues(any_app)
    any_app.booking.now = lambda: NOW
    await seed(any_app.sessions, any_app.settings.zone, MONDAY)
    return any_app


async def _only_one_slot_taken(app) -> int:
    """Every slot closed but one, which a family books: nothing is free. Its booking id."""
    await app.profiles.get_or_create(8299, "ru")
    await app.profiles.give_consent(8299)
    slot = (await app.booking.free_slots(Choice(1, specialist_id=1), MONDAY))[0]
    contact = Contact("Анна", "+79991234567", 9, None, "ru")
    info = await app.booking.book(8299, Choice(1), slot.id, "in_person", contact)
    async with app.write_sessions() as session, session.begin():
        await session.execute(update(Slot).where(Slot.booked == 0).values(closed=True))
    return info.id


async def test_a_cancelled_booking_tells_those_waiting_for_the_topic(consult, any_client):
    app, client = consult, any_client
    booking_id = await _only_one_slot_taken(app)
    anna, boris = client.user(8201), client.user(8202, "en")
    for user in (anna,):
        await user.send(CONSULT)
        await user.press(BOOK)
        await user.press(TOPIC)
        await user.press(SCHOOL)
        await user.press(ANY)
        assert "Свободного времени" in user.text()
        await user.press(WAIT)
        assert "Сообщу, когда появится свободное время" in user.callback_answer().text
        assert "✖️ Не сообщать о свободном времени" in user.visible_labels()
    await boris.send("👨‍👩‍👧 Consultations")
    await boris.press("📝 Book")
    await boris.press("Psychological and pedagogical help")
    await boris.press("Any organisation")
    await boris.press("Any free specialist")
    await boris.press("🔔 Tell me when time frees up")
    assert len(await entries(app)) == 2

    worker = WaitNoticeWorker(app.write_sessions)
    deliver = WaitlistNotices(client.bot, app).deliver_wait
    assert await app.waitlists.release() == 0  # nothing free yet

    await app.booking.cancel(8299, booking_id, "передумали")
    assert await app.waitlists.release() == 2
    start = len(client.session.log)
    await worker.run_due(deliver)
    told = dict(sent_to(client, start))
    assert set(told) == {8201, 8202}
    assert "Появилось свободное время" in told[8201] and TOPIC in told[8201]
    assert "Free time has opened" in told[8202]
    assert await worker.run_due(deliver) == {"sent": 0, "not_sent": 0, "failed": 0, "uncertain": 0}

    # The button books that topic; the first to book gets the slot, the second cannot.
    await anna.press("📝 Записаться")
    assert "В какой организации" in anna.text()
    free = await app.booking.free_slots(Choice(1), MONDAY)
    assert len(free) == 1
    contact = Contact("Анна", "+79991234567", 9, None, "ru")
    await app.profiles.give_consent(8201)
    await app.profiles.give_consent(8202)
    await app.booking.book(8201, Choice(1), free[0].id, "in_person", contact)
    with pytest.raises(BookingError):
        await app.booking.book(8202, Choice(1), free[0].id, "in_person", contact)


async def test_no_waiting_while_there_is_time_and_leaving_the_list(consult, any_client):
    app, client = consult, any_client
    vera = client.user(8211)
    await vera.send(CONSULT)
    await vera.press(BOOK)
    await vera.press(TOPIC)
    await vera.press(SCHOOL)
    await vera.press(ANY)
    assert WAIT not in vera.visible_labels()  # there is free time: a calendar, no waiting
    # A forged join is refused by the service too.
    from services.waitlists.entries import Joined

    assert await app.waitlists.join_consultation(8211, 1, None, "ru") is Joined.HAS_ROOM
    assert await app.waitlists.join_consultation(8211, 999, None, "ru") is Joined.GONE
    assert await entries(app) == []

    await _only_one_slot_taken(app)
    await vera.send(CONSULT)
    await vera.press(BOOK)
    await vera.press(TOPIC)
    await vera.press(SCHOOL)
    await vera.press(ANY)
    await vera.press(WAIT)
    await vera.press("✖️ Не сообщать о свободном времени")
    assert "Больше не сообщу" in vera.callback_answer().text
    assert await entries(app) == []
