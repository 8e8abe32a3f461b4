"""What search reads from the database once per catalogue change: stems, centres, shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.search.fuzzy import FuzzyIndex
from services.search.synonyms import SynonymTable
from services.search.words import DIRECTION_KEYS, PlaceMeaning


@dataclass(frozen=True, slots=True)
class Org:
    id: int
    locality_id: int
    latitude: float
    longitude: float
    programmes: int


@dataclass(frozen=True, slots=True)
class Shares:
    """Shares of visible programmes by filter value, to size scans and choose plans."""

    age: dict[int, float]  # taking children of this age
    direction: dict[str, float]
    free: float
    accessible: float  # in organisations accessible for children with disabilities


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What is read from the database once per `invalidate()`."""

    frequency: dict[str, int]  # indexed stem → number of programmes having it
    total: int  # programmes
    fuzzy: FuzzyIndex  # over the stems above, synonyms, places and directions
    orgs: tuple[Org, ...]  # visible organisations, by id
    locality_programmes: dict[int, int]  # programmes of visible organisations, by locality
    shares: Shares

    def indexed(self, member: tuple[str, ...]) -> bool:
        """Every stem of `member` is in the catalogue."""
        return all(item in self.frequency for item in member)


async def load_vocabulary(
    sessions: async_sessionmaker[AsyncSession],
    synonyms: SynonymTable,
    place_phrases: dict[tuple[str, ...], PlaceMeaning],
) -> Vocabulary:
    """Stem frequencies, visible organisations and filter shares; the fuzzy index over the
    stems and the one-word synonyms, directions and places."""
    async with sessions() as session:
        if session.bind.dialect.name == "sqlite":
            await session.execute(
                text(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.programmes_fts_vocab"
                    " USING fts5vocab(main, programmes_fts, 'row')"
                )
            )
            rows = await session.execute(text("SELECT term, doc FROM programmes_fts_vocab"))
        else:
            rows = await session.execute(
                text(
                    "SELECT word, ndoc FROM ts_stat("
                    "'SELECT to_tsvector(''simple'', search_stems) FROM programmes')"
                )
            )
        frequency = {term: int(count) for term, count in rows.all()}
        counts = dict(
            (
                await session.execute(
                    text(
                        "SELECT organisation_id, count(*) FROM programmes GROUP BY organisation_id"
                    )
                )
            ).all()
        )
        org_rows = (
            await session.execute(
                text(
                    "SELECT id, locality_id, latitude, longitude, accessible"
                    " FROM organisations WHERE hidden = false ORDER BY id"
                )
            )
        ).all()
        orgs = tuple(
            Org(org_id, locality, latitude, longitude, int(counts.get(org_id, 0)))
            for org_id, locality, latitude, longitude, _ in org_rows
        )
        profile = (
            await session.execute(
                text(
                    "SELECT direction, cost, age_from, age_to, count(*) FROM programmes"
                    " WHERE hidden = false GROUP BY direction, cost, age_from, age_to"
                )
            )
        ).all()
    accessible_orgs = {row[0] for row in org_rows if row[4]}
    shares = _shares(
        profile,
        accessible=sum(counts.get(org_id, 0) for org_id in accessible_orgs),
    )
    by_locality: dict[int, int] = {}
    for org in orgs:
        by_locality[org.locality_id] = by_locality.get(org.locality_id, 0) + org.programmes
    words = set(frequency)
    words.update(item for key in synonyms.keys() if len(key) == 1 for item in key)
    words.update(key[0] for key in DIRECTION_KEYS if len(key) == 1)
    words.update(key[0] for key in place_phrases if len(key) == 1)
    fuzzy_words = {word for word in words if not word.isdigit() and len(word) > 2}
    return Vocabulary(
        frequency, sum(counts.values()), FuzzyIndex(fuzzy_words), orgs, by_locality, shares
    )


def _shares(profile: Sequence[Sequence[object]], *, accessible: int) -> Shares:
    """Shares from (direction, cost, age_from, age_to, count) groups of visible programmes."""
    total = sum(int(row[4]) for row in profile) or 1  # type: ignore[call-overload]
    ages: dict[int, float] = {}
    directions: dict[str, float] = {}
    free = 0
    for direction, cost, age_from, age_to, count in profile:
        share = int(count) / total  # type: ignore[call-overload]
        directions[str(direction)] = directions.get(str(direction), 0.0) + share
        if cost == "free":
            free += int(count)  # type: ignore[call-overload]
        for age in range(int(age_from), int(age_to) + 1):  # type: ignore[call-overload]
            ages[age] = ages.get(age, 0.0) + share
    return Shares(ages, directions, free / total, min(accessible / total, 1.0))
