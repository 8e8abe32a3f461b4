"""A press's answer and the edit of the pressed message go to MAX as one `POST /answers`
(bot/max/press.py); any other call sends a kept edit first, so MAX sees the bot's order."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiogram import Dispatcher, F
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.max.feed import MaxFeeder
from bot.max.press import PRESS, Press, press_of
from bot.max.updates import MaxUpdates
from services.messengers.ids import from_max

PERSON = 4343
CHAT = from_max(PERSON)
KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Дальше", callback_data="next")]]
)


@pytest.fixture
async def pressed(max_bot, max_server, message_ids) -> AsyncIterator[tuple[int, Press]]:
    """A message with a button, and the open press on it (as the feeder opens one)."""
    sent = await max_bot.send_message(CHAT, "Шаг 1", reply_markup=KEYBOARD)
    shown = max_server.last(PERSON)
    press = press_of(max_server.callback_update(PERSON, shown, "next"))
    assert press is not None and press.mid == await message_ids.mid_of(sent.message_id)
    token = PRESS.set(press)
    yield sent.message_id, press
    PRESS.reset(token)


def calls(max_server, since: int) -> list[tuple[str, str]]:
    return [(method, path) for method, path, *_ in max_server.requests[since:]]


async def test_the_redraw_rides_on_the_answer(max_bot, max_server, pressed):
    message_id, press = pressed
    before = len(max_server.requests)
    edited = await max_bot.edit_message_text(
        "<b>Шаг 2</b>", chat_id=CHAT, message_id=message_id, reply_markup=KEYBOARD
    )
    assert edited.text == "Шаг 2" and calls(max_server, before) == []
    await max_bot.answer_callback_query(press.callback_id, text="Готово")
    assert calls(max_server, before) == [("POST", "/answers")]
    *_, query, body = max_server.requests[-1]
    assert query == {"callback_id": press.callback_id} and body["notification"] == "Готово"
    assert body["message"]["format"] == "html" and "notify" not in body["message"]
    shown = max_server.last(PERSON)
    assert (shown.text, shown.format, shown.edits) == ("Шаг 2", "html", 1)
    assert shown.labels() == ["Дальше"]
    assert max_server.answers[press.callback_id].notification == "Готово"

    await max_bot.edit_message_reply_markup(chat_id=CHAT, message_id=message_id)
    assert calls(max_server, before)[-1] == ("PUT", "/messages"), "answered: edits go alone"
    assert max_server.last(PERSON).labels() == []


async def test_new_messages_go_at_once_and_the_redraw_still_rides_on_the_answer(
    max_bot, max_server, pressed
):
    message_id, press = pressed
    before = len(max_server.requests)
    await max_bot.edit_message_text("Шаг 2", chat_id=CHAT, message_id=message_id)
    await max_bot.send_message(CHAT, "Новое сообщение")
    assert calls(max_server, before) == [("POST", "/messages")]
    await max_bot.answer_callback_query(press.callback_id)
    assert calls(max_server, before) == [("POST", "/messages"), ("POST", "/answers")]
    assert [shown.text for shown in max_server.chat(PERSON)] == ["Шаг 2", "Новое сообщение"]


async def test_changing_the_pressed_message_again_sends_the_kept_edit_first(
    max_bot, max_server, pressed
):
    message_id, press = pressed
    before = len(max_server.requests)
    await max_bot.edit_message_text("Шаг 2", chat_id=CHAT, message_id=message_id)
    await max_bot.edit_message_reply_markup(chat_id=CHAT, message_id=message_id)
    await max_bot.answer_callback_query(press.callback_id)
    assert calls(max_server, before) == [("PUT", "/messages"), ("POST", "/answers")]
    shown = max_server.last(PERSON)
    assert (shown.text, shown.labels(), shown.edits) == ("Шаг 2", [], 2)
    assert max_server.answers[press.callback_id].message is not None


async def test_a_rate_limited_answer_keeps_the_edit_for_its_retry(max_bot, max_server, pressed):
    message_id, press = pressed
    await max_bot.edit_message_text("Шаг 2", chat_id=CHAT, message_id=message_id)
    max_server.rate_limited = 1
    with pytest.raises(TelegramRetryAfter):
        await max_bot.answer_callback_query(press.callback_id)
    assert max_server.last(PERSON).text == "Шаг 1"
    await max_bot.answer_callback_query(press.callback_id)
    assert max_server.last(PERSON).text == "Шаг 2"
    assert max_server.answers[press.callback_id].message is not None


async def test_refused_together_the_press_is_still_answered(
    max_bot, max_server, pressed, caplog, logged_errors
):
    message_id, press = pressed
    await max_bot.edit_message_text("Шаг 2", chat_id=CHAT, message_id=message_id)
    del max_server.messages[press.mid]  # gone from the chat meanwhile
    with caplog.at_level(logging.WARNING, logger="bot.max.session"):
        assert await max_bot.answer_callback_query(press.callback_id) is True
    assert press.callback_id in max_server.answers
    assert "not.found" in caplog.text
    assert not logged_errors


async def test_an_edit_nothing_answered_is_sent_when_handling_ends(
    max_bot, max_server, message_ids
):
    """A bare dispatcher (no CallbackAnswers middleware): the press goes unanswered, and the
    feeder still sends the pressed message's edit."""
    dispatcher = Dispatcher()

    @dispatcher.callback_query(F.data == "next")
    async def redraw(query: CallbackQuery) -> None:
        await query.message.edit_text("Шаг 2")

    feeder = MaxFeeder(dispatcher, max_bot, MaxUpdates(message_ids, await max_bot.me()))
    await max_bot.send_message(CHAT, "Шаг 1", reply_markup=KEYBOARD)
    before = len(max_server.requests)
    await feeder.feed(max_server.press_update(PERSON, "Дальше"))
    assert calls(max_server, before) == [("PUT", "/messages")]
    assert max_server.last(PERSON).text == "Шаг 2"
    assert PRESS.get() is None
