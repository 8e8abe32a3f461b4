"""The consultation dialogs as dialogs: Back from every step, a restart mid-dialog and a
dialog continued on another instance (SQL and Redis storage), outdated buttons, and the
calendar's greyed days (before today, and full) refused with a toast, changing nothing."""

from __future__ import annotations

from datetime import date

import pytest
from aiogram.methods import AnswerCallbackQuery
from aiogram_dialog.widgets.kbd.calendar_kbd import raw_from_date
from backends import REDIS_URL
from consult_data import add_users, seed
from instances import BACKENDS, instances
from test_booking_flow import (
    AGREE,
    BACK,
    BOOK,
    CONFIRM,
    CONSULT,
    IVANOVA,
    MINE,
    MONDAY,
    NOW,
    SCHOOL,
    TOPIC,
    _book_directly,
    _clear_consultations,
)

from services.booking.service import Choice, Contact

pytestmark = pytest.mark.both_messengers

OTHER = Contact("Ольга", "+79990000000", None, None, "ru")

# Each step: how to reach it from the one before, and words of its screen.
STEPS = [
    ("topic", lambda u: u.press(BOOK), "Выберите тему"),
    ("organisation", lambda u: u.press(TOPIC), "В какой организации"),
    ("specialist", lambda u: u.press(SCHOOL), "К какому специалисту"),
    ("day", lambda u: u.press(IVANOVA), "Выберите день"),
    ("time", lambda u: u.press("23"), "выберите время"),
    ("format", lambda u: u.press("09:00"), "Как удобнее провести"),
    ("notice", lambda u: u.press("🏫 Очно"), "Кто увидит данные записи"),
    ("name", lambda u: u.press(AGREE), "Как к вам обращаться"),
    ("phone", lambda u: u.send("Анна"), "Номер телефона для связи"),
    ("age", lambda u: u.send("+79991234567"), "Сколько лет ребёнку"),
    ("question", lambda u: u.send("9"), "Коротко опишите вопрос"),
    ("confirm", lambda u: u.press("Пропустить"), "Проверьте запись"),
]


@pytest.fixture
async def consult(app):
    await _clear_consultations(app)
    app.booking.now = lambda: NOW
    await seed(app.sessions, app.settings.zone, MONDAY)
    return app


def _calendar_data(user, day: date) -> str:
    """The callback data of `day` on the calendar shown (pressable or not)."""
    for message in reversed(user.messages):
        for row in message.reply_markup.inline_keyboard if message.reply_markup else []:
            for button in row:
                data = button.callback_data or ""
                if "calendar:" in data:
                    return data.split("calendar:")[0] + f"calendar:{raw_from_date(day)}"
    raise AssertionError("no calendar shown")


def _only_answered(user) -> str:
    """The press changed no message: it was answered, nothing else; the answer's text."""
    assert [type(out.method) for out in user.last] == [AnswerCallbackQuery]
    return user.last[0].method.text


# --- back -------------------------------------------------------------------------------------
async def test_back_from_every_step_of_booking(client, consult):
    anna = client.user(8101)
    await anna.send(CONSULT)
    for number, (step, advance, words) in enumerate(STEPS):
        await advance(anna)
        assert words in anna.text(), step
        await anna.press(BACK)
        before = STEPS[number - 1][2] if number else "Консультации для родителей"
        assert before in anna.text(), step
        if step == "phone":  # a reply keyboard: the main menu comes back with the step before
            assert "👨‍👩‍👧 Консультации" in anna.visible_labels()
        await advance(anna)
        assert words in anna.text(), step
    await anna.press(CONFIRM)
    assert "Вы записаны" in anna.text()


async def test_back_from_every_step_of_moving_and_cancelling(client, consult):
    made = await _book_directly(consult, client.person_id(8102))
    anna = client.user(8102)
    await anna.send(CONSULT)
    await anna.press(MINE)
    await anna.press("🔁 Перенести 23.11 09:00")
    await anna.press("24")
    await anna.press("09:00 · Иванова М. П.")
    assert "Станет: вт, 24 ноября, 09:00" in anna.text()
    await anna.press(BACK)  # confirm → time
    assert "09:00 · Петров О. Н." in anna.visible_labels()
    await anna.press(BACK)  # time → calendar
    assert "Перенос записи" in anna.text() and "24" in anna.visible_labels()
    await anna.press(BACK)  # calendar → my bookings
    assert "Мои записи" in anna.text() and made.code in anna.text()
    await anna.press("❌ Отменить 23.11 09:00")
    assert "Укажите причину" in anna.text()
    await anna.press(BACK)  # reason → my bookings
    assert made.code in anna.text()
    assert (await consult.booking.booking(made.id)).status == "active"


# --- restart and instances ----------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
async def test_booking_survives_a_restart_and_moves_between_instances(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        app = kit.running[0][0]
        await _clear_consultations(app)
        await seed(app.sessions, app.settings.zone, MONDAY)
        app.booking.now = lambda: NOW
        anna = first.user(8110)
        await anna.send(CONSULT)
        for _step, advance, _words in STEPS[:5]:  # up to the times of Monday
            await advance(anna)
        await kit.stop(first)  # a restart mid-dialog

        second, third = await kit.start(), await kit.start()
        for running, _client in kit.running:
            running.booking.now = lambda: NOW
        anna = kit.move(anna, second)
        await anna.press("09:00")
        assert "Как удобнее провести" in anna.text()
        anna = kit.move(anna, third)  # the same person, on an instance beside it
        await anna.press("🏫 Очно")
        await anna.press(AGREE)
        if backend == "redis":  # instances take turns; the SQL storage is one process's
            anna = kit.move(anna, second)
        await anna.send("Анна")
        await anna.send("+79991234567")
        anna = kit.move(anna, third)
        await anna.press("Пропустить")
        await anna.press("Пропустить")
        assert "Проверьте запись" in anna.text() and "пн, 23 ноября, 09:00" in anna.text()
        await anna.press(CONFIRM)
        assert "Вы записаны" in anna.text()
        assert kit.rejections() == []


# --- outdated buttons -------------------------------------------------------------------------
async def test_buttons_of_a_dialog_that_moved_on_or_ended_are_outdated(
    client, consult, logged_errors
):
    anna = client.user(8120)
    await anna.send(CONSULT)
    await anna.press(BOOK)
    topics = anna.messages[-1]
    topic_data = topics.reply_markup.inline_keyboard[0][0].callback_data
    await anna.send(CONSULT)  # a new section replaces the booking begun
    await anna._callback(topics, topic_data)
    assert "устарела" in anna.callback_answer().text

    await anna.press(BOOK)
    for _step, advance, _words in STEPS[1:]:
        await advance(anna)
    confirmation = anna.messages[-1]
    confirm_data = confirmation.reply_markup.inline_keyboard[0][0].callback_data
    await anna.press(CONFIRM)
    assert "Вы записаны" in anna.text()
    await anna._callback(confirmation, confirm_data)  # the ended dialog's button, again
    assert "устарела" in anna.callback_answer().text
    assert len(await consult.booking.user_bookings(client.person_id(8120))) == 1
    assert not logged_errors


# --- the calendar -----------------------------------------------------------------------------
async def _to_calendar(user) -> None:
    await user.send(CONSULT)
    for _step, advance, _words in STEPS[:4]:
        await advance(user)


async def test_days_before_today_are_greyed_and_refused(client, consult):
    anna = client.user(8130)
    await _to_calendar(anna)
    labels = anna.visible_labels()
    assert "Ноябрь 2026" in labels and "пн" in labels and "вс" in labels
    assert not {"16", "20", "21", "22"} & set(labels)  # before today, and today with no time
    for day in (date(2026, 11, 21), date(2026, 11, 2), date(2025, 11, 24)):
        calendar = anna.messages[-1]
        await anna._callback(calendar, _calendar_data(anna, day))
        assert "записи нет" in _only_answered(anna), day
    await anna.press("·")  # a real greyed cell
    assert "записи нет" in _only_answered(anna)
    await anna.press("23")  # nothing changed: the calendar still works
    assert "пн, 23 ноября" in anna.text()


async def test_a_full_day_is_greyed_and_refused(client, consult):
    free = await consult.booking.free_slots(Choice(1, specialist_id=1), MONDAY)
    others = list(range(8140, 8140 + len(free)))
    await add_users(consult.sessions, others)
    for user_id, slot in zip(others, free, strict=True):
        await consult.booking.book(user_id, Choice(1), slot.id, "in_person", OTHER)
    anna = client.user(8139)
    await _to_calendar(anna)
    labels = anna.visible_labels()
    assert "23" not in labels and "24" in labels  # Ivanova's Monday is full
    await anna._callback(anna.messages[-1], _calendar_data(anna, MONDAY))
    assert "не осталось" in _only_answered(anna)
    await anna.press("24")
    assert "вт, 24 ноября" in anna.text()


async def test_months_beyond_the_horizon_are_refused(client, consult):
    anna = client.user(8150)
    await _to_calendar(anna)
    calendar = anna.messages[-1]
    turn = _calendar_data(anna, MONDAY).rsplit(":", 1)[0]
    await anna._callback(calendar, f"{turn}:-")  # October: before today
    assert "записи нет" in _only_answered(anna)
    await anna.press("▶️")
    assert "Декабрь 2026" in anna.visible_labels() and "◀️" in anna.visible_labels()
    assert "▶️" not in anna.visible_labels()  # 28 days ahead end in December
    await anna._callback(anna.messages[-1], f"{turn}:+")
    assert "записи нет" in _only_answered(anna)
    await anna._callback(anna.messages[-1], f"{turn}:M")  # aiogram-dialog's zoom: not here
    assert "записи нет" in _only_answered(anna)


async def test_forged_item_ids_are_refused_and_change_nothing(client, consult):
    anna = client.user(8160)
    await anna.send(CONSULT)
    await anna.press(BOOK)
    topics = anna.messages[-1]
    real = next(
        button.callback_data
        for row in topics.reply_markup.inline_keyboard
        for button in row
        if button.text == TOPIC
    )
    prefix = real.rsplit(":", 1)[0]
    for forged in ("99", "0", "-1", "1e3", "x" * 20, str(2**70)):
        await anna._callback(topics, f"{prefix}:{forged}")
        assert "больше недоступен" in _only_answered(anna), forged
    await anna.press(TOPIC)  # the dialog goes on as before
    assert "В какой организации" in anna.text()
