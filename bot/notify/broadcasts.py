"""The bot's side of broadcasts: turning an outbox letter into a Bot API call, classifying
what Telegram answered, and keeping the admin's progress message up to date."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select

from bot.app import App
from bot.telegram.i18n import Translator
from db.engine import read_rows
from db.models import Broadcast
from handlers.broadcasts.progress import render_progress
from services.broadcasts.service import (
    BroadcastService,
    DeliveryEngine,
    Letter,
    Outcome,
    Result,
)
from services.messengers.claims import own
from services.messengers.ids import Messenger, messenger_of
from services.people import deeplinks

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Content:
    text: str
    text_en: str | None
    photo: str | None
    document: str | None
    markup: InlineKeyboardMarkup | None


class BroadcastSender:
    """Sends one letter and says what happened, in the engine's terms."""

    def __init__(self, bot: Bot, app: App, messenger: Messenger | None = None) -> None:
        """`messenger`: whose people it sends to; by default the process's (settings)."""
        self.bot = bot
        self.app = app
        self.messenger = messenger or app.settings.messenger
        self.paid = app.settings.broadcast.paid
        self._content: dict[int, Content] = {}
        self._bot_username: str | None = None

    async def _load(self, broadcast_id: int) -> Content:
        cached = self._content.get(broadcast_id)
        if cached is not None:
            return cached
        async with self.app.sessions() as session:
            row = await session.get(Broadcast, broadcast_id)
        markup = None
        if row.button_text and row.button_url:
            url = row.button_url
        elif row.button_text and row.button_event_id:
            if self._bot_username is None:
                self._bot_username = (await self.bot.me()).username
            url = deeplinks.url(self._bot_username, "event", row.button_event_id, self.messenger)
        else:
            url = None
        if url:
            markup = InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text=row.button_text, url=url)]]
            )
        photo, document = row.photo_file_id, row.document_file_id
        if (photo or document) and messenger_of(row.created_by) != self.messenger:
            # A file id of the messenger it was composed in means nothing in this one.
            log.info("broadcast %s goes without its file in %s", broadcast_id, self.messenger)
            photo = document = None
        content = Content(row.text, row.text_en, photo, document, markup)
        self._content[broadcast_id] = content
        return content

    async def __call__(self, letter: Letter) -> Outcome:
        content = await self._load(letter.broadcast_id)
        text = content.text_en if letter.locale == "en" and content.text_en else content.text
        extra = {"allow_paid_broadcast": True} if self.paid else {}
        try:
            if content.photo:
                await self.bot.send_photo(
                    letter.user_id,
                    content.photo,
                    caption=text,
                    reply_markup=content.markup,
                    **extra,
                )
            elif content.document:
                await self.bot.send_document(
                    letter.user_id,
                    content.document,
                    caption=text,
                    reply_markup=content.markup,
                    **extra,
                )
            else:
                await self.bot.send_message(
                    letter.user_id, text, reply_markup=content.markup, **extra
                )
        except TelegramRetryAfter as error:
            return Outcome(Result.RATE_LIMITED, retry_after=float(error.retry_after))
        except TelegramForbiddenError as error:
            return Outcome(Result.BLOCKED, error=error.message)
        except TelegramBadRequest as error:
            return Outcome(Result.FAILED, error=error.message)
        except TelegramServerError as error:
            return Outcome(Result.RETRY, error=error.message)
        except TelegramNetworkError as error:
            # aiogram says "Request timeout error" when the request may have arrived;
            # other network errors (refused, reset before sending) left nothing behind.
            if "timeout" in error.message.lower():
                return Outcome(Result.UNCERTAIN, error=error.message)
            return Outcome(Result.RETRY, error=error.message)
        except Exception as error:  # e.g. an HTML 5xx page aiogram cannot decode
            log.warning("broadcast send to %s: %s", letter.user_id, type(error).__name__)
            return Outcome(Result.RETRY, error=type(error).__name__)
        return Outcome(Result.SENT)


class ProgressReporter:
    """Edits each broadcast's progress message, at most once per `every` seconds."""

    def __init__(
        self,
        bot: Bot,
        app: App,
        service: BroadcastService,
        controls: Callable[[Translator, int], InlineKeyboardMarkup] | None = None,
        messenger: Messenger | None = None,
    ) -> None:
        self.bot = bot
        self.app = app
        self.service = service
        # Progress messages in this messenger's chats only: the other process edits its own.
        self.messenger = messenger or app.settings.messenger
        # The pause/resume/cancel buttons the composer put under the message: kept on edits.
        self.controls = controls
        self.every = app.settings.broadcast.progress_every
        self._last: dict[int, tuple[float, str]] = {}

    async def update(self, *, force: bool = False) -> None:
        shown = select(Broadcast.id, Broadcast.created_by).where(
            Broadcast.progress_message_id.is_not(None),
            own(Broadcast.progress_chat_id, self.messenger),
            Broadcast.status.in_(("running", "paused", "done", "cancelled")),
        )
        rows = await read_rows(self.app.sessions, shown)  # every second: one statement
        for broadcast_id, admin_id in rows:
            await self._update_one(broadcast_id, admin_id, force)

    async def _update_one(self, broadcast_id: int, admin_id: int, force: bool) -> None:
        last_time, last_text = self._last.get(broadcast_id, (0.0, ""))
        if not force and time.monotonic() - last_time < self.every:
            return
        progress = await self.service.progress(broadcast_id)
        broadcast = await self.service.get(broadcast_id)
        if progress is None or broadcast is None:
            return
        profile = await self.app.profiles.get_or_create(admin_id, self.app.settings.default_locale)
        t = self.app.locales.get(profile.locale)
        text = render_progress(t, progress, self.app.settings.broadcast.rate, datetime.now(UTC))
        if text == last_text:  # Telegram refuses an edit that changes nothing
            return
        running = progress.status in ("scheduled", "running", "paused")
        markup = self.controls(t, broadcast_id) if self.controls and running else None
        try:
            await self.bot.edit_message_text(
                text,
                chat_id=broadcast.progress_chat_id,
                message_id=broadcast.progress_message_id,
                reply_markup=markup,
            )
        except TelegramBadRequest as error:
            log.info("progress of broadcast %s not edited: %s", broadcast_id, error.message)
        except (TelegramRetryAfter, TelegramServerError, TelegramNetworkError):
            return  # try again next tick
        self._last[broadcast_id] = (time.monotonic(), text)
        if progress.status in ("done", "cancelled"):
            # The edit above does not notify; the final report does.
            await self.service.set_progress_message(broadcast_id, None, None)
            await self._final_report(broadcast.progress_chat_id, text)

    async def _final_report(self, chat_id: int, text: str) -> None:
        for _ in range(3):
            try:
                await self.bot.send_message(chat_id, text)
                return
            except TelegramRetryAfter as error:
                await asyncio.sleep(error.retry_after)
            except (TelegramBadRequest, TelegramForbiddenError, TelegramNetworkError):
                break
        log.info("final broadcast report to %s not sent", chat_id)


# With paid broadcasts the cap is Telegram's own limit: the window leaves room for jitter.
PAID_WINDOW = 1.05


def build_engine(app: App, messenger: Messenger | None = None) -> DeliveryEngine:
    """The engine of a process that sends through `messenger` (by default the settings'): its
    people's letters only, at that messenger's cap, pausing on its 429s alone."""
    messenger = messenger or app.settings.messenger
    settings = app.settings.broadcast
    if messenger == "max":  # no paid tier: one cap for the bot's every request
        return DeliveryEngine(app.write_sessions, settings.max_rate, messenger="max")
    window = PAID_WINDOW if settings.paid else 1.0
    return DeliveryEngine(app.write_sessions, settings.rate, window=window)
