"""Messages the bot sends on its own about consultations: reminders, specialist notices.

Failures are classified for the reminder worker: a 403 means the user blocked the bot,
a timeout or network error after the request left may have delivered it (uncertain).
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup

from bot.app import App
from bot.telegram.dates import when_text
from bot.telegram.i18n import Translator
from services.booking.reminders import CLOSED_NOTICE, DueReminder, Outcome
from services.booking.service import BookingInfo
from services.messengers.ids import Messenger, messenger_of
from services.notices.queue import BOOKED, CANCELLED, MOVED
from services.people.privacy import FORGET_REASON

log = logging.getLogger(__name__)


def _place(info: BookingInfo) -> str:
    return ", ".join(part for part in (info.specialist.provider, info.address) if part)


async def send_safely(
    bot: Bot, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Outcome:
    try:
        if reply_markup is None:
            await bot.send_message(chat_id, text)
        else:  # a card with its buttons (waitlist notices)
            await bot.send_message(
                chat_id, text, reply_markup=reply_markup, disable_web_page_preview=True
            )
    except TelegramForbiddenError:
        return Outcome.FAILED
    except TelegramBadRequest as error:
        log.warning("message to %s refused: %s", chat_id, error.message)
        return Outcome.FAILED
    except (TelegramRetryAfter, TelegramServerError):
        return Outcome.NOT_SENT
    except (TimeoutError, TelegramNetworkError):
        return Outcome.UNCERTAIN
    return Outcome.SENT


def _reason(t: Translator, reason: str | None) -> str:
    """A cancellation's reason as the specialist reads it: ours by name, the parent's as typed."""
    if reason == "closed":  # days closed by staff (services/schedule.add_exception)
        return t("notice-reason-closed")
    if reason == FORGET_REASON:  # read back from a forgotten parent's booking (notice queue)
        return t("privacy-forget-reason")
    return reason or t("notice-none")


class Notices:
    def __init__(self, bot: Bot, app: App, messenger: Messenger | None = None) -> None:
        """`messenger`: whose people this process tells; by default the process's (settings)."""
        self.bot = bot
        self.app = app
        self.messenger = messenger or app.settings.messenger

    def _t(self, locale: str | None) -> Translator:
        return self.app.locales.get(locale)

    def _when(self, t: Translator, moment: datetime) -> str:
        return when_text(t, moment, self.app.settings.zone)

    async def deliver_reminder(self, reminder: DueReminder) -> Outcome:
        info = await self.app.booking.booking(reminder.booking_id)
        if info is None or info.user_id is None:
            return Outcome.FAILED
        if reminder.kind == CLOSED_NOTICE:
            return await self.slot_closed(info)
        t = self._t(info.locale)
        text = t(
            "notice-reminder",
            when=self._when(t, info.starts_at),
            service=info.service.title(t.locale),
            specialist=info.specialist.name,
            place=_place(info),
            format=t(f"notice-format-{info.format}"),
            code=info.code,
        )
        outcome = await send_safely(self.bot, info.user_id, text)
        if outcome is Outcome.FAILED:
            await self.app.profiles.mark_blocked(info.user_id, blocked=True)
        return outcome

    async def slot_closed(self, info: BookingInfo) -> Outcome:
        """Tells the parent, in the booking's language, that staff closed its slot."""
        if info.user_id is None:
            return Outcome.FAILED
        t = self._t(info.locale)
        text = t(
            "notice-slot-closed",
            when=self._when(t, info.starts_at),
            specialist=info.specialist.name,
            code=info.code,
        )
        outcome = await send_safely(self.bot, info.user_id, text)
        if outcome is Outcome.FAILED:
            await self.app.profiles.mark_blocked(info.user_id, blocked=True)
        return outcome

    # --- to the specialist (the booking_events the booking handlers call) --------------
    # A specialist of the other messenger hears through the notice queue (services/notices):
    # this process's bot cannot reach them; the text is rendered there, from the booking.
    async def _specialist(self, info: BookingInfo) -> Translator | None:
        if info.specialist_user_id is None:
            return None
        profile = await self.app.profiles.get_or_create(info.specialist_user_id, "ru")
        return self._t(profile.locale)

    async def _queued(
        self, info: BookingInfo, kind: str, args: dict[str, object] | None = None
    ) -> bool:
        """True when the specialist is of the other messenger: the notice is queued for its
        process to send."""
        user_id = info.specialist_user_id
        if user_id is None or messenger_of(user_id) == self.messenger:
            return False
        await self.app.notices.put(user_id, kind, booking_id=info.id, args=args)
        return True

    async def _tell(self, info: BookingInfo, text: str) -> Outcome:
        assert info.specialist_user_id is not None
        outcome = await send_safely(self.bot, info.specialist_user_id, text)
        if outcome is Outcome.FAILED:
            await self.app.profiles.mark_blocked(info.specialist_user_id, blocked=True)
        return outcome

    async def booked(self, info: BookingInfo) -> None:
        if await self._queued(info, BOOKED):
            return
        t = await self._specialist(info)
        if t is not None:
            await self._tell(info, self.booked_text(t, info))

    async def cancelled(self, info: BookingInfo) -> None:
        if await self._queued(info, CANCELLED):
            return
        t = await self._specialist(info)
        if t is not None:
            await self._tell(info, self.cancelled_text(t, info))

    async def moved(self, info: BookingInfo, old_starts_at: datetime) -> None:
        if await self._queued(info, MOVED, {"old": old_starts_at.isoformat()}):
            return
        t = await self._specialist(info)
        if t is not None:
            await self._tell(info, self.moved_text(t, info, old_starts_at))

    # --- the texts, in the specialist's language (here or from the notice queue) --------
    def booked_text(self, t: Translator, info: BookingInfo) -> str:
        none = t("notice-none")
        return t(
            "notice-specialist-booked",
            when=self._when(t, info.starts_at),
            service=info.service.title(t.locale),
            format=t(f"notice-format-{info.format}"),
            name=info.name or none,
            phone=info.phone or none,
            age=str(info.child_age) if info.child_age is not None else none,
            question=info.question or none,
            code=info.code,
        )

    def cancelled_text(self, t: Translator, info: BookingInfo) -> str:
        return t(
            "notice-specialist-cancelled",
            when=self._when(t, info.starts_at),
            code=info.code,
            reason=_reason(t, info.cancel_reason),
        )

    def moved_text(self, t: Translator, info: BookingInfo, old_starts_at: datetime) -> str:
        return t(
            "notice-specialist-moved",
            when=self._when(t, info.starts_at),
            old=self._when(t, old_starts_at),
            code=info.code,
        )
