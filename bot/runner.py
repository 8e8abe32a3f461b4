"""Running the bot: long polling (the default) or a webhook (BOT_MODE=webhook), in Telegram or,
with MESSENGER=max, in MAX (bot/max/: polling.py, webhook.py). Every way shares the pieces
here: the app, bot, dispatcher and clock (`assemble`), the clock and metrics started and
stopped (`start_background`), the webhook listener's life (`serve`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot, Dispatcher

from bot.app import App, build_app, create_bot, create_dispatcher, prepare_database, settle_heap
from bot.clock import Ticker, build_ticker
from bot.config import Settings
from bot.health import MetricsServer, Observability
from bot.notify.broadcasts import BroadcastSender, ProgressReporter, build_engine
from bot.notify.consultations import Notices
from bot.notify.events import EventNotices
from bot.notify.notices import NoticeSender
from bot.notify.waitlists import WaitlistNotices
from bot.telegram.commands import set_commands
from bot.webhook import PRUNE_EVERY_SECONDS, Listener, UpdateClaims, WebhookServer
from bot.webhook_body import BodyLimits
from handlers.broadcasts.progress import progress_keyboard

log = logging.getLogger(__name__)


def attach_background(dispatcher: Dispatcher, bot: Bot, app: App) -> Ticker:
    """Things the bot does on its own: notices to specialists, reminders, new slots; each
    for the people of this process's messenger only."""
    messenger = app.settings.messenger
    notices = Notices(bot, app, messenger)
    dispatcher["booking_events"] = notices
    broadcasts = (
        build_engine(app, messenger),
        BroadcastSender(bot, app, messenger),
        ProgressReporter(bot, app, app.broadcasts, controls=progress_keyboard, messenger=messenger),
    )
    event_notices = EventNotices(bot, app)
    return build_ticker(
        app,
        notices.deliver_reminder,
        broadcasts,
        event_notices.deliver,
        messenger=messenger,
        waitlists=WaitlistNotices(bot, app),
        deliver_notice=NoticeSender(bot, app, notices).deliver,
    )


@dataclass
class Parts:
    """What every way of running builds: closed by the exit stack it was assembled on."""

    settings: Settings
    app: App
    bot: Bot
    dispatcher: Dispatcher
    ticker: Ticker
    observability: Observability


async def assemble(
    settings: Settings,
    stack: contextlib.AsyncExitStack,
    make_bot: Callable[[App], Bot] | None = None,
) -> Parts:
    """The app (database prepared), the bot (`make_bot`, Telegram's by default), the
    dispatcher and its clock, not started; closed in reverse order when the stack unwinds."""
    app = build_app(settings)
    stack.push_async_callback(app.close)
    await prepare_database(app)
    bot = make_bot(app) if make_bot is not None else create_bot(settings)
    stack.push_async_callback(bot.session.close)
    dispatcher = create_dispatcher(app, throttle=True)
    stack.push_async_callback(dispatcher.storage.close)
    ticker = attach_background(dispatcher, bot, app)
    observability = Observability(app, dispatcher["metrics"], ticker)
    return Parts(settings, app, bot, dispatcher, ticker, observability)


def claims_of(parts: Parts) -> UpdateClaims:
    """Webhook mode's update claims, pruned by the clock."""
    claims = UpdateClaims(parts.app.writer, parts.app.write_sessions)
    parts.ticker.every("processed-updates", PRUNE_EVERY_SECONDS, claims.prune)
    return claims


async def start_background(
    parts: Parts, stack: contextlib.AsyncExitStack, *, metrics: bool = True
) -> None:
    """The clock ticking and, when METRICS_PORT is set, /healthz and /metrics on their port;
    both stopped when the stack unwinds."""
    parts.ticker.start()
    stack.push_async_callback(parts.ticker.stop)
    settings = parts.settings
    if metrics and settings.metrics_port:
        server = MetricsServer(parts.observability, settings.metrics_host, settings.metrics_port)
        stack.push_async_callback(server.stop)
        await server.start()


async def emit_startup(parts: Parts, stack: contextlib.AsyncExitStack) -> None:
    """The dispatcher's startup hooks now, its shutdown hooks when the stack unwinds (what
    aiogram's own polling does around it)."""
    dispatcher, bot = parts.dispatcher, parts.bot
    hooks = {"dispatcher": dispatcher, "bots": [bot], **dispatcher.workflow_data}
    await dispatcher.emit_startup(bot=bot, **hooks)
    stack.push_async_callback(dispatcher.emit_shutdown, bot=bot, **hooks)


async def serve(
    parts: Parts,
    stack: contextlib.AsyncExitStack,
    listener: Listener,
    register: Callable[[], Awaitable[None]],
) -> None:
    """A webhook listener's start, after the startup hooks and the clock; `register` once it
    listens. At unwinding: the listener stops (requests in flight finished), then the clock,
    then the shutdown hooks."""
    await emit_startup(parts, stack)
    parts.ticker.start()
    stack.push_async_callback(parts.ticker.stop)
    stack.push_async_callback(listener.stop)
    await listener.start()
    settings = parts.settings
    if settings.metrics_port:
        metrics = MetricsServer(parts.observability, settings.metrics_host, settings.metrics_port)
        stack.push_async_callback(metrics.stop)
        await metrics.start()
    await register()


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
    """`python -m bot run`. With BOT_MODE=webhook it runs `run_webhook` instead; with
    MESSENGER=max, MAX's polling or webhook (bot/max/runner.py)."""
    if settings.messenger == "max":
        from bot.max.runner import run_max

        await run_max(settings)
        return
    if settings.bot_mode == "webhook":
        await run_webhook(settings)
        return
    async with contextlib.AsyncExitStack() as stack:
        parts = await assemble(settings, stack)
        settle_heap()
        bot, dispatcher = parts.bot, parts.dispatcher
        await set_commands(bot, parts.app.locales, settings.admin_ids)
        await _leave_webhook(bot)
        await start_background(parts, stack)
        stack.push_async_callback(_finish_in_flight, dispatcher)
        await dispatcher.start_polling(
            bot, allowed_updates=dispatcher.resolve_used_update_types(), handle_signals=True
        )


@contextlib.asynccontextmanager
async def webhook_instance(
    settings: Settings, limits: BodyLimits | None = None
) -> AsyncIterator[WebhookServer]:
    """One webhook instance, listening and registered, until the block ends; then a graceful
    stop: no new requests, the ones in flight finished, clock, storage, session, engine closed
    (in that order: the exit stack unwinds backwards). `limits`: of requests (tests)."""
    async with contextlib.AsyncExitStack() as stack:
        parts = await assemble(settings, stack)
        claims = claims_of(parts)
        settle_heap()
        server = WebhookServer(
            settings=settings.webhook,
            dispatcher=parts.dispatcher,
            bot=parts.bot,
            claims=claims,
            observability=parts.observability,
            limits=limits,
        )
        await set_commands(parts.bot, parts.app.locales, settings.admin_ids)
        await serve(parts, stack, server, server.register)
        yield server


async def until_signalled(serving: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Runs `serving(stop)`, which returns once `stop` is set: by SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    try:
        await serving(stop)
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)


async def run_webhook(settings: Settings) -> None:
    """Serve the webhook until SIGTERM or SIGINT, then stop gracefully."""

    async def serving(stop: asyncio.Event) -> None:
        async with webhook_instance(settings):
            await stop.wait()
            log.info("stopping: finishing the updates in flight")

    await until_signalled(serving)
