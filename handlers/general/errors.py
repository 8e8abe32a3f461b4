"""The error handlers: a press on an ended dialog gets «кнопка устарела»; anything else is
logged without personal data, apologised for, and alerted to admins (rate-limited).

Neither the log line nor the alert carries the error's message (a database error quotes the
failing row): the log has the error's class and a traceback of frames (bot/error_text.py), the
alert the class and the update id.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from aiogram import Bot
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState

from bot.config import Settings
from bot.error_text import error_label, safe_traceback
from bot.telegram.i18n import Locales, Translator
from handlers.routes import Routes
from services.messengers.ids import messenger_of
from services.notices.queue import ALERT, NoticeQueue

router = Routes("errors")
log = logging.getLogger("bot.errors")


class AdminAlerts:
    """At most one alert per `interval` seconds; the next one says how many were held back."""

    def __init__(self, interval: float = 300.0) -> None:
        self.interval = interval
        self._last = float("-inf")
        self._held_back = 0

    def take(self) -> int | None:
        now = time.monotonic()
        if now - self._last < self.interval:
            self._held_back += 1
            return None
        self._last, held = now, self._held_back
        self._held_back = 0
        return held


@router.errors(ExceptionTypeFilter(UnknownIntent, OutdatedIntent, UnknownState))
async def on_outdated_dialog(
    event: ErrorEvent, bot: Bot, locales: Locales, t: Translator | None = None
) -> None:
    """A press on a dialog that has ended or moved on (or was made by an older release)."""
    t = t or locales.get(None)
    query = event.update.callback_query
    if query is not None:
        await bot.answer_callback_query(query.id, text=t("button-outdated"))
    elif (chat_id := _private_chat_id(event.update)) is not None:
        await bot.send_message(chat_id, t("button-outdated"))


@router.errors()
async def on_error(
    event: ErrorEvent,
    bot: Bot,
    settings: Settings,
    locales: Locales,
    alerts: AdminAlerts,
    t: Translator | None = None,
    notices: NoticeQueue | None = None,
) -> None:
    update = event.update
    user = getattr(update.event, "from_user", None)
    error = event.exception
    label = error_label(error)
    # The traceback goes as text: a handler given the exception itself would print its message.
    log.error(
        "update %s from user %s failed: %s\n%s",
        update.update_id,
        user.id if user else "-",
        label,
        safe_traceback(error),
        extra={"update_id": update.update_id},
    )
    t = t or locales.get(None)
    chat_id = _private_chat_id(update)
    if chat_id is not None:
        try:
            await bot.send_message(chat_id, t("error-apology"))
        except Exception:  # the apology itself failing must not loop
            log.warning("could not apologise for update %s", update.update_id)
    held = alerts.take() if settings.admin_ids else None
    if held is None:
        return
    args = {"update_id": update.update_id, "error": label[:500], "held": held}
    text = alert_text(locales.get(None), args)
    for admin_id in settings.admin_ids:
        try:
            if messenger_of(admin_id) == settings.messenger:
                await bot.send_message(admin_id, text)
            elif notices is not None:  # an admin of the other messenger: its process tells them
                await notices.put(admin_id, ALERT, args=args)
        except Exception:
            log.warning("could not alert admin %s", admin_id)


def alert_text(t: Translator, args: dict[str, Any]) -> str:
    """An admin's alert of a failed update: its id, the error's class, how many held back."""
    return t(
        "admin-error-alert",
        update_id=str(args["update_id"]),
        error=str(args["error"]),
        held=int(args["held"]),
    )


def _private_chat_id(update) -> int | None:  # type: ignore[no-untyped-def]
    if update.message and update.message.chat.type == "private":
        return update.message.chat.id
    query = update.callback_query
    if query and query.message and query.message.chat.type == "private":
        return query.message.chat.id
    return None
