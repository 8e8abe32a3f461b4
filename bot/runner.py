"""Long polling: the default way to run the bot."""

from __future__ import annotations

import logging

from bot.app import build_app, create_bot, create_dispatcher, prepare_database
from bot.commands import set_commands
from bot.config import Settings

log = logging.getLogger(__name__)


async def run_polling(settings: Settings) -> None:
    app = build_app(settings)
    await prepare_database(app)
    bot = create_bot(settings)
    dispatcher = create_dispatcher(app)
    try:
        await set_commands(bot, app.locales)
        await dispatcher.start_polling(
            bot, allowed_updates=dispatcher.resolve_used_update_types(), handle_signals=True
        )
    finally:
        await dispatcher.storage.close()
        await bot.session.close()
        await app.close()
