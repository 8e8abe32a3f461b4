"""/mydata and /forget through the bot, as a parent and a specialist would use them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.fsm.storage.base import StorageKey
from consult_data import add_users, seed
from sqlalchemy import func, select, update

from bot.notices import Notices
from db.models import Booking, Reminder, Slot, Specialist, User
from services.booking import Choice, Contact
from services.privacy import FORGET_REASON

PARENT = 5001
SPEC = 7001
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday 10:00 in Tomsk
CONTACT = Contact("Анна <Петрова>", "+79991234567", 9, "Сын & дочь не хотят читать", "ru")
YES, NO = "Да, удалить", "Отмена"


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
async def clock(app) -> Clock:
    clock = Clock(NOW)
    app.booking.now = clock
    await seed(app.sessions, app.settings.zone, MONDAY)
    async with app.sessions() as session:
        await session.execute(
            update(Specialist).where(Specialist.id == 1).values(telegram_user_id=SPEC)
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
    assert f"Telegram ID: {PARENT}" in text
    assert "Язык: Русский" in text and "Роль: —" in text
    assert "Согласие на обработку данных: не давалось" in text
    assert "Незавершённый диалог: нет" in text and "Записи на консультации: нет" in text
    assert "Аккаунт специалиста" not in text

    await parent.send("/start")  # onboarding: a dialog is now under way
    await parent.press("Родитель")
    await parent.send("/mydata")
    assert "Onboarding:locality" in parent.text() and '"role": "parent"' in parent.text()

    await _book(app, MONDAY)
    done = await _book(app, MONDAY + timedelta(days=1))
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
    await add_users(app.sessions, [PARENT])
    await _book(app, MONDAY)
    parent = client.user(PARENT)
    await parent.send("/forget")
    assert "Удалить ваши данные?" in parent.text()
    await parent.press(NO)
    assert "ничего не удалено" in parent.text()
    async with app.sessions() as session:
        assert await session.get(User, PARENT) is not None
        booking = (await session.execute(select(Booking))).scalar_one()
    assert booking.user_id == PARENT and booking.name == CONTACT.name


async def test_forget_cancels_anonymises_deletes_and_keeps_the_counts(client, app, clock):
    client.dispatcher["booking_events"] = Notices(client.bot, app)
    parent = client.user(PARENT)
    await _onboard(parent)
    async with app.sessions() as session:
        assert (await session.get(User, PARENT)).consent_version is not None

    cancelled = await _book(app, MONDAY + timedelta(days=2))
    await app.booking.cancel(PARENT, cancelled.id, "ребёнок заболел")
    upcoming = await _book(app, MONDAY + timedelta(days=3))
    held = await _book(app, MONDAY)
    missed = await _book(app, MONDAY + timedelta(days=1))
    await add_users(app.sessions, [5002])
    other = await _book(app, MONDAY + timedelta(days=4), user_id=5002, contact=CONTACT)
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
    to_specialist = [o for o in parent.last if getattr(o.method, "chat_id", None) == SPEC]
    assert len(to_specialist) == 1
    assert "Запись отменена" in to_specialist[0].message.text
    assert "родитель удалил свои данные" in to_specialist[0].message.text

    # The counts the reports make: the same bookings, the upcoming one now cancelled.
    after = await _status_counts(app)
    assert after == {"active": 1, "done": 1, "missed": 1, "cancelled": 2}
    async with app.sessions() as session:
        assert await session.get(User, PARENT) is None
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
    assert rows[other.id].user_id == 5002 and rows[other.id].name == CONTACT.name

    key = StorageKey(bot_id=client.bot.id, chat_id=PARENT, user_id=PARENT)
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
    key = StorageKey(bot_id=client.bot.id, chat_id=PARENT, user_id=PARENT)
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


async def test_commands_menu_lists_mydata_and_forget(client, app):
    from bot.commands import set_commands

    await set_commands(client.bot, app.locales)
    assert {"mydata", "forget"} <= set(client.session.commands[None])
