"""/reports as a dialog: Back from every window, a press on a window that has moved on or
ended, commands out of the typed period, and an export chosen before a restart and sent by
another instance (SQL and Redis storage)."""

from __future__ import annotations

import pytest
from aiogram.methods import SendDocument, SendPhoto
from backends import REDIS_URL
from instances import BACKENDS, instances

from handlers.booking.reports_dialog import sending

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
OUTDATED = "Эта кнопка устарела. Откройте меню заново."


@pytest.fixture
def no_chart(monkeypatch):
    """The chart's worker process is slow to start: here it fails at once (the report says so
    and goes on; tests/staff/test_staff_reports.py draws real charts)."""

    async def refuse(*args, **kwargs):
        raise RuntimeError("no chart in this test")

    monkeypatch.setattr(sending, "run_isolated", refuse)


def data_of(user, label: str) -> str:
    found = user._inline_button(label)
    assert found is not None, (label, user.visible_labels())
    return found[1].callback_data


async def test_back_from_every_window_of_reports(client, app, no_chart, logged_errors):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    menu = admin.text()
    await admin.press("📤 Выгрузка записей")
    periods = admin.text()
    assert "За какой период?" in periods
    await admin.press("◀️ Назад")
    assert admin.text() == menu
    await admin.press("📤 Выгрузка записей")
    await admin.press("✍️ Другой период")
    assert "Напишите период" in admin.text()
    await admin.press("◀️ Назад")
    assert admin.text() == periods
    await admin.press("Этот год")
    assert "В каком формате" in admin.text()
    await admin.press("◀️ Назад")
    assert admin.text() == periods
    await admin.press("◀️ Назад")

    await admin.press("📊 План на год")
    assert "Диаграмму построить не удалось" in admin.text()
    logged_errors.clear()  # the refused chart, logged on purpose
    year = next(x for x in admin.visible_labels() if x.startswith("◀️ 20"))
    await admin.press(year)
    assert f"План за {year[3:]} год" in admin.text()
    await admin.press("◀️ Назад")
    logged_errors.clear()
    assert "Отчёты по консультациям" in admin.text()


async def test_a_press_on_a_window_that_moved_on_or_ended_is_outdated(client, app):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    export = data_of(admin, "📤 Выгрузка записей")
    await admin.send("/reports")  # a new dialog replaces the first
    await admin._callback(admin.messages[-2], export)
    assert admin.callback_answer().text == OUTDATED
    await admin.press("📤 Выгрузка записей")
    month = data_of(admin, "Этот месяц")
    await admin.send("/cancel")  # the dialog ends
    await admin._callback(admin.messages[-3], month)
    assert admin.callback_answer().text == OUTDATED
    assert not [o for o in admin.last if isinstance(o.method, SendDocument)]


async def test_commands_and_the_menu_leave_the_typed_period(client, app):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📤 Выгрузка записей")
    await admin.press("✍️ Другой период")
    await admin.send("/consult_admin")  # a command of a router after /reports' own
    assert "Консультации: настройка" in admin.text()
    await admin.send("01.10.2026–31.12.2026")  # no period step any more
    assert "В каком формате" not in admin.text()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_export_survives_a_restart_and_is_sent_by_another_instance(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        admin = first.user(ADMIN)
        await admin.send("/reports")
        await admin.press("📤 Выгрузка записей")
        await admin.press("✍️ Другой период")
        await kit.stop(first)  # a restart mid-dialog

        second = await kit.start()
        third = await kit.start()
        admin = kit.move(admin, second)
        await admin.send("01.01.2020–31.12.2020")
        assert "01.01.2020–31.12.2020" in admin.text()
        admin = kit.move(admin, third)
        await admin.press("CSV")
        assert admin.callback_answer().text == "Готовлю файл…"
        assert "За период 01.01.2020–31.12.2020 записей нет" in admin.text()
        await admin.press("◀️ Назад")
        assert "За какой период?" in admin.text()
        assert not [o for o in admin.last if isinstance(o.method, SendPhoto)]
        assert kit.rejections() == []
