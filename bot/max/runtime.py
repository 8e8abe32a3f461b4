"""The bot in a MAX process: a Bot whose session carries its calls to MAX, and the feeder that
takes MAX's updates to the dispatcher (bot/runner.py runs them, polling or webhook)."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher

from bot.app import App, create_bot
from bot.max.api import MaxApi
from bot.max.feed import MaxFeeder
from bot.max.session import MaxSession
from bot.max.updates import MaxUpdates
from services.messengers.max_messages import MaxMessageIds

log = logging.getLogger(__name__)


def max_token(app: App) -> str:
    token = app.settings.max_token
    if token is None:
        raise ValueError("MAX_TOKEN is not set")
    return token.get_secret_value()


def create_max_bot(app: App) -> Bot:
    ids = MaxMessageIds(app.sessions, app.write_sessions)
    return create_bot(app.settings, MaxSession(max_token(app), ids, app.settings.max_api_url))


def polling_api(app: App, timeout: int) -> MaxApi:
    """A client for long polling alone: its timeout outlasts the time MAX holds a request."""
    return MaxApi(max_token(app), app.settings.max_api_url, timeout=timeout + 15)


async def create_feeder(dispatcher: Dispatcher, bot: Bot) -> MaxFeeder:
    """The feeder of a MAX process; asks MAX who the bot is (`GET /me`)."""
    assert isinstance(bot.session, MaxSession)
    me = await bot.me()
    log.info("MAX bot %s (%s)", me.username or me.first_name, me.id)
    updates = MaxUpdates(bot.session.ids, me, files=bot.session.files)
    return MaxFeeder(dispatcher, bot, updates)
