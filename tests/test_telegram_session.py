"""The bot's HTTP session keeps aiogram's answer models alive between requests."""

from __future__ import annotations

import gc

from aiogram.methods import SendMessage
from aiogram.methods.base import Response
from aiogram.types import Message

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
