"""Onboarding, settings, subscriptions and the locality picker as dialogs: «◀️ Назад» from every
step, a press on a dialog that ended or moved on answered «кнопка устарела», and a dialog that
survives a restart and goes on on another instance (SQL storage and Redis)."""

from __future__ import annotations

import pytest
from backends import REDIS_URL
from instances import BACKENDS, instances
from kids import given_of

from db.models import User

pytestmark = pytest.mark.both_messengers

BACK = "◀️ Назад"
AGREE, NOT_NOW = "✅ Согласен(на)", "Не сейчас"
OUTDATED = "Эта кнопка устарела. Откройте меню заново."


async def _stale_press(user, message, label: str) -> None:
    """Press `label` on `message` as it was when the bot sent it (an older screen)."""
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.text == label:
                await user._callback(message, button.callback_data)
                return
    raise AssertionError(f"no {label!r} on that message")


# --- back from every step -------------------------------------------------------------------
async def test_onboarding_back_from_every_step(client, app):
    anna = client.user(8001)
    await anna.send("/start")
    await anna.press("Родитель")
    assert "Населённые пункты" in anna.text()
    await anna.press(BACK)  # the list → the role
    assert "Кто вы?" in anna.text() and anna.edits()
    await anna.press("Ученик")
    await anna.send("ово")  # several matches
    assert "несколько" in anna.text()
    await anna.press(BACK)  # the matches → the list
    assert "Населённые пункты" in anna.text()
    await anna.send("Томск")
    assert "Сколько тебе лет" in anna.texts()[-1]
    await anna.press(BACK)  # the age → the list
    assert "Населённые пункты" in anna.text()
    await anna.send("Северск")
    await anna.send("7 класс")
    assert "Согласие на обработку персональных данных" in anna.text()
    await anna.press(BACK)  # the consent → the age
    assert "Сколько тебе лет" in anna.text()
    await anna.press("Пропустить")
    await anna.press(AGREE)
    async with app.sessions() as session:
        row = await session.get(User, client.person_id(8001))
    assert row.role == "pupil" and await given_of(app.sessions, row.id) == []  # skipped
    place = await app.localities.get(row.locality_id)
    assert place.name == "Северск"


async def test_settings_back_from_every_step(client, app):
    anna = client.user(8002)
    await anna.send("/settings")
    screen = "⚙️ Настройки"
    for item in ("🌐 Язык", "👤 Роль", "👧 Дети", "📍 Населённый пункт", "🔔 Подписки"):
        await anna.press(item)
        assert screen not in anna.text()
        await anna.press(BACK)  # the consent question (or the language list) → the screen
        assert screen in anna.text() and anna.edits()
    await app.profiles.give_consent(client.person_id(8002))
    for item in ("👤 Роль", "👧 Дети", "📍 Населённый пункт", "🔔 Подписки"):
        await anna.press(item)
        assert screen not in anna.text()
        await anna.press(BACK)
        assert screen in anna.text()
    async with app.sessions() as session:
        row = await session.get(User, client.person_id(8002))
    assert (row.role, row.locality_id) == (None,) * 2
    assert await given_of(app.sessions, row.id) == []


async def test_subscriptions_back_to_the_settings_from_each_step(client, app):
    guest = client.user(8003)
    await guest.send("/subscribe")
    assert "нужно ваше согласие" in guest.text()
    await guest.press(NOT_NOW)
    assert "без согласия анонсы не присылаю" in guest.text().lower()
    await guest.press(BACK)
    assert "⚙️ Настройки" in guest.text()


# --- outdated buttons -----------------------------------------------------------------------
async def test_an_ended_onboarding_answers_outdated(client, app, logged_errors):
    anna = client.user(8010)
    await anna.send("/start")
    role_question = anna.messages[-1]
    await anna.send("/cancel")
    await _stale_press(anna, role_question, "Родитель")
    assert anna.callback_answer().text == OUTDATED
    async with app.sessions() as session:
        assert (await session.get(User, client.person_id(8010))).role is None


async def test_a_settings_screen_that_moved_on_answers_outdated(client, app, logged_errors):
    anna = client.user(8011)
    await app.profiles.get_or_create(client.person_id(8011), "ru")
    await app.profiles.give_consent(client.person_id(8011))
    await anna.send("/settings")
    first = anna.messages[-1]
    await anna.send("/settings")  # a new settings dialog replaces the first one
    await _stale_press(anna, first, "👤 Роль")
    assert anna.callback_answer().text == OUTDATED


async def test_the_locality_list_and_the_offer_answer_outdated_after_they_end(client, app):
    anna = client.user(8012)
    await anna.send("/start")
    await anna.press("Родитель")
    listing = anna.messages[-2]  # the list, above the question with the location button
    await anna.send("Томск")
    await _stale_press(anna, listing, "Асино")
    assert anna.callback_answer().text == OUTDATED
    await anna.press("Пропустить")
    await anna.press(AGREE)
    offer = anna.messages[-1]
    await anna.press("Готово")
    await _stale_press(anna, offer, "⬜ Кружки и набор в них")
    assert anna.callback_answer().text == OUTDATED
    assert await app.subscriptions.topics(client.person_id(8012)) == frozenset()


# --- restart and a second instance -----------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
async def test_onboarding_survives_a_restart_and_moves_between_instances(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        anna = first.user(8020)
        await anna.send("/start")
        await anna.press("Родитель")
        await anna.press("▶️")  # the list's page is the dialog's too
        await kit.stop(first)  # a restart in the middle of the locality picker

        second = await kit.start()
        third = await kit.start() if backend == "redis" else second  # SQL: one process a base
        anna = kit.move(anna, second)
        await anna.press("◀️")
        assert "1 из" in " ".join(anna.visible_labels())
        await anna.send("Томск")
        assert "Сколько лет ребёнку" in anna.texts()[-1]
        anna = kit.move(anna, third)  # the next answer reaches the other instance
        await anna.send("10")
        assert "Согласие на обработку персональных данных" in anna.text()
        anna = kit.move(anna, second)
        await anna.press(BACK)
        assert "Сколько лет ребёнку" in anna.text()
        anna = kit.move(anna, third)
        await anna.send("11")
        await anna.press(AGREE)
        assert "Профиль сохранён" in anna.text()
        async with second.app.sessions() as session:
            row = await session.get(User, 8020)
        assert (row.role, row.consent_at is not None) == ("parent", True)
        assert await given_of(second.app.sessions, 8020) == [(11, None, None)]
        assert kit.rejections() == []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_settings_survive_a_restart_and_move_between_instances(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        anna = first.user(8021)
        await anna.send("/settings")
        await anna.press("👧 Дети")  # consent first
        await anna.press(AGREE)
        await anna.press("➕ Добавить")
        await anna.press("Пропустить")
        await kit.stop(first)

        second = await kit.start()
        third = await kit.start() if backend == "redis" else second  # SQL: one process a base
        anna = kit.move(anna, second)
        await anna.send("сто")
        assert "Не понял" in anna.text()
        anna = kit.move(anna, third)
        await anna.send("9")
        await anna.press("✅ Готово")
        anna = kit.move(anna, second)
        await anna.press("Нет")
        await anna.press("◀️ К списку")
        await anna.press("◀️ Назад")
        assert "Дети: 9 лет" in anna.text()
        await anna.press("📍 Населённый пункт")
        anna = kit.move(anna, third)
        await anna.share_location(56.99, 86.15)
        assert "Асино" in anna.text()
        assert kit.rejections() == []


# --- dialog ids ------------------------------------------------------------------------------
def test_dialogs_opened_in_the_same_second_get_different_ids(client):
    """aiogram-dialog's own ids (the second + a random number below 100) collide among dialogs
    opened at once; the bot's (bot/telegram/dialogs.py, set up with the dispatcher) do not."""
    from aiogram_dialog.api.entities import Stack

    from handlers.people.onboarding import Onboarding

    stack = Stack()
    assert len({stack.push(Onboarding.role, None).id for _ in range(100)}) == 100


async def test_a_number_in_other_digits_is_not_an_age(client, app):
    t = app.locales.get("ru")
    anna = client.user(8009)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.send("Томск")
    for typed in ("²", "99999999999"):
        await anna.send(typed)
        assert _plain_start(t("age-invalid")) in anna.text(), typed  # the step stays
        assert "Согласие" not in anna.text(), typed
    await anna.send("7")
    assert "Согласие на обработку персональных данных" in anna.text()


def _plain_start(text: str) -> str:
    return text.split("<", 1)[0][:20]
