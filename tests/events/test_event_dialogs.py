"""The events' dialogs (handlers/events/listing, handlers/events/editor): back from every step
of the editor, a restart mid-dialog and a dialog continued on another instance (SQL storage
and Redis), presses on dialogs that ended or moved on, and forged list items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from backends import REDIS_URL
from instances import BACKENDS, instances
from sqlalchemy import delete, select

from db.models import Event
from harness import BotClient
from services.events.service import EventService, NewEvent

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
OUTDATED = "Эта кнопка устарела. Откройте меню заново."
BACK, CANCEL = "◀️ Назад", "✖️ Отмена"


async def _only(app, *titles: str) -> list[int]:
    async with app.sessions() as session:
        await session.execute(delete(Event))
        await session.commit()
    service = EventService(app.sessions, app.write_sessions)
    soon = datetime.now(UTC) + timedelta(days=3)
    return [
        await service.create(NewEvent(title=title, starts_at=soon + timedelta(hours=n)))
        for n, title in enumerate(titles)
    ]


def _future(app) -> str:
    return (
        (datetime.now(UTC) + timedelta(days=10))
        .astimezone(app.settings.zone)
        .strftime("%d.%m.%Y 15:00")
    )


async def _to_preview(admin, app) -> None:
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send("Профпробы")
    await admin.send("Два часа в роли инженера")
    await admin.send(_future(app))
    await admin.send("Кванториум")
    await admin.press("Без регистрации")
    await admin.press("Далее ▶️")
    assert "Проверьте мероприятие" in admin.text()


def _stale(user, label: str):  # type: ignore[no-untyped-def]
    """The newest message with a button `label`, and that button's callback data."""
    for message in reversed(user.messages):
        for row in message.reply_markup.inline_keyboard if message.reply_markup else []:
            for button in row:
                if button.text == label:
                    return message, button.callback_data
    raise AssertionError(f"no {label!r}")


# --- back from every step ----------------------------------------------------------------------
async def test_back_from_every_step_of_the_new_event(client, app):
    await _only(app)
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    assert "Шаг 1 из 6" in admin.text()
    await admin.press(BACK)  # from the first step: the list
    assert "Предстоящих мероприятий нет" in admin.text()

    await admin.press("➕ Новое мероприятие")
    steps = [
        ("Профпробы", "Шаг 2 из 6"),
        ("Описание", "Шаг 3 из 6"),
        (_future(app), "Шаг 4 из 6"),
        ("Кванториум", "Шаг 5 из 6"),
        ("https://bvbinfo.ru/", "Шаг 6 из 6"),
    ]
    for typed, shown in steps:
        await admin.send(typed)
        assert shown in admin.text(), typed
    for _typed, shown in reversed(steps[:-1]):
        await admin.press(BACK)
        assert shown in admin.text()
    await admin.press(BACK)
    assert "Шаг 1 из 6" in admin.text()

    for typed, _shown in steps:
        await admin.send(typed)
    for button, asked in (
        ("🎓 Классы", "Для каких классов"),
        ("📍 Населённые пункты", "Для каких населённых пунктов"),
        ("Далее ▶️", "Проверьте мероприятие"),
    ):
        await admin.press(button)
        assert asked in admin.text(), button
        await admin.press(BACK)
        assert "Шаг 6 из 6" in admin.text(), button
    await admin.press(BACK)
    assert "Шаг 5 из 6" in admin.text()


async def test_an_answer_changed_from_the_preview_returns_to_it(client, app):
    await _only(app)
    admin = client.user(ADMIN)
    await _to_preview(admin, app)
    await admin.press("✏️ Название")
    assert "Шаг 1 из 6" in admin.text()
    await admin.press(BACK)  # back to the preview, not out of the draft
    assert "Проверьте мероприятие" in admin.text() and "Профпробы" in admin.text()
    await admin.press("✏️ Место")
    await admin.send("Точка роста, школа № 5")
    assert "Проверьте мероприятие" in admin.text() and "Точка роста, школа № 5" in admin.text()
    await admin.press("✅ Опубликовать")
    async with app.sessions() as session:
        row = (await session.execute(select(Event))).scalar_one()
    assert (row.title, row.place, row.registration_url) == (
        "Профпробы",
        "Точка роста, школа № 5",
        "",
    )


async def test_cancel_drops_the_draft_and_returns_to_the_list(client, app):
    await _only(app, "Урок «ПроеКТОрии»")
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send("Черновик")
    await admin.press(CANCEL)
    assert "Ничего не сохранено" in admin.callback_answer().text
    assert "Урок «ПроеКТОрии»" in admin.text()
    await admin.press("➕ Новое мероприятие")
    assert "Шаг 1 из 6" in admin.text()  # a fresh draft
    async with app.sessions() as session:
        assert len((await session.execute(select(Event))).all()) == 1


async def test_a_photo_or_a_sticker_inside_the_draft_asks_for_an_answer(client, app):
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send_message(sticker=None, location={"latitude": 56.5, "longitude": 85.0})
    assert "Ответьте на вопрос выше" in admin.text()
    await admin.send("Профпробы")
    assert "Шаг 2 из 6" in admin.text()


async def test_a_menu_button_leaves_the_draft(client, app):
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send("🔎 Кружки и центры")  # the catalogue's menu button, not a title
    assert "Шаг 2 из 6" not in admin.text()
    await admin.send("Профпробы")  # no longer a title
    assert "Шаг 2 из 6" not in admin.text()


async def test_a_command_leaves_the_draft(client, app):
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send("/help")
    assert "Шаг" not in admin.text()
    await admin.send("Профпробы")  # no longer a title
    assert "Шаг 2 из 6" not in admin.text()


@pytest.mark.parametrize(
    "typed", ["01.01.0001 00:00", "31.12.9999 23:59", "01.01.1999 10:00", "01.01.2101 10:00"]
)
async def test_a_start_outside_the_window_is_refused(client, app, typed):
    t = app.locales.get("ru")
    await _only(app)
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send("Черновик")
    await admin.press("Пропустить")
    await admin.send(typed)
    assert admin.text() == t("eadm-error-date-window"), typed
    await admin.send(_future(app))
    assert "Шаг 4 из 6" in admin.text()  # the step stayed
    async with app.sessions() as session:
        assert (await session.execute(select(Event))).first() is None


async def test_someone_removed_from_staff_mid_draft_is_told_it_ended(client, app):
    t = app.locales.get("ru")
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    app.settings.admin_ids.remove(client.person_id(ADMIN))
    await admin.send("Черновик")
    assert admin.text() == t("staff-dialog-ended")


# --- the lists: paging, forged items, labels -----------------------------------------------------
async def test_staff_list_pages_and_opens_cards(client, app):
    await _only(app, *(f"Урок №{n} & практикум" for n in range(8)))
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    assert "№5" in admin.text() and "№6" not in admin.text()
    assert "1. Урок №0 & практикум" in admin.visible_labels()  # a button's text is not HTML
    assert "1 из 2" not in admin.visible_labels()
    await admin.press("▶️")
    assert admin.edits() and "8. " in admin.text() and "№7 & практикум" in admin.text()
    await admin.press("8. Урок №7 & практикум")
    assert "Статус: на афише" in admin.text()
    await admin.press("◀️ К списку")
    assert "№7" in admin.text()  # the page is kept
    await admin.press("◀️")
    assert "№0" in admin.text()


async def test_forged_or_vanished_items_are_answered_not_failed(client, app, logged_errors):
    (event_id,) = await _only(app, "Урок")
    for user_id, command in ((7201, "📅 События"), (ADMIN, "/events_admin")):
        person = client.user(user_id)
        await person.send(command)
        message, data = _stale(person, "1. Урок")
        prefix = data[: -len(str(event_id))]
        for forged in ("999999999", "0", "-1", "abc", str(2**70)):
            await person._callback(message, prefix + forged)
            assert "больше недоступно" in person.callback_answer().text, (command, forged)
    assert not logged_errors


async def test_a_forged_page_shows_the_last_page(client, app, logged_errors):
    await _only(app, *(f"Урок №{n}" for n in range(8)))
    guest = client.user(7202)
    await guest.send("📅 События")
    message, data = _stale(guest, "▶️")
    await guest._callback(message, data.rsplit(":", 1)[0] + ":99999")
    assert "№7" in guest.text() and "2 из 2" in guest.visible_labels()
    assert not logged_errors


# --- outdated buttons ----------------------------------------------------------------------------
async def test_presses_on_ended_event_dialogs_are_outdated(client, app, logged_errors):
    await _only(app, *(f"Урок №{n}" for n in range(8)))
    guest = client.user(7203)
    await guest.send("📅 События")
    stale_page = _stale(guest, "▶️")
    await guest.send("/menu")  # the section's dialog ends
    await guest._callback(*stale_page)
    assert guest.callback_answer().text == OUTDATED

    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    stale_draft = _stale(admin, CANCEL)
    await admin.send("/events_admin")  # a new editor replaces the draft
    await admin._callback(*stale_draft)
    assert admin.callback_answer().text == OUTDATED
    stale_list = _stale(admin, "➕ Новое мероприятие")
    await admin.send("/cancel")
    await admin._callback(*stale_list)
    assert admin.callback_answer().text == OUTDATED
    assert not logged_errors


async def test_the_card_under_a_closed_list_still_reminds(client, app):
    await _only(app, "Урок")
    anna = client.user(7204)
    await anna.send("/start")
    await anna.send("/cancel")
    await anna.press("📅 События")
    await anna.press("1. Урок")
    await anna.send("/menu")
    await anna.press("🔔 Напомнить")  # the card is no dialog: its buttons keep working
    assert "Напомню" in anna.callback_answer().text


# --- restarts and instances ----------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_draft_survives_a_restart_and_moves_between_instances(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        admin = first.user(ADMIN)
        await admin.send("/events_admin")
        await admin.press("➕ Новое мероприятие")
        await admin.send("Фестиваль профессий")
        await admin.press("Пропустить")
        await kit.stop(first)  # a restart mid-dialog

        second = await kit.start()
        third = await kit.start()  # a second instance beside it
        admin = kit.move(admin, second)
        when = (datetime.now(UTC) + timedelta(days=9)).astimezone(settings.zone)
        await admin.send(when.strftime("%d.%m.%Y 11:00"))
        assert "Шаг 4 из 6" in admin.text()
        admin = kit.move(admin, third)
        await admin.send("https://edu.example.org/festival")
        await admin.press("Без регистрации")
        await admin.press("⬜ ученики")
        # Back to the other one: Redis only (the SQL storage caches what it read, one process
        # per database, db/fsm_storage.py)
        admin = kit.move(admin, second if backend == "redis" else third)
        await admin.press("Далее ▶️")
        assert "Фестиваль профессий" in admin.text() and "ученики" in admin.text()
        await admin.press("✅ Опубликовать")
        assert "опубликовано" in admin.text()
        app = kit.running[0][0]
        async with app.sessions() as session:
            row = (
                await session.execute(select(Event).where(Event.title == "Фестиваль профессий"))
            ).scalar_one()
        assert (row.online_url, row.roles) == ("https://edu.example.org/festival", "pupil")
        assert kit.rejections() == []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_families_list_survives_a_restart_and_moves_between_instances(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        await _only(kit.running[0][0], *(f"Урок №{n}" for n in range(14)))
        guest = first.user(7205)
        await guest.send("📅 События")
        await guest.press("📋 Все мероприятия")
        await guest.press("▶️")
        assert "№6" in guest.text() and "2 из 3" in guest.visible_labels()
        await kit.stop(first)

        second = await kit.start()
        third = await kit.start()
        guest = kit.move(guest, second)
        await guest.press("▶️")
        assert "№12" in guest.text() and "Все ближайшие" in guest.text()
        guest = kit.move(guest, third)
        await guest.press("◀️")
        assert "№6" in guest.text() and "2 из 3" in guest.visible_labels()
        guest = kit.move(guest, second if backend == "redis" else third)
        await guest.press("🎯 Только для меня")
        assert "Мероприятия для вас" in guest.text() and "1 из 3" in guest.visible_labels()
        assert kit.rejections() == []


async def test_a_double_tap_on_the_last_page_changes_nothing(app, logged_errors):
    """Telegram refuses the second edit («message is not modified»); nothing fails."""
    client = BotClient(app)  # not the `client` fixture: that one takes any refusal as a bug
    await _only(app, *(f"Урок №{n}" for n in range(8)))
    guest = client.user(7206)
    await guest.send("📅 События")
    stale = _stale(guest, "▶️")
    await guest.press("▶️")
    await guest._callback(*stale)  # the second tap of a double tap
    await guest.press("◀️")
    assert "№0" in guest.text()
    refused = [str(out.error) for out in client.rejections]
    assert len(refused) == 1 and "message is not modified" in refused[0]
    assert not logged_errors
    await client.dispatcher.storage.close()
