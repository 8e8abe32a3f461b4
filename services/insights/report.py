"""The department's demand report over a period: every figure a GROUP BY in the database, so
a million logged searches cost the bot two small result sets, never a list of rows.

Two statements read the log, each along a covering index in its GROUP BY's order (no table
rows, no sort; see DemandLog): `cells` counts searches by kind × locality × direction × age
band, `topics` counts questions by topic × answer; a third counts programmes by locality ×
direction × age band. The sections are made from these few thousand grouped rows.

The report is a list of sections, each made by one function of `SECTIONS` from a `Query`
(the open connection, the period and those grouped rows, read once); a section is a table of
column codes and rows of plain values (locality ids, direction codes, age bands, counts) that
the chat, the XLSX and the chart render in a language (handlers/insights/texts.py). The
headline, `no_supply`, comes first: the places where families searched for a direction and
age and there is no programme.

Waitlist lengths and waiting times, and interest-quiz results by direction, are sections of
their own, each one GROUP BY over its table (they hold a person's id, which no section shows).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.models import (
    ConsultService,
    DemandLog,
    Organisation,
    Programme,
    Provider,
    QuizResult,
    WaitlistEntry,
)
from services.insights.topics import AGE_BANDS

TOP = 30  # rows of a ranked section
MATRIX_ROWS = 200  # rows of the locality × direction × age band table
D = DemandLog.__table__.c
Cell = tuple[str | None, int | None, str | None, str | None]  # kind, locality, direction, band
Supply = dict[tuple[int, str, str | None], int]


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


@dataclass(frozen=True, slots=True)
class Counts:
    """Searches of a cell: in all, with no result, a card opened, «how to enrol», 👍, 👎."""

    searches: int = 0
    empty: int = 0
    opened: int = 0
    booked: int = 0
    up: int = 0
    down: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.searches, self.empty, self.opened, self.booked, self.up, self.down)


class Query:
    """What a section is made from: a read connection, the period, and the log's grouped rows
    and the programmes' counts, each read once for all sections."""

    def __init__(self, connection: AsyncConnection, window: Window) -> None:
        self.connection = connection
        self.window = window
        self._cells: dict[Cell, Counts] | None = None
        self._topics: list[tuple[str, str | None, int, int]] | None = None
        self._supply: Supply | None = None

    def period_of(self, column: Any) -> Any:
        return and_(column >= self.window.start, column < self.window.end)

    async def cells(self) -> dict[Cell, Counts]:
        """Searches by kind × locality × direction × age band (ix_demand_log_cells)."""
        if self._cells is None:
            statement = (
                select(
                    D.kind,
                    D.locality_id,
                    D.direction,
                    D.age_band,
                    func.count(),
                    _count_if(D.results == 0),
                    _count_if(D.opened),
                    _count_if(D.booked),
                    _count_if(D.vote == 1),
                    _count_if(D.vote == -1),
                )
                .where(self.period_of(D.at))
                .group_by(D.kind, D.locality_id, D.direction, D.age_band)
            )
            self._cells = {
                tuple(row[:4]): Counts(*(int(value or 0) for value in row[4:]))  # type: ignore[misc]
                for row in await self.connection.execute(statement)
            }
        return self._cells

    async def topics(self) -> list[tuple[str, str | None, int, int]]:
        """Questions by topic × answer: (topic, answer, unanswered, 👎) (ix_demand_log_topics);
        unanswered: nothing found, words left out, or 👎."""
        if self._topics is None:
            statement = (
                select(
                    D.topic,
                    D.answer,
                    _count_if(or_(D.results == 0, D.missed, D.vote == -1)),
                    _count_if(D.vote == -1),
                )
                .where(D.topic.is_not(None), self.period_of(D.at))
                .group_by(D.topic, D.answer)
            )
            self._topics = [
                (row[0], row[1], int(row[2] or 0), int(row[3] or 0))
                for row in await self.connection.execute(statement)
            ]
        return self._topics

    async def supply(self) -> Supply:
        if self._supply is None:
            self._supply = await supply(self.connection)
        return self._supply


SectionMaker = Callable[[Query], Awaitable[Section]]


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


# --- supply: programmes by place, direction and age band ------------------------------------
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
    """Searches by locality × direction × age band (every kind), against the programmes there."""
    merged: dict[tuple[int, str | None, str | None], Counts] = defaultdict(Counts)
    for (_kind, place, direction, band), counts in (await query.cells()).items():
        if place is not None:
            merged[(place, direction, band)] += counts
    found = await query.supply()
    rows = [
        (*key, *counts.as_tuple()[:4], programmes_for(found, *key))
        for key, counts in merged.items()
    ]
    rows.sort(key=lambda row: (-row[3], row[0], row[1] or "", row[2] or ""))
    columns = ("locality", "direction", "band", "searches", "empty", "opened", "booked")
    return Section("matrix", (*columns, "programmes"), rows[:MATRIX_ROWS], len(rows))


async def no_supply(query: Query) -> Section:
    """The headline: places where families looked for a direction (and age) and there is no
    programme of it at all."""
    matrix = await demand_matrix(query)
    rows = [
        (place, direction, band, searches)
        for place, direction, band, searches, *_rest, programmes in matrix.rows
        if programmes == 0 and direction is not None
    ]
    columns = ("locality", "direction", "band", "searches")
    return Section("no_supply", columns, rows[:TOP], len(rows))


async def totals(query: Query) -> Section:
    merged: dict[str, Counts] = defaultdict(Counts)
    for (kind, *_where), counts in (await query.cells()).items():
        merged[kind or ""] += counts
    rows = [(kind, *merged[kind].as_tuple()) for kind in sorted(merged)]
    columns = ("kind", "searches", "empty", "opened", "booked", "up", "down")
    return Section("totals", columns, rows, len(rows))


async def empty_searches(query: Query) -> Section:
    """Lists and «Рядом» that found nothing, by kind, place, direction and age band."""
    rows = [
        (*cell, counts.empty)
        for cell, counts in (await query.cells()).items()
        if cell[0] != "question" and counts.empty
    ]
    rows.sort(key=lambda row: (-row[4], row[0] or "", row[1] or 0, row[2] or "", row[3] or ""))
    columns = ("kind", "locality", "direction", "band", "searches")
    return Section("empty", columns, rows[:TOP], len(rows))


async def unanswered_topics(query: Query) -> Section:
    """Questions that found nothing, were answered without some of their words, or got 👎,
    grouped by their topic's stems."""
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for topic, _answer, unanswered, down in await query.topics():
        merged[topic][0] += unanswered
        merged[topic][1] += down
    rows = [(topic, n, down) for topic, (n, down) in merged.items() if n]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return Section("topics", ("topic", "questions", "down"), rows[:TOP], len(rows))


async def disliked(query: Query) -> Section:
    """Answers rated 👎: what answered (the FAQ entry, programmes, nothing) and the topic."""
    rows = [(answer, topic, down) for topic, answer, _n, down in await query.topics() if down]
    rows.sort(key=lambda row: (-row[2], row[0] or "", row[1]))
    return Section("disliked", ("answer", "topic", "votes"), rows[:TOP], len(rows))


def _hours_between(start: Any, end: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return func.extract("epoch", end - start) / 3600
    return (func.julianday(end) - func.julianday(start)) * 24


async def waitlists(query: Query) -> Section:
    """Waitlists with someone waiting now, or joined or told in the period: the longest queues
    first, with how long those told in the period had waited (mean and longest, hours)."""
    w = WaitlistEntry.__table__.c
    told = and_(w.sent_at.is_not(None), query.period_of(w.sent_at))
    hours = _hours_between(w.joined_at, w.sent_at, query.connection.dialect.name)
    waiting = _count_if(w.state == "waiting")
    joined = _count_if(query.period_of(w.joined_at))
    statement = (
        select(
            func.max(
                func.coalesce(
                    Programme.name, ConsultService.name + " · " + func.coalesce(Provider.name, "*")
                )
            ),
            waiting,
            joined,
            _count_if(told),
            func.avg(case((told, hours))),
            func.max(case((told, hours))),
        )
        .select_from(WaitlistEntry.__table__)
        .outerjoin(Programme, Programme.id == w.programme_id)
        .outerjoin(ConsultService, ConsultService.id == w.service_id)
        .outerjoin(Provider, Provider.id == w.provider_id)
        .group_by(w.target)
        .having(or_(waiting > 0, joined > 0, _count_if(told) > 0))
    )
    rows = [
        (
            title or "—",
            int(n or 0),
            int(new or 0),
            int(done or 0),
            round(float(mean), 1) if mean is not None else "—",
            round(float(longest), 1) if longest is not None else "—",
        )
        for title, n, new, done, mean, longest in await query.connection.execute(statement)
    ]
    rows.sort(key=lambda row: (-row[1], -row[2], str(row[0])))
    return Section(
        "waitlists",
        ("waitlist", "waiting", "joined", "told", "mean_hours", "max_hours"),
        rows[:TOP],
        len(rows),
    )


async def quiz(query: Query) -> Section:
    """Interest-quiz results taken in the period, by the direction that came first."""
    q = QuizResult.__table__.c
    statement = (
        select(q.top_direction, func.count())
        .where(query.period_of(q.taken_at))
        .group_by(q.top_direction)
    )
    rows = [(direction, int(n)) for direction, n in await query.connection.execute(statement)]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return Section("quiz", ("direction", "results"), rows, len(rows))


# The report's sections in order; the chat, XLSX and chart render any section by its column
# codes (`insights-col-<code>`), its title and empty line by its name.
SECTIONS: list[SectionMaker] = [
    no_supply,
    unanswered_topics,
    empty_searches,
    demand_matrix,
    disliked,
    waitlists,
    quiz,
    totals,
]


async def demand_report(
    engine: AsyncEngine, window: Window, sections: list[SectionMaker] | None = None
) -> DemandReport:
    """The sections from one read connection (the database does the counting; the event
    loop only waits for a few thousand grouped rows)."""
    made = []
    async with engine.connect() as connection:
        query = Query(connection, window)
        for maker in sections or SECTIONS:
            made.append(await maker(query))
    return DemandReport(window, made)


def window_of(first: date, last: date, zone: ZoneInfo) -> Window:
    """Local days `first`..`last`, both included."""
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return Window(start, end)


def last_days(days: int, zone: ZoneInfo, now: datetime) -> Window:
    """The last `days` local days, today included."""
    today = now.astimezone(zone).date()
    return window_of(today - timedelta(days=days - 1), today, zone)


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
