"""The notice queue's rows as this process sends them (services/notices/queue.py): only to
its own messenger's people, rendered now in the recipient's language from the booking or the
row's values, through `send_safely` like every reminder (its 429 handling, the session's
pacing); a blocked bot marks the recipient blocked."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup

from bot.app import App
from bot.notify.consultations import Notices, send_safely
from handlers.booking.specialist import rating_keyboard, rating_text
from handlers.general.errors import alert_text
from services.due_rows import Outcome
from services.notices.queue import ALERT, BOOKED, CANCELLED, MOVED, RATE, DueNotice


class NoticeSender:
    def __init__(self, bot: Bot, app: App, notices: Notices) -> None:
        self.bot = bot
        self.app = app
        self.notices = notices  # the specialist's texts

    async def deliver(self, notice: DueNotice) -> Outcome:
        shown = await self._render(notice)
        if shown is None:  # its booking or person is gone: nothing to say any more
            return Outcome.FAILED
        text, markup = shown
        outcome = await send_safely(self.bot, notice.user_id, text, markup)
        if outcome is Outcome.FAILED:
            await self.app.profiles.mark_blocked(notice.user_id, blocked=True)
        return outcome

    async def _render(self, notice: DueNotice) -> tuple[str, InlineKeyboardMarkup | None] | None:
        app = self.app
        if notice.kind == ALERT:
            return alert_text(app.locales.get(None), notice.args), None
        info = await app.booking.booking(notice.booking_id or 0)
        if info is None:
            return None
        if notice.kind == RATE:
            if info.user_id != notice.user_id:  # forgotten meanwhile
                return None
            t = app.locales.get(info.locale)
            return rating_text(t, info, app.settings.zone), rating_keyboard(t, info.id)
        if info.specialist_user_id != notice.user_id:  # unlinked meanwhile
            return None
        profile = await app.profiles.get_or_create(notice.user_id, app.settings.default_locale)
        t = app.locales.get(profile.locale)
        if notice.kind == BOOKED:
            return self.notices.booked_text(t, info), None
        if notice.kind == CANCELLED:
            return self.notices.cancelled_text(t, info), None
        if notice.kind == MOVED:
            old = datetime.fromisoformat(str(notice.args["old"]))
            return self.notices.moved_text(t, info, old), None
        return None
