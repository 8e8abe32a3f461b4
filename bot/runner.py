"""Running the bot: long polling (the default) or a webhook (BOT_MODE=webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator

from aiogram import Bot, Dispatcher

from bot.app import App, build_app, create_bot, create_dispatcher, prepare_database, settle_heap
from bot.clock import Ticker, build_ticker
from bot.config import Settings
from bot.health import MetricsServer, Observability
from bot.notify.broadcasts import BroadcastSender, ProgressReporter, build_engine
from bot.notify.consultations import Notices
from bot.notify.events import EventNotices
from bot.notify.waitlists import WaitlistNotices
from bot.telegram.commands import set_commands
from bot.webhook import PRUNE_EVERY_SECONDS, UpdateClaims, WebhookServer
from bot.webhook_body import BodyLimits
from handlers.broadcasts.progress import progress_keyboard

log = logging.getLogger(__name__)


def attach_background(dispatcher: Dispatcher, bot: Bot, app: App) -> Ticker:
    """Things the bot does on its own: notices to specialists, reminders, new slots."""
    notices = Notices(bot, app)
    dispatcher["booking_events"] = notices
    broadcasts = (
        build_engine(app),
        BroadcastSender(bot, app),
        ProgressReporter(bot, app, app.broadcasts, controls=progress_keyboard),
    )
    event_notices = EventNotices(bot, app)
    return build_ticker(
        app,
        notices.deliver_reminder,
        broadcasts,
        event_notices.deliver,
        waitlists=WaitlistNotices(bot, app),
    )


def _metrics_server(settings: Settings, observability: Observability) -> MetricsServer | None:
    if not settings.metrics_port:
        return None
    return MetricsServer(observability, settings.metrics_host, settings.metrics_port)


async def _leave_webhook(bot: Bot) -> None:
    """getUpdates fails (409) while a webhook is set: remove one left by webhook mode."""
    info = await bot.get_webhook_info()
    if info.url:
        log.warning("a webhook was set (%s); removing it to use long polling", info.url)
        await bot.delete_webhook(drop_pending_updates=False)


async def _finish_in_flight(dispatcher: Dispatcher, timeout: float = 30.0) -> None:
    """Let updates being handled finish: polling already moved its offset past them, so an
    update cut short here would be lost."""
    await dispatcher["in_flight"].finish(timeout)


async def run_polling(settings: Settings) -> None:
    """`python -m bot run`. With BOT_MODE=webhook it runs `run_webhook` instead."""
    if settings.bot_mode == "webhook":
        await run_webhook(settings)
        return
    app = build_app(settings)
    await prepare_database(app)
    bot = create_bot(settings)
    dispatcher = create_dispatcher(app, throttle=True)
    ticker = attach_background(dispatcher, bot, app)
    settle_heap()
    metrics_server = _metrics_server(settings, Observability(app, dispatcher["metrics"], ticker))
    try:
        await set_commands(bot, app.locales, settings.admin_ids)
        await _leave_webhook(bot)
        ticker.start()
        if metrics_server is not None:
            await metrics_server.start()
        await dispatcher.start_polling(
            bot, allowed_updates=dispatcher.resolve_used_update_types(), handle_signals=True
        )
    finally:
        await _finish_in_flight(dispatcher)
        if metrics_server is not None:
            await metrics_server.stop()
        await ticker.stop()
        await dispatcher.storage.close()
        await bot.session.close()
        await app.close()


@contextlib.asynccontextmanager
async def webhook_instance(
    settings: Settings, limits: BodyLimits | None = None
) -> AsyncIterator[WebhookServer]:
    """One webhook instance, listening and registered, until the block ends; then a graceful
    stop: no new requests, the ones in flight finished, clock, storage, session, engine closed
    (in that order: the exit stack unwinds backwards). `limits`: of requests (tests)."""
    async with contextlib.AsyncExitStack() as stack:
        app = build_app(settings)
        stack.push_async_callback(app.close)
        await prepare_database(app)
        bot = create_bot(settings)
        stack.push_async_callback(bot.session.close)
        dispatcher = create_dispatcher(app, throttle=True)
        stack.push_async_callback(dispatcher.storage.close)
        hooks = {"dispatcher": dispatcher, "bots": [bot], **dispatcher.workflow_data}
        ticker = attach_background(dispatcher, bot, app)
        claims = UpdateClaims(app.writer, app.write_sessions)
        ticker.every("processed-updates", PRUNE_EVERY_SECONDS, claims.prune)
        settle_heap()
        observability = Observability(app, dispatcher["metrics"], ticker)
        server = WebhookServer(
            settings=settings.webhook,
            dispatcher=dispatcher,
            bot=bot,
            claims=claims,
            observability=observability,
            limits=limits,
        )
        await set_commands(bot, app.locales, settings.admin_ids)
        await dispatcher.emit_startup(bot=bot, **hooks)
        stack.push_async_callback(dispatcher.emit_shutdown, bot=bot, **hooks)
        ticker.start()
        stack.push_async_callback(ticker.stop)
        stack.push_async_callback(server.stop)
        await server.start()
        metrics_server = _metrics_server(settings, observability)
        if metrics_server is not None:
            stack.push_async_callback(metrics_server.stop)
            await metrics_server.start()
        await server.register()
        yield server


async def run_webhook(settings: Settings) -> None:
    """Serve the webhook until SIGTERM or SIGINT, then stop gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    try:
        async with webhook_instance(settings):
            await stop.wait()
            log.info("stopping: finishing the updates in flight")
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
