"""aiogram's HTTP session, with the parsing models of Bot API answers kept alive.

aiogram parses every answer with `Response[method.__returning__]`, a pydantic generic model
built on first use and cached by pydantic only weakly: in a running bot the class is collected
and built again, schema and all, again and again (8% of the bot's time under load, measured
with py-spy). Holding one reference per return type makes it a cache hit.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods.base import Response, TelegramMethod

_RESPONSE_MODELS: dict[Any, Any] = {}


def keep_response_model(method: TelegramMethod[Any]) -> None:
    returning = method.__returning__
    if returning not in _RESPONSE_MODELS:
        _RESPONSE_MODELS[returning] = Response[returning]  # type: ignore[valid-type]


class TelegramSession(AiohttpSession):
    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        keep_response_model(method)
        return await super().make_request(bot, method, timeout)
