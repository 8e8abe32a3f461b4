"""Dates in the user's language and the department's time zone («пн, 23 ноября, 10:30»), and
the window of dates the bot accepts from anyone (typed by staff or carried by a button)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.telegram.i18n import Translator

# Wide enough for any real plan, report or event; narrow enough that nothing computed from a
# date (a day before, a year after, the moment in UTC) leaves Python's date range.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def in_window(day: date) -> bool:
    return EARLIEST <= day <= LATEST


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
