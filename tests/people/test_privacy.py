"""/mydata and /forget through the bot, as a parent and a specialist would use them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.fsm.storage.base import StorageKey
from backends import fresh_postgres, needs_postgres
from clock import Clock
from consult_data import add_users, seed
from sqlalchemy import delete, func, select, update

from bot.notify.consultations import Notices
from db import migrate
from db.engine import create_session_factory, create_write_session_factory
from db.models import (
    Booking,
    Broadcast,
    Event,
    EventReminder,
    Outbox,
    Reminder,
    Slot,
    Specialist,
    Subscription,
    User,
)
from services.booking.service import BookingService, Choice, Contact
from services.booking.specialists import SpecialistService
from services.broadcasts.service import Audience, DeliveryEngine, Letter, Outcome, Result
from services.events.service import EventService, NewEvent
from services.events.subscriptions import CHOSEN
from services.people.privacy import FORGET_REASON, PrivacyService
from services.people.profiles import CONSENT_VERSION

pytestmark = pytest.mark.both_messengers

PARENT = 5001
SPEC = 7001
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday 10:00 in Tomsk
CONTACT = Contact("Анна <Петрова>", "+79991234567", 9, "Сын & дочь не хотят читать", "ru")
YES, NO = "Да, удалить", "Отмена"


@pytest.fixture
async def clock(app, client) -> Clock:
    clock = Clock(NOW)
    app.booking.now = clock
    await seed(app.sessions, app.settings.zone, MONDAY)
    async with app.sessions() as session:
        await session.execute(
            update(Specialist)
            .where(Specialist.id == 1)
            .values(telegram_user_id=client.person_id(SPEC))
        )
        await session.commit()
    return clock


async def _book(app, day: date, user_id: int = PARENT, contact: Contact = CONTACT):
    choice = Choice(1, specialist_id=1)
    slot = (await app.booking.free_slots(choice, day))[0]
    return await app.booking.book(user_id, choice, slot.id, "in_person", contact)


async def _status_counts(app) -> dict[str, int]:
    async with app.sessions() as session:
        rows = await session.execute(select(Booking.status, func.count()).group_by(Booking.status))
        return dict(rows.all())


async def _onboard(user) -> None:
    """The parent meets the bot: role, locality, age, consent."""
    await user.send("/start")
    await user.press("Родитель")
    await user.send("Томск")
    await user.send("9")
    await user.press("✅ Согласен(на)")


async def test_mydata_shows_profile_dialog_and_bookings(client, app, clock):
    parent = client.user(PARENT)
    await parent.send("/mydata")
    text = parent.text()
    messenger = "MAX" if client.messenger == "max" else "Telegram"
    assert f"{messenger} ID: {PARENT}" in text, "the id the person's messenger knows them by"
    assert "Язык: Русский" in text and "Роль: —" in text
    assert "Согласие на обработку данных: не давалось" in text
    assert "Незавершённый диалог: нет" in text and "Записи на консультации: нет" in text
    assert "Аккаунт специалиста" not in text

    await parent.send("/start")  # onboarding: a dialog is now under way
    await parent.press("Родитель")
    await parent.send("/mydata")
    text = parent.text()
    assert "Onboarding:role → LocalityPicker:choose" in text and '"role": "parent"' in text

    await _book(app, MONDAY, client.person_id(PARENT))
    done = await _book(app, MONDAY + timedelta(days=1), client.person_id(PARENT))
    async with app.sessions() as session:
        await session.execute(
            update(Booking)
            .where(Booking.id == done.id)
            .values(status="done", rating=4, comment="Всё <ок>")
        )
        await session.commit()
    await parent.send("/mydata")
    text = parent.text()
    assert "Записи на консультации: 2" in text
    assert "Анна <Петрова>" in text and "+79991234567" in text
    assert "Сын & дочь не хотят читать" in text and "Всё <ок>" in text
    assert "предстоит" in text and "состоялась" in text and "Оценка: 4" in text
    assert "/forget" in text


async def test_mydata_shows_a_linked_specialist_account(client, app, clock):
    specialist = client.user(SPEC)
    await specialist.send("/mydata")
    assert "Аккаунт специалиста: привязан к «Иванова Мария Петровна»" in specialist.text()


async def test_forget_can_be_declined(client, app, clock):
    await add_users(app.sessions, [client.person_id(PARENT)])
    await _book(app, MONDAY, client.person_id(PARENT))
    parent = client.user(PARENT)
    await parent.send("/forget")
    assert "Удалить ваши данные?" in parent.text()
    await parent.press(NO)
    assert "ничего не удалено" in parent.text()
    async with app.sessions() as session:
        assert await session.get(User, client.person_id(PARENT)) is not None
        booking = (await session.execute(select(Booking))).scalar_one()
    assert booking.user_id == client.person_id(PARENT) and booking.name == CONTACT.name


async def test_forget_cancels_anonymises_deletes_and_keeps_the_counts(client, app, clock):
    client.dispatcher["booking_events"] = Notices(client.bot, app)
    parent = client.user(PARENT)
    await _onboard(parent)
    async with app.sessions() as session:
        assert (await session.get(User, client.person_id(PARENT))).consent_version is not None

    cancelled = await _book(app, MONDAY + timedelta(days=2), client.person_id(PARENT))
    await app.booking.cancel(client.person_id(PARENT), cancelled.id, "ребёнок заболел")
    upcoming = await _book(app, MONDAY + timedelta(days=3), client.person_id(PARENT))
    held = await _book(app, MONDAY, client.person_id(PARENT))
    missed = await _book(app, MONDAY + timedelta(days=1), client.person_id(PARENT))
    await add_users(app.sessions, [client.person_id(5002)])
    other = await _book(
        app, MONDAY + timedelta(days=4), user_id=client.person_id(5002), contact=CONTACT
    )
    clock.moment = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # Tuesday 13:00
    async with app.sessions() as session:
        await session.execute(
            update(Booking)
            .where(Booking.id == held.id)
            .values(status="done", rating=5, comment="ok")
        )
        await session.execute(
            update(Booking).where(Booking.id == missed.id).values(status="missed")
        )
        await session.commit()
    before = await _status_counts(app)
    assert before == {"active": 2, "done": 1, "missed": 1, "cancelled": 1}

    await parent.send("/cancel")
    await parent.send("/forget")
    assert "Удалить ваши данные?" in parent.text()
    await parent.press(YES)
    assert "Ваши данные удалены" in parent.text()
    assert "Отменено предстоящих записей: 1" in parent.text()
    assert "Обезличено записей: 4" in parent.text()
    to_specialist = [
        o for o in parent.last if getattr(o.method, "chat_id", None) == client.person_id(SPEC)
    ]
    assert len(to_specialist) == 1
    assert "Запись отменена" in to_specialist[0].message.text
    assert "родитель удалил свои данные" in to_specialist[0].message.text

    # The counts the reports make: the same bookings, the upcoming one now cancelled.
    after = await _status_counts(app)
    assert after == {"active": 1, "done": 1, "missed": 1, "cancelled": 2}
    async with app.sessions() as session:
        assert await session.get(User, client.person_id(PARENT)) is None
        rows = {b.id: b for b in (await session.execute(select(Booking))).scalars()}
        slot = await session.get(Slot, rows[upcoming.id].slot_id)
        reminders = (
            (await session.execute(select(Reminder).where(Reminder.booking_id == upcoming.id)))
            .scalars()
            .all()
        )
    for booking_id in (upcoming.id, held.id, missed.id, cancelled.id):
        row = rows[booking_id]
        assert row.user_id is None and row.name is None and row.phone is None
        assert row.question is None and row.comment is None and row.child_age is None
        assert row.service_id == 1 and row.slot_id is not None
    assert rows[upcoming.id].status == "cancelled"
    assert rows[upcoming.id].cancel_reason == FORGET_REASON
    assert rows[cancelled.id].cancel_reason is None  # typed by the parent: gone
    assert rows[held.id].rating == 5  # anonymous ratings still count
    assert slot.booked == 0 and reminders == []
    assert rows[other.id].user_id == client.person_id(5002) and rows[other.id].name == CONTACT.name

    key = StorageKey(
        bot_id=client.bot.id, chat_id=client.person_id(PARENT), user_id=client.person_id(PARENT)
    )
    assert await client.dispatcher.storage.get_state(key) is None
    assert await client.dispatcher.storage.get_data(key) == {}

    # Writing again: a new user, greeted and asked the first questions again.
    await parent.send("/start")
    assert "Здравствуйте" in parent.text() and "Кто вы?" in parent.text()
    await parent.send("/mydata")
    assert "Записи на консультации: нет" in parent.text()
    assert "Согласие на обработку данных: не давалось" in parent.text()


async def test_forget_in_the_middle_of_a_dialog_clears_it(client, app, clock):
    parent = client.user(PARENT)
    await parent.send("/start")
    await parent.press("Родитель")
    await parent.send("/forget")
    await parent.press(YES)
    key = StorageKey(
        bot_id=client.bot.id, chat_id=client.person_id(PARENT), user_id=client.person_id(PARENT)
    )
    assert await client.dispatcher.storage.get_state(key) is None
    await parent.send("/mydata")
    assert "Незавершённый диалог: нет" in parent.text()


async def test_a_specialist_who_forgets_is_unlinked(client, app, clock):
    specialist = client.user(SPEC)
    await specialist.send("/forget")
    assert "будет отвязан от специалиста «Иванова Мария Петровна»" in specialist.text()
    await specialist.press(YES)
    async with app.sessions() as session:
        assert (await session.get(Specialist, 1)).telegram_user_id is None
    await specialist.send("/today")
    assert "только для специалистов" in specialist.text()


@pytest.mark.telegram_only("MAX does not show commands set through the API: no commands menu")
async def test_commands_menu_lists_mydata_and_forget(client, app):
    from bot.telegram.commands import set_commands

    await set_commands(client.bot, app.locales)
    assert {"mydata", "forget"} <= set(client.session.commands[None])


# --- subscriptions, event reminders and broadcast letters -----------------------------------
TITLE = "«Билет в будущее»: <профпробы> & мастер-классы"
LATER = "Фестиваль профессий"


async def _events(app, *titles: str) -> list[int]:
    """Only these events, two and three days ahead (the demo ones removed)."""
    async with app.sessions() as session:
        await session.execute(delete(Event))
        await session.commit()
    service = EventService(app.sessions, app.write_sessions)
    now = datetime.now(UTC)
    return [
        await service.create(NewEvent(title=title, starts_at=now + timedelta(days=2 + i)))
        for i, title in enumerate(titles)
    ]


async def _subscribe_and_remind(user, *, en: bool = False) -> None:
    """Onboarding, where the parent ticks every topic offered; then "remind me" on the first
    event."""
    await user.send("/start")
    await user.press("Parent" if en else "Родитель")
    await user.send("Томск")
    await user.send("9")
    await user.press("✅ I agree" if en else "✅ Согласен(на)")
    ru = ("Профориентация и мероприятия", "Кружки и набор в них", "Консультации для семьи")
    english = ("Career guidance and events", "Clubs and enrolment", "Family consultations")
    for topic in english if en else ru:
        await user.press(f"⬜ {topic}")
    await user.send("📅 Events" if en else "📅 События")
    await user.press(f"1. {TITLE}")
    await user.press("🔔 Remind me" if en else "🔔 Напомнить")


async def _mark_sent(app, user_id: int, event_id: int) -> None:
    async with app.sessions() as session:
        await session.execute(
            update(EventReminder)
            .where(EventReminder.user_id == user_id, EventReminder.event_id == event_id)
            .values(state="sent", sent_at=datetime.now(UTC))
        )
        await session.commit()


async def test_mydata_shows_subscriptions_and_event_reminders(client, app):
    _first, later = await _events(app, TITLE, LATER)
    parent = client.user(PARENT)
    await parent.send("/mydata")
    assert "Подписки на анонсы: нет" in parent.text()
    assert "Напоминания о мероприятиях: нет" in parent.text()

    await _subscribe_and_remind(parent)
    await parent.press(f"2. {LATER}")
    await parent.press("🔔 Напомнить")
    await _mark_sent(app, client.person_id(PARENT), later)
    await parent.send("/mydata")
    text = parent.text()
    topics = "Профориентация и мероприятия, Кружки и набор в них, Консультации для семьи"
    assert f"Подписки на анонсы: {topics}" in text
    assert CHOSEN not in text  # the internal marker row is not a topic
    assert "Напоминания о мероприятиях: 2" in text
    assert f"{TITLE} · " in text  # staff-typed, escaped, shown as typed
    assert "· напомню " in text and "· напоминание отправлено " in text
    assert text.index(TITLE) < text.index(LATER)  # by the event's start


async def test_mydata_in_english_shows_subscriptions_and_event_reminders(client, app):
    await _events(app, TITLE)
    parent = client.user(PARENT, language_code="en")
    await _subscribe_and_remind(parent, en=True)
    await parent.send("/mydata")
    text = parent.text()
    topics = "Career guidance and events, Clubs and enrolment, Family consultations"
    assert f"Announcement subscriptions: {topics}" in text
    assert "Event reminders: 1" in text
    assert f"{TITLE} · " in text and "· reminder due " in text


async def test_forget_deletes_subscriptions_reminders_and_letters_not_yet_sent(client, app):
    """A queued announcement is not sent after /forget; letters already sent are counted."""
    (event_id,) = await _events(app, TITLE)
    parent, other = client.user(PARENT), client.user(5002)
    await _subscribe_and_remind(parent)
    await _subscribe_and_remind(other)
    clock = Clock(datetime.now(UTC))
    worker = DeliveryEngine(
        app.write_sessions,
        1000,
        per_chat_interval=0,
        clock=clock,
        messenger=app.settings.messenger,
    )
    send = Script()
    everyone = Audience(topics=("orientation",))

    async def _broadcast() -> int:
        broadcast_id = await app.broadcasts.create(1, everyone, text="<b>Анонс</b>")
        assert await app.broadcasts.schedule(broadcast_id)
        clock.moment = datetime.now(UTC)
        assert await worker.start_due() == [broadcast_id]
        return broadcast_id

    sent_id = await _broadcast()
    await worker.run_for(send, 10)
    claimed_id = await _broadcast()
    assert len(await worker.claim(10)) == 2  # a worker holds these letters, not yet sending
    pending_id = await _broadcast()
    assert send.delivered == {client.person_id(PARENT): 1, client.person_id(5002): 1}
    assert await _letters(app, client.person_id(PARENT)) == {
        sent_id: "sent",
        claimed_id: "claimed",
        pending_id: "pending",
    }

    await parent.send("/forget")
    assert "напоминания о мероприятиях" in parent.text()
    await parent.press(YES)
    assert "Ваши данные удалены" in parent.text()

    async with app.sessions() as session:
        topics = await session.scalars(
            select(Subscription.topic).where(Subscription.user_id == client.person_id(PARENT))
        )
        assert topics.all() == []  # the marker row too
        reminders = await session.scalars(select(EventReminder.user_id))
        assert reminders.all() == [client.person_id(5002)]
        assert (await session.get(Event, event_id)) is not None
        totals = dict((await session.execute(select(Broadcast.id, Broadcast.total))).all())
    assert await _letters(app, client.person_id(PARENT)) == {}  # no letter carries their id
    assert await _letters(app, None) == {sent_id: "sent"}  # the delivery count stays
    assert (await app.broadcasts.progress(sent_id)).counts == {"sent": 2}
    assert await _letters(app, client.person_id(5002)) == {
        sent_id: "sent",
        claimed_id: "claimed",
        pending_id: "pending",
    }
    assert totals == {sent_id: 2, claimed_id: 1, pending_id: 1}

    # The worker's lease on the claimed letters runs out: the other person's are sent.
    clock.moment = datetime.now(UTC) + timedelta(minutes=5)
    await worker.run_for(send, 10)
    assert send.delivered == {
        client.person_id(PARENT): 1,
        client.person_id(5002): 3,
    }  # nothing more went to the forgotten person
    for broadcast_id in (claimed_id, pending_id):
        progress = await app.broadcasts.progress(broadcast_id)
        assert progress.status == "done" and progress.counts == {"sent": 1}
        assert progress.left == 0


async def _letters(app, user_id: int | None) -> dict[int, str]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Outbox.broadcast_id, Outbox.state).where(Outbox.user_id == user_id)
        )
        return dict(rows.all())


class Script:
    """A fake sender: every letter is delivered, counted by recipient."""

    def __init__(self) -> None:
        self.delivered: dict[int, int] = {}

    async def __call__(self, letter: Letter) -> Outcome:
        self.delivered[letter.user_id] = self.delivered.get(letter.user_id, 0) + 1
        return Outcome(Result.SENT)


@needs_postgres
async def test_forget_on_postgres_cascades_and_drops_only_unsent_letters(settings):
    engine = await fresh_postgres()
    try:
        await migrate.upgrade(engine)
        sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
        now = datetime.now(UTC)
        async with sessions() as session:
            session.add_all([User(id=PARENT, locale="ru"), User(id=5002, locale="ru")])
            session.add(Event(id=1, title=TITLE, starts_at=now + timedelta(days=2)))
            session.add_all(Broadcast(id=i, created_by=1, text="x", total=2) for i in (1, 2, 3))
            await session.flush()
            for user_id in (PARENT, 5002):
                session.add_all(
                    Subscription(user_id=user_id, topic=topic) for topic in (CHOSEN, "clubs")
                )
                session.add(EventReminder(event_id=1, user_id=user_id, due_at=now))
                session.add_all(
                    Outbox(broadcast_id=i, user_id=user_id, state=state)
                    for i, state in ((1, "sent"), (2, "claimed"), (3, "pending"))
                )
            await session.commit()
        booking = BookingService(sessions, writes, settings.zone)
        privacy = PrivacyService(
            sessions, writes, booking, SpecialistService(sessions, writes, booking)
        )
        stored = await privacy.collect(PARENT)
        assert stored.topics == ("clubs",) and [r.title for r in stored.reminders] == [TITLE]

        result = await privacy.forget(PARENT)
        assert result.profile_deleted and result.letters_dropped == 2
        async with sessions() as session:
            assert (await session.scalars(select(Subscription.user_id))).all() == [5002] * 2
            assert (await session.scalars(select(EventReminder.user_id))).all() == [5002]
            letters = await session.execute(select(Outbox.user_id, Outbox.broadcast_id))
            totals = dict((await session.execute(select(Broadcast.id, Broadcast.total))).all())
        assert sorted(letters.all(), key=lambda row: (row[0] or 0, row[1])) == [
            (None, 1),  # sent: kept as a count, without the Telegram id
            (5002, 1),
            (5002, 2),
            (5002, 3),
        ]
        assert totals == {1: 2, 2: 1, 3: 1}
    finally:
        await engine.dispose()


@needs_postgres
@pytest.mark.parametrize("first", ["broadcast", "forget"])
async def test_forget_racing_a_broadcast_start_leaves_no_letter_on_postgres(settings, first):
    """A /forget and a broadcast filling its outbox at the same moment: whichever comes first,
    no letter is left for the forgotten person (and the total counts only the others). An
    outside transaction holds the person's row while both line up behind it, in `first`'s
    order; then it lets go."""
    import asyncio

    from sqlalchemy import text

    from services.broadcasts.service import BroadcastService

    engine = await fresh_postgres()
    try:
        await migrate.upgrade(engine)
        sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
        async with sessions() as session:
            session.add_all(
                User(id=uid, locale="ru", consent_version=CONSENT_VERSION) for uid in (PARENT, 5002)
            )
            await session.flush()
            session.add_all(
                Subscription(user_id=user_id, topic=topic)
                for user_id in (PARENT, 5002)
                for topic in (CHOSEN, "orientation")
            )
            await session.commit()
        broadcasts = BroadcastService(sessions, writes)
        broadcast_id = await broadcasts.create(1, Audience(topics=("orientation",)), text="x")
        assert await broadcasts.schedule(broadcast_id)
        worker = DeliveryEngine(writes, 30, clock=lambda: datetime.now(UTC) + timedelta(days=1))
        booking = BookingService(sessions, writes, settings.zone)
        privacy = PrivacyService(
            sessions, writes, booking, SpecialistService(sessions, writes, booking)
        )
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )

        async def lined_up(count: int, tasks: list[asyncio.Task]) -> None:
            for _ in range(200):
                async with engine.connect() as connection:
                    if await connection.scalar(waiting) == count:
                        return
                assert not any(task.done() for task in tasks), [t for t in tasks if t.done()]
                await asyncio.sleep(0.02)
            raise AssertionError(f"expected {count} transactions waiting for the person's row")

        async with engine.connect() as holder:
            await holder.execute(text(f"SELECT id FROM users WHERE id = {PARENT} FOR UPDATE"))
            tasks: list[asyncio.Task] = []
            starts = {"broadcast": worker.start_due, "forget": lambda: privacy.forget(PARENT)}
            for name in (first, *(n for n in starts if n != first)):
                tasks.append(asyncio.create_task(starts[name]()))
                await lined_up(len(tasks), tasks)
            await holder.rollback()
        await asyncio.wait_for(asyncio.gather(*tasks), 30)

        async with sessions() as session:
            letters = (await session.scalars(select(Outbox.user_id))).all()
            total = await session.scalar(select(Broadcast.total))
        assert letters == [5002] and total == 1
    finally:
        await engine.dispose()
