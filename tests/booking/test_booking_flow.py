"""Booking a consultation through the bot, as a parent would: buttons, typing, sharing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.methods import SendDocument
from aiogram.types import Contact as TgContact
from consult_data import add_users, seed
from sqlalchemy import delete, func, select

from db.models import (
    Booking,
    ConsultService,
    Provider,
    Reminder,
    ScheduleException,
    ScheduleTemplate,
    Slot,
    Specialist,
    User,
    specialist_services,
)
from services.booking.service import NOTICE_VERSION, BookingInfo, Choice, Contact
from services.people.children import Given

pytestmark = pytest.mark.both_messengers

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk
MONDAY = date(2026, 11, 23)
OTHER = Contact("Ольга", "+79990000000", None, None, "ru")

CONSULT = "👨‍👩‍👧 Консультации"
BOOK = "📝 Записаться"
MINE = "📋 Мои записи"
TOPIC = "Психолого-педагогическая помощь"
SCHOOL = "МБОУ «СОШ № 5»"
IVANOVA = "Иванова М. П. · педагог-психолог"
CONFIRM = "✅ Подтвердить"
BACK = "◀️ Назад"
AGREE = "✅ Согласен(на)"  # the booking notice


async def _clear_consultations(app) -> None:
    """prepare_database may load demo consultations: start from the small test set only."""
    async with app.sessions() as session:
        for table in (Reminder, Booking, Slot, ScheduleException, ScheduleTemplate):
            await session.execute(delete(table))
        await session.execute(delete(specialist_services))
        for table in (Specialist, Provider, ConsultService):
            await session.execute(delete(table))
        await session.commit()


@pytest.fixture
async def consult(app):
    """Services, organisations, specialists and slots from Monday 23 November 2026 on,
    with the booking clock fixed on the Sunday before."""
    await _clear_consultations(app)
    app.booking.now = lambda: NOW
    await seed(app.sessions, app.settings.zone, MONDAY)
    return app


async def _consenting(app, user_id: int, locale: str = "ru") -> None:
    await app.profiles.get_or_create(user_id, locale)
    await app.profiles.give_consent(user_id)


async def _bookings(app, user_id: int | None = None) -> list[Booking]:
    statement = select(Booking).order_by(Booking.id)
    if user_id is not None:
        statement = statement.where(Booking.user_id == user_id)
    async with app.sessions() as session:
        return list((await session.execute(statement)).scalars())


def _documents(user) -> list[SendDocument]:
    return [out.method for out in user.last if isinstance(out.method, SendDocument)]


async def _to_time(user, *, any_specialist: bool = False, day: str = "23") -> None:
    await user.send(CONSULT)
    await user.press(BOOK)
    await user.press(TOPIC)
    await user.press(SCHOOL)
    await user.press("Любой свободный специалист" if any_specialist else IVANOVA)
    await user.press(day)


async def _to_name(user, time: str = "09:00") -> None:
    await _to_time(user)
    await user.press(time)
    await user.press("🏫 Очно")
    await user.press(AGREE)


async def _to_confirmation(user, time: str = "09:00") -> None:
    await _to_name(user, time)
    await user.send("Анна Петровна")
    await user.send("+7 999 123-45-67")
    await user.send("9")
    await user.press("Пропустить")


# --- the whole way ------------------------------------------------------------------------
async def test_happy_path_books_and_sends_an_ics_file(client, consult):
    events = Recorder()
    client.dispatcher["booking_events"] = events
    anna = client.user(8001)
    await anna.send(CONSULT)
    assert "бесплатные консультации" in anna.text().lower()
    assert "принять ребёнка в семью" in anna.text()
    await anna.press(BOOK)
    assert "Выберите тему" in anna.text()
    await anna.press(TOPIC)
    assert "Любая организация" in anna.visible_labels()
    await anna.press(SCHOOL)
    await anna.press(IVANOVA)
    calendar = anna.text()
    assert "Специалист: Иванова Мария Петровна" in calendar
    labels = anna.visible_labels()
    assert "Ноябрь 2026" in labels
    assert {"23", "24", "25", "26", "27", "30"} <= set(labels)
    assert "22" not in labels and "28" not in labels  # today (Sunday) and Saturday: no slots
    assert "◀️" not in labels  # October is before the horizon

    await anna.press("·")
    assert "записи нет" in anna.callback_answer().text

    await anna.press("23")
    assert "пн, 23 ноября" in anna.text()
    assert {"09:00", "09:45", "11:30", "12:15"} <= set(anna.visible_labels())
    await anna.press("09:45")
    assert "пн, 23 ноября, 09:45" in anna.text()
    assert "ул. Ленина, 10" in anna.text()
    assert {"🏫 Очно", "📞 По телефону", "💻 По видеосвязи"} <= set(anna.visible_labels())
    await anna.press("📞 По телефону")
    notice = anna.text()
    assert "Кто увидит данные записи" in notice and f"редакция {NOTICE_VERSION}" in notice
    assert "специалист, к которому вы записываетесь" in notice
    assert "сотрудники управления образования" in notice and "365 дней" in notice
    await anna.press(AGREE)
    assert "Как к вам обращаться" in anna.text()

    await anna.send("Анна Петровна")
    keyboard = anna.reply_keyboard
    assert keyboard.keyboard[0][0].request_contact
    await anna.share_contact("79991234567")
    assert "+79991234567" in anna.text()
    assert "👨‍👩‍👧 Консультации" in anna.visible_labels()  # the main menu is back
    await anna.send("9")
    await anna.send("Сын <не> хочет читать & писать")

    confirmation = anna.text()
    for part in (
        "Тема: Психолого-педагогическая помощь",
        "МБОУ «СОШ № 5», ул. Ленина, 10",
        "Иванова Мария Петровна, педагог-психолог",
        "пн, 23 ноября, 09:45",
        "Формат: по телефону",
        "Имя: Анна Петровна",
        "Телефон: +79991234567",
        "9 лет",
        "Сын <не> хочет читать & писать",
    ):
        assert part in confirmation, part
    assert {CONFIRM, BACK, "Отмена"} <= set(anna.visible_labels())

    await anna.press(CONFIRM)
    assert "Вы записаны" in anna.text()
    [row] = await _bookings(consult, client.person_id(8001))
    assert row.code in anna.text()
    assert (row.format, row.name, row.phone, row.child_age) == (
        "phone",
        "Анна Петровна",
        "+79991234567",
        9,
    )
    assert row.question == "Сын <не> хочет читать & писать"
    [document] = _documents(anna)
    assert document.document.filename == f"konsultaciya-{row.code}.ics"
    ics = document.document.data.decode()
    assert "DTSTART:20261123T024500Z" in ics  # 09:45 in Tomsk (UTC+7)
    assert f"Код записи: {row.code}" in ics.replace("\r\n ", "")
    assert events.calls == [("booked", row.code)]
    assert "🔎 Кружки и центры" in anna.visible_labels()  # the main menu keyboard again
    assert (row.notice_version, row.notice_at) == (NOTICE_VERSION, NOW)
    async with consult.sessions() as session:  # the notice is not the profile's consent
        assert (await session.get(User, client.person_id(8001))).consent_version is None
    state = await client.dispatcher.fsm.get_context(
        client.bot, client.person_id(8001), client.person_id(8001)
    ).get_state()
    assert state is None


async def test_any_specialist_shows_names_and_real_clock_works(client, app):
    """With the real clock: seed from tomorrow and take the first free day on the calendar."""
    await _clear_consultations(app)
    tomorrow = datetime.now(app.settings.zone).date() + timedelta(days=1)
    await seed(app.sessions, app.settings.zone, tomorrow)
    await _consenting(app, client.person_id(8002))
    anna = client.user(8002)
    await anna.send(CONSULT)
    await anna.press(BOOK)
    await anna.press(TOPIC)
    await anna.press("Любая организация")
    await anna.press("Любой свободный специалист")
    days = [label for label in anna.visible_labels() if label.isdigit()]
    if not days:  # the first free day is in the next month
        await anna.press("▶️")
        days = [label for label in anna.visible_labels() if label.isdigit()]
    await anna.press(days[0])
    times = [label for label in anna.visible_labels() if " · " in label]
    assert any(label.endswith("Иванова М. П.") for label in times)
    assert any(label.endswith("Петров О. Н.") for label in times)
    petrov = next(label for label in times if label.endswith("Петров О. Н."))
    await anna.press(petrov)
    assert ["🏫 Очно"] == [label for label in anna.visible_labels() if "Очно" in label]
    assert "📞 По телефону" not in anna.visible_labels()  # Petrov sees people in person only
    await anna.press("🏫 Очно")
    await anna.press(AGREE)  # the notice, though the profile has consent
    await anna.send("Анна")
    await anna.send("89991234567")
    await anna.press("Пропустить")
    await anna.press("Пропустить")
    assert "Проверьте запись" in anna.text()
    assert "Возраст ребёнка: не указано" in anna.text()
    await anna.press(CONFIRM)
    [row] = await _bookings(app, client.person_id(8002))
    assert (row.phone, row.child_age, row.question) == ("+79991234567", None, None)


# --- validation ---------------------------------------------------------------------------
async def test_bad_name_and_phone_are_explained_and_change_nothing(client, consult):
    await _consenting(consult, client.person_id(8010))
    anna = client.user(8010)
    await _to_name(anna)
    await anna.send("A")
    assert "от 2 до 100 символов" in anna.text()
    await anna.send("R2-D2")
    assert "от 2 до 100 символов" in anna.text()
    await anna.send("  Анна-Мария   Петрова ")
    assert "Номер телефона" in anna.text()

    for bad in ("12345", "+1 202 555 0100", "8 999 123 45 6", "телефон"):
        await anna.send(bad)
        assert "Не похоже на номер" in anna.text(), bad
    await anna.send("8 (999) 123-45-67")
    assert "Телефон: +79991234567 ✓" in anna.text()
    await anna.send("двадцать")
    assert "от 3 до 18" in anna.text()
    await anna.send("25")
    assert "от 3 до 18" in anna.text()
    await anna.send("10 лет")
    assert "вопрос" in anna.text().lower()
    await anna.press("Пропустить")
    text = anna.text()
    assert "Имя: Анна-Мария Петрова" in text and "10 лет" in text


async def test_a_contact_of_another_person_is_refused(client, consult):
    await _consenting(consult, client.person_id(8011))
    anna = client.user(8011)
    await _to_name(anna)
    await anna.send("Анна")
    other = TgContact(phone_number="+79995554433", first_name="Иван", user_id=424242)
    await anna.send_message(contact=other)
    assert "контакт другого человека" in anna.text()
    cardless = TgContact(phone_number="+79995554433", first_name="Иван")
    await anna.send_message(contact=cardless)
    assert "контакт другого человека" in anna.text()
    await anna.share_contact("+7 999 111-22-33")
    assert "Телефон: +79991112233 ✓" in anna.text()


async def test_too_long_question_stays_on_the_step(client, consult):
    await _consenting(consult, client.person_id(8012))
    anna = client.user(8012)
    await _to_name(anna)
    await anna.send("Анна")
    await anna.send("+79991234567")
    await anna.press("Пропустить")
    await anna.send("а" * 501)
    assert "длиннее 500 символов" in anna.text()
    assert "501" in anna.text()
    await anna.send("а" * 500)
    assert "Проверьте запись" in anna.text()


async def test_non_text_in_a_text_step_and_text_on_a_button_step(client, consult):
    await _consenting(consult, client.person_id(8013))
    anna = client.user(8013)
    await _to_time(anna)
    await anna.send("10:00")
    assert "кнопками" in anna.text()
    await anna.press("09:00")
    await anna.press("🏫 Очно")
    await anna.share_location(56.5, 84.9)
    assert "кнопками" in anna.text()  # the notice waits for a button
    await anna.press(AGREE)
    await anna.share_location(56.5, 84.9)
    assert "ответ текстом" in anna.text()
    await anna.send("🔎 Кружки и центры")  # a menu button still works inside the flow
    assert "Выберите направление" in anna.text()


# --- going back and leaving ------------------------------------------------------------------
async def test_back_from_several_steps(client, consult):
    await _consenting(consult, client.person_id(8020))
    anna = client.user(8020)
    await _to_name(anna, "09:00")
    await anna.press(BACK)  # name → notice
    assert "Кто увидит данные записи" in anna.text()
    await anna.press(BACK)  # notice → format
    assert "🏫 Очно" in anna.visible_labels()
    await anna.press(BACK)  # format → time
    assert "09:45" in anna.visible_labels()
    await anna.press(BACK)  # time → calendar
    assert "Ноябрь 2026" in anna.visible_labels()
    await anna.press("▶️")
    assert "Декабрь 2026" in anna.visible_labels()
    await anna.press("1")  # Tuesday 1 December
    await anna.press("11:30")
    await anna.press("💻 По видеосвязи")
    await anna.press(AGREE)
    await anna.send("Анна")
    await anna.press(BACK)  # phone (a reply keyboard) → name
    assert "Как к вам обращаться" in anna.text()
    assert "👨‍👩‍👧 Консультации" in anna.visible_labels()
    await anna.send("Анна")
    await anna.send("+79991234567")
    await anna.press(BACK)  # age → phone
    assert "📱 Поделиться номером" in anna.visible_labels()
    await anna.send("+79997654321")
    await anna.send("7")
    await anna.press("Пропустить")
    assert "Проверьте запись" in anna.text()
    await anna.press(BACK)  # confirmation → question
    assert "вопрос" in anna.text().lower()
    await anna.send("Как помочь с уроками?")
    text = anna.text()
    assert "вт, 1 декабря, 11:30" in text
    assert "по видеосвязи" in text and "+79997654321" in text and "7 лет" in text
    await anna.press(CONFIRM)
    [row] = await _bookings(consult, client.person_id(8020))
    assert row.format == "video"


async def test_back_through_the_first_steps_to_the_entry_screen(client, consult):
    anna = client.user(8021)
    await _to_time(anna)
    await anna.press(BACK)  # times → calendar
    assert "Ноябрь 2026" in anna.visible_labels()
    await anna.press(BACK)  # calendar → specialist
    assert IVANOVA in anna.visible_labels()
    await anna.press(BACK)  # → organisation
    assert "Любая организация" in anna.visible_labels()
    await anna.press(BACK)  # → topic
    assert TOPIC in anna.visible_labels()
    await anna.press(BACK)  # → the entry screen
    assert BOOK in anna.visible_labels()
    state = await client.dispatcher.fsm.get_context(
        client.bot, client.person_id(8021), client.person_id(8021)
    ).get_state()
    assert state is None


async def test_cancel_midway_leaves_no_booking_and_no_state(client, consult):
    anna = client.user(8022)
    await _to_confirmation(anna)
    assert "Проверьте запись" in anna.text()
    screen = next(
        m for m in reversed(anna.messages) if m.reply_markup and m.reply_markup.inline_keyboard
    )
    confirm = next(
        b for row in screen.reply_markup.inline_keyboard for b in row if b.text == CONFIRM
    )
    await anna.send("/cancel")
    assert "вышли" in anna.text()
    assert CONFIRM not in anna.visible_labels()  # the abandoned screen loses its buttons
    context = client.dispatcher.fsm.get_context(
        client.bot, client.person_id(8022), client.person_id(8022)
    )
    assert await context.get_state() is None
    assert await context.get_data() == {}
    assert await _bookings(consult) == []
    async with consult.sessions() as session:
        assert (await session.get(User, client.person_id(8022))).consent_version is None
    await anna._callback(screen, confirm.callback_data)  # a press already on its way
    assert "устарела" in anna.callback_answer().text


async def test_inline_cancel_on_the_confirmation(client, consult):
    await _consenting(consult, client.person_id(8023))
    anna = client.user(8023)
    await _to_confirmation(anna)
    await anna.press("Отмена")
    assert "вышли" in anna.text()
    assert await _bookings(consult) == []


async def test_refused_notice_stores_nothing(client, consult):
    """Declined before any of the booking's data is asked for, profile consent or not."""
    await _consenting(consult, client.person_id(8024))
    anna = client.user(8024)
    await _to_time(anna)
    await anna.press("09:00")
    await anna.press("🏫 Очно")
    await anna.press("Не сейчас")
    assert "Ничего не сохранено" in anna.text()
    assert "Как к вам обращаться" not in anna.text()
    assert await _bookings(consult) == []
    context = client.dispatcher.fsm.get_context(
        client.bot, client.person_id(8024), client.person_id(8024)
    )
    assert await context.get_state() is None and await context.get_data() == {}


# --- when the service says no ----------------------------------------------------------------
async def test_slot_taken_meanwhile_offers_alternatives(client, consult):
    await _consenting(consult, client.person_id(8030))
    await add_users(consult.sessions, [8031])
    anna = client.user(8030)
    await _to_confirmation(anna, "09:00")
    taken = next(
        slot
        for slot in await consult.booking.free_slots(Choice(1, specialist_id=1), MONDAY)
        if slot.starts_at.astimezone(consult.settings.zone).strftime("%H:%M") == "09:00"
    )
    await consult.booking.book(8031, Choice(1), taken.id, "in_person", OTHER)

    await anna.press(CONFIRM)
    assert "только что заняли" in anna.text()
    alternatives = [label for label in anna.visible_labels() if "ноября" in label]
    assert alternatives and alternatives[0] == "пн, 23 ноября, 09:45 · Иванова М. П."
    assert await _bookings(consult, client.person_id(8030)) == []

    await anna.press(alternatives[0])
    text = anna.text()
    assert "Проверьте запись" in text and "пн, 23 ноября, 09:45" in text
    assert "Имя: Анна Петровна" in text and "+79991234567" in text
    await anna.press(CONFIRM)
    assert "Вы записаны" in anna.text()
    [row] = await _bookings(consult, client.person_id(8030))
    async with consult.sessions() as session:
        slot = await session.get(Slot, row.slot_id)
    assert slot.starts_at.astimezone(consult.settings.zone).strftime("%H:%M") == "09:45"


async def test_limit_of_active_bookings(client, consult):
    await _consenting(consult, client.person_id(8032))
    anna = client.user(8032)
    await _to_confirmation(anna, "09:00")
    free = await consult.booking.free_slots(Choice(1, specialist_id=2), MONDAY)
    for slot in free[:3]:
        await consult.booking.book(client.person_id(8032), Choice(1), slot.id, "in_person", OTHER)
    await anna.press(CONFIRM)
    assert "уже 3 активные записи" in anna.text()
    assert len(await _bookings(consult, client.person_id(8032))) == 3
    await anna.press(MINE)
    assert anna.text().count("Код записи") == 3

    await anna.send(CONSULT)
    await anna.press(BOOK)  # known at once, before the questions
    assert "уже 3 активные записи" in anna.text()


async def test_a_specialist_gone_meanwhile_starts_over(client, consult):
    await _consenting(consult, client.person_id(8033))
    anna = client.user(8033)
    await _to_confirmation(anna)
    async with consult.sessions() as session:
        await session.execute(
            delete(specialist_services).where(specialist_services.c.specialist_id == 1)
        )
        await session.commit()
    await anna.press(CONFIRM)
    assert "Начните запись заново" in anna.text()
    assert BOOK in anna.visible_labels()
    assert await _bookings(consult) == []


# --- my bookings -----------------------------------------------------------------------------
async def _book_directly(app, user_id: int, specialist_id: int = 1, index: int = 0) -> BookingInfo:
    await _consenting(app, user_id)
    slot = (await app.booking.free_slots(Choice(1, specialist_id=specialist_id), MONDAY))[index]
    contact = Contact("Анна", "+79991234567", 9, None, "ru")
    return await app.booking.book(user_id, Choice(1), slot.id, "in_person", contact)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def booked(self, info):
        self.calls.append(("booked", info.code))

    async def cancelled(self, info):
        self.calls.append(("cancelled", info.code, info.cancel_reason))

    async def moved(self, info, old_starts_at):
        self.calls.append(("moved", info.code, old_starts_at))


async def test_my_bookings_cancel_with_a_reason(client, consult):
    events = Recorder()
    client.dispatcher["booking_events"] = events
    made = await _book_directly(consult, client.person_id(8040))
    anna = client.user(8040)
    await anna.send(CONSULT)
    await anna.press(MINE)
    text = anna.text()
    assert "пн, 23 ноября, 09:00" in text and made.code in text
    assert "Иванова Мария Петровна" in text and "ул. Ленина, 10" in text
    await anna.press("❌ Отменить 23.11 09:00")
    assert "Укажите причину" in anna.text()
    await anna.press(BACK)
    assert made.code in anna.text()
    await anna.press("❌ Отменить 23.11 09:00")
    await anna.send("Заболели & лечимся")
    assert "отменена" in anna.text()
    async with consult.sessions() as session:
        row = await session.get(Booking, made.id)
    assert (row.status, row.cancel_reason) == ("cancelled", "Заболели & лечимся")
    assert events.calls == [("cancelled", made.code, "Заболели & лечимся")]
    await anna.send(CONSULT)
    await anna.press(MINE)
    assert "нет предстоящих записей" in anna.text()


async def test_cancel_without_a_reason(client, consult):
    made = await _book_directly(consult, client.person_id(8041))
    anna = client.user(8041)
    await anna.send(CONSULT)
    await anna.press(MINE)
    await anna.press("❌ Отменить 23.11 09:00")
    await anna.press("Без причины")
    assert "отменена" in anna.text()
    async with consult.sessions() as session:
        row = await session.get(Booking, made.id)
    assert (row.status, row.cancel_reason) == ("cancelled", None)


async def test_reschedule_to_another_slot(client, consult):
    events = Recorder()
    client.dispatcher["booking_events"] = events
    made = await _book_directly(consult, client.person_id(8042))
    anna = client.user(8042)
    await anna.send(CONSULT)
    await anna.press(MINE)
    await anna.press("🔁 Перенести 23.11 09:00")
    assert made.code in anna.text()
    assert "Ноябрь 2026" in anna.visible_labels()
    await anna.press("24")
    times = anna.visible_labels()
    # Same school, same format (in person): both Ivanova and Petrov may take it.
    assert "09:00 · Иванова М. П." in times and "09:00 · Петров О. Н." in times
    await anna.press("11:30 · Петров О. Н.")
    text = anna.text()
    assert "Было: пн, 23 ноября, 09:00" in text and "вт, 24 ноября, 11:30" in text
    assert "Петров Олег Николаевич" in text
    await anna.press(BACK)  # confirmation → times
    await anna.press("12:15 · Иванова М. П.")
    await anna.press(CONFIRM)
    assert "Запись перенесена" in anna.text()
    assert "вт, 24 ноября, 12:15" in anna.text()
    [document] = _documents(anna)
    assert document.document.filename == f"konsultaciya-{made.code}.ics"
    assert "DTSTART:20261124T051500Z" in document.document.data.decode()
    moved = await consult.booking.booking(made.id)
    assert moved.starts_at == datetime(2026, 11, 24, 5, 15, tzinfo=UTC)
    assert events.calls == [("moved", made.code, made.starts_at)]
    async with consult.sessions() as session:
        held = (await session.execute(select(func.sum(Slot.booked)))).scalar_one()
    assert held == 1


async def test_reschedule_when_the_new_time_is_taken_meanwhile(client, consult):
    made = await _book_directly(consult, client.person_id(8046))
    await add_users(consult.sessions, [8047])
    anna = client.user(8046)
    await anna.send(CONSULT)
    await anna.press(MINE)
    await anna.press("🔁 Перенести 23.11 09:00")
    await anna.press("24")
    await anna.press("09:00 · Иванова М. П.")
    wanted = (await consult.booking.free_slots(Choice(1, specialist_id=1), MONDAY + timedelta(1)))[
        0
    ]
    await consult.booking.book(8047, Choice(1), wanted.id, "in_person", OTHER)
    await anna.press(CONFIRM)
    assert "только что заняли" in anna.text()
    alternatives = [label for label in anna.visible_labels() if "ноября" in label]
    # Her own 09:00 with Ivanova is not offered; Petrov at the same school is.
    assert alternatives[0] == "пн, 23 ноября, 09:00 · Петров О. Н."
    await anna.press(alternatives[0])
    assert "Станет: пн, 23 ноября, 09:00" in anna.text()
    await anna.press(CONFIRM)
    moved = await consult.booking.booking(made.id)
    assert moved.specialist.id == 2 and moved.starts_at == made.starts_at


async def test_reschedule_back_returns_to_the_list(client, consult):
    await _book_directly(consult, client.person_id(8043))
    anna = client.user(8043)
    await anna.send(CONSULT)
    await anna.press(MINE)
    await anna.press("🔁 Перенести 23.11 09:00")
    await anna.press(BACK)
    assert "Мои записи" in anna.text()
    state = await client.dispatcher.fsm.get_context(
        client.bot, client.person_id(8043), client.person_id(8043)
    ).get_state()
    assert state is None


async def test_someone_elses_booking_cannot_be_touched(client, consult):
    made = await _book_directly(consult, 8044)
    own = await _book_directly(consult, client.person_id(8045), index=2)
    intruder = client.user(8045)
    await intruder.send(CONSULT)
    await intruder.press(MINE)
    own_screen = intruder.messages[-1]
    for label in ("❌ Отменить", "🔁 Перенести"):
        rows = own_screen.reply_markup.inline_keyboard
        [real] = [b for row in rows for b in row if b.text.startswith(label)]
        # a button they never had: their own, with the other booking's id
        forged = real.callback_data.replace(f":{own.id}:", f":{made.id}:")
        assert forged != real.callback_data
        await intruder._callback(own_screen, forged)
        assert "не найдена" in intruder.callback_answer().text
    assert (await consult.booking.booking(made.id)).status == "active"
    assert "Мои записи" in own_screen.text


# --- English and the deep link ---------------------------------------------------------------
async def test_english_screens(client, consult):
    john = client.user(8050, "en")
    await john.send("👨‍👩‍👧 Consultations")
    assert "Free consultations" in john.text()
    await john.press("📝 Book")
    assert "Choose a topic" in john.text()
    await john.press("Psychological and pedagogical help")
    await john.press("Any organisation")
    await john.press("Any free specialist")
    assert "November 2026" in john.visible_labels()
    assert "Mon" in john.visible_labels()
    await john.press("23")
    assert "Mon 23 November" in john.text()
    await john.press("09:00 · Иванова М. П.")
    await john.press("💻 By video call")
    assert "Who will see the booking's data" in john.text() and "365 days" in john.text()
    await john.press("✅ I agree")
    await john.send("John Smith")
    assert "📱 Share my number" in john.visible_labels()
    await john.send("+7 (999) 000-11-22")
    await john.press("Skip")
    await john.send("A short question")
    text = john.text()
    assert "Please check your booking" in text
    assert "Mon 23 November, 09:00" in text and "by video call" in text
    assert "Child’s age: not given" in text
    await john.press("✅ Confirm")
    assert "You are booked" in john.text()
    [row] = await _bookings(consult, client.person_id(8050))
    assert row.locale == "en"


async def test_deep_link_opens_the_consultations(client, consult):
    anna = client.user(8060)
    await anna.send("/start consult")
    assert "Консультации для родителей" in anna.text()
    assert BOOK in anna.visible_labels()


# --- which child the consultation is about ------------------------------------------------
async def test_the_booking_asks_which_child_and_keeps_its_age(client, consult):
    """With children kept in /settings the age step offers them (or «Не о ребёнке»); without
    children it is the age step as before (a number typed, or «Пропустить»)."""
    person = client.person_id(8050)
    await _consenting(consult, person)
    await consult.children.add(person, Given(age=9), name="Маша")
    await consult.children.add(person, Given(grade=7), name="Петя")
    anna = client.user(8050)
    await _to_name(anna)
    await anna.send("Анна Петровна")
    await anna.send("+7 999 123-45-67")
    assert "О каком ребёнке консультация?" in anna.text()
    assert {"Маша, 9 лет", "Петя, 7 класс", "Не о ребёнке"} <= set(anna.visible_labels())
    assert "Пропустить" not in anna.visible_labels()
    await anna.press("Петя, 7 класс")
    await anna.press("Пропустить")  # the question
    assert "Возраст ребёнка: 13 лет" in anna.text()
    await anna.press(CONFIRM)
    [row] = await _bookings(consult, person)
    assert row.child_age == 13  # a 7th-grader is about 13

    await consult.children.remove(person, (await consult.children.list(person))[0].id)
    await _to_name(anna, "09:45")
    await anna.send("Анна Петровна")
    await anna.send("+7 999 123-45-67")
    stale = anna
    await consult.children.remove(person, (await consult.children.list(person))[0].id)
    await stale.press("Петя, 7 класс")  # removed meanwhile
    assert anna.callback_answer().show_alert
    await anna.press("Не о ребёнке")
    await anna.press("Пропустить")
    await anna.press(CONFIRM)
    rows = await _bookings(consult, person)
    assert [row.child_age for row in rows] == [13, None]
