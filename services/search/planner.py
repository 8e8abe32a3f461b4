"""Bounded retrieval plans: which statements a question runs to find its candidate rows.

At 100,000 programmes a common word («шахматы», «робототехника») matches thousands of rows,
and anything that touches every match (bm25 over all of them, joining each row) costs
20–60 ms on SQLite. So every plan is bounded by a LIMIT that stops the scan early, and only
a rare question (few matches, known from the vocabulary's frequencies) reads all matches:
- "all":    few matches: all of them, ranked exactly in Python;
- "rings":  with a point (a shared location, or the profile's locality): organisations by
            distance, in rings growing fourfold until enough programmes match;
- "tiers":  FTS-driven scans in id order, strongest terms first (all terms directly, any term
            directly, related words), each stopping after `CANDIDATES` rows; a named place
            is a filter of the scan;
- "place":  a named place and no words: its organisations' programmes;
- "orgs":   a kind of organisation named («Кванториум»): those organisations' programmes
            (that match the words), found through the organisations, not the words;
- "filters": no words: the programmes passing the filters.
The rows come back with their stems; ranking orders them the same way for every plan and
both databases. A plan that stopped early (a LIMIT reached, rings or tiers left) says so:
the rows are then some of the matches, not all (the answer says «больше N»).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.search import statements
from services.search.statements import Filters, Row
from services.search.vocabulary import Org, Vocabulary
from services.search.words import DIRECT

CANDIDATES = 40  # rows a bounded scan stops after (at least 3 × limit)
ALL_MATCHES = 300  # questions estimated to match fewer programmes read them all
MAX_ROWS = 600  # the most rows one statement returns (a place's or a ring's matches)
RING_MIN = 800  # programmes in the first ring; each next ring is RING_GROWTH times larger
RING_GROWTH = 4
RING_ROUNDS = 4
RING_ORDERS = 64  # points whose organisations' order is kept (profile localities repeat)


async def retrieve(
    connection: AsyncConnection,
    terms: list[dict[tuple[str, ...], int]],
    filters: Filters,
    vocabulary: Vocabulary,
    *,
    origin: tuple[float, float] | None,
    limit: int,
) -> tuple[list[Row], tuple[str, int], bool]:
    """The candidate rows of a question, (the plan's name, statements run), and whether
    there may be more matches than the rows."""
    enough = max(limit, 1)
    plan = Plan(connection, terms, filters, vocabulary)
    if terms and plan.estimate() <= ALL_MATCHES:
        name = "all"
        await plan.by_match(plan.match() or "", MAX_ROWS)
    elif origin is not None:
        name = "rings"
        await plan.rings(origin, enough)
    elif filters.org_types:
        name = "orgs"
        org_ids = [org.id for org in plan.allowed_orgs(vocabulary.orgs)]
        if org_ids:
            match = plan.match() if terms else None
            await plan.by_orgs(org_ids, match, MAX_ROWS if terms else CANDIDATES)
    elif filters.locality_ids and not terms:
        name = "place"
        org_ids = [o.id for o in vocabulary.orgs if o.locality_id in filters.locality_ids]
        if org_ids:
            await plan.by_orgs(org_ids, None, CANDIDATES)
    elif terms:
        name = "tiers"
        await plan.tiers(enough)
    else:
        name = "filters"
        await plan.by_filters(CANDIDATES)
    return list(plan.rows.values()), (name, plan.statements), plan.truncated


async def online_rows(
    connection: AsyncConnection,
    terms: list[dict[tuple[str, ...], int]],
    filters: Filters,
    vocabulary: Vocabulary,
    cap: int,
) -> tuple[list[Row], bool]:
    """Online programmes of any place that match the question but for its place: one bounded
    statement, run when a place filter would hide them."""
    plan = Plan(connection, terms, filters, vocabulary)
    match = plan.match() if terms else None
    found = await (plan.by_match(match, cap) if match else plan.by_filters(cap))
    return list(plan.rows.values()), found >= cap


class Plan:
    """Builds and runs the statements of one question; rows accumulate by id."""

    def __init__(
        self,
        connection: AsyncConnection,
        terms: list[dict[tuple[str, ...], int]],
        filters: Filters,
        vocabulary: Vocabulary,
    ) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.terms = terms
        self.filters = filters
        self.vocabulary = vocabulary
        self.rows: dict[int, Row] = {}
        self.statements = 0
        self.truncated = False  # some statement stopped at its LIMIT, or the plan stopped early

    def allowed_orgs(self, orgs: Sequence[Org]) -> list[Org]:
        """The organisations the filters' places and kinds allow, in the given order."""
        places = set(self.filters.locality_ids)
        kinds = set(self.filters.org_types)
        return [
            org
            for org in orgs
            if (not places or org.locality_id in places) and (not kinds or org.type in kinds)
        ]

    def estimate(self) -> int:
        """An upper bound of the programmes matching any term (from stem frequencies)."""
        total = 0
        for term in self.terms:
            for member in term:
                total += min(self.vocabulary.frequency.get(item, 0) for item in member)
        return min(total, self.vocabulary.total)

    async def run(self, statement: str, params: dict[str, object], *, cached: bool = True) -> int:
        self.statements += 1
        options = {} if cached else {"compiled_cache": None}
        result = await self.connection.execute(text(statement), params, execution_options=options)
        found = 0
        for row in result.all():
            found += 1
            self.rows.setdefault(row[0], Row(*row))
        if found >= int(params.get("cap", found + 1)):  # type: ignore[call-overload]
            self.truncated = True
        return found

    async def by_match(self, match: str, cap: int) -> int:
        return await self.run(*statements.by_match(self.dialect, self.filters, match, cap))

    async def by_orgs(self, org_ids: Sequence[int], match: str | None, cap: int) -> int:
        statement = statements.by_orgs(self.dialect, self.filters, org_ids, match, cap)
        return await self.run(*statement, cached=False)

    async def by_filters(self, cap: int) -> int:
        return await self.run(*statements.by_filters(self.filters, cap))

    def match(self, *, direct_only: bool = False, every_term: bool = False) -> str | None:
        """MATCH/tsquery text: any member of any term (or, `every_term`, of each term)."""
        direct = DIRECT if direct_only else 0
        return statements.match_text(self.terms, self.dialect, direct=direct, every_term=every_term)

    async def tiers(self, enough: int) -> None:
        """Strongest first: every term directly, any term directly, any related word."""
        tiers = []
        if len(self.terms) > 1:
            tiers.append(self.match(direct_only=True, every_term=True))
        tiers.append(self.match(direct_only=True))
        tiers.append(self.match())
        done: str | None = None
        for tier in tiers:
            if tier is None or tier == done:
                continue
            match = tier if done is None else statements.exclude(tier, done, self.dialect)
            await self.by_match(match, CANDIDATES)
            done = tier
            if len(self.rows) >= enough:
                self.truncated = self.truncated or tier is not tiers[-1]
                return

    async def rings(self, origin: tuple[float, float], enough: int) -> None:
        """Organisations nearest to `origin` first, in growing rings, until enough match."""
        orgs = nearest_first(self.vocabulary, origin)
        if self.filters.locality_ids or self.filters.org_types:
            orgs = self.allowed_orgs(orgs)
        size = RING_MIN
        match = self.match() if self.terms else None
        start = 0
        for round_ in range(RING_ROUNDS):
            ring: list[int] = []
            programmes = 0
            last = round_ == RING_ROUNDS - 1
            while start < len(orgs) and (programmes < size or last):
                ring.append(orgs[start].id)
                programmes += orgs[start].programmes
                start += 1
            if ring:
                await self.by_orgs(ring, match, MAX_ROWS)
            if start >= len(orgs):
                return
            if len(self.rows) >= enough:
                self.truncated = True
                return
            size *= RING_GROWTH


def nearest_first(vocabulary: Vocabulary, origin: tuple[float, float]) -> list[Org]:
    """The visible organisations by distance from `origin` (equirectangular, which orders
    like the great-circle distance), kept per point for the vocabulary's lifetime."""
    orders = vocabulary.ring_orders
    found = orders.get(origin)
    if found is None:
        latitude, longitude = origin
        squeeze = math.cos(math.radians(latitude))
        orgs = vocabulary.orgs  # by id, so equal distances stay in id order (a stable sort)
        # Plain floats and indexes: nothing the garbage collector has to track per question.
        keys = [
            (o.latitude - latitude) ** 2 + ((o.longitude - longitude) * squeeze) ** 2 for o in orgs
        ]
        found = [orgs[i] for i in sorted(range(len(orgs)), key=keys.__getitem__)]
        if len(orders) >= RING_ORDERS:
            del orders[next(iter(orders))]
        orders[origin] = found
    return found
