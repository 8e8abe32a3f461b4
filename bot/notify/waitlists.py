"""Waitlist notices and enrolment reminders as the bot sends them, in the person's language:
a programme's card with its buttons under «🔔 Появилось место» / «⏰ Сегодня начинается запись»,
or «Появилось время» with a button that books that topic. Sent through `send_safely` like
every reminder (the same session, its 429 handling); a blocked bot marks the person blocked."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup

from bot.app import App
from bot.notify.consultations import send_safely
from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers.catalog.views import programme_keyboard, programme_text
from handlers.links import BookConsult
from services.due_rows import Outcome
from services.waitlists.enrolment import DueEnrolReminder
from services.waitlists.notices import DueWaitNotice


class WaitlistNotices:
    def __init__(self, bot: Bot, app: App) -> None:
        self.bot = bot
        self.app = app

    async def _t(self, user_id: int) -> Translator:
        profile = await self.app.profiles.get_or_create(user_id, self.app.settings.default_locale)
        return self.app.locales.get(profile.locale)

    async def _send(self, user_id: int, text: str, markup: InlineKeyboardMarkup | None) -> Outcome:
        outcome = await send_safely(self.bot, user_id, text, markup)
        if outcome is Outcome.FAILED:
            await self.app.profiles.mark_blocked(user_id, blocked=True)
        return outcome

    async def _card(
        self, t: Translator, programme_id: int, head: str
    ) -> tuple[str, InlineKeyboardMarkup] | None:
        card = await self.app.catalog.programme(programme_id)
        if card is None:  # hidden since it was claimed
            return None
        body = await programme_text(t, card, self.app.localities, staff=False)
        return f"{head}\n\n{body}", programme_keyboard(t, card, staff=False)

    async def deliver_wait(self, notice: DueWaitNotice) -> Outcome:
        t = await self._t(notice.user_id)
        if notice.programme_id is not None:
            hours = self.app.settings.waitlist.notice_hours
            shown = await self._card(t, notice.programme_id, t("waitlist-seat-notice", hours=hours))
            if shown is None:
                return Outcome.NOT_SENT  # the next claim puts it back in the queue
            return await self._send(notice.user_id, *shown)
        service = await self.app.booking.service(notice.service_id or 0)
        if service is None:
            return Outcome.FAILED
        builder = InlineKeyboardBuilder()
        builder.button(text=t("waitlist-btn-book"), callback_data=BookConsult(service=service.id))
        text = t("waitlist-time-notice", service=service.title(t.locale))
        return await self._send(notice.user_id, text, builder.as_markup())

    async def deliver_enrolment(self, reminder: DueEnrolReminder) -> Outcome:
        t = await self._t(reminder.user_id)
        shown = await self._card(t, reminder.programme_id, t("enrol-reminder-notice"))
        if shown is None:
            return Outcome.NOT_SENT
        return await self._send(reminder.user_id, *shown)
