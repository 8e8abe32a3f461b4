"""The window of dates the bot accepts from anyone (typed by staff or carried by a button).

Wide enough for any real plan, report or event; narrow enough that nothing computed from a
date (a day before, a year after, the moment in UTC) leaves Python's date range.
"""

from __future__ import annotations

from datetime import date

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def in_window(day: date) -> bool:
    return EARLIEST <= day <= LATEST
