"""Webhook mode: Telegram posts each update to WEBHOOK__PUBLIC_URL + WEBHOOK__PATH.

One aiohttp listener (WEBHOOK__LISTEN_HOST:WEBHOOK__LISTEN_PORT, behind a TLS reverse proxy)
serves the webhook path, /healthz and /metrics. Per request:

1. the `X-Telegram-Bot-Api-Secret-Token` header must equal WEBHOOK__SECRET (compared in
   constant time): missing or wrong → 401, nothing parsed, nothing handled;
2. the body is read within a time and a size and parsed within bounds (bot/webhook_body.py):
   too slow → 408, too big → 413, not an update within bounds → 400, nothing handled; a
   connection that never completes a request is closed after the idle timeout;
3. the update_id is taken: `INSERT INTO processed_updates ... ON CONFLICT DO NOTHING`,
   committed on its own BEFORE handling. Already there → 200 without handling (Telegram
   re-sent an update we took, or another instance took it). The database cannot record it →
   503, nothing handled, Telegram sends it again later;
4. the update is handled to the end, and only then answered 200; the answer to a button
   press rides in that reply as a method for Telegram to execute (bot/webhook_reply.py).

Crash safety — at most once. An update whose instance dies while handling it (kill -9, OOM,
power) gets no 200, so Telegram re-sends it, but its update_id is already taken: the re-send is
answered 200 and not handled again. The update is lost; the user sees no answer (or half of
one) and repeats the action. We chose this over "record after handling" (at least once)
because:

- it is the only order under which two instances on one PostgreSQL never handle one update
  twice, even when both get it at the same moment: the unique insert decides;
- a half-handled update has usually done something already (a message sent, a booking
  written): handling it again would repeat sends that the Bot API cannot deduplicate, and the
  rest of the bot (reminders, broadcasts) already prefers "at most once" to "twice";
- a graceful stop (SIGTERM, deploys) loses nothing: the listener stops accepting and the
  requests in flight are finished and answered before the process exits.

Telegram keeps an update for at most 24 hours, so taken update_ids older than two days are
pruned by the clock (`UpdateClaims.prune`).

The webhook is registered at start (setWebhook with the secret, max_connections, the update
types the routers use, and drop_pending_updates) and deliberately NOT deleted at stop: with
several instances behind one URL, one instance stopping must not cut off the others, and
while no instance listens Telegram keeps the updates and re-sends them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import WebhookSettings
from bot.health import Observability
from bot.metrics import Metrics
from bot.telegram.session import json_bytes, method_fields
from bot.webhook_body import BadBody, BodyLimits, read_update
from bot.webhook_reply import REPLY_SLOT, ReplySlot
from db.engine import SerialWriter
from db.group_commit import GroupCommit
from db.models import ProcessedUpdate

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# How long a stop waits for requests in flight before it cancels them.
SHUTDOWN_TIMEOUT_SECONDS = 30.0
KEEP_PROCESSED = timedelta(days=2)  # Telegram keeps updates at most 24 hours
PRUNE_EVERY_SECONDS = 3600
T = TypeVar("T")


class UpdateClaims:
    """update_ids taken by some instance: a unique insert decides who handles an update.

    Claims go in group commits (db/group_commit.py), as the conversation state does: in a surge
    one insert takes a batch of updates instead of each waiting its turn at SQLite's single
    writer."""

    def __init__(
        self, writer: SerialWriter, write_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        self.write_sessions = write_sessions
        self.writer = writer
        self._insert = postgresql_insert if writer.dialect_name == "postgresql" else sqlite_insert
        self._claims: GroupCommit[int, bool] = GroupCommit(self._insert_claims)

    async def claim(self, update_id: int) -> bool:
        """True: this caller takes the update. False: it was taken before."""
        if self._claims.waiting(update_id):  # the same update twice at once: the first takes it
            return False
        return await self._claims.submit(update_id)

    async def _insert_claims(self, update_ids: list[int]) -> dict[int, bool]:
        table = ProcessedUpdate.__table__
        now = datetime.now(UTC)
        statement = (
            self._insert(table)
            .values([{"update_id": update_id, "processed_at": now} for update_id in update_ids])
            .on_conflict_do_nothing(index_elements=[table.c.update_id])
            .returning(table.c.update_id)
        )
        taken = {row.update_id for row in await self.writer.execute_rows(statement)}
        return {update_id: update_id in taken for update_id in update_ids}

    async def prune(self, keep: timedelta = KEEP_PROCESSED) -> int:
        cutoff = datetime.now(UTC) - keep
        async with self.write_sessions() as session, session.begin():
            result = await session.execute(
                delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff)
            )
        return int(getattr(result, "rowcount", 0) or 0)


async def claim_or_refuse(
    claims: UpdateClaims, metrics: Metrics, update_id: int, source: str
) -> web.Response | None:
    """None: this instance takes the update. Else the answer to post back: 503 when the claim
    could not be written (the messenger sends the update again), 200 for one taken before."""
    try:
        taken = await claims.claim(update_id)
    except SQLAlchemyError:
        metrics.refused.labels("database").inc()
        log.exception(
            "%s: could not record update %s; it will come again",
            source,
            update_id,
            extra={"update_id": update_id},
        )
        return web.Response(status=503, text="database unavailable")
    if not taken:
        metrics.refused.labels("repeat").inc()
        log.info(
            "%s: update %s was taken before; not handled again",
            source,
            update_id,
            extra={"update_id": update_id},
        )
        return web.json_response({})
    return None


def refuse_without_secret(
    request: web.Request, header: str, secret: bytes, metrics: Metrics, source: str
) -> web.Response | None:
    """401 for a request without the right secret (compared in constant time), else None.
    Its body stays unread, so the connection closes after the answer."""
    if secrets.compare_digest(request.headers.get(header, "").encode(), secret):
        return None
    metrics.refused.labels("secret").inc()
    log.warning("%s: request without the right secret from %s", source, request.remote)
    response = web.Response(status=401, text="Unauthorized")
    response.force_close()
    return response


def refuse_body(bad: BadBody, source: str) -> web.Response:
    """The answer to a body refused while reading (too slow, too big, not what was expected)."""
    log.warning("%s: request refused (%s): %s", source, bad.status, bad.reason)
    response = web.Response(status=bad.status, text=bad.reason)
    if bad.status != 400:
        response.force_close()  # the rest of the body is not worth waiting for
    return response


class WebhookHandler:
    """POST handler of the webhook path."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        claims: UpdateClaims,
        secret: str,
        metrics: Metrics,
        limits: BodyLimits | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.claims = claims
        self.secret = secret.encode()
        self.metrics = metrics
        self.limits = limits or BodyLimits()
        self.in_flight = InFlightTasks()

    async def handle(self, request: web.Request) -> web.Response:
        refused = refuse_without_secret(
            request, SECRET_HEADER, self.secret, self.metrics, "webhook"
        )
        if refused is not None:
            return refused
        try:
            payload = await read_update(request, self.limits)
        except BadBody as bad:
            return refuse_body(bad, "webhook")
        update_id = payload["update_id"]
        try:
            update = Update.model_validate(payload, context={"bot": self.bot})
        except ValidationError:
            # Telegram would re-send it for a day and we would fail each time: drop it, loudly.
            log.error(
                "webhook: update %s does not parse; dropped",
                update_id,
                extra={"update_id": update_id},
            )
            return web.json_response({})

        refused = await claim_or_refuse(self.claims, self.metrics, update_id, "webhook")
        if refused is not None:
            return refused

        reply = await self.in_flight.run(self._handle(update), update_id)
        if reply is None:
            return web.json_response({})
        return web.Response(body=reply, content_type="application/json")

    async def _handle(self, update: Update) -> bytes | None:
        """Handle the update; the method to put in the webhook's reply, as JSON, if any
        (see bot/webhook_reply.py)."""
        slot = ReplySlot()
        REPLY_SLOT.set(slot)  # this task's own context
        try:
            result = await self.dispatcher.feed_update(self.bot, update)
            if isinstance(result, TelegramMethod):
                # A handler that returned a method: call it, as polling does.
                await self.dispatcher.silent_call_request(self.bot, result)
        except Exception:
            # Counted by the metrics middleware; the update stays taken (at most once).
            log.exception(
                "webhook: update %s failed",
                update.update_id,
                extra={"update_id": update.update_id},
            )
        if slot.method is None:
            return None
        fields = method_fields(self.bot.session, self.bot, slot.method)
        if fields is None:  # cannot happen for a callback answer; never drop it silently
            await self.dispatcher.silent_call_request(self.bot, slot.method)
            return None
        return json_bytes({"method": slot.method.__api_method__, **fields})

    async def finish(self, timeout: float) -> None:
        await self.in_flight.finish(timeout)


class InFlightTasks:
    """Handling in tasks of its own, shielded from the request: if aiohttp cancels a request
    (client gone, stop timeout), the update it took is still finished when it can."""

    def __init__(self) -> None:
        self.tasks: dict[asyncio.Task[Any], int] = {}

    def __len__(self) -> int:
        return len(self.tasks)

    async def run(self, handling: Coroutine[Any, Any, T], update_id: int) -> T:
        task = asyncio.create_task(handling)
        self.tasks[task] = update_id
        task.add_done_callback(self.tasks.pop)
        return await asyncio.shield(task)

    async def finish(self, timeout: float) -> None:
        """Wait for handling whose request was cancelled; cancel what is still running."""
        if not self.tasks:
            return
        _, pending = await asyncio.wait(list(self.tasks), timeout=timeout)
        for task in pending:
            log.warning(
                "webhook: update %s was still being handled at stop; it is lost",
                self.tasks.get(task),
            )
            task.cancel()
        if pending:
            await asyncio.wait(pending)


class PostHandler(Protocol):
    async def handle(self, request: web.Request) -> web.Response: ...

    async def finish(self, timeout: float) -> None: ...


class Listener:
    """One aiohttp listener: a webhook path (POST), /healthz and /metrics; a graceful stop."""

    def __init__(
        self,
        *,
        path: str,
        handler: PostHandler,
        listen_host: str,
        listen_port: int,
        observability: Observability,
        shutdown_timeout: float = SHUTDOWN_TIMEOUT_SECONDS,
        limits: BodyLimits | None = None,
    ) -> None:
        self.path = path
        self.handler = handler
        self.listen_host, self.listen_port = listen_host, listen_port
        self.shutdown_timeout = shutdown_timeout
        self.observability = observability
        limits = limits or BodyLimits()
        web_app = web.Application()
        web_app.router.add_post(path, handler.handle)
        observability.add_routes(web_app)
        self.runner = web.AppRunner(
            web_app,
            access_log=None,
            shutdown_timeout=shutdown_timeout,
            keepalive_timeout=limits.idle_timeout,  # also bounds a request's headers
            lingering_time=limits.linger,
        )
        self.url = ""  # where this process listens, e.g. http://127.0.0.1:8080

    async def start(self) -> str:
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.listen_host, self.listen_port)
        await site.start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        log.info("webhook listener at %s%s", self.url, self.path)
        return self.url

    async def stop(self) -> None:
        """Stop accepting, finish the requests in flight (up to the timeout), then return."""
        if self.runner.server is None:  # never started
            return
        await self.runner.cleanup()
        await self.handler.finish(timeout=5.0)


class WebhookServer(Listener):
    """Telegram's webhook path, /healthz and /metrics on one listener."""

    handler: WebhookHandler

    def __init__(
        self,
        *,
        settings: WebhookSettings,
        dispatcher: Dispatcher,
        bot: Bot,
        claims: UpdateClaims,
        observability: Observability,
        shutdown_timeout: float = SHUTDOWN_TIMEOUT_SECONDS,
        limits: BodyLimits | None = None,
    ) -> None:
        if settings.secret is None:
            raise ValueError("WEBHOOK__SECRET is required in webhook mode")
        self.settings = settings
        self.dispatcher = dispatcher
        self.bot = bot
        limits = limits or BodyLimits()
        handler = WebhookHandler(
            dispatcher,
            bot,
            claims,
            settings.secret.get_secret_value(),
            observability.metrics,
            limits,
        )
        super().__init__(
            path=settings.path,
            handler=handler,
            listen_host=settings.listen_host,
            listen_port=settings.listen_port,
            observability=observability,
            shutdown_timeout=shutdown_timeout,
            limits=limits,
        )

    async def register(self) -> None:
        """setWebhook: call it once the listener is up, so the first delivery finds us."""
        settings = self.settings
        assert settings.secret is not None
        await self.bot.set_webhook(
            url=settings.url,
            secret_token=settings.secret.get_secret_value(),
            max_connections=settings.max_connections,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
            drop_pending_updates=settings.drop_pending,
        )
        log.info("webhook set to %s", settings.url)
