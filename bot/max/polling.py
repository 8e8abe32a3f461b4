"""MAX long polling, for development: `GET /updates` with the marker of the last batch.

MAX allows long polling 2 requests a second (and keeps updates 24 hours): requests start at
least `min_interval` apart, each held open by MAX up to `timeout` seconds while nothing happens.
An error (network, 5xx, 429) waits and asks again, the wait doubling up to `MAX_BACKOFF`
(429's Retry-After when MAX gives one). Each update is handled in a task of its own, as
aiogram's polling does; a stop waits for the ones under way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.error_text import error_label
from bot.max.api import MaxApi, MaxApiFailure
from bot.max.feed import MaxFeeder
from bot.max.updates import HANDLED, NotAMaxUpdate

log = logging.getLogger(__name__)

MIN_INTERVAL = 0.5  # seconds between requests: MAX's 2 requests/s for long polling
POLL_TIMEOUT = 30  # seconds MAX holds a request open (its own limit is 30 since 2026)
BATCH = 100  # updates a request (MAX's batch limit)
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0


class MaxPolling:
    def __init__(
        self,
        api: MaxApi,
        feeder: MaxFeeder,
        *,
        timeout: int = POLL_TIMEOUT,
        min_interval: float = MIN_INTERVAL,
        first_backoff: float = FIRST_BACKOFF,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        """`api`: a client of its own, whose timeout outlasts `timeout`."""
        self.api = api
        self.feeder = feeder
        self.timeout = timeout
        self.min_interval = min_interval
        self.first_backoff = first_backoff
        self.clock = clock
        self.sleep = sleep
        self.marker: int | None = None
        self.handling: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        """Poll until cancelled."""
        backoff = self.first_backoff
        last_request: float | None = None
        while True:
            if last_request is not None:
                wait = last_request + self.min_interval - self.clock()
                if wait > 0:
                    await self.sleep(wait)
            last_request = self.clock()
            try:
                batch = await self.poll_once()
            except (MaxApiFailure, aiohttp.ClientError, TimeoutError, ValueError) as error:
                delay = backoff
                if isinstance(error, MaxApiFailure) and error.retry_after:
                    delay = max(delay, float(error.retry_after))
                log.warning("MAX polling: %s; asking again in %.0f s", _describe(error), delay)
                await self.sleep(delay)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = self.first_backoff
            for data in batch:
                task = asyncio.create_task(self._handle(data))
                self.handling.add(task)
                task.add_done_callback(self.handling.discard)

    async def poll_once(self) -> list[dict[str, Any]]:
        """One `GET /updates`; the marker moves past the batch it returns."""
        answer = await self.api.call(
            "GET",
            "/updates",
            params={
                "marker": self.marker,
                "timeout": self.timeout,
                "limit": BATCH,
                "types": ",".join(sorted(HANDLED)),
            },
        )
        updates, marker = answer.get("updates"), answer.get("marker")
        if not isinstance(updates, list) or not isinstance(marker, int | None):
            raise ValueError("GET /updates answered without an updates list")
        if marker is not None:
            self.marker = marker
        return [data for data in updates if isinstance(data, dict)]

    async def _handle(self, data: dict[str, Any]) -> None:
        try:
            await self.feeder.feed(data)
        except NotAMaxUpdate as error:
            log.warning("MAX polling: not a MAX update: %s", str(error).splitlines()[0][:200])
        except Exception:
            log.exception("MAX polling: update %s failed", data.get("update_type"))

    async def finish(self, timeout: float = 30.0) -> None:
        """Let the updates under way finish (the marker already moved past them)."""
        if self.handling:
            await asyncio.wait(set(self.handling), timeout=timeout)


def _describe(error: Exception) -> str:
    if isinstance(error, MaxApiFailure):
        return f"MAX {error.status} {error.code}"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    return error_label(error)
