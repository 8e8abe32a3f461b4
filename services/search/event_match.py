"""Which upcoming events an events question asks about: by the words it names (an event's
title, description or place), the time it names (services/search/intents.py's periods), the
places it names and the child's grade. Pure: the events are read by services/events."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.catalog import text_index
from services.events.service import EventCard
from services.search.fuzzy import max_typo_distance, osa_distance

HOLIDAY_MONTHS = (1, 6, 7, 8)  # winter and summer holidays, roughly


def period_days(period: str | None, today: date) -> tuple[date, date] | None:
    """The first and last day of a period named in a question; None for none."""
    if period is None:
        return None
    if period == "today":
        return today, today
    if period == "tomorrow":
        return today + timedelta(days=1), today + timedelta(days=1)
    if period == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today
        return saturday, saturday + timedelta(days=1 if saturday.weekday() == 5 else 0)
    if period in ("week", "next-week"):
        monday = today - timedelta(days=today.weekday())
        if period == "next-week":
            monday += timedelta(days=7)
        return max(monday, today), monday + timedelta(days=6)
    if period in ("month", "next-month"):
        year, month = today.year, today.month
        if period == "next-month":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        first = date(year, month, 1)
        return max(first, today), date(year, month, calendar.monthrange(year, month)[1])
    if period.startswith("month-"):
        month = int(period.removeprefix("month-"))
        year = today.year if month >= today.month else today.year + 1
        first = date(year, month, 1)
        return max(first, today), date(year, month, calendar.monthrange(year, month)[1])
    return None


def _stems_of(card: EventCard) -> set[str]:
    return set(text_index.stems(f"{card.title} {card.description} {card.place}"))


def _mentions(wanted: str, stems: set[str]) -> bool:
    if wanted in stems:
        return True
    if len(wanted) < 5:
        return False
    limit = max_typo_distance(wanted)
    return any(
        osa_distance(wanted, item, limit) <= limit or (len(wanted) >= 6 and item.startswith(wanted))
        for item in stems
        if abs(len(item) - len(wanted)) <= max(limit, 4)
    )


def pick_events(
    cards: Iterable[EventCard],
    *,
    words: tuple[str, ...],
    kinds: tuple[str, ...] = (),
    period: str | None,
    zone: ZoneInfo,
    now: datetime,
    locality_ids: tuple[int, ...] = (),
    grade: int | None = None,
    role: str | None = None,
) -> tuple[list[EventCard], bool]:
    """(events, exact): the events that fit every named condition, those naming most of the
    question's words first (a kind of event, «фестиваль», counts only when the question names
    nothing else, and then breaks ties); when none does, the soonest events that fit the time
    and audience (exact False)."""
    days = period_days(period, now.astimezone(zone).date())
    fitting = []
    for card in cards:
        local = card.starts_at.astimezone(zone).date()
        if days is not None and not days[0] <= local <= days[1]:
            continue
        if grade is not None and not (
            (card.grade_from is None or card.grade_from <= grade)
            and (card.grade_to is None or grade <= card.grade_to)
        ):
            continue
        if role is not None and card.roles and role not in card.roles:
            continue
        if locality_ids and card.localities and not set(card.localities) & set(locality_ids):
            continue
        fitting.append(card)
    fitting.sort(key=lambda card: (card.starts_at, card.id))
    wanted = words or kinds
    if not wanted:
        return fitting, True
    scored = []
    for card in fitting:
        stems = _stems_of(card)
        hits = sum(_mentions(item, stems) for item in wanted)
        if hits:
            extra = sum(_mentions(item, stems) for item in kinds) if words else 0
            scored.append((-hits, -extra, card.starts_at, card.id, card))
    if scored:
        scored.sort(key=lambda item: item[:4])
        return [item[4] for item in scored], True
    return fitting, False
