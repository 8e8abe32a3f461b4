"""Long polling: the default way to run the bot."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher

from bot.app import App, build_app, create_bot, create_dispatcher, prepare_database
from bot.broadcasting import BroadcastSender, ProgressReporter, build_engine
from bot.clock import Ticker, build_ticker
from bot.commands import set_commands
from bot.config import Settings
from bot.event_notices import EventNotices
from bot.notices import Notices

log = logging.getLogger(__name__)


def attach_background(dispatcher: Dispatcher, bot: Bot, app: App) -> Ticker:
    """Things the bot does on its own: notices to specialists, reminders, new slots."""
    notices = Notices(bot, app)
    dispatcher["booking_events"] = notices
    broadcasts = (
        build_engine(app),
        BroadcastSender(bot, app),
        ProgressReporter(bot, app, app.broadcasts),
    )
    event_notices = EventNotices(bot, app)
    return build_ticker(app, notices.deliver_reminder, broadcasts, event_notices.deliver)


async def run_polling(settings: Settings) -> None:
    app = build_app(settings)
    await prepare_database(app)
    bot = create_bot(settings)
    dispatcher = create_dispatcher(app)
    ticker = attach_background(dispatcher, bot, app)
    try:
        await set_commands(bot, app.locales)
        ticker.start()
        await dispatcher.start_polling(
            bot, allowed_updates=dispatcher.resolve_used_update_types(), handle_signals=True
        )
    finally:
        ticker.shutdown()
        await dispatcher.storage.close()
        await bot.session.close()
        await app.close()
