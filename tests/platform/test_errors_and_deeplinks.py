from __future__ import annotations

import logging

import pytest
from aiogram.methods import SendMessage

from bot.telegram.commands import COMMANDS, set_commands
from services.people import deeplinks

pytestmark = pytest.mark.both_messengers


async def test_a_failing_handler_apologises_alerts_admins_once_and_logs_no_names(
    client, app, logged_errors, monkeypatch, caplog
):
    async def broken_list(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(app.localities, "all", broken_list)  # the locality picker's list
    anna = client.user(8001, first_name="Секретное Имя")
    await anna.send("/start")
    with caplog.at_level(logging.ERROR):
        await anna.press("Родитель")
    assert anna.callback_answer() is not None, "the press is answered although the handler failed"
    assert "что-то пошло не так" in anna.text()
    alerts = [
        o
        for o in anna.last
        if isinstance(o.method, SendMessage) and o.method.chat_id == client.person_id(900001)
    ]
    assert len(alerts) == 1
    alert = alerts[0].message.text
    # The class and the update, not the error's text (it may quote people's data).
    assert "RuntimeError" in alert and "database went away" not in alert

    # A second failure within the interval is logged but does not alert again.
    boris = client.user(8002)
    await boris.send("/start")
    await boris.press("Ученик")
    assert not [
        o for o in boris.last if getattr(o.method, "chat_id", None) == client.person_id(900001)
    ]

    ours = [r for r in logged_errors if r.name == "bot.errors"]  # aiogram-dialog logs too
    assert len(ours) == 2
    record = ours[0].getMessage()
    assert str(anna.id) in record and "Секретное" not in caplog.text
    logged_errors.clear()


async def test_deep_link_opens_its_target_for_a_new_user_and_suggests_onboarding(client):
    newcomer = client.user(8101)
    await newcomer.send("/start help")
    texts = newcomer.texts()
    assert "Как пользоваться ботом" in texts[0]
    assert "короткую настройку" in texts[-1]


async def test_deep_link_to_settings_and_unknown_payload(client):
    user = client.user(8102)
    await user.send("/start settings")
    assert "Настройки" in user.texts()[0]
    await user.send("/start qr-poster-2019")
    assert "ссылка устарела" in user.texts()[0]


def test_deep_link_payloads_round_trip():
    assert deeplinks.parse(deeplinks.build("programme", 42)) == deeplinks.DeepLink("programme", 42)
    assert deeplinks.parse("CONSULT") == deeplinks.DeepLink("consult")
    for bad in ("", "p-", "x-1", "p-1-2", "../etc", "p-99999999999999"):
        assert deeplinks.parse(bad) is None


@pytest.mark.telegram_only("MAX does not show commands set through the API: no commands menu")
async def test_commands_registered_per_language(client, app):
    await set_commands(client.bot, app.locales)
    assert client.session.commands == {None: list(COMMANDS), "en": list(COMMANDS)}
