"""The consultation set-up's dialogs as dialogs: Back from every window, a press on a window
that has moved on or ended, a restart in the middle of closing days and the closing finished
on another instance (SQL and Redis storage), and someone taken off staff mid-dialog."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from backends import REDIS_URL
from consult_data import seed
from instances import BACKENDS, instances
from sqlalchemy import func, select

from db.models import ScheduleException, Specialist

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
MONDAY = date(2026, 11, 23)
FAR = "01.06.2100"  # a day ahead whatever today is, within the bot's date window
OUTDATED = "Эта кнопка устарела. Откройте меню заново."


@pytest.fixture
async def seeded(app):
    await seed(app.sessions, app.settings.zone, MONDAY)


def data_of(user, label: str) -> str:
    found = user._inline_button(label)
    assert found is not None, (label, user.visible_labels())
    return found[1].callback_data


async def closings(app) -> int:
    async with app.sessions() as session:
        count = select(func.count()).select_from(ScheduleException)
        return (await session.execute(count)).scalar_one()


async def test_back_from_every_window_of_the_set_up(client, app, seeded):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    menu = admin.text()
    assert "Консультации: настройка" in menu
    for section, row in (
        ("🗂 Услуги", "1. Психолого-педагогическая помощь"),
        ("👩‍🏫 Специалисты", "1. Иванова Мария Петровна"),
        ("🏢 Организации", "1. МБОУ «СОШ № 5»"),
    ):
        await admin.press(section)
        listed = admin.text()
        await admin.press(row)
        assert "ИД:" in admin.text()
        await admin.press("◀️ Назад")  # card → its list
        assert admin.text() == listed
        await admin.press("⬅️ Меню настройки")  # list → menu
        assert admin.text() == menu

    # An organisation's card → whose days → back to the card.
    await admin.press("🏢 Организации")
    await admin.press("1. МБОУ «СОШ № 5»")
    card = admin.text()
    await admin.press("🚫 Закрыть дни")
    assert "закрыть дни всей организации или одного специалиста" in admin.text()
    await admin.press("◀️ Назад")
    assert admin.text() == card

    # The menu's «Закрыть дни»: organisations → one → its staff → closing, and back each step.
    await admin.press("◀️ Назад")
    await admin.press("⬅️ Меню настройки")
    await admin.press("🚫 Закрыть дни")
    organisations = admin.text()
    await admin.press("МБОУ «СОШ № 5»")
    whose = admin.text()
    await admin.press("◀️ Назад")
    assert admin.text() == organisations
    await admin.press("МБОУ «СОШ № 5»")
    await admin.press("Иванова Мария Петровна")
    assert "Какие дни закрыть" in admin.text()
    await admin.press("◀️ Назад")  # the days → where the closing started
    assert admin.text() == whose
    await admin.press("Иванова Мария Петровна")
    await admin.send(FAR)
    assert "Причина" in admin.text()
    await admin.press("◀️ Назад")  # the reason → the days
    assert "Какие дни закрыть" in admin.text()
    await admin.send(FAR)
    await admin.press("Без причины")
    assert "Закрыть запись?" in admin.text()
    await admin.press("◀️ Назад")  # the confirmation → the reason
    assert "Причина" in admin.text()
    await admin.send("отпуск")
    assert "Причина: отпуск" in admin.text()
    await admin.press("✖️ Отмена")
    assert admin.text() == whose
    assert await closings(app) == 0

    # The closed days → the menu.
    await admin.press("◀️ Назад")
    await admin.press("⬅️ Меню настройки")
    await admin.press("📅 Закрытые дни")
    assert "Закрытых дней впереди нет." in admin.text()
    await admin.press("⬅️ Меню настройки")
    assert admin.text() == menu


async def test_a_press_on_a_window_that_moved_on_or_ended_is_outdated(
    client, app, seeded, logged_errors
):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    services = data_of(admin, "🗂 Услуги")
    await admin.send("/consult_admin")  # a new set-up dialog replaces the first
    await admin._callback(admin.messages[-2], services)
    assert admin.callback_answer().text == OUTDATED

    await admin.press("👩‍🏫 Специалисты")
    await admin.press("1. Иванова Мария Петровна")
    await admin.press("🚫 Закрыть дни")
    cancel = data_of(admin, "✖️ Отмена")
    await admin.press("◀️ Назад")  # the closing ended: its buttons are outdated
    await admin._callback(admin.messages[-1], cancel)
    assert admin.callback_answer().text == OUTDATED

    await admin.send("/consult_admin")
    await admin.press("📅 Закрытые дни")
    back = data_of(admin, "⬅️ Меню настройки")
    await admin.press("⬅️ Меню настройки")
    await admin._callback(admin.messages[-1], back)
    assert admin.callback_answer().text == OUTDATED
    assert await closings(app) == 0
    assert not logged_errors


async def test_someone_taken_off_staff_mid_closing_closes_nothing(client, app, seeded):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("👩‍🏫 Специалисты")
    await admin.press("1. Иванова Мария Петровна")
    await admin.press("🚫 Закрыть дни")
    await admin.send(FAR)
    await admin.press("Без причины")
    confirm = data_of(admin, "✅ Закрыть")
    cancel = data_of(admin, "✖️ Отмена")
    app.settings.admin_ids.remove(client.person_id(ADMIN))
    for data in (confirm, cancel):
        await admin._callback(admin.messages[-1], data)
        assert admin.callback_answer().text == OUTDATED  # the staff-only dialog is not theirs
    assert await closings(app) == 0
    async with app.sessions() as session:
        assert (await session.get(Specialist, 1)).active


@pytest.mark.parametrize("backend", BACKENDS)
async def test_closing_days_survives_a_restart_and_ends_on_another_instance(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        app = kit.running[0][0]
        await seed(app.sessions, app.settings.zone, MONDAY)
        admin = first.user(ADMIN)
        await admin.send("/consult_admin")
        await admin.press("🚫 Закрыть дни")
        await admin.press("МБОУ «СОШ № 5»")
        await admin.press("Иванова Мария Петровна")
        await admin.send(FAR)
        assert "Причина" in admin.text()
        await kit.stop(first)  # a restart mid-dialog

        second = await kit.start()
        third = await kit.start()  # another instance beside it
        admin = kit.move(admin, second)
        await admin.send("отпуск <до лета>")
        assert "Причина: отпуск <до лета>" in admin.text()
        admin = kit.move(admin, third)
        await admin.press("◀️ Назад")  # Back works on the other instance too
        await admin.send("отпуск")
        await admin.press("✅ Закрыть")
        assert "✅ Запись для специалиста «Иванова Мария Петровна» закрыта" in admin.text()
        assert "Иванова Мария Петровна" in admin.text()  # the screen it started from, under it
        assert await closings(kit.running[0][0]) == 1
        assert kit.rejections() == []


async def test_days_picked_on_the_calendar(client, app, seeded):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("👩‍🏫 Специалисты")
    await admin.press("1. Иванова Мария Петровна")
    await admin.press("🚫 Закрыть дни")
    assert "Или выберите в календаре" in admin.text()
    labels = admin.visible_labels()
    assert "пн" in labels and "вс" in labels  # the weekdays in the person's language
    today = app.consult_admin.today()
    await admin.press("▶️")  # the next month: every day of it can be chosen
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    await admin.press("12")
    assert "Первый день: " in admin.text()
    await admin.press("10")  # earlier than the first: the two make the period in order
    text = admin.text()
    assert f"с {_day(following.replace(day=10))} по {_day(following.replace(day=12))}" in text
    await admin.press("◀️ Назад")  # the calendar still shows that month
    await admin.press("5")
    await admin.press("5")  # the same day again: that day alone
    assert f"Дни: {_day(following.replace(day=5))}." in admin.text()
    await admin.press("Без причины")
    await admin.press("✅ Закрыть")
    assert await closings(app) == 1


def _day(day: date) -> str:
    weekdays = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
    months = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")  # fmt: skip
    return f"{weekdays[day.weekday()]}, {day.day} {months[day.month - 1]}"


async def test_commands_and_the_main_menu_leave_the_typed_days(client, app, seeded):
    t = app.locales.get("ru")
    admin = client.user(ADMIN)
    await admin.send("/start")
    for leaving, shown in (("/reports", "Отчёты по консультациям"), (t("menu-consult"), None)):
        await admin.send("/consult_admin")
        await admin.press("🚫 Закрыть дни")
        await admin.press("МБОУ «СОШ № 5»")
        await admin.press("Иванова Мария Петровна")
        await admin.send(leaving)
        if shown:
            assert shown in admin.texts()[-1]
        assert "Какие дни закрыть" not in admin.texts()[-1]
        assert "Иванова Мария Петровна" not in admin.visible_labels()  # its buttons are gone
        await admin.send(FAR)  # not taken as days any more
        assert "Причина" not in admin.text(), leaving
    assert await closings(app) == 0
