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


def date_text(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """The local date of a stored UTC moment, with the year («23 ноября 2026»)."""
    local = moment.astimezone(zone)
    month = t(f"month-genitive-{local.month}")
    return t("date-full", day=str(local.day), month=month, year=str(local.year))
