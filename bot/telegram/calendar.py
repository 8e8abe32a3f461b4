"""An inline month calendar: only days that can be chosen are buttons with a number.

Other cells show «·» and carry a no-op callback (the handler answers it with a toast);
weeks wholly before `first` or after `last` are left out. ◀️ ▶️ move between months, but
only within [first, last].
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable
from datetime import date, timedelta

from aiogram.types import InlineKeyboardButton

from bot.telegram.i18n import Translator

EMPTY = "·"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=_calendar.monthrange(day.year, day.month)[1])


def shift_month(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_title(t: Translator, first_of_month: date) -> str:
    return f"{t(f'month-{first_of_month.month}')} {first_of_month.year}"


def calendar_rows(
    t: Translator,
    month: date,
    pressable: set[date],
    first: date,
    last: date,
    *,
    day_data: Callable[[date], str],
    month_data: Callable[[date], str],
    noop: str,
) -> list[list[InlineKeyboardButton]]:
    """Rows of buttons for the month that contains `month`."""
    month = month_start(month)
    rows: list[list[InlineKeyboardButton]] = []
    title = InlineKeyboardButton(text=month_title(t, month), callback_data=noop)
    header = []
    previous, following = shift_month(month, -1), shift_month(month, 1)
    if month_end(previous) >= first:
        header.append(InlineKeyboardButton(text=t("btn-prev"), callback_data=month_data(previous)))
    header.append(title)
    if following <= last:
        header.append(InlineKeyboardButton(text=t("btn-next"), callback_data=month_data(following)))
    rows.append(header)
    rows.append(
        [InlineKeyboardButton(text=t(f"weekday-{n}"), callback_data=noop) for n in range(7)]
    )
    day = month - timedelta(days=month.weekday())
    end = month_end(month)
    while day <= end:
        if day + timedelta(days=6) < first or day > last:  # a week wholly outside: no row
            day += timedelta(days=7)
            continue
        week = []
        for _ in range(7):
            if day.month == month.month and day in pressable and first <= day <= last:
                week.append(InlineKeyboardButton(text=str(day.day), callback_data=day_data(day)))
            else:
                week.append(InlineKeyboardButton(text=EMPTY, callback_data=noop))
            day += timedelta(days=1)
        rows.append(week)
    return rows
