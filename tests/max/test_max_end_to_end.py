"""The bot's real dispatcher serving MAX: MAX updates from the fake server, converted, fed to
`create_dispatcher(app)`, with the Bot carried to the fake MAX by `MaxSession`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Dispatcher
from maxapi.types.attachments import CallbackButton, RequestGeoLocationButton

from bot.app import create_dispatcher
from bot.max.feed import MaxFeeder
from bot.max.keyboards import menu_label
from bot.max.updates import MaxUpdates
from bot.testing.fake_max_api import FakeMaxApi


@pytest.fixture
async def dispatcher(app) -> AsyncIterator[Dispatcher]:
    dispatcher = create_dispatcher(app)
    yield dispatcher
    await dispatcher.storage.close()


@pytest.fixture
async def serve(dispatcher, max_bot, max_server, message_ids, logged_errors):
    """Feeds one MAX update (JSON, as MAX posts it) to the dispatcher."""
    feeder = MaxFeeder(dispatcher, max_bot, MaxUpdates(message_ids, await max_bot.me()))
    yield feeder.feed
    assert not logged_errors, [r.getMessage() for r in logged_errors]


def buttons(server: FakeMaxApi, user_id: int) -> list:
    return [
        button
        for shown in server.chat(user_id)
        for row in (shown.keyboard.buttons if shown.keyboard else [])
        for button in row
    ]


async def test_onboarding_in_max_with_inline_buttons_a_location_request_and_the_menu(
    serve, max_server
):
    anna = 7001
    await serve(max_server.start_update(anna))
    texts = max_server.texts(anna)
    assert "Здравствуйте" in texts[0] and "Кто вы?" in texts[-1]
    assert "Родитель" in max_server.last(anna).labels()

    question = max_server.last(anna)
    await serve(max_server.press_update(anna, "Родитель"))
    assert question.edits == 1, "the role question turns into the locality list, as in Telegram"
    assert "Населённые пункты" in question.text
    geo = [b for b in buttons(max_server, anna) if isinstance(b, RequestGeoLocationButton)]
    assert [b.text for b in geo] == ["📍 Отправить геопозицию"]
    assert len(max_server.answers) == 1, "the press was answered"

    await serve(max_server.text_update(anna, "Томск"))
    assert "Сколько лет ребёнку" in max_server.texts(anna)[-1]
    await serve(max_server.text_update(anna, "10"))
    assert "Согласие на обработку персональных данных" in max_server.texts(anna)[-1]
    await serve(max_server.press_update(anna, "✅ Согласен(на)"))
    assert any("Профиль сохранён" in text for text in max_server.texts(anna))

    menu = [b for b in buttons(max_server, anna) if isinstance(b, CallbackButton)]
    assert "🔎 Кружки и центры" in [menu_label(b.payload) for b in menu]
    before = len(max_server.chat(anna))
    answered = len(max_server.answers)
    await serve(max_server.press_update(anna, "❓ Помощь"))
    assert "Как пользоваться ботом" in max_server.texts(anna)[before]
    assert len(max_server.answers) == answered + 1, "a menu press is answered too"


async def test_a_deep_link_arrives_as_the_bot_started_payload(serve, max_server):
    newcomer = 7002
    await serve(max_server.start_update(newcomer, "help"))
    texts = max_server.texts(newcomer)
    assert "Как пользоваться ботом" in texts[0]
    assert "короткую настройку" in texts[-1]


async def test_in_english_too(serve, max_server):
    tom = 7003
    await serve(max_server.start_update(tom, locale="en"))
    assert "Parent" in max_server.last(tom).labels()
    await serve(max_server.press_update(tom, "Parent", locale="en"))
    assert "Where do you live" in max_server.texts(tom)[-1]
