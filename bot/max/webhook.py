"""MAX's webhook: MAX posts each update to MAX_WEBHOOK__PUBLIC_URL + MAX_WEBHOOK__PATH.

Per request, as Telegram's webhook (bot/webhook.py) does:

1. the `X-Max-Bot-Api-Secret` header must equal MAX_WEBHOOK__SECRET (constant-time compare):
   missing or wrong → 401, the body not read;
2. the body is read within a time and a size (bot/webhook_body.py); not a JSON object within
   bounds, or not a MAX update → 400; an update type the bot does not handle → 200, logged
   once a type at INFO;
3. the update's stable id (bot/max/updates.py: from its mid, callback id or time and person)
   is claimed in processed_updates BEFORE handling: a re-delivery (MAX re-sends an update
   whose request failed) or the same update at a second instance is answered 200 and not
   handled again; the database cannot record it → 503, MAX sends it again later;
4. the update is handled to the end, then answered 200.

The subscription (`POST /subscriptions` with the URL, the secret and the update types) is made
at start when a public URL is configured, and left in place at stop, as Telegram's webhook.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from maxapi.methods.types.subscribed import Subscribed
from sqlalchemy.exc import SQLAlchemyError

from bot.config import MaxWebhookSettings
from bot.health import Observability
from bot.max.api import MaxApi
from bot.max.feed import MaxFeeder
from bot.max.updates import HANDLED, NotAMaxUpdate
from bot.metrics import Metrics
from bot.webhook import (
    InFlightTasks,
    Listener,
    UpdateClaims,
    claim_or_refuse,
    refuse_body,
    refuse_without_secret,
)
from bot.webhook_body import BadBody, BodyLimits, read_object

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Max-Bot-Api-Secret"


class MaxWebhookHandler:
    """POST handler of MAX's webhook path."""

    def __init__(
        self,
        feeder: MaxFeeder,
        claims: UpdateClaims,
        secret: str,
        metrics: Metrics,
        limits: BodyLimits | None = None,
    ) -> None:
        self.feeder = feeder
        self.claims = claims
        self.secret = secret.encode()
        self.metrics = metrics
        self.limits = limits or BodyLimits()
        self.in_flight = InFlightTasks()

    async def handle(self, request: web.Request) -> web.Response:
        refused = refuse_without_secret(
            request, SECRET_HEADER, self.secret, self.metrics, "MAX webhook"
        )
        if refused is not None:
            return refused
        try:
            data = await read_object(request, self.limits)
            updates = await self.feeder.updates.convert(data)
        except BadBody as bad:
            return refuse_body(bad, "MAX webhook")
        except NotAMaxUpdate as error:
            log.warning("MAX webhook: not a MAX update: %s", str(error).splitlines()[0][:200])
            return web.Response(status=400, text="expected a MAX update")
        except SQLAlchemyError:  # the mid's id could not be given: MAX sends it again later
            self.metrics.refused.labels("database").inc()
            log.exception("MAX webhook: the database did not answer; the update will come again")
            return web.Response(status=503, text="database unavailable")
        if not updates:  # a type the bot does not handle (logged once by the converter)
            return web.json_response({})
        update_id = updates[0].update_id
        refused = await claim_or_refuse(self.claims, self.metrics, update_id, "MAX webhook")
        if refused is not None:
            return refused
        await self.in_flight.run(self._handle(data, updates), update_id)
        return web.json_response({})

    async def _handle(self, data: dict[str, Any], updates: list[Any]) -> None:
        try:
            await self.feeder.handle(data, updates)
        except Exception:
            # Counted by the metrics middleware; the update stays taken (at most once).
            log.exception(
                "MAX webhook: update %s failed",
                updates[0].update_id,
                extra={"update_id": updates[0].update_id},
            )

    async def finish(self, timeout: float) -> None:
        await self.in_flight.finish(timeout)


class MaxWebhookServer(Listener):
    """MAX's webhook path, /healthz and /metrics on one listener."""

    handler: MaxWebhookHandler

    def __init__(
        self,
        *,
        settings: MaxWebhookSettings,
        feeder: MaxFeeder,
        claims: UpdateClaims,
        observability: Observability,
        limits: BodyLimits | None = None,
    ) -> None:
        if settings.secret is None:
            raise ValueError("MAX_WEBHOOK__SECRET is required in webhook mode")
        self.settings = settings
        limits = limits or BodyLimits()
        handler = MaxWebhookHandler(
            feeder, claims, settings.secret.get_secret_value(), observability.metrics, limits
        )
        super().__init__(
            path=settings.path,
            handler=handler,
            listen_host=settings.listen_host,
            listen_port=settings.listen_port,
            observability=observability,
            limits=limits,
        )

    async def register(self, api: MaxApi) -> None:
        """`POST /subscriptions`, once the listener is up; nothing without a public URL (the
        subscription is then the operator's)."""
        settings = self.settings
        if not settings.public_url:
            log.info("MAX webhook: no MAX_WEBHOOK__PUBLIC_URL; the subscription is left as is")
            return
        assert settings.secret is not None
        answer = await api.call(
            "POST",
            "/subscriptions",
            body={
                "url": settings.url,
                "update_types": sorted(HANDLED),
                "secret": settings.secret.get_secret_value(),
            },
        )
        subscribed = Subscribed.model_validate(answer)
        if not subscribed.success:
            raise RuntimeError(f"MAX refused the subscription: {subscribed.message}")
        log.info("MAX webhook subscribed: %s", settings.url)
