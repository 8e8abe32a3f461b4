"""Bounded retrieval plans: which statements a question runs to find its candidate rows.

At 100,000 programmes a common word («шахматы», «робототехника») matches thousands of rows,
and anything that touches every match (bm25 over all of them, joining each row) costs
20–60 ms on SQLite. So every plan is bounded by a LIMIT that stops the scan early, and only
a rare question (few matches, known from the vocabulary's frequencies) reads all matches:
- "all":   few matches: all of them, ranked exactly in Python;
- "tiers": FTS-driven scans in id order, strongest terms first (all terms directly, any term
           directly, related words), each stopping after `CANDIDATES` rows;
- "rings": with a point (a shared location, or the profile's locality): organisations by
           distance, in rings growing fourfold until enough programmes match;
- "place": a named place of modest size: its organisations' programmes that match.
The rows come back with their stems; ranking orders them the same way for every plan and
both databases.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.search import statements
from services.search.statements import Filters, Row
from services.search.vocabulary import Vocabulary
from services.search.words import DIRECT

CANDIDATES = 40  # rows a bounded scan stops after (at least 3 × limit)
ALL_MATCHES = 300  # questions estimated to match fewer programmes read them all
MAX_ROWS = 600  # the most rows one statement returns (a place's or a ring's matches)
RING_GROWTH = 4
RING_ROUNDS = 4
RING_MIN, RING_MAX = 60, 3000  # programmes in the first ring


async def retrieve(
    connection: AsyncConnection,
    terms: list[dict[tuple[str, ...], int]],
    filters: Filters,
    vocabulary: Vocabulary,
    *,
    origin: tuple[float, float] | None,
    limit: int,
) -> tuple[list[Row], tuple[str, int]]:
    """The candidate rows of a question, and (the plan's name, statements run)."""
    enough = max(limit, 1)
    plan = Plan(connection, terms, filters, vocabulary)
    if terms and plan.estimate() <= ALL_MATCHES:
        name = "all"
        await plan.by_match(plan.match() or "", MAX_ROWS)
    elif origin is not None:
        name = "rings"
        await plan.rings(origin, enough)
    elif filters.locality_ids and (not terms or plan.place_first()):
        name = "place"
        org_ids = [o.id for o in vocabulary.orgs if o.locality_id in filters.locality_ids]
        if org_ids:
            match = plan.match() if terms else None
            await plan.by_orgs(org_ids, match, MAX_ROWS if terms else CANDIDATES)
    elif terms:
        name = "tiers"
        await plan.tiers(enough)
    else:
        name = "filters"
        await plan.by_filters(CANDIDATES)
    return list(plan.rows.values()), (name, plan.statements)


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

    def estimate(self) -> int:
        """An upper bound of the programmes matching any term (from stem frequencies)."""
        total = 0
        for term in self.terms:
            for member in term:
                total += min(self.vocabulary.frequency.get(item, 0) for item in member)
        return min(total, self.vocabulary.total)

    def place_first(self) -> bool:
        """With a named place: is reading its organisations' programmes cheaper than scanning
        the matches until enough of them are in the place? (Costs in row reads, roughly.)"""
        total = max(self.vocabulary.total, 1)
        in_place = sum(
            self.vocabulary.locality_programmes.get(i, 0) for i in self.filters.locality_ids
        )
        share = in_place / total
        matches = self.estimate()
        # A scan may go through every tier and the filters' share is a guess: count it twice.
        passing = share * self.filters.selectivity(self.vocabulary.shares)
        scan = min(matches, CANDIDATES / max(passing, 1e-6)) * 3 * 2
        through_place = matches * 0.6 + in_place * 0.4 + matches * share * 3
        return through_place < scan

    async def run(self, statement: str, params: dict[str, object], *, cached: bool = True) -> int:
        self.statements += 1
        options = {} if cached else {"compiled_cache": None}
        result = await self.connection.execute(text(statement), params, execution_options=options)
        found = 0
        for row in result.all():
            found += 1
            self.rows.setdefault(row[0], Row(*row))
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
                return

    async def rings(self, origin: tuple[float, float], enough: int) -> None:
        """Organisations nearest to `origin` first, in growing rings, until enough match."""
        allowed = set(self.filters.locality_ids)
        orgs = [org for org in self.vocabulary.orgs if not allowed or org.locality_id in allowed]
        orgs.sort(key=lambda org: (_squared_distance(origin, org.latitude, org.longitude), org.id))
        density = (self.estimate() / max(self.vocabulary.total, 1)) if self.terms else 1.0
        density *= self.filters.selectivity(self.vocabulary.shares)
        size = min(max(CANDIDATES / max(density, 1e-6), RING_MIN), RING_MAX)
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
            if len(self.rows) >= enough or start >= len(orgs):
                return
            size *= RING_GROWTH


def _squared_distance(origin: tuple[float, float], latitude: float, longitude: float) -> float:
    """Equirectangular distance squared: orders points like the great-circle distance."""
    squeeze = math.cos(math.radians(origin[0]))
    return (latitude - origin[0]) ** 2 + ((longitude - origin[1]) * squeeze) ** 2
