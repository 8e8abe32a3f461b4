"""Staff find their tools: /admin and a command menu of their own."""

from __future__ import annotations

import logging

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat

from bot.telegram.commands import COMMANDS, STAFF_COMMANDS, set_commands
from handlers import get_routers

pytestmark = pytest.mark.both_messengers

ADMIN = 900001


async def test_admin_sees_every_staff_command_and_others_are_told_it_is_for_staff(client):
    admin = client.user(ADMIN)
    await admin.send("/admin")
    text = admin.text()
    for command in STAFF_COMMANDS[1:]:
        assert f"/{command}" in text
    parent = client.user(6101)
    await parent.send("/admin")
    assert parent.text() == "Это действие доступно только сотрудникам."


@pytest.mark.telegram_only("MAX does not show commands set through the API: no commands menu")
async def test_staff_get_their_own_command_menu_in_each_language(client, app):
    await set_commands(client.bot, app.locales, [client.person_id(ADMIN), 900002])
    assert client.session.commands == {None: list(COMMANDS), "en": list(COMMANDS)}
    for admin in (client.person_id(ADMIN), 900002):
        for language in (None, "en"):
            assert client.session.chat_commands[(admin, language)] == [
                *COMMANDS,
                *STAFF_COMMANDS,
            ]


@pytest.mark.telegram_only("it checks the admins' command menus, which MAX does not show")
async def test_an_admin_who_never_opened_the_bot_does_not_stop_the_start(
    client, app, caplog, monkeypatch
):
    make_request = client.session.make_request

    async def chat_not_found(bot, method, timeout=None):  # type: ignore[no-untyped-def]
        if isinstance(method, SetMyCommands) and isinstance(method.scope, BotCommandScopeChat):
            raise TelegramBadRequest(method=method, message="Bad Request: chat not found")
        return await make_request(bot, method, timeout)

    monkeypatch.setattr(client.session, "make_request", chat_not_found)
    with caplog.at_level(logging.WARNING):
        await set_commands(client.bot, app.locales, [client.person_id(ADMIN)])
    assert client.session.commands[None] == list(COMMANDS)
    assert "staff command menu not set" in caplog.text


def test_every_menu_command_has_a_handler():
    handled = {
        command
        for router in get_routers()
        for handler in router.message.handlers
        for filter_object in handler.filters or ()
        for command in getattr(filter_object.callback, "commands", ())
        if isinstance(command, str)
    }
    assert set(COMMANDS) | set(STAFF_COMMANDS) <= handled
