"""The department's demand report over a period: every figure a GROUP BY in the database, so
a million logged searches cost the bot a few small result sets, never a list of rows.

The report is a list of sections, each made by one function of `SECTIONS` from one open
connection and the period's bounds; a section is a table of column codes and rows of plain
values (locality ids, direction codes, age bands, counts) that the chat, the XLSX and the
chart render in a language (handlers/insights/texts.py). The headline, `no_supply`, comes
first: the places where families searched for a direction and age and there is no programme.

Extension points (issue 15, built beside this in other branches): a section on waitlist
lengths and waiting times, and one on quiz results by direction, are functions with the
signature of `SectionMaker` added to `SECTIONS` (see the note above it); their column
codes need `insights-col-<code>` keys in locales/*/insights.ftl.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.models import DemandLog, Organisation, Programme
from services.insights.topics import AGE_BANDS

TOP = 30  # rows of a ranked section
MATRIX_ROWS = 200  # rows of the locality × direction × age band table
D = DemandLog.__table__.c


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # UTC, included
    end: datetime  # UTC, excluded


@dataclass(frozen=True, slots=True)
class Section:
    name: str  # its title is `insights-sec-<name>`
    columns: tuple[str, ...]  # codes: `insights-col-<code>`
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    # How many rows there were before the cut to the shown ones.
    total: int = 0


@dataclass(frozen=True, slots=True)
class DemandReport:
    window: Window
    sections: list[Section]

    def section(self, name: str) -> Section | None:
        return next((item for item in self.sections if item.name == name), None)

    @property
    def searches(self) -> int:
        totals = self.section("totals")
        return sum(row[1] for row in totals.rows) if totals else 0


class Query:
    """What a section is made from: a read connection, the period, and the locality × direction
    × age band table once read (the headline and the matrix share it)."""

    def __init__(self, connection: AsyncConnection, window: Window) -> None:
        self.connection = connection
        self.window = window
        self._matrix: Section | None = None

    def period(self) -> Any:
        """The demand log's rows of the period (ix_demand_log_at)."""
        return and_(D.at >= self.window.start, D.at < self.window.end)

    async def rows(self, statement: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await self.connection.execute(statement)]

    async def count(self, statement: Any) -> int:
        found = await self.connection.scalar(select(func.count()).select_from(statement.subquery()))
        return int(found or 0)

    async def matrix(self) -> Section:
        if self._matrix is None:
            self._matrix = await _matrix(self)
        return self._matrix


SectionMaker = Callable[[Query], Awaitable[Section]]


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


# --- supply: programmes by place, direction and age band ------------------------------------
Supply = dict[tuple[int, str, str | None], int]


async def supply(connection: AsyncConnection) -> Supply:
    """Visible, not online-only programmes by (locality, direction, age band); band None for
    any age. A programme counts in every band its ages touch."""
    base = (
        select(Organisation.locality_id, Programme.direction)
        .join(Organisation, Organisation.id == Programme.organisation_id)
        .where(
            Programme.hidden.is_(False),
            Organisation.hidden.is_(False),
            Programme.format != "online",
        )
        .group_by(Organisation.locality_id, Programme.direction)
    )
    parts = [
        base.add_columns(literal(band).label("band"), func.count()).where(
            Programme.age_from <= high, Programme.age_to >= low
        )
        for low, high, band in AGE_BANDS
    ]
    parts.append(base.add_columns(literal(None).label("band"), func.count()))
    found: Supply = {}
    for locality, direction, band, count in await connection.execute(union_all(*parts)):
        found[(locality, direction, band)] = count
    return found


def programmes_for(found: Supply, locality: int, direction: str | None, band: str | None) -> int:
    if direction is not None:
        return found.get((locality, direction, band), 0)
    return sum(
        count for (place, _d, at), count in found.items() if place == locality and at == band
    )


# --- the sections ----------------------------------------------------------------------------
async def demand_matrix(query: Query) -> Section:
    """Searches by locality × direction × age band, against the programmes there."""
    return await query.matrix()


async def _matrix(query: Query) -> Section:
    statement = (
        select(
            D.locality_id,
            D.direction,
            D.age_band,
            func.count(),
            _count_if(D.results == 0),
            _count_if(D.opened),
            _count_if(D.booked),
        )
        .where(query.period(), D.locality_id.is_not(None))
        .group_by(D.locality_id, D.direction, D.age_band)
    )
    grouped = await query.rows(statement)
    found = await supply(query.connection)
    rows = [(*row, programmes_for(found, row[0], row[1], row[2])) for row in grouped]
    rows.sort(key=lambda row: (-row[3], row[0], row[1] or "", row[2] or ""))
    columns = ("locality", "direction", "band", "searches", "empty", "opened", "booked")
    return Section("matrix", (*columns, "programmes"), rows[:MATRIX_ROWS], len(rows))


async def no_supply(query: Query) -> Section:
    """The headline: places where families looked for a direction (and age) and there is no
    programme of it at all."""
    matrix = await query.matrix()
    rows = [
        (place, direction, band, searches)
        for place, direction, band, searches, *_rest, programmes in matrix.rows
        if programmes == 0 and direction is not None
    ]
    columns = ("locality", "direction", "band", "searches")
    return Section("no_supply", columns, rows[:TOP], len(rows))


async def totals(query: Query) -> Section:
    statement = (
        select(
            D.kind,
            func.count(),
            _count_if(D.results == 0),
            _count_if(D.opened),
            _count_if(D.booked),
            _count_if(D.vote == 1),
            _count_if(D.vote == -1),
        )
        .where(query.period())
        .group_by(D.kind)
        .order_by(D.kind)
    )
    rows = await query.rows(statement)
    columns = ("kind", "searches", "empty", "opened", "booked", "up", "down")
    return Section("totals", columns, rows, len(rows))


async def empty_searches(query: Query) -> Section:
    """Searches that found nothing, by kind, place, direction and age band."""
    count = func.count().label("n")
    statement = (
        select(D.kind, D.locality_id, D.direction, D.age_band, count)
        .where(query.period(), D.results == 0, D.kind != "question")
        .group_by(D.kind, D.locality_id, D.direction, D.age_band)
        .order_by(count.desc(), D.kind, D.locality_id)
    )
    rows = await query.rows(statement.limit(TOP))
    columns = ("kind", "locality", "direction", "band", "searches")
    return Section("empty", columns, rows, await query.count(statement))


async def unanswered_topics(query: Query) -> Section:
    """Questions that found nothing, were answered without some of their words, or got 👎,
    grouped by their topic's stems."""
    count = func.count().label("n")
    statement = (
        select(D.topic, count, _count_if(D.vote == -1))
        .where(
            query.period(),
            D.kind == "question",
            D.topic.is_not(None),
            or_(D.results == 0, D.missed, D.vote == -1),
        )
        .group_by(D.topic)
        .order_by(count.desc(), D.topic)
    )
    rows = await query.rows(statement.limit(TOP))
    return Section("topics", ("topic", "questions", "down"), rows, await query.count(statement))


async def disliked(query: Query) -> Section:
    """Answers rated 👎: what answered (the FAQ entry, programmes, nothing) and the topic."""
    count = func.count().label("n")
    statement = (
        select(D.answer, D.topic, count)
        .where(query.period(), D.vote == -1)
        .group_by(D.answer, D.topic)
        .order_by(count.desc(), D.answer)
    )
    rows = await query.rows(statement.limit(TOP))
    return Section("disliked", ("answer", "topic", "votes"), rows, await query.count(statement))


# The report's sections in order. The lead adds, after merging the other features of issue 15:
#   waitlists — waitlist lengths and waiting times (migration 0013's tables),
#   quiz — quiz results by direction (migration 0015's),
# each an `async def name(query: Query) -> Section` aggregating in SQL, inserted here
# before `totals`; the chat, XLSX and chart render any section by its column codes.
SECTIONS: list[SectionMaker] = [
    no_supply,
    unanswered_topics,
    empty_searches,
    demand_matrix,
    disliked,
    totals,
]


async def demand_report(
    engine: AsyncEngine, window: Window, sections: list[SectionMaker] | None = None
) -> DemandReport:
    """Each section's statements on one read connection (the database does the work; the
    event loop only waits)."""
    made = []
    async with engine.connect() as connection:
        query = Query(connection, window)
        for maker in sections or SECTIONS:
            made.append(await maker(query))
    return DemandReport(window, made)


__all__ = [
    "SECTIONS",
    "DemandReport",
    "Query",
    "Section",
    "SectionMaker",
    "Window",
    "demand_report",
    "last_days",
    "window_of",
]


def window_of(first: date, last: date, zone: ZoneInfo) -> Window:
    """Local days `first`..`last`, both included."""
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return Window(start, end)


def last_days(days: int, zone: ZoneInfo, now: datetime) -> Window:
    """The last `days` local days, today included."""
    today = now.astimezone(zone).date()
    return window_of(today - timedelta(days=days - 1), today, zone)
