"""The bot's HTTP session: JSON bodies, multipart uploads, answer models kept alive."""

from __future__ import annotations

import gc
import json

from aiogram.methods import SendDocument, SendMessage
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.app import create_bot
from bot.fake_bot_api import FakeBotApi
from bot.telegram_session import _RESPONSE_MODELS, TelegramSession


async def test_a_request_keeps_its_answer_model_for_the_next_one(settings):
    async with FakeBotApi() as fake:
        bot = create_bot(settings.model_copy(update={"bot_api_url": fake.url}))
        try:
            assert isinstance(bot.session, TelegramSession)
            _RESPONSE_MODELS.pop(Message, None)
            await bot(SendMessage(chat_id=42, text="Привет"))
            kept = _RESPONSE_MODELS[Message]
            gc.collect()
            assert Response[Message] is kept  # pydantic's own cache hands out the kept class
        finally:
            await bot.session.close()


async def test_calls_go_as_json_and_uploads_as_multipart_with_the_same_fields(settings):
    async with FakeBotApi() as fake:
        bot = create_bot(settings.model_copy(update={"bot_api_url": fake.url}))
        try:
            keyboard = InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="Да «ок»", callback_data="yes:1")]]
            )
            method = SendMessage(chat_id=42, text="<b>Привет</b>", reply_markup=keyboard)
            body = json.loads(bot.session.json_body(bot, method))
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
            assert bot.session.json_body(bot, upload) is None  # a file: multipart
            # (another chat: the fake keeps Telegram's one message a second per chat)
            document = await bot(upload)
            assert document.document is not None and document.document.file_name == "r.csv"
        finally:
            await bot.session.close()
