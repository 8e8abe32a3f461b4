"""Replies that meet Telegram's 429 wait `retry_after` and go again, a bounded number of times.

Two parts:
- `ReplyScope`, an update outer middleware, marks the calls made while handling an update
  (replies, and notices sent on a person's behalf) with a context variable;
- `RetryAfter`, a session request middleware (`bot.session.middleware(...)`), retries only
  marked calls. Everything sent by the clock (broadcasts, reminders, progress edits) goes
  unmarked and meets 429 as before: those senders pace and retry themselves, and a second
  retry underneath them would double their waits.

A 429 is logged as one WARNING line. Once a chat met a 429, calls to it queue one behind
another, `retry_after` seconds apart, until the chat has been quiet that long: a person's
replies stay in order and do not all hit the limit again at the same moment. A call gives up
after `attempts` retries or once waiting would pass `budget` seconds: that is one more WARNING
line, and `ReplyScope` ends the update quietly instead of the error handler's traceback,
apology and alert (which would meet 429 too).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject

log = logging.getLogger(__name__)

REPLYING: ContextVar[bool] = ContextVar("replying", default=False)


class ReplyScope(BaseMiddleware):
    """Marks the Bot API calls made while handling an update as replies (see RetryAfter)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = REPLYING.set(True)
        try:
            return await handler(event, data)
        except TelegramRetryAfter:
            return None  # RetryAfter gave up on a reply and said so in its WARNING line
        finally:
            REPLYING.reset(token)


class _ChatWait:
    """A chat that met a 429: calls to it go one at a time, `spacing` seconds apart (the
    retry_after Telegram gave), the next one not before `until`."""

    __slots__ = ("lock", "spacing", "until", "users")

    def __init__(self, until: float, spacing: float) -> None:
        self.until = until
        self.spacing = spacing
        self.lock = asyncio.Lock()
        self.users = 0


class _OutOfTime(TelegramRetryAfter):
    """The chat's wait would outlast this call's budget: give up without sending."""


class RetryAfter(BaseRequestMiddleware):
    def __init__(
        self,
        attempts: int = 3,
        budget: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.attempts = attempts
        self.budget = budget
        self.clock = clock
        self.sleep = sleep
        self.waits: dict[Any, _ChatWait] = {}
        self.retried = 0  # calls sent again after a 429
        self.given_up = 0

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not REPLYING.get():
            return await make_request(bot, method)
        chat = getattr(method, "chat_id", None)
        deadline = self.clock() + self.budget
        retries = 0
        while True:
            try:
                return await self._send(make_request, bot, method, chat, deadline)
            except TelegramRetryAfter as error:
                until = self.clock() + error.retry_after
                if isinstance(error, _OutOfTime) or retries >= self.attempts or until > deadline:
                    self.given_up += 1
                    log.warning(
                        "429 on %s: not sent, gave up after %d retries (retry_after %s s)",
                        method.__api_method__,
                        retries,
                        error.retry_after,
                    )
                    raise
                retries += 1
                self.retried += 1
                log.warning(
                    "429 on %s: sending again in %s s (retry %d of %d)",
                    method.__api_method__,
                    error.retry_after,
                    retries,
                    self.attempts,
                )
                if chat is None:
                    await self.sleep(error.retry_after)
                else:
                    self._hold(chat, error.retry_after)

    def _hold(self, chat: Any, retry_after: float) -> None:
        now = self.clock()
        wait = self.waits.get(chat)
        if wait is not None:
            wait.until = max(wait.until, now + retry_after)
            wait.spacing = max(wait.spacing, retry_after)
            return
        for calm in [c for c, w in self.waits.items() if w.users == 0 and w.until <= now]:
            del self.waits[calm]  # chats that went quiet
        self.waits[chat] = _ChatWait(now + retry_after, retry_after)

    async def _send(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        chat: Any,
        deadline: float,
    ) -> Response[TelegramType]:
        """Send at once, or, while the chat is under a 429, queue behind its other calls."""
        wait = self.waits.get(chat) if chat is not None else None
        if wait is not None and wait.users == 0 and self.clock() >= wait.until:
            del self.waits[chat]  # quiet for a whole spacing: the chat is calm again
            wait = None
        if wait is None:
            return await make_request(bot, method)
        wait.users += 1
        try:
            try:
                async with asyncio.timeout(max(0.0, deadline - self.clock())):
                    await wait.lock.acquire()
            except TimeoutError:
                raise _OutOfTime(method, "the chat's queue outlasted the budget", 1) from None
            try:
                delay = wait.until - self.clock()
                if delay > 0:
                    if self.clock() + delay > deadline:
                        raise _OutOfTime(
                            method, "the chat's wait outlasts the budget", math.ceil(delay)
                        )
                    await self.sleep(delay)
                result = await make_request(bot, method)
                wait.until = max(wait.until, self.clock() + wait.spacing)  # keep the pace
                return result
            finally:
                wait.lock.release()
        finally:
            wait.users -= 1


def install(bot: Bot, retry: RetryAfter | None = None) -> RetryAfter:
    """Put the retry on the bot's session once (a session may serve more than one Bot)."""
    for middleware in bot.session.middleware:
        if isinstance(middleware, RetryAfter):
            return middleware
    retry = retry or RetryAfter()
    bot.session.middleware(retry)
    return retry
