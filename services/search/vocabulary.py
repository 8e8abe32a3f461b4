"""What search reads from the database once per catalogue change: stems and centres."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.search.fuzzy import FuzzyIndex
from services.search.synonyms import SynonymTable
from services.search.words import DIRECTION_KEYS, ORG_TYPE_KEYS, SEARCH_STOP_STEMS, PlaceMeaning


@dataclass(frozen=True, slots=True)
class Org:
    id: int
    locality_id: int
    latitude: float
    longitude: float
    programmes: int
    type: str = ""  # catalog_terms.ORG_TYPES code


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What is read from the database once per `invalidate()`."""

    frequency: dict[str, int]  # indexed stem → number of programmes having it
    total: int  # programmes
    fuzzy: FuzzyIndex  # over the stems above, synonyms, places and directions
    orgs: tuple[Org, ...]  # visible organisations, by id
    # Organisations nearest first, by the point distances are measured from (planner's cache).
    ring_orders: dict[tuple[float, float], list[Org]] = field(default_factory=dict, compare=False)

    def indexed(self, member: tuple[str, ...]) -> bool:
        """Every stem of `member` is in the catalogue."""
        return all(item in self.frequency for item in member)


async def load_vocabulary(
    sessions: async_sessionmaker[AsyncSession],
    synonyms: SynonymTable,
    place_phrases: dict[tuple[str, ...], PlaceMeaning],
) -> Vocabulary:
    """Stem frequencies and visible organisations; the fuzzy index over the stems and the
    one-word synonyms, directions and places."""
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
                    "SELECT id, locality_id, latitude, longitude, type"
                    " FROM organisations WHERE hidden = false ORDER BY id"
                )
            )
        ).all()
        orgs = tuple(
            Org(org_id, locality, latitude, longitude, int(counts.get(org_id, 0)), org_type)
            for org_id, locality, latitude, longitude, org_type in org_rows
        )
    words = set(frequency)
    words.update(item for key in synonyms.keys() if len(key) == 1 for item in key)
    words.update(key[0] for key in DIRECTION_KEYS if len(key) == 1)
    words.update(key[0] for key in place_phrases if len(key) == 1)
    words.update(key[0] for key in ORG_TYPE_KEYS if len(key) == 1)
    # Stop words too, so a misspelt one is known for what it is, not read as a subject.
    words.update(SEARCH_STOP_STEMS)
    fuzzy_words = {word for word in words if not word.isdigit() and len(word) > 2}
    # Building the index takes a few hundred ms at 100k programmes: in a thread, so a question
    # asked right after an import does not hold up everyone else.
    fuzzy = await asyncio.to_thread(FuzzyIndex, fuzzy_words)
    return Vocabulary(frequency, sum(counts.values()), fuzzy, orgs)
