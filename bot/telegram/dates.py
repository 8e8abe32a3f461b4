"""Dates in the user's language and the department's time zone («пн, 23 ноября, 10:30»)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.telegram.i18n import Translator


def day_text(t: Translator, day: date) -> str:
    return t(
        "date-day",
        weekday=t(f"weekday-{day.weekday()}"),
        day=str(day.day),
        month=t(f"month-genitive-{day.month}"),
    )


def when_text(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return t(
        "date-time",
        weekday=t(f"weekday-{local.weekday()}"),
        day=str(local.day),
        month=t(f"month-genitive-{local.month}"),
        time=local.strftime("%H:%M"),
    )
