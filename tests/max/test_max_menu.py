"""In MAX the main menu is inline buttons on the bot's messages (MAX has no reply keyboard): the
messages Telegram sends the menu keyboard with carry it, and the share buttons are MAX's
request buttons."""

from __future__ import annotations

import pytest
from maxapi.types.attachments import CallbackButton, RequestGeoLocationButton

from bot.max.keyboards import menu_label

pytestmark = pytest.mark.parametrize("messenger", ["max"], indirect=True)
MENU = ["🔎 Кружки и центры", "👨‍👩‍👧 Консультации", "📅 События", "⚙️ Настройки", "❓ Помощь"]


def _menu_with_reply(user) -> list[str]:  # type: ignore[no-untyped-def]
    """The menu labels on the messages the bot sent in reply to the last action."""
    sent = {out.message.message_id for out in user.last if out.message is not None}
    return [
        menu_label(button.payload)
        for shown in user.max.server.chat(user.max_id)
        if user.max.ids.noted.get(shown.mid) in sent and shown.keyboard is not None
        for row in shown.keyboard.buttons
        for button in row
        if isinstance(button, CallbackButton) and menu_label(button.payload)
    ]


async def test_the_menu_comes_with_the_greeting_the_end_of_onboarding_and_menu(client):
    anna = client.user(7301)
    await anna.send("/start")
    assert _menu_with_reply(anna) == MENU
    await anna.press("Родитель")
    geo = [
        b
        for shown in client.server.chat(7301)
        for row in (shown.keyboard.buttons if shown.keyboard else [])
        for b in row
        if isinstance(b, RequestGeoLocationButton)
    ]
    assert [b.text for b in geo] == ["📍 Отправить геопозицию"]
    await anna.send("Томск")
    await anna.send("10")
    await anna.press("✅ Согласен(на)")
    assert _menu_with_reply(anna) == MENU
    await anna.send("/menu")
    assert _menu_with_reply(anna) == MENU
    await anna.press("❓ Помощь")  # the menu's own buttons work from an older message too
    assert "Как пользоваться ботом" in anna.text()


async def test_a_cancel_brings_the_menu(client):
    boris = client.user(7302)
    await boris.send("/start")
    await boris.press("Ученик")
    await boris.send("/cancel")
    assert _menu_with_reply(boris) == MENU
