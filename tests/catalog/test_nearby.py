"""«📍 Рядом со мной» as a dialog over the one locality picker: a shared location searched from
the very spot, a locality picked or typed, back from every step, presses on screens that ended
(and on the lists sent before the dialog), a centre's card below the centres, a restart
mid-«Рядом» and the search continued on another instance (SQL and Redis storage)."""

from __future__ import annotations

import pytest
from backends import REDIS_URL
from instances import BACKENDS, instances

from db.models import Organisation

pytestmark = pytest.mark.both_messengers

OUTDATED = "Эта кнопка устарела. Откройте меню заново."
NEARBY = "📍 Рядом со мной"


async def _nearby(user) -> None:
    await user.send("🔎 Кружки и центры")
    await user.press(NEARBY)
    assert "покажу ближайшие центры" in user.text()
    assert "📍 Отправить геопозицию" in user.visible_labels()
    assert "Асино" in user.visible_labels()  # the picker's list, in place of the directions


def _data_of(message, label: str) -> str:
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.text == label:
                return button.callback_data
    raise AssertionError(f"no {label!r}")


def _first(user) -> str:
    return next(label for label in user.visible_labels() if label.startswith("1. "))


async def test_a_locality_picked_from_the_list_and_its_centres(client):
    anna = client.user(9401)
    await _nearby(anna)
    await anna.press("▶️")  # the picker's own pages
    await anna.press("Кедровый")
    assert "Ищу ближайшие центры" in anna.text() and "Ближайшие центры — Кедровый" in anna.text()
    assert "🔎 Кружки и центры" in anna.visible_labels()  # the main menu's keyboard is back
    centre = _first(anna)
    await anna.press(centre)  # its card below; the centres stay
    assert "Программ:" in anna.text()
    assert centre in anna.visible_labels()


async def test_a_location_far_from_every_centre_offers_the_directions(client):
    anna = client.user(9402)
    await _nearby(anna)
    await anna.share_location(0.0, 0.0)
    assert "Рядом пока нет центров" in anna.text() and "Выберите направление" in anna.text()


async def test_back_from_every_step(client):
    anna = client.user(9403)
    await _nearby(anna)
    await anna.press("◀️ Назад")  # from the list: the directions in its place
    assert "Выберите направление" in anna.text() and anna.edits()
    await anna.press(NEARBY)
    await anna.press("Асино")
    assert "Асино" in anna.text()
    await anna.press("⬅️ Направления")  # from the centres
    assert "Выберите направление" in anna.text()


async def test_presses_on_screens_that_ended_are_outdated(client, logged_errors):
    anna = client.user(9404)
    await _nearby(anna)
    listing = anna.messages[-2]  # the list, above the question with the location button
    asino = _data_of(listing, "Асино")
    await anna.send("Кедровый")
    assert "Кедровый" in anna.text()
    await anna._callback(listing, asino)
    assert anna.callback_answer().text == OUTDATED

    centres = anna.messages[-1]
    first = _data_of(centres, _first(anna))
    await anna.send("🔎 Кружки и центры")  # a new dialog replaces «Рядом»
    await anna._callback(centres, first)
    assert anna.callback_answer().text == OUTDATED

    old = await client.bot.send_message(
        client.person_id(9404), "Населённые пункты:"
    )  # sent before the dialog
    for data in ("loc:n:1", "lpg:n:1"):
        await anna._callback(old, data)
        assert anna.callback_answer().text == OUTDATED
    assert not logged_errors


async def test_a_centre_gone_meanwhile_is_answered_with_a_toast(client, app):
    anna = client.user(9405)
    await _nearby(anna)
    await anna.send("Кедровый")
    centre = _first(anna)
    data = _data_of(anna.messages[-1], centre)
    async with app.sessions() as session:
        (await session.get(Organisation, int(data.rsplit(":", 1)[1]))).hidden = True
        await session.commit()
    await anna.press(centre)
    assert anna.callback_answer().text == "Этот центр больше недоступен."


async def test_nearby_under_search_words_leaves_them_as_they_are(client):
    anna = client.user(9406)
    await anna.send("абракадабра кукареку")
    assert "Ничего подходящего не нашлось" in anna.text()
    words = anna.messages[-1]
    await anna.press(NEARBY)
    assert not anna.edits() and "Асино" in anna.visible_labels()  # the list below the words
    assert anna.messages[-3] is words or anna.messages[-3].message_id == words.message_id
    await anna.press("◀️ Назад")
    assert "Выберите направление" in anna.text()


async def test_a_command_or_a_menu_button_leaves_nearby(client):
    anna = client.user(9408)
    await _nearby(anna)
    await anna.send("/help")
    await anna.send("Асино")  # not a locality for «Рядом» any more: search takes it
    assert "Ближайшие центры" not in anna.text()
    await _nearby(anna)
    await anna.send("⚙️ Настройки")
    assert "🌐 Язык" in anna.visible_labels()
    await anna.share_location(56.4847, 84.9482)
    assert "Ближайшие к вам центры" not in anna.text()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_nearby_survives_a_restart_and_moves_between_instances(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        anna = first.user(9407)
        await _nearby(anna)
        await anna.press("▶️")
        await kit.stop(first)  # a restart in the middle of «Рядом»

        second = await kit.start()
        third = await kit.start() if backend == "redis" else second  # SQL: one process a base
        anna = kit.move(anna, second)
        await anna.press("◀️")
        assert "1 из" in " ".join(anna.visible_labels())
        anna = kit.move(anna, third)
        await anna.share_location(56.4847, 84.9482)  # Tomsk centre: searched from the spot
        assert "Ближайшие к вам центры" in anna.text()
        anna = kit.move(anna, second)
        await anna.press(_first(anna))
        assert "Программ:" in anna.text()
        assert kit.rejections() == []
