"""Event reminders as the bot sends them: «⏰ Напоминание: <event> — <when>» in the person's
language. Failures are classified by `send_safely` for the reminder worker."""

from __future__ import annotations

from aiogram import Bot

from bot.app import App
from bot.notify.consultations import send_safely
from bot.telegram.dates import when_text
from services.booking.reminders import Outcome
from services.events.reminders import DueEventReminder


class EventNotices:
    def __init__(self, bot: Bot, app: App) -> None:
        self.bot = bot
        self.app = app
        self.events = app.events

    async def deliver(self, reminder: DueEventReminder) -> Outcome:
        card = await self.events.get(reminder.event_id)
        if card is None:
            return Outcome.FAILED
        profile = await self.app.profiles.get_or_create(
            reminder.user_id, self.app.settings.default_locale
        )
        t = self.app.locales.get(profile.locale)
        where = card.place or card.online_url
        text = t(
            "event-reminder",
            title=card.title,
            when=when_text(t, card.starts_at, self.app.settings.zone),
        )
        if where:
            text += "\n" + t("event-reminder-where", where=where)
        outcome = await send_safely(self.bot, reminder.user_id, text)
        if outcome is Outcome.FAILED:
            await self.app.profiles.mark_blocked(reminder.user_id, blocked=True)
        return outcome
