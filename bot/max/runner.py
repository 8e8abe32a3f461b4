"""`python -m bot run` with MESSENGER=max: MAX long polling (development) or MAX's webhook
(BOT_MODE=webhook, production), around the same app, dispatcher, clock and metrics as the
Telegram runner (bot/runner.py's shared pieces).

At start, what Telegram's runner does has its MAX form: who the bot is comes from `GET /me`;
commands are not set (MAX does not show commands set through the API: INFO); polling removes
a webhook subscription left by webhook mode (MAX serves no long polling while one is set), as
Telegram's runner deletes a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from maxapi.methods.types.getted_subscriptions import GettedSubscriptions

from bot.app import settle_heap
from bot.config import Settings
from bot.max.api import MaxApi
from bot.max.polling import POLL_TIMEOUT, MaxPolling
from bot.max.runtime import create_feeder, create_max_bot, polling_api
from bot.max.session import MaxSession
from bot.max.webhook import MaxWebhookServer
from bot.runner import assemble, claims_of, emit_startup, serve, start_background, until_signalled
from bot.webhook_body import BodyLimits

log = logging.getLogger(__name__)


def skip_commands() -> None:
    log.info("MAX: the command menu is not set (MAX does not show commands set through the API)")


async def leave_subscriptions(api: MaxApi) -> None:
    answer = GettedSubscriptions.model_validate(await api.call("GET", "/subscriptions"))
    for subscription in answer.subscriptions:
        log.warning(
            "a MAX webhook subscription was set (%s); removing it to use long polling",
            subscription.url,
        )
        await api.call("DELETE", "/subscriptions", params={"url": subscription.url})


@contextlib.asynccontextmanager
async def max_polling_instance(
    settings: Settings, *, timeout: int = POLL_TIMEOUT
) -> AsyncIterator[MaxPolling]:
    """Polling MAX until the block ends; then the request under way is dropped, the updates
    being handled finished, and everything closed as the Telegram runner closes it."""
    async with contextlib.AsyncExitStack() as stack:
        parts = await assemble(settings, stack, create_max_bot)
        feeder = await create_feeder(parts.dispatcher, parts.bot)
        api = polling_api(parts.app, timeout)
        stack.push_async_callback(api.close)
        polling = MaxPolling(api, feeder, timeout=timeout)
        settle_heap()
        skip_commands()
        await leave_subscriptions(api)
        await emit_startup(parts, stack)
        await start_background(parts, stack)
        stack.push_async_callback(parts.dispatcher["in_flight"].finish, 30.0)
        stack.push_async_callback(polling.finish)
        task = asyncio.create_task(polling.run())
        stack.push_async_callback(_cancel, task)
        log.info("MAX long polling started (for development; production uses the webhook)")
        yield polling


@contextlib.asynccontextmanager
async def max_webhook_instance(
    settings: Settings, limits: BodyLimits | None = None
) -> AsyncIterator[MaxWebhookServer]:
    """One MAX webhook instance, listening and subscribed, until the block ends; then the
    graceful stop of Telegram's webhook instance."""
    async with contextlib.AsyncExitStack() as stack:
        parts = await assemble(settings, stack, create_max_bot)
        claims = claims_of(parts)
        feeder = await create_feeder(parts.dispatcher, parts.bot)
        settle_heap()
        server = MaxWebhookServer(
            settings=settings.max_webhook,
            feeder=feeder,
            claims=claims,
            observability=parts.observability,
            limits=limits,
        )
        skip_commands()
        session = parts.bot.session
        assert isinstance(session, MaxSession)
        await serve(parts, stack, server, lambda: server.register(session.max_api))
        yield server


async def run_max(settings: Settings) -> None:
    """Serve MAX until SIGTERM or SIGINT, then stop gracefully."""

    async def serving(stop: asyncio.Event) -> None:
        if settings.bot_mode == "webhook":
            instance = max_webhook_instance(settings)
        else:
            instance = max_polling_instance(settings)
        async with instance:
            await stop.wait()
            log.info("stopping: finishing the updates in flight")

    await until_signalled(serving)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
