"""The search service: reads a question, answers from the FAQ or finds programmes."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import bound_engine
from services.catalog import terms as catalog_terms
from services.catalog import text_index
from services.catalog.localities import LocalityService, Place
from services.search.answer import Answer, Understood
from services.search.faq import FAQ_PATH, FaqIndex
from services.search.intents import INTENTS_PATH, IntentReader, answer_intent
from services.search.planner import online_rows, retrieve
from services.search.ranking import rank
from services.search.reading import Reader
from services.search.statements import SAFE_STEM, Filters, Row
from services.search.synonyms import SYNONYMS_PATH, SynonymTable
from services.search.vocabulary import Vocabulary, load_vocabulary
from services.search.words import KEY_WORDS, place_phrases

ONLINE_CAP = 10  # online programmes of other places read when a place filter is on
ONLINE_SHOWN = 3  # of them, shown among the place's own
ONLINE_AFTER = 5  # after this many of the place's own


class SearchService:
    """Answers typed questions. Long-lived: one per application; call `invalidate()` after the
    catalogue changes (import, admin edits) so the vocabulary is read again."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        localities: LocalityService,
        *,
        faq_path: Path = FAQ_PATH,
        synonyms_path: Path = SYNONYMS_PATH,
        intents_path: Path = INTENTS_PATH,
    ) -> None:
        self._sessions = sessions
        # Searching reads only: a Core connection costs less per question than an ORM session.
        self._engine: AsyncEngine = bound_engine(sessions)
        self._localities = localities
        self._faq = FaqIndex.load(faq_path)
        self._synonyms = SynonymTable.load(synonyms_path)
        self._reader = Reader(self._synonyms, self._faq)
        self.intents = IntentReader.load(intents_path)
        self._vocabulary: Vocabulary | None = None
        self._generation = 0
        self._lock = asyncio.Lock()
        self._places_source: list[Place] | None = None
        self._places_by_id: dict[int, Place] = {}
        # (plan, statements) of the latest search: for tests and benchmarks.
        self.last_plan: tuple[str, int] = ("", 0)

    @property
    def faq_ids(self) -> tuple[str, ...]:
        return self._faq.ids

    def invalidate(self) -> None:
        """The catalogue changed: read the vocabulary again before the next question."""
        self._generation += 1
        self._vocabulary = None

    async def ask(
        self,
        question: str,
        *,
        locale: str = "ru",
        age: int | None = None,
        locality_id: int | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 10,
    ) -> Answer:
        """Answer a typed question.

        `age` and `locality_id` come from the user's profile: the age filters programmes unless
        the question names one; the locality is where "near" is measured from when `near`
        (a shared location) is not given, and otherwise a preference in the order (its
        programmes first, then the nearest). `locale` does not change the reading: questions
        may mix languages.
        """
        limit = max(limit, 1)
        await self._ensure_places()
        vocabulary = await self._ensure_vocabulary()
        folded = text_index.fold(question)
        reading = self._reader.read(folded, vocabulary)

        home = self._places_by_id.get(locality_id) if locality_id is not None else None
        near_point = near
        if reading.near_me and near_point is None and home is not None:
            near_point = (home.latitude, home.longitude)
        if not reading.near_me:
            near_point = None
        age_in_question = reading.age is not None
        effective_age = reading.age if age_in_question else age
        understood = Understood(
            terms=tuple(term.word for term in reading.terms),
            age=effective_age,
            age_in_question=age_in_question,
            age_group=reading.age_group,
            grade=reading.grade,
            locality_ids=tuple(sorted(reading.locality_ids)),
            districts=tuple(reading.districts),
            free_only=reading.free_only,
            accessible=reading.accessible,
            directions=tuple(reading.directions),
            org_types=tuple(reading.org_types),
            near_me=reading.near_me,
            point=near_point,
            corrections=tuple(self._shown_corrections(reading.corrections)),
            unknown=tuple(reading.unknown),
        )

        faq = self._faq.match(self._reader.faq_stems(folded, vocabulary))
        if faq is not None and self.intents.lists(folded):
            faq = None
        intent = answer_intent(
            self.intents.classify(
                folded, vocabulary.frequency.__contains__, activity=bool(reading.directions)
            ),
            faq.id if faq else None,
        )
        if intent is not None:
            return Answer(intent.kind, understood=understood, intent=intent)
        if faq is not None:
            return Answer("faq", faq_id=faq.id, understood=understood)

        expanded = [
            {
                member: weight
                for member, weight in term.members.items()
                if vocabulary.indexed(member)
            }
            for term in reading.terms
        ]
        terms = [term for term in expanded if term]
        pairs = zip(reading.terms, expanded, strict=True)
        absent = tuple(term.word for term, found in pairs if not found)
        nearest_age = None
        if effective_age is not None and not (
            catalog_terms.AGE_MIN <= effective_age <= catalog_terms.AGE_MAX
        ):
            # No programme takes this age: searched without it, the programmes nearest to it
            # in age first, and the answer says so.
            nearest_age = min(max(effective_age, catalog_terms.AGE_MIN), catalog_terms.AGE_MAX)
        # What can carry a search without words: the filters, but not an age nobody takes.
        carrying = replace(understood, age_in_question=False).has_filters or (
            age_in_question and nearest_age is None
        )
        if absent:
            understood = replace(understood, unmatched=absent)
        if not terms and not carrying:
            # Words were asked for and none is in the catalogue; or nothing was understood.
            return Answer("nothing", understood=understood, nearest_age=nearest_age)
        if understood.near_me and near_point is None and not terms:
            if understood == Understood(near_me=True, age=age, unknown=understood.unknown):
                # «рядом» and nothing else, and no point to measure from: the handler asks
                # for a location (understood.near_me with no point).
                return Answer("nothing", understood=understood)

        filters = Filters(
            age=None if nearest_age is not None else effective_age,
            free_only=reading.free_only,
            accessible=reading.accessible,
            directions=tuple(reading.directions),
            locality_ids=tuple(sorted(reading.locality_ids)),
            org_types=tuple(reading.org_types),
        )
        prefer = None if reading.locality_ids else locality_id
        origin = near_point
        if origin is None and prefer is not None and home is not None:
            origin = (home.latitude, home.longitude)
        placed = bool(filters.locality_ids) or near_point is not None
        async with self._engine.connect() as connection:
            anywhere = replace(filters, locality_ids=(), online_only=True)
            rows, self.last_plan, more = await retrieve(
                connection, terms, filters, vocabulary, origin=origin, limit=limit
            )
            online: list[Row] = []
            if placed:
                # Online programmes are not hidden by the place: shown beside its own.
                online, more_online = await online_rows(
                    connection, terms, anywhere, vocabulary, ONLINE_CAP
                )
                more = more or more_online
            if not rows and not online and terms and carrying:
                # The words found nothing here: the filters alone, and the words said as
                # not found (a chatty message's words never veto its filters).
                understood = replace(
                    understood, unmatched=(*understood.unmatched, *understood.terms)
                )
                terms = []
                rows, self.last_plan, more = await retrieve(
                    connection, terms, filters, vocabulary, origin=origin, limit=limit
                )
                if placed:
                    online, _ = await online_rows(connection, [], anywhere, vocabulary, ONLINE_CAP)
        if not rows and not online:
            understood = replace(
                understood, corrections=tuple(await self._corrections_read(reading.corrections))
            )
            return Answer("nothing", understood=understood, nearest_age=nearest_age)
        ranked = rank(rows, terms, origin=origin, near=near_point is not None, prefer=prefer)
        if nearest_age is not None:
            # Among equally relevant ones, the nearest in age first (a stable sort).
            ranked.sort(key=lambda row: (-row.coverage, _age_gap(row, effective_age)))
        seen = {row.id for row in ranked}
        online = [row for row in online if row.id not in seen]
        total = len(ranked) + len(online)
        if online:
            online = rank(online, terms, origin=None, near=False, prefer=None)
            head, rest = ranked[:ONLINE_AFTER], ranked[ONLINE_AFTER:]
            ranked = head + online[:ONLINE_SHOWN] + rest + online[ONLINE_SHOWN:]
        ranked = ranked[:limit]
        understood = replace(
            understood, corrections=tuple(await self._corrections_read(reading.corrections, ranked))
        )
        return Answer(
            "programmes",
            programme_ids=[row.id for row in ranked],
            understood=understood,
            distances_km=tuple(round(row.distance, 2) if row.id in seen else None for row in ranked)
            if near_point
            else (),
            related_only=bool(terms) and all(row.direct == 0 for row in ranked),
            total=total,
            more=more or total > limit,
            online_ids=frozenset(row.id for row in ranked if row.format == "online"),
            nearest_age=nearest_age,
        )

    def _shown_corrections(
        self, corrections: list[tuple[str, str]], rows: Sequence[Row] = ()
    ) -> list[tuple[str, str]]:
        """(typed word, the word it was read as): a stem is shown as a word of the synonyms,
        a place's or direction's name, or a found programme's name that has it."""
        shown: dict[str, str] = {}
        for typed, stem in corrections:
            if typed in shown:
                continue
            word = self._synonyms.surface.get(stem) or KEY_WORDS.get(stem)
            place = self._reader.place_phrases.get((stem,))
            if word is None and place is not None:
                first = self._places_by_id.get(place.locality_ids[0])
                word = place.district or (first.name if first else None)
            if word is None:
                for row in rows:
                    word = next(
                        (w for w in text_index.words(row.name) if text_index.stem(w) == stem),
                        None,
                    )
                    if word is not None:
                        break
            shown[typed] = word or stem
        return list(shown.items())

    async def _corrections_read(
        self, corrections: list[tuple[str, str]], rows: Sequence[Row] = ()
    ) -> list[tuple[str, str]]:
        """`_shown_corrections`; a stem no row shows is looked up in one programme's name or
        description that has it (one short statement per such word, typos are few)."""
        shown = self._shown_corrections(corrections, rows)
        stems = dict(corrections)
        found = []
        for typed, word in shown:
            stem = stems.get(typed, word)
            if word == stem and SAFE_STEM.fullmatch(stem):
                word = await self._word_of(stem) or stem
            found.append((typed, word))
        return found

    async def _word_of(self, stem: str) -> str | None:
        column = "search_stems"
        async with self._engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                statement = (
                    "SELECT p.name, p.description FROM programmes_fts"
                    " JOIN programmes p ON p.id = programmes_fts.rowid"
                    " WHERE programmes_fts MATCH :stem LIMIT 1"
                )
                params = {"stem": f'"{stem}"'}
            else:
                statement = (
                    "SELECT name, description FROM programmes WHERE"
                    f" to_tsvector('simple', {column}) @@ to_tsquery('simple', :stem) LIMIT 1"
                )
                params = {"stem": f"'{stem}'"}
            row = (await connection.execute(text(statement), params)).first()
        if row is None:
            return None
        words = text_index.words(f"{row[0]} {row[1]}")
        return next((w for w in words if text_index.stem(w) == stem), None)

    # -- loading -----------------------------------------------------------------------------

    async def _ensure_vocabulary(self) -> Vocabulary:
        vocabulary = self._vocabulary
        if vocabulary is not None:
            return vocabulary
        async with self._lock:
            while self._vocabulary is None:
                generation = self._generation
                loaded = await load_vocabulary(
                    self._sessions, self._synonyms, self._reader.place_phrases
                )
                if generation == self._generation:
                    self._vocabulary = loaded
            return self._vocabulary

    async def _ensure_places(self) -> None:
        places = await self._localities.all()
        if places is self._places_source:
            return
        phrases = place_phrases(places)
        if self._vocabulary is not None and set(phrases) != set(self._reader.place_phrases):
            self.invalidate()  # place names take part in the fuzzy index
        self._reader.place_phrases = phrases
        self._places_by_id = {place.id: place for place in places}
        self._places_source = places


def _age_gap(row: Row, age: int) -> int:
    """How far a programme's ages are from `age` (0 when it takes it)."""
    return max(row.age_from - age, age - row.age_to, 0)
