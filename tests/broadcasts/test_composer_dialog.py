"""The composer as a dialog: «◀️ Назад» from every step to the one before it (the draft kept),
a restart mid-dialog and a dialog continued on a second instance (SQL and Redis storage), a
press on a composer message that has ended or moved on (outdated, nothing sent), commands and
menu buttons leaving it, and the schedule step's date window."""

from __future__ import annotations

import pytest
from aiogram.types import Message
from backends import REDIS_URL
from composer_steps import ADMIN, audience, start_composing
from instances import BACKENDS, instances
from sqlalchemy import func, select

from db.models import Broadcast
from harness import TestUser

pytestmark = pytest.mark.both_messengers

OUTDATED = "Эта кнопка устарела. Откройте меню заново."
BACK = "◀️ Назад"


async def _count(app) -> int:
    async with app.sessions() as session:
        return (await session.execute(select(func.count()).select_from(Broadcast))).scalar_one()


def _button(message: Message, label: str) -> str:
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.text == label:
                return button.callback_data
    raise AssertionError(f"no {label!r} on the message")


def _plain(text: str) -> str:
    """A text's first line as Telegram shows it (the tags parsed away)."""
    line = text.splitlines()[0]
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        line = line.replace(tag, "")
    return line


# --- back -----------------------------------------------------------------------------------
async def _to_button_step(admin: TestUser) -> None:
    await start_composing(admin)
    await admin.press("Пропустить")
    assert "добавить кнопку" in admin.text()


async def test_back_from_every_step_goes_to_the_step_before_it(client, app):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await admin.send("/broadcast")
    (first,) = [m for m in admin.messages if m.reply_markup and "Новая рассылка" in m.text]
    assert [b.text for row in first.reply_markup.inline_keyboard for b in row] == ["✖️ Отмена"]
    await admin.send("Первый черновик")
    assert "на английском" in admin.text()
    await admin.press(BACK)  # english → content
    assert "Новая рассылка" in admin.text()
    await admin.send("Черновик")
    await admin.press("Пропустить")
    await admin.press(BACK)  # button → english
    assert "на английском" in admin.text()
    await admin.press("Пропустить")
    await admin.press("🔗 Кнопка-ссылка")
    await admin.press(BACK)  # button text → button
    assert "добавить кнопку" in admin.text()
    await admin.press("🔗 Кнопка-ссылка")
    await admin.send("Записаться")
    await admin.press(BACK)  # button url → button text
    assert "надпись на кнопке" in admin.text()
    await admin.press(BACK)
    await admin.press("📅 Кнопка на мероприятие")
    await admin.press(BACK)  # event → button
    assert "добавить кнопку" in admin.text()
    await admin.press("Без кнопки")
    await admin.press(BACK)  # audience → button
    assert "добавить кнопку" in admin.text()
    await admin.press("Без кнопки")
    await admin.press("🎓 Классы")
    await admin.press(BACK)  # grades → audience
    assert "кому отправить" in admin.text()
    await admin.press("📍 Населённые пункты")
    await admin.press(BACK)  # places → audience
    assert "кому отправить" in admin.text()
    await admin.press("👁 Предпросмотр")
    await admin.press(BACK)  # preview → audience
    assert "кому отправить" in admin.text()
    await admin.press("👁 Предпросмотр")
    await admin.press("🕒 Запланировать")
    await admin.press(BACK)  # schedule → preview
    assert "Получателей: 3" in admin.text()
    await admin.press("🚀 Отправить сейчас")
    (broadcast,) = await _all(app)
    assert broadcast.text == "Черновик"  # the draft went back and forth intact
    assert broadcast.button_text is None and broadcast.text_en is None


async def _all(app) -> list[Broadcast]:
    async with app.sessions() as session:
        return list((await session.execute(select(Broadcast))).scalars())


# --- outdated buttons ------------------------------------------------------------------------
async def test_a_press_on_a_composer_that_ended_is_outdated_and_sends_nothing(
    client, app, logged_errors
):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await _to_button_step(admin)
    await admin.press("Без кнопки")
    audience_screen = admin.messages[-1]
    await admin.press("👁 Предпросмотр")
    confirm = admin.messages[-1]
    await admin.press("🚀 Отправить сейчас")
    assert await _count(app) == 1
    # The same confirmation pressed again (a double tap, or later): nothing is sent twice.
    await admin._callback(confirm, _button(confirm, "🚀 Отправить сейчас"))
    assert admin.callback_answer().text == OUTDATED
    await admin._callback(audience_screen, _button(audience_screen, "👁 Предпросмотр"))
    assert admin.callback_answer().text == OUTDATED
    assert await _count(app) == 1
    assert not logged_errors


async def test_a_press_on_a_composer_replaced_by_a_new_one_is_outdated(client, app, logged_errors):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await _to_button_step(admin)
    first = admin.messages[-1]
    await admin.send("/broadcast")  # a new draft replaces the first one
    await admin._callback(first, _button(first, "Без кнопки"))
    assert admin.callback_answer().text == OUTDATED
    await admin.send("Второй черновик")  # the new composer takes the text
    assert "на английском" in admin.text()
    assert await _count(app) == 0
    assert not logged_errors


async def test_cancelled_composer_buttons_are_outdated(client, app, logged_errors):
    admin = client.user(ADMIN)
    await _to_button_step(admin)
    screen = admin.messages[-1]
    await admin.press("✖️ Отмена")
    assert "Ничего не сохранено" in admin.text()
    await admin._callback(screen, _button(screen, "🔗 Кнопка-ссылка"))
    assert admin.callback_answer().text == OUTDATED
    assert not logged_errors


# --- leaving ---------------------------------------------------------------------------------
async def test_commands_and_menu_buttons_leave_the_composer(client, app):
    t = app.locales.get("ru")
    admin = client.user(ADMIN)
    await admin.send("/start")
    await admin.send("/broadcast")
    await admin.send(t("menu-catalog"))  # a main-menu button at the first step
    assert _plain(t("catalog-intro")) in admin.text()
    await admin.send("Текст после меню")
    assert "на английском" not in admin.text()  # the composer is gone

    await _to_button_step(admin)
    await admin.press("🔗 Кнопка-ссылка")
    await admin.send("Записаться")
    assert "Пришлите ссылку" in admin.text()
    await admin.send("/help")  # a command at the link step
    assert _plain(t("help-text")) in admin.text()
    await admin.send("https://edu.example.org/")
    assert "кому отправить" not in admin.text()
    assert await _count(app) == 0


async def test_another_features_button_pressed_while_composing_is_that_features(client, app):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    menu = admin.messages[-1]
    await admin.send("/broadcast")
    await admin._callback(menu, _button(menu, "🗂 Услуги"))
    assert "Новая рассылка" not in admin.text()  # not the composer drawn over the menu
    await admin.send("Текст объявления")  # the composer is still open
    assert "на английском" in admin.text()


async def test_a_sticker_or_text_on_a_press_only_step_gets_a_hint(client, app):
    admin = client.user(ADMIN)
    await _to_button_step(admin)
    await admin.send("Просто текст")
    assert admin.text() == app.locales.get("ru")("cmp-use-buttons")
    await admin.press("Без кнопки")  # the step's buttons still work
    assert "кому отправить" in admin.text()


@pytest.mark.parametrize(
    "typed", ["01.01.0001 00:00", "31.12.9999 23:59", "01.01.1999 10:00", "01.01.2101 10:00"]
)
async def test_a_broadcast_time_outside_the_window_is_refused(client, app, typed):
    t = app.locales.get("ru")
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await _to_button_step(admin)
    await admin.press("Без кнопки")
    await admin.press("👁 Предпросмотр")
    await admin.press("🕒 Запланировать")
    await admin.send(typed)
    assert admin.text() == t("eadm-error-date-window"), typed
    await admin.press(BACK)  # still on the schedule step
    assert "Получателей: 3" in admin.text()
    assert await _count(app) == 0


# --- restarts and instances ------------------------------------------------------------------
def _backend(backend: str) -> None:
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_composer_survives_a_restart_mid_dialog(settings, backend):
    _backend(backend)
    async with instances(settings, backend) as kit:
        first = await kit.start()
        await audience(first.app)
        admin = first.user(ADMIN)
        await _to_button_step(admin)
        await admin.press("🔗 Кнопка-ссылка")
        await admin.send("Записаться")
        await kit.stop(first)  # a restart while the composer waits for the link

        second = await kit.start()
        admin = kit.move(admin, second)
        await admin.send("https://edu.example.org/festival")
        assert "Получателей сейчас: 3" in admin.text()
        await admin.press("⬜ родители")
        assert "Получателей сейчас: 2" in admin.text()
        await kit.stop(second)  # and again, on the audience step

        third = await kit.start()
        admin = kit.move(admin, third)
        await admin.press("👁 Предпросмотр")
        assert "Получателей: 2" in admin.text()
        await admin.press("🚀 Отправить сейчас")
        (broadcast,) = await _all(third.app)
        assert broadcast.button_url == "https://edu.example.org/festival"
        assert broadcast.button_text == "Записаться"
        assert '"roles": ["parent"]' in broadcast.audience
        assert kit.rejections() == []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_composer_opened_on_one_instance_continues_on_another(settings, backend):
    """Two instances running side by side; the person's updates go to the second one from the
    middle of the dialog on (with SQL storage, one process serves a database at a time:
    db/fsm_storage.py; with Redis, any instance takes any update: the next test)."""
    _backend(backend)
    async with instances(settings, backend) as kit:
        one, two = await kit.start(), await kit.start()
        await audience(one.app)
        admin = one.user(ADMIN)
        await start_composing(admin)
        admin = kit.move(admin, two)
        await admin.send("Profession festival")  # the English text, typed to the other one
        assert "добавить кнопку" in admin.text()
        await admin.press("Без кнопки")
        await admin.press("⬜ English")
        assert "Получателей сейчас: 1" in admin.text()
        await admin.press("👁 Предпросмотр")
        await admin.press("🕒 Запланировать")
        await admin.send("25.12.2030 10:00")
        assert "запланирована на" in admin.text()
        (broadcast,) = await _all(one.app)
        assert broadcast.status == "scheduled" and broadcast.text_en == "Profession festival"
        assert '"languages": ["en"]' in broadcast.audience
        assert kit.rejections() == []


@pytest.mark.parametrize("backend", ["redis"])
async def test_the_composer_goes_back_and_forth_between_instances(settings, backend):
    _backend(backend)
    async with instances(settings, backend) as kit:
        one, two = await kit.start(), await kit.start()
        await audience(one.app)
        admin = one.user(ADMIN)
        await start_composing(admin)
        admin = kit.move(admin, two)
        await admin.press("Пропустить")
        admin = kit.move(admin, one)
        await admin.press("Без кнопки")
        admin = kit.move(admin, two)
        await admin.press("⬜ English")
        assert "Получателей сейчас: 1" in admin.text()
        admin = kit.move(admin, one)
        await admin.press("👁 Предпросмотр")
        admin = kit.move(admin, two)
        await admin.press("🕒 Запланировать")
        admin = kit.move(admin, one)
        await admin.send("25.12.2030 10:00")
        assert "запланирована на" in admin.text()
        (broadcast,) = await _all(one.app)
        assert '"languages": ["en"]' in broadcast.audience
        # Its progress message's buttons work on either instance.
        admin = kit.move(admin, two)
        await admin.press("⛔ Отменить")
        admin = kit.move(admin, one)
        await admin.press("⛔ Да, отменить рассылку")
        assert (await one.app.broadcasts.get(broadcast.id)).status == "cancelled"
        assert kit.rejections() == []
