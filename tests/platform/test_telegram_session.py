"""The bot's HTTP session: aiogram's own, answer models kept alive, a call's JSON fields for
webhook replies."""

from __future__ import annotations

import gc

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import SendDocument, SendMessage
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.app import create_bot
from bot.telegram.session import _RESPONSE_MODELS, method_fields
from bot.testing.fake_bot_api import FakeBotApi


async def test_a_request_keeps_its_answer_model_for_the_next_one(settings):
    async with FakeBotApi() as fake:
        bot = create_bot(settings.model_copy(update={"bot_api_url": fake.url}))
        try:
            assert isinstance(bot.session, AiohttpSession)
            _RESPONSE_MODELS.pop(Message, None)
            await bot(SendMessage(chat_id=42, text="Привет"))
            kept = _RESPONSE_MODELS[Message]
            gc.collect()
            assert Response[Message] is kept  # pydantic's own cache hands out the kept class
        finally:
            await bot.session.close()


async def test_a_calls_json_fields_are_what_aiogram_sends_and_uploads_have_none(settings):
    async with FakeBotApi() as fake:
        bot = create_bot(settings.model_copy(update={"bot_api_url": fake.url}))
        try:
            keyboard = InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="Да «ок»", callback_data="yes:1")]]
            )
            method = SendMessage(chat_id=42, text="<b>Привет</b>", reply_markup=keyboard)
            body = method_fields(bot.session, bot, method)
            # Nested objects stay objects, unset fields are left out, bot defaults applied.
            assert body == {
                "chat_id": 42,
                "text": "<b>Привет</b>",
                "parse_mode": "HTML",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "Да «ок»", "callback_data": "yes:1"}]]
                },
            }
            sent = await bot(method)
            assert fake.buttons(42) == [(sent.message_id, "Да «ок»", "yes:1")]

            upload = SendDocument(chat_id=43, document=BufferedInputFile(b"a;b\n", "r.csv"))
            assert method_fields(bot.session, bot, upload) is None  # a file: multipart
            # (another chat: the fake keeps Telegram's one message a second per chat)
            document = await bot(upload)
            assert document.document is not None and document.document.file_name == "r.csv"
        finally:
            await bot.session.close()
