"""MaxSession against the fake MAX server: the Bot API calls the bot makes, carried to MAX."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from maxapi.types.attachments import CallbackButton, LinkButton, RequestGeoLocationButton
from sqlalchemy import event

from bot.app import create_bot
from bot.max.keyboards import menu_label
from bot.max.session import MaxSession
from services.messengers.ids import from_max
from services.messengers.max_messages import MaxMessageIds

PERSON = 4242  # as MAX knows the person
CHAT = from_max(PERSON)  # as the bot does
KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text="Кружки", callback_data="open:catalog:1")],
        [InlineKeyboardButton(text="Сайт", url="https://example.org/clubs")],
    ]
)


async def test_a_message_goes_to_the_person_with_its_keyboard_and_an_integer_id(
    max_bot, max_server, message_ids
):
    sent = await max_bot.send_message(
        CHAT, "<b>Привет</b>, <tg-spoiler>тайна</tg-spoiler> &amp; всё", reply_markup=KEYBOARD
    )
    shown = max_server.last(PERSON)
    assert shown.text == "Привет, тайна & всё"
    assert shown.format == "html"
    method, _, query, body = max_server.requests[-1]
    assert (method, query) == ("POST", {"user_id": str(PERSON)})
    assert "tg-spoiler" not in body["text"] and "<b>Привет</b>" in body["text"]
    first, second = shown.keyboard.buttons
    assert isinstance(first[0], CallbackButton) and first[0].payload == "open:catalog:1"
    assert isinstance(second[0], LinkButton) and second[0].url == "https://example.org/clubs"
    assert isinstance(sent.message_id, int) and sent.chat.id == CHAT
    assert await message_ids.mid_of(sent.message_id) == shown.mid


async def test_the_id_map_outlives_the_process(max_bot, max_server, app):
    sent = await max_bot.send_message(CHAT, "раз")
    restarted = MaxMessageIds(app.sessions, app.write_sessions)  # an empty cache, same database
    assert await restarted.mid_of(sent.message_id) == max_server.last(PERSON).mid
    assert await restarted.id_of(max_server.last(PERSON).mid) == sent.message_id
    assert await restarted.mid_of(sent.message_id + 1000) is None
    assert await restarted.mid_of(2**40) is None


async def test_two_instances_give_a_mid_one_id(app):
    first = MaxMessageIds(app.sessions, app.write_sessions, cached=0)
    second = MaxMessageIds(app.sessions, app.write_sessions, cached=0)
    given = await first.id_of("mid.bot.1", new=True)  # the answer to first's send
    assert await second.id_of("mid.bot.1") == given  # a press on it at the other instance
    assert await second.id_of("mid.bot.1", new=True) == given  # told "new" wrongly: still one
    assert await second.mid_of(given) == "mid.bot.1"
    assert await first.id_of("mid.bot.2", new=True) == given + 1


async def test_edits_change_text_and_keyboard_and_a_text_edit_without_one_drops_it(
    max_bot, max_server
):
    sent = await max_bot.send_message(CHAT, "Вопрос", reply_markup=KEYBOARD)
    edited = await max_bot.edit_message_text(
        "<i>Ответ</i>", chat_id=CHAT, message_id=sent.message_id
    )
    shown = max_server.last(PERSON)
    assert (shown.text, shown.keyboard, shown.edits) == ("Ответ", None, 1)
    assert edited.message_id == sent.message_id and edited.text == "Ответ"

    await max_bot.edit_message_reply_markup(
        chat_id=CHAT, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    assert max_server.last(PERSON).labels() == ["Кружки", "Сайт"]
    assert max_server.last(PERSON).text == "Ответ"


async def test_deleting_and_editing_what_is_gone(max_bot, max_server):
    sent = await max_bot.send_message(CHAT, "Временное")
    assert await max_bot.delete_message(CHAT, sent.message_id) is True
    assert max_server.chat(PERSON) == []
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await max_bot.edit_message_text("x", chat_id=CHAT, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await max_bot.delete_message(CHAT, 999_999)


async def test_callback_answers_carry_the_notification(max_bot, max_server):
    assert await max_bot.answer_callback_query("cb-1", text="Сохранено") is True
    assert await max_bot.answer_callback_query("cb-2") is True
    assert max_server.answers["cb-1"].notification == "Сохранено"
    assert max_server.answers["cb-2"].notification is None


async def test_a_document_is_uploaded_in_two_steps_and_sent_once_it_is_ready(max_bot, max_server):
    data = "дата;время\n12.01;10:00\n".encode()
    sent = await max_bot.send_document(
        CHAT, BufferedInputFile(data, filename="slots.csv"), caption="Слоты"
    )
    shown = max_server.last(PERSON)
    (file,) = shown.files
    token = file.split(":", 1)[1]
    assert file.startswith("file:") and max_server.uploads[token] == data
    assert shown.text == "Слоты"
    posts = [r for r in max_server.requests if r[:2] == ("POST", "/messages")]
    assert len(posts) == 2, "the first attach is answered attachment.not.ready, then retried"
    assert sent.document is not None and sent.document.file_id == token

    again = await max_bot.send_document(CHAT, token)  # a token MAX gave is sent as is
    assert again.document.file_id == token
    assert len(max_server.uploads) == 1


async def test_a_photo_uses_the_image_upload(max_bot, max_server):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    sent = await max_bot.send_photo(CHAT, BufferedInputFile(png, filename="map.png"))
    (file,) = max_server.last(PERSON).files
    assert file.startswith("image:") and sent.photo


async def test_a_reply_keyboard_becomes_inline_buttons_with_a_location_request(max_bot, max_server):
    menu = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text="📍 Отправить геопозицию", request_location=True)],
            [KeyboardButton(text=f"Пункт {n}") for n in range(9)],
        ]
    )
    await max_bot.send_message(CHAT, "Меню", reply_markup=menu)
    rows = max_server.last(PERSON).keyboard.buttons
    assert isinstance(rows[0][0], RequestGeoLocationButton)
    assert [len(row) for row in rows] == [1, 7, 2], "MAX allows seven buttons a row"
    assert menu_label(rows[1][3].payload) == "Пункт 3"


async def test_a_venue_is_a_text_with_a_map_link(max_bot, max_server):
    await max_bot.send_venue(CHAT, 56.48, 84.95, "ДДТ «Радуга»", "пр. Ленина, 1 <корп. 2>")
    text = max_server.last(PERSON).text
    assert "ДДТ «Радуга»" in text and "<корп. 2>" in text
    assert "pt=84.95,56.48" in text


async def test_calls_with_no_meaning_in_max_do_nothing_and_get_me_asks_max(max_bot, max_server):
    assert await max_bot.set_my_commands([BotCommand(command="start", description="Начать")])
    assert await max_bot.delete_webhook() is True
    assert (await max_bot.get_webhook_info()).url == ""
    assert max_server.requests == []
    me = await max_bot.get_me()
    assert me.is_bot and me.username == "edu_navigator_bot"


async def test_max_errors_arrive_as_their_telegram_twins(max_bot, max_server, app, message_ids):
    max_server.blocked.add(PERSON)
    with pytest.raises(TelegramForbiddenError):
        await max_bot.send_message(CHAT, "Рассылка")
    max_server.blocked.clear()

    max_server.rate_limited = 1
    with pytest.raises(TelegramRetryAfter) as limited:
        await max_bot.send_message(CHAT, "Рассылка")
    assert limited.value.retry_after >= 1
    await max_bot.send_message(CHAT, "Рассылка")  # the limit passed

    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await max_bot.send_message(CHAT, "я" * 4001)

    stranger = MaxSession("wrong-token", message_ids, api_url=max_server.url)
    other = create_bot(app.settings, session=stranger)
    with pytest.raises(TelegramUnauthorizedError):
        await other.send_message(CHAT, "кто я")
    await stranger.close()
    assert max_server.texts(PERSON) == ["Рассылка"]


async def test_a_max_process_never_sends_to_a_telegram_id(max_bot, max_server):
    calls = len(max_server.requests)
    with pytest.raises(TelegramForbiddenError):
        await max_bot.send_message(PERSON, "a Telegram person's id")  # below MAX_BASE
    assert len(max_server.requests) == calls, "refused before MAX was asked"


async def test_a_telegram_process_never_sends_to_a_max_id(settings):
    # Nothing listens at the Bot API address: a call that got through would fail otherwise.
    session = AiohttpSession(api=TelegramAPIServer.from_base("http://127.0.0.1:9"))
    bot = create_bot(settings, session=session)
    try:
        with pytest.raises(TelegramForbiddenError, match="another messenger"):
            await bot.send_message(CHAT, "a MAX person's id")
    finally:
        await bot.session.close()


async def test_more_rows_than_max_takes_are_packed_not_cut(max_bot, max_server):
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

    from bot.testing.max_recording import person_id_offset

    chat = 7101 + await person_id_offset()  # the bot's id of MAX person 7101
    rows = [[InlineKeyboardButton(text=f"Село {n}", callback_data=f"loc:{n}")] for n in range(40)]
    rows.append([InlineKeyboardButton(text="◀️ Назад", callback_data="back")])
    await max_bot.send_message(
        chat, "Населённые пункты", reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
    )
    shown = max_server.last(7101)
    assert shown.labels() == [f"Село {n}" for n in range(40)] + ["◀️ Назад"], (
        "none dropped, in order"
    )
    assert len(shown.keyboard.buttons) <= 30 and all(len(r) <= 7 for r in shown.keyboard.buttons)


async def test_the_sends_of_a_surge_share_their_id_inserts(app):
    """New mids arriving together are given ids in a few statements, each its own id."""
    ids = MaxMessageIds(app.sessions, app.write_sessions, cached=0)
    inserts = []
    event.listen(
        app.engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: (
            inserts.append(statement) if statement.startswith("INSERT INTO max_messages") else None
        ),
    )
    mids = [f"mid.surge.{n}" for n in range(60)]
    given = await asyncio.gather(*(ids.id_of(mid, new=True) for mid in mids))
    assert len(set(given)) == 60
    assert len(inserts) < 10, "sends waiting for the writer go in one statement"
    again = MaxMessageIds(app.sessions, app.write_sessions, cached=0)
    assert [await again.mid_of(message_id) for message_id in given] == mids
