"""The bot's HTTP session: aiogram's own, with one request middleware that keeps answer models
alive, and a call's JSON form for replies to webhook requests.

aiogram parses every answer with `Response[method.__returning__]`, a pydantic generic model that
pydantic caches only weakly: in a running bot the class is collected and built again, schema and
all, again and again. Holding one reference per return type makes it a cache hit.
"""

from __future__ import annotations

import json
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

_RESPONSE_MODELS: dict[Any, Any] = {}


def keep_response_model(method: TelegramMethod[Any]) -> None:
    returning = method.__returning__
    if returning not in _RESPONSE_MODELS:
        _RESPONSE_MODELS[returning] = Response[returning]  # type: ignore[valid-type]


class KeepResponseModels(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        keep_response_model(method)
        return await make_request(bot, method)


def create_session(bot_api_url: str = "") -> AiohttpSession:
    """aiogram's HTTP session, on Telegram's servers or on BOT_API_URL."""
    api = TelegramAPIServer.from_base(bot_api_url) if bot_api_url else PRODUCTION
    session = AiohttpSession(api=api)
    session.middleware(KeepResponseModels())
    return session


def method_fields(session: BaseSession, bot: Bot, method: TelegramMethod[Any]) -> dict | None:
    """A call's fields as JSON values, prepared as aiogram prepares them (its public
    `prepare_value`: bot defaults applied, None left out); None when it uploads a file."""
    files: dict[str, InputFile] = {}
    prepared = session.prepare_value(method.model_dump(warnings=False), bot=bot, files=files)
    if files:
        return None
    return {key: value for key, value in json.loads(prepared).items() if value != ""}


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
