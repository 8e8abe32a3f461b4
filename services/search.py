"""Questions in plain text: an FAQ answer, or programmes found by words, age, place, cost, nearness.

`SearchService.ask("робототехника для 10 лет в Северске")` reads the question into an
`Understood` (terms, age, places, free only, directions, "near me") and returns an `Answer`:
an FAQ id, programme ids best first, or an honest "nothing" with what was understood.

How a question is read:
- text_index normalises it as the catalogue was indexed (ё→е, lower case, Snowball stems);
- an age («10 лет», «ребёнку 7», «7-летнему», «в 5 классе» → grade + 6), «бесплатно»,
  «рядом» and «для детей с ОВЗ» are taken out by patterns; place names (localities and
  districts, Russian and English) and direction words («технический», «спорт») become filters;
- what is left are terms. Each term is searched with its synonyms (`data/synonyms.json`);
  a term the catalogue does not know is replaced by known stems within Damerau-Levenshtein
  distance 1 (2 from 7 letters), found through a deletion-neighbourhood index.

Retrieval: FTS5 MATCH on SQLite, a `simple` tsquery on PostgreSQL (same expression), joined
to programmes and organisations for the filters in SQL; every statement is bounded by a LIMIT
(see "Retrieval plans" below for why there is no bm25/ts_rank ordering in SQL). The final
order (terms covered, place, words in the name, distance) is computed in Python over the rows,
identically for both databases.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import bound_engine
from services.catalog import terms as catalog_terms
from services.catalog import text_index
from services.catalog.localities import LocalityService, Place, distance_km
from services.faq import FAQ_PATH, FaqIndex, question_stems
from services.paths import DATA_DIR

SYNONYMS_PATH = DATA_DIR / "synonyms.json"

# Weights of the stems a question term is searched as: (the term itself, its synonyms of the
# same meaning, related words); a misspelt term is searched as what it was read as.
WEIGHTS = (10, 9, 5)
TYPO_WEIGHTS = (8, 7, 4)
DIRECT = 7  # from this weight on, a match is the term or a synonym, not a related word

MAX_CORRECTIONS = 3  # vocabulary stems a misspelt term may be read as
FUZZY_MIN_LENGTH = 4  # shorter stems are not corrected (too many neighbours)

ANSWER_KINDS = ("faq", "programmes", "nothing")


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class Understood:
    """What the question was read as; the handler shows it («Ищу: робототехника, 10 лет…»)."""

    terms: tuple[str, ...] = ()  # words searched for, as typed (lower case, ё→е)
    age: int | None = None  # the age programmes were filtered by
    age_in_question: bool = False  # the age came from the question, not from the argument
    grade: int | None = None  # the school grade the question named («в 5 классе»)
    locality_ids: tuple[int, ...] = ()  # localities named in the question (or in its districts)
    districts: tuple[str, ...] = ()  # districts named in the question, as in the database
    free_only: bool = False
    accessible: bool = False  # organisations marked accessible for children with disabilities
    directions: tuple[str, ...] = ()  # codes of catalog_terms.DIRECTIONS
    near_me: bool = False
    point: tuple[float, float] | None = None  # what distances were measured from, if known
    corrections: tuple[tuple[str, str], ...] = ()  # (typed word, stem it was read as)
    unknown: tuple[str, ...] = ()  # words that matched nothing known

    @property
    def locality_id(self) -> int | None:
        """The one locality the question named (None for none, several or a district)."""
        if len(self.locality_ids) == 1 and not self.districts:
            return self.locality_ids[0]
        return None

    @property
    def direction(self) -> str | None:
        return self.directions[0] if len(self.directions) == 1 else None

    @property
    def has_filters(self) -> bool:
        return bool(
            self.age_in_question
            or self.locality_ids
            or self.districts
            or self.free_only
            or self.accessible
            or self.directions
            or self.near_me
        )

    @property
    def empty(self) -> bool:
        """Nothing at all was understood: no terms, no filters, no unknown words."""
        return not (self.terms or self.unknown or self.has_filters)


@dataclass(frozen=True, slots=True)
class Answer:
    kind: str  # "faq" | "programmes" | "nothing"
    faq_id: str | None = None
    programme_ids: list[int] = field(default_factory=list)  # best first
    understood: Understood = field(default_factory=Understood)
    # Distances from understood.point, in step with programme_ids (empty when no point).
    distances_km: tuple[float, ...] = ()
    # The programmes matched only through related words, none of the terms themselves.
    related_only: bool = False


# ---------------------------------------------------------------------------------------------
# Fuzzy lookup


def osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment); `limit + 1` once above limit."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = i
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def max_typo_distance(word: str) -> int:
    return 2 if len(word) >= 7 else 1


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {item[:i] + item[i + 1 :] for item in frontier for i in range(len(item))}
        found |= frontier
    return found


class FuzzyIndex:
    """Deletion-neighbourhood index (SymSpell): words within the typo distance of a word.

    Every word is stored under its deletions, up to 2 for words of 7+ letters and 1 below;
    a query's deletions (up to its own distance) meet them there. That finds every word within
    distance 1 of a short query and 2 of a long one: a word needing two deletions of its own
    to meet the query is at least as long as the query.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._deletes: dict[str, list[str]] = {}
        for word in set(words):
            for variant in _deletions(word, max_typo_distance(word)):
                self._deletes.setdefault(variant, []).append(word)

    def __len__(self) -> int:
        return len(self._deletes)

    def near(self, word: str) -> list[tuple[int, str]]:
        """(distance, word) of indexed words within the typo distance, closest first."""
        limit = max_typo_distance(word)
        candidates: set[str] = set()
        for variant in _deletions(word, limit):
            candidates.update(self._deletes.get(variant, ()))
        candidates.discard(word)
        found = []
        for candidate in candidates:
            distance = osa_distance(word, candidate, limit)
            if distance <= limit:
                found.append((distance, candidate))
        found.sort()
        return found


# ---------------------------------------------------------------------------------------------
# Vocabularies of the question language

_SEARCH_STOP_WORDS = """
в во на для по с со у к ко о об от до из за и или а но не ни ли бы же то это что чтобы кто где
когда какой какая какие каких какое какую как куда есть хочу хотим хотела хотел хотелось ищу
ищем искать найти найди найдите нужен нужна нужно нужны надо подскажите посоветуйте покажите
скажите пожалуйста можно мой моя мое мои моему моей моего моих наш наша наше наши нашего нашей
нашему ваш ваша ваши сын сына сыну сыночек дочь дочери дочка дочке дочку ребенок ребенка ребенку
ребенком дети детей детям детский детские детская детское ребята школьник школьника школьнику
школьники школьников подросток подростка подростков малыш малыша мальчик мальчика мальчику
девочка девочки девочке внук внука внуку внучка внучки внучке кружок кружки кружков кружка
кружке кружку секция секции секций секцию занятия занятие занятий заниматься позаниматься
курсы курс курсов программа программы программу студия студии объединение объединения клуб
клубы клуба интересное интересные интересный любой любые все всех город городе поселок поселке
село селе деревня деревне год года лет годик годиков класс класса классе классов
записать записаться запись тоже также еще очень туда там тут здесь вообще просто ну вот
сейчас спасибо здравствуйте привет добрый день вечер утро хорошо ладно мы живем живу живет
живут проживаем находимся учится учимся учусь ученик ученица ученика ученику старшеклассник
старшеклассника старшекласснику старшеклассники младшеклассник младшеклассника ходит ходить
посещать занимается любит нравится увлекается интересуется хочет хотят отдать отвести устроить
пойти сходить начать подойдет подходит вариант варианты предложите порекомендуйте знаете узнать
лучше лучший лучшие хороший хорошие желательно нибудь либо дополнительное
дополнительного образование образования направление направления направленность какието
a an the for in at on of to my our your his her kid kids child children son daughter boy girl
teen teens teenager year years old olds club clubs class classes lesson lessons course courses
section sections activity activities i we want looking find search show me some any there is
are what which where how can please with and or something interesting town city village area
after hello hi thanks thank you good we live living am looking like likes loves interested
would best suitable options
"""
SEARCH_STOP_STEMS = frozenset(text_index.stem(word) for word in _SEARCH_STOP_WORDS.split())

# Direction words: phrases of stems → direction code. «спорт» counts as the direction too.
_DIRECTION_PHRASES: dict[str, tuple[str, ...]] = {
    "technical": ("технический", "техническое творчество", "technical"),
    "natural_science": (
        "естественнонаучный",
        "естественные науки",
        "естественно-научный",
        "natural science",
        "science",
    ),
    "sport": ("физкультурно-спортивный", "спортивный", "физкультурный", "спорт", "sport"),
    "social": ("социально-гуманитарный", "социальный", "гуманитарный", "social", "humanities"),
    "art": ("художественный", "artistic", "arts", "art"),
    "tourism": ("туристско-краеведческий", "туристский", "краеведческий"),
}
# Direction words that are not the direction when followed by these («художественная
# гимнастика» is a sport).
_DIRECTION_EXCEPTIONS = {("художествен", "гимнастик"), ("художествен", "литератур")}

# Russian «Томский район»: the generic words of district names.
_GENERIC_PLACE_WORDS = frozenset(
    text_index.stem(word)
    for word in "район округ городской городского зато district urban okrug closed town".split()
)


# Short words whose stem says too little («изо» stems to the preposition «из»): kept whole.
_WHOLE_WORDS = frozenset({"изо"})


def _token_stem(word: str) -> str:
    return word if word in _WHOLE_WORDS else text_index.stem(word)


def _phrase(text_: str) -> tuple[str, ...]:
    """The stems of a phrase that count: no stop words, no single letters."""
    stems = (_token_stem(word) for word in text_index.words(text_))
    return tuple(item for item in stems if item not in SEARCH_STOP_STEMS and len(item) > 1)


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    same: tuple[tuple[str, ...], ...]
    near: tuple[tuple[str, ...], ...]


class SynonymTable:
    def __init__(self, groups: Sequence[SynonymGroup]) -> None:
        self.groups = tuple(groups)
        self.same_of: dict[tuple[str, ...], list[int]] = {}
        self.near_of: dict[tuple[str, ...], list[int]] = {}
        for index, group in enumerate(self.groups):
            for member in group.same:
                self.same_of.setdefault(member, []).append(index)
            for member in group.near:
                self.near_of.setdefault(member, []).append(index)
        self.max_phrase = max((len(key) for key in self.keys()), default=1)

    @classmethod
    def load(cls, path: Path = SYNONYMS_PATH) -> SynonymTable:
        raw = json.loads(path.read_text(encoding="utf-8"))
        groups = []
        for item in raw["groups"]:
            same = tuple(dict.fromkeys(p for p in map(_phrase, item["same"]) if p))
            near = tuple(dict.fromkeys(p for p in map(_phrase, item.get("near", [])) if p))
            groups.append(SynonymGroup(same, tuple(p for p in near if p not in same)))
        return cls(groups)

    def keys(self) -> set[tuple[str, ...]]:
        return set(self.same_of) | set(self.near_of)

    def expand(
        self, key: tuple[str, ...], weights: tuple[int, int, int]
    ) -> dict[tuple[str, ...], int]:
        """Members to search for `key` and their weights (empty if `key` is in no group)."""
        exact, same, near = weights
        found: dict[tuple[str, ...], int] = {}

        def add(member: tuple[str, ...], weight: int) -> None:
            if found.get(member, 0) < weight:
                found[member] = weight

        direct = self.same_of.get(key, [])
        for index in direct:
            for member in self.groups[index].same:
                add(member, same)
            for member in self.groups[index].near:
                add(member, near)
        if not direct:
            for index in self.near_of.get(key, []):
                for member in self.groups[index].same:
                    add(member, near)
        if found:
            found[key] = exact
        return found


@dataclass(frozen=True, slots=True)
class PlaceMeaning:
    locality_ids: tuple[int, ...]
    district: str | None  # set when the phrase named a district


def _place_phrases(places: Sequence[Place]) -> dict[tuple[str, ...], PlaceMeaning]:
    phrases: dict[tuple[str, ...], PlaceMeaning] = {}
    for place in places:
        for name in (place.name, place.name_en):
            key = tuple(text_index.stems(name))
            if key:
                phrases[key] = PlaceMeaning((place.id,), None)
    by_district: dict[str, list[Place]] = {}
    for place in places:
        by_district.setdefault(place.district, []).append(place)
    for district, members in by_district.items():
        meaning = PlaceMeaning(tuple(sorted(p.id for p in members)), district)
        for name in (district, members[0].district_en):
            full = tuple(text_index.stems(name))
            distinctive = tuple(item for item in full if item not in _GENERIC_PLACE_WORDS)
            if full and full not in phrases:
                phrases[full] = meaning
            # «Асиновский» alone names the district, unless it is a locality's own name.
            if distinctive and distinctive not in phrases:
                phrases[distinctive] = meaning
    return phrases


_DIRECTION_KEYS: dict[tuple[str, ...], str] = {
    key: code
    for code, phrases in _DIRECTION_PHRASES.items()
    for phrase in phrases
    if (key := tuple(text_index.stems(phrase)))
}


# ---------------------------------------------------------------------------------------------
# Patterns: age, grade, free, near (over the folded question)

_NUMERALS = {
    "дву": 2, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8,
    "девяти": 9, "десяти": 10, "одиннадцати": 11, "двенадцати": 12, "тринадцати": 13,
    "четырнадцати": 14, "пятнадцати": 15, "шестнадцати": 16, "семнадцати": 17,
    "восемнадцати": 18,
}  # fmt: skip
_CARDINALS = {
    "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
}  # fmt: skip
_ORDINALS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11,
}  # fmt: skip

_N = r"(\d{1,2})"
_GRADE_PATTERNS = [
    re.compile(rf"\b{_N}\s*-?\s*(?:й|го|м|ом|ый|ой)?\s*(?:класс\w*|кл)\b"),
    re.compile(r"\b(" + "|".join(_ORDINALS) + r")(?:ый|ой|ий|ом|ем|ого|его|ому|ему)\s+класс\w*"),
    re.compile(r"\b(первоклассни\w*|первоклашк\w*)"),
    re.compile(rf"\bgrade\s*{_N}\b"),
    re.compile(rf"\b{_N}\s*(?:st|nd|rd|th)?\s*grade(?:rs?)?\b"),
    re.compile(rf"\b(?:year|form)\s+{_N}\b(?!\s*-?\s*(?:years?|olds?)\b)"),
]
_AGE_PATTERNS = [
    re.compile(
        rf"\b(?:от\s*)?{_N}\s*(?:-|–|—|до)\s*{_N}\s*(?:-?\s*(?:ти|и|х|ми))?\s*(?:лет|год\w*)"
    ),
    re.compile(rf"\b{_N}\s*-?\s*(?:ти|и|х|ми|ть)?\s*(?:лет|года|годик\w*|годов\w*|год)\b"),
    re.compile(rf"\b{_N}\s*-?\s*(?:ти|и|х|ми)?\s*-?\s*летн\w*"),
    re.compile(r"\b(" + "|".join(_NUMERALS) + r")\s*-?\s*летн\w*"),
    re.compile(r"\b(" + "|".join([*_CARDINALS, *_NUMERALS]) + r")\s+(?:лет|года|год)\b"),
    re.compile(
        r"\b(?:ребен\w*|сын\w*|доч\w*|внук\w*|внучк\w*|мальчик\w*|девочк\w*|малыш\w*|мне|нам|"
        rf"ему|ей)\s+(?:исполнилось\s+|уже\s+)?{_N}\b"
    ),
    re.compile(rf"\b{_N}\s*-?\s*(?:years?|yrs?|y\s?o)\b(?:\s*-?\s*olds?)?"),
    re.compile(rf"\baged?\s+{_N}\b"),
    re.compile(rf"\b(?:kid|child|son|daughter|boy|girl)\s+(?:is\s+|of\s+)?{_N}\b"),
    re.compile(rf"\b(?:для|for)\s+{_N}\b"),
]
_BARE_NUMBER = re.compile(rf"(?<![№#\w])(?<!№\s){_N}\b")
_NOT_AGE_BEFORE = re.compile(r"(?:школ\w*|сош|гимназ\w*|лице\w*|№|номер\w*|дом|корпус|school)\s*$")
_FREE_PATTERNS = [
    re.compile(r"\bбесплатн\w*"),
    re.compile(r"\bбез\s+(?:оплат\w*|платы|денег)"),
    re.compile(r"\bдаром\b"),
    re.compile(r"\bfree(?:\s+of\s+charge)?\b"),
    re.compile(r"\bno\s+(?:cost|fee|charge)\b"),
]
_NEAR_PATTERNS = [
    re.compile(r"\bрядом(?:\s+с\s+(?:домом|нами|мной|нашим\s+домом))?\b"),
    re.compile(r"\bпоблизости\b"),
    re.compile(r"\bнедалеко(?:\s+от\s+(?:дома|нас|меня))?\b"),
    re.compile(r"\b(?:возле|около)\s+(?:дома|нас|меня)\b"),
    re.compile(r"\bблизко(?:\s+к\s+дому|\s+от\s+дома)?\b"),
    re.compile(r"\bближайш\w*"),
    re.compile(r"\bв\s+шаговой\s+доступности\b"),
    re.compile(r"\bпо\s+соседству\b"),
    re.compile(r"\bв\s+(?:моем|нашем)\s+районе\b"),
    re.compile(r"\bnear(?:\s+(?:me|us|home|my\s+home|here))?\b"),
    re.compile(r"\bnearby\b"),
    re.compile(r"\bclose\s+to\s+(?:me|us|home|my\s+home)\b"),
    re.compile(r"\b(?:nearest|closest)\b"),
    re.compile(r"\baround\s+here\b"),
]

_ACCESSIBLE_PATTERNS = [
    re.compile(r"\bовз\b"),
    re.compile(r"\bс\s+ограниченными\s+возможностями(?:\s+здоровья)?"),
    re.compile(r"\bинвалид\w*"),
    re.compile(r"\bдоступн\w*\s+сред\w*"),
    re.compile(r"\bколясочник\w*"),
    re.compile(r"\bособыми\s+потребностями\b"),
    re.compile(r"\bdisabilit\w*|\bdisabled\b"),
    re.compile(r"\bspecial\s+needs\b"),
    re.compile(r"\bwheelchair\w*"),
    re.compile(r"\baccessible\b"),
]

AGE_LIMITS = range(1, 31)  # what reads as an age; programmes say what they take (3–18)


def _number(token: str, table: dict[str, int]) -> int | None:
    return int(token) if token.isdigit() else table.get(token)


def _cut(text_: str, match: re.Match[str]) -> str:
    return text_[: match.start()] + " " * (match.end() - match.start()) + text_[match.end() :]


# ---------------------------------------------------------------------------------------------
# The reading of a question


@dataclass(slots=True)
class _Term:
    word: str  # as typed
    members: dict[tuple[str, ...], int]  # stems to search for → weight


@dataclass(slots=True)
class _Reading:
    terms: list[_Term] = field(default_factory=list)
    age: int | None = None
    grade: int | None = None
    free_only: bool = False
    accessible: bool = False
    near_me: bool = False
    locality_ids: set[int] = field(default_factory=set)
    districts: list[str] = field(default_factory=list)
    directions: list[str] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _read_patterns(folded: str, reading: _Reading) -> str:
    """Takes age, grade, «бесплатно», «рядом», «ОВЗ» out of the question; returns the rest."""
    for pattern in _GRADE_PATTERNS:
        match = pattern.search(folded)
        if match is None:
            continue
        token = match.group(1)
        grade = 1 if token.startswith("перв") and not token.isdigit() else None
        grade = grade or _number(token, _ORDINALS)
        folded = _cut(folded, match)
        if grade is not None and 1 <= grade <= 11 and reading.grade is None:
            reading.grade = grade
    for pattern in _AGE_PATTERNS:
        match = pattern.search(folded)
        if match is None:
            continue
        age = _number(match.group(1), _NUMERALS) or _number(match.group(1), _CARDINALS)
        folded = _cut(folded, match)
        if age is not None and age in AGE_LIMITS and reading.age is None:
            reading.age = age
    flags = (
        (_FREE_PATTERNS, "free_only"),
        (_NEAR_PATTERNS, "near_me"),
        (_ACCESSIBLE_PATTERNS, "accessible"),
    )
    for patterns, flag in flags:
        for pattern in patterns:
            while (match := pattern.search(folded)) is not None:
                folded = _cut(folded, match)
                setattr(reading, flag, True)
    if reading.age is None and reading.grade is None:
        # A lone number that is no school's number: «шахматы 10».
        numbers = [
            match
            for match in _BARE_NUMBER.finditer(folded)
            if not _NOT_AGE_BEFORE.search(folded[: match.start()])
        ]
        if len(numbers) == 1 and int(numbers[0].group(1)) in range(
            catalog_terms.AGE_MIN, catalog_terms.AGE_MAX + 1
        ):
            reading.age = int(numbers[0].group(1))
            folded = _cut(folded, numbers[0])
    if reading.age is None and reading.grade is not None:
        reading.age = reading.grade + 6
    return folded


# ---------------------------------------------------------------------------------------------
# Retrieval plans
#
# At 100,000 programmes a common word («шахматы», «робототехника») matches thousands of rows,
# and anything that touches every match (bm25 over all of them, joining each row) costs
# 20–60 ms on SQLite. So every plan is bounded by a LIMIT that stops the scan early, and only
# a rare question (few matches, known from the vocabulary's frequencies) reads all matches:
# - "all":   few matches: all of them, ranked exactly in Python;
# - "tiers": FTS-driven scans in id order, strongest terms first (all terms directly, any term
#            directly, related words), each stopping after `CANDIDATES` rows;
# - "rings": with a point (a shared location, or the profile's locality): organisations by
#            distance, in rings growing fourfold until enough programmes match;
# - "place": a named place of modest size: its organisations' programmes that match.
# The rows come back with their stems; `_rank` orders them the same way for every plan and
# both databases.

CANDIDATES = 40  # rows a bounded scan stops after (at least 3 × limit)
ALL_MATCHES = 300  # questions estimated to match fewer programmes read them all
MAX_ROWS = 600  # the most rows one statement returns (a place's or a ring's matches)
RING_GROWTH = 4
RING_ROUNDS = 4
RING_MIN, RING_MAX = 60, 3000  # programmes in the first ring

_COLUMNS = "p.id, p.name, p.search_stems, o.locality_id, o.latitude, o.longitude"


@dataclass(frozen=True, slots=True)
class _Org:
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
    orgs: tuple[_Org, ...]  # visible organisations, by id
    locality_programmes: dict[int, int]  # programmes of visible organisations, by locality
    shares: Shares


@dataclass(frozen=True, slots=True)
class _Filters:
    age: int | None
    free_only: bool
    accessible: bool
    directions: tuple[str, ...]
    locality_ids: tuple[int, ...]

    def where(
        self, params: dict[str, object], *, places: bool = True, no_index: bool = False
    ) -> str:
        """SQL conditions; `places=False` when the organisations are already chosen;
        `no_index` keeps SQLite from the browse index (unary +) when organisations lead."""
        plus = "+" if no_index else ""
        where = [f"{plus}p.hidden = false", "o.hidden = false"]
        if self.age is not None:
            where.append(f"{plus}p.age_from <= :age AND {plus}p.age_to >= :age")
            params["age"] = self.age
        if self.free_only:
            where.append("p.cost = 'free'")
        if self.accessible:
            where.append("o.accessible = true")
        if self.directions:
            names = _bind_list(params, "direction", self.directions)
            where.append(f"{plus}p.direction IN ({names})")
        if self.locality_ids and places:
            names = _bind_list(params, "locality", self.locality_ids)
            where.append(f"o.locality_id IN ({names})")
        return " AND ".join(where)

    def selectivity(self, shares: Shares) -> float:
        """The share of programmes passing the filters, taking them as independent."""
        share = 1.0
        if self.age is not None:
            share *= shares.age.get(self.age, 0.0)
        if self.free_only:
            share *= shares.free
        if self.accessible:
            share *= shares.accessible
        if self.directions:
            share *= sum(shares.direction.get(code, 0.0) for code in self.directions)
        return min(share, 1.0)


@dataclass(slots=True)
class _Row:
    id: int
    name: str
    search_stems: str
    locality_id: int
    latitude: float
    longitude: float
    coverage: int = 0
    direct: int = 0
    in_name: int = 0
    size: int = 0
    distance: float = 0.0


class _Plan:
    """Builds and runs the statements of one question; rows accumulate by id."""

    def __init__(
        self,
        connection: AsyncConnection,
        terms: list[dict[tuple[str, ...], int]],
        filters: _Filters,
        vocabulary: Vocabulary,
    ) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.terms = terms
        self.filters = filters
        self.vocabulary = vocabulary
        self.rows: dict[int, _Row] = {}
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
            self.rows.setdefault(row[0], _Row(*row))
        return found

    # -- statements ----------------------------------------------------------------------------

    async def by_match(self, match: str, cap: int) -> int:
        params: dict[str, object] = {"match": match, "cap": cap}
        where = self.filters.where(params)
        if self.dialect == "sqlite":
            statement = (
                f"SELECT {_COLUMNS} FROM programmes_fts"
                " JOIN programmes p ON p.id = programmes_fts.rowid"
                " JOIN organisations o ON o.id = p.organisation_id"
                f" WHERE programmes_fts MATCH :match AND {where}"
                " ORDER BY programmes_fts.rowid LIMIT :cap"
            )
        else:
            statement = (
                f"SELECT {_COLUMNS} FROM programmes p"
                " JOIN organisations o ON o.id = p.organisation_id"
                f" WHERE {_TS_VECTOR} @@ to_tsquery('simple', :match) AND {where}"
                f" ORDER BY {_PG_ID_ORDER} LIMIT :cap"
            )
        return await self.run(statement, params)

    async def by_orgs(self, org_ids: Sequence[int], match: str | None, cap: int) -> int:
        params: dict[str, object] = {"cap": cap}
        where = self.filters.where(params, places=False, no_index=self.dialect == "sqlite")
        # Hundreds of ids: written into the statement (integers only), not bound one by one,
        # which would cost SQLAlchemy milliseconds per question.
        orgs = ", ".join(str(int(org_id)) for org_id in org_ids)
        source = (
            f"SELECT {_COLUMNS} FROM programmes p JOIN organisations o ON o.id = p.organisation_id"
        )
        if match is None:
            # In the index's order (organisation, id), so the scan stops at the limit.
            statement = (
                f"{source} WHERE p.organisation_id IN ({orgs}) AND {where}"
                " ORDER BY p.organisation_id, p.id LIMIT :cap"
            )
            return await self.run(statement, params, cached=False)
        if self.dialect == "sqlite":
            # The organisations' programme ids (index only) meet the full-text ids first;
            # rows are read for the programmes that match.
            params["match"] = match
            statement = (
                f"{source} WHERE p.id IN (SELECT p2.id FROM programmes p2"
                f" WHERE p2.organisation_id IN ({orgs}) AND +p2.id IN"
                " (SELECT rowid FROM programmes_fts WHERE programmes_fts MATCH :match))"
                f" AND {where}"
            )
        else:
            params["match"] = match
            statement = (
                f"{source} WHERE p.organisation_id IN ({orgs})"
                f" AND {_TS_VECTOR} @@ to_tsquery('simple', :match) AND {where}"
            )
        order = "p.id" if self.dialect == "sqlite" else _PG_ID_ORDER
        return await self.run(f"{statement} ORDER BY {order} LIMIT :cap", params, cached=False)

    async def by_filters(self, cap: int) -> int:
        params: dict[str, object] = {"cap": cap}
        where = self.filters.where(params)
        # With one direction, the browse index's own order lets the scan stop early.
        order = "p.age_from, p.age_to, p.id" if len(self.filters.directions) == 1 else "p.id"
        statement = (
            f"SELECT {_COLUMNS} FROM programmes p JOIN organisations o"
            f" ON o.id = p.organisation_id WHERE {where} ORDER BY {order} LIMIT :cap"
        )
        return await self.run(statement, params)

    # -- plans -------------------------------------------------------------------------------

    def match(self, *, direct_only: bool = False, every_term: bool = False) -> str | None:
        """MATCH/tsquery text: any member of any term (or, `every_term`, of each term)."""
        either, both = (" OR ", " AND ") if self.dialect == "sqlite" else (" | ", " & ")
        groups = []
        for term in self.terms:
            members = [m for m, w in term.items() if not direct_only or w >= DIRECT]
            if not members:
                if every_term:
                    return None
                continue
            parts = [_member_expression(m, self.dialect) for m in members]
            groups.append("(" + either.join(parts) + ")" if len(parts) > 1 else parts[0])
        if not groups:
            return None
        if every_term:
            return both.join(groups) if len(groups) > 1 else groups[0]
        return either.join(dict.fromkeys(groups))

    def exclude(self, match: str, previous: str) -> str:
        if self.dialect == "sqlite":
            return f"({match}) NOT ({previous})"
        return f"({match}) & !({previous})"

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
            await self.by_match(tier if done is None else self.exclude(tier, done), CANDIDATES)
            done = tier
            if len(self.rows) >= enough:
                return

    async def rings(self, origin: tuple[float, float], enough: int) -> None:
        """Organisations nearest to `origin` first, in growing rings, until enough match."""
        allowed = set(self.filters.locality_ids)
        orgs = [org for org in self.vocabulary.orgs if not allowed or org.locality_id in allowed]
        orgs.sort(
            key=lambda org: (
                _squared_distance(origin, org.latitude, org.longitude),
                org.id,
            )
        )
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


_TS_VECTOR = "to_tsvector('simple', p.search_stems)"
# PostgreSQL plans a prepared statement once for any tsquery; ordered by the bare primary key
# it walks the whole table for a rare word (seconds at 100,000 rows). `p.id + 0` orders the
# same but makes it read the matches through the GIN index and sort them.
_PG_ID_ORDER = "p.id + 0"


def _squared_distance(origin: tuple[float, float], latitude: float, longitude: float) -> float:
    """Equirectangular distance squared: orders points like the great-circle distance."""
    squeeze = math.cos(math.radians(origin[0]))
    return (latitude - origin[0]) ** 2 + ((longitude - origin[1]) * squeeze) ** 2


# ---------------------------------------------------------------------------------------------
# The service


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
    ) -> None:
        self._sessions = sessions
        # Searching reads only: a Core connection costs less per question than an ORM session.
        self._engine: AsyncEngine = bound_engine(sessions)
        self._localities = localities
        self._faq = FaqIndex.load(faq_path)
        self._faq_fuzzy = FuzzyIndex(self._faq.vocabulary)
        self._synonyms = SynonymTable.load(synonyms_path)
        self._vocabulary: Vocabulary | None = None
        self._generation = 0
        self._lock = asyncio.Lock()
        self._places_source: list[Place] | None = None
        self._place_phrases: dict[tuple[str, ...], PlaceMeaning] = {}
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
        reading = self._read(folded, vocabulary)

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
            grade=reading.grade,
            locality_ids=tuple(sorted(reading.locality_ids)),
            districts=tuple(reading.districts),
            free_only=reading.free_only,
            accessible=reading.accessible,
            directions=tuple(reading.directions),
            near_me=reading.near_me,
            point=near_point,
            corrections=tuple(reading.corrections),
            unknown=tuple(reading.unknown),
        )

        faq = self._faq.match(self._faq_stems(folded, vocabulary))
        if faq is not None:
            return Answer("faq", faq_id=faq.id, understood=understood)

        terms = [
            {
                member: weight
                for member, weight in term.members.items()
                if _indexed(member, vocabulary)
            }
            for term in reading.terms
        ]
        terms = [term for term in terms if term]
        # Unknown short words (particles, a school's number) do not stop a filtered search.
        unknown = [word for word in reading.unknown if len(word) >= FUZZY_MIN_LENGTH]
        if not terms and (reading.terms or unknown or not understood.has_filters):
            # Words were asked for and none is in the catalogue; or nothing was understood.
            return Answer("nothing", understood=understood)
        if understood.near_me and near_point is None and not terms:
            if understood == Understood(near_me=True, age=age, unknown=understood.unknown):
                # «рядом» and nothing else, and no point to measure from: the handler asks
                # for a location (understood.near_me with no point).
                return Answer("nothing", understood=understood)
        if effective_age is not None and not (
            catalog_terms.AGE_MIN <= effective_age <= catalog_terms.AGE_MAX
        ):
            return Answer("nothing", understood=understood)

        filters = _Filters(
            age=effective_age,
            free_only=reading.free_only,
            accessible=reading.accessible,
            directions=tuple(reading.directions),
            locality_ids=tuple(sorted(reading.locality_ids)),
        )
        prefer = None if reading.locality_ids else locality_id
        origin = near_point
        if origin is None and prefer is not None and home is not None:
            origin = (home.latitude, home.longitude)
        rows = await self._retrieve(terms, filters, vocabulary, origin=origin, limit=limit)
        if not rows:
            return Answer("nothing", understood=understood)
        ranked = _rank(rows, terms, origin=origin, near=near_point is not None, prefer=prefer)
        ranked = ranked[:limit]
        return Answer(
            "programmes",
            programme_ids=[row.id for row in ranked],
            understood=understood,
            distances_km=tuple(round(row.distance, 2) for row in ranked) if near_point else (),
            related_only=bool(terms) and all(row.direct == 0 for row in ranked),
        )

    async def _retrieve(
        self,
        terms: list[dict[tuple[str, ...], int]],
        filters: _Filters,
        vocabulary: Vocabulary,
        *,
        origin: tuple[float, float] | None,
        limit: int,
    ) -> list[_Row]:
        enough = max(limit, 1)
        async with self._engine.connect() as connection:
            plan = _Plan(connection, terms, filters, vocabulary)
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
            self.last_plan = (name, plan.statements)
        return list(plan.rows.values())

    # -- reading -----------------------------------------------------------------------------

    def _faq_stems(self, folded: str, vocabulary: Vocabulary) -> list[str]:
        """Question stems for FAQ matching; a word known nowhere may be a misspelt FAQ word."""
        found = []
        for item in question_stems(folded):
            if (
                item in self._faq.idf
                or item in vocabulary.frequency
                or (item,) in self._synonyms.same_of
                or item.isdigit()
                or len(item) < FUZZY_MIN_LENGTH
            ):
                found.append(item)
                continue
            near = self._faq_fuzzy.near(item)
            found.append(near[0][1] if near else item)
        return found

    def _read(self, folded: str, vocabulary: Vocabulary) -> _Reading:
        reading = _Reading()
        rest = _read_patterns(folded, reading)
        tokens = [
            (word, item)
            for word in text_index.words(rest)
            if (item := _token_stem(word)) not in SEARCH_STOP_STEMS
            and (len(item) > 1 or word.isdigit())
        ]
        longest = max(self._synonyms.max_phrase, 3)
        i = 0
        while i < len(tokens):
            for size in range(min(longest, len(tokens) - i), 0, -1):
                key = tuple(item for _, item in tokens[i : i + size])
                words = " ".join(word for word, _ in tokens[i : i + size])
                if self._take_phrase(key, words, tokens[i + size :], reading):
                    i += size
                    break
            else:
                self._take_word(*tokens[i], vocabulary, reading)
                i += 1
        return reading

    def _take_phrase(
        self,
        key: tuple[str, ...],
        words: str,
        following: list[tuple[str, str]],
        reading: _Reading,
    ) -> bool:
        place = self._place_phrases.get(key)
        if place is not None:
            self._add_place(place, reading)
            return True
        direction = _DIRECTION_KEYS.get(key)
        if direction is not None:
            next_stem = following[0][1] if following else ""
            if (key[-1], next_stem) not in _DIRECTION_EXCEPTIONS:
                if direction not in reading.directions:
                    reading.directions.append(direction)
                return True
        members = self._synonyms.expand(key, WEIGHTS)
        if members:
            reading.terms.append(_Term(words, members))
            return True
        return False

    def _take_word(self, word: str, item: str, vocabulary: Vocabulary, reading: _Reading) -> None:
        if item in _GENERIC_PLACE_WORDS:
            return  # «район» left over from a place name, or on its own
        if item in vocabulary.frequency:
            reading.terms.append(_Term(word, {(item,): WEIGHTS[0]}))
            return
        if item.isdigit() or len(item) < FUZZY_MIN_LENGTH or item in self._faq.idf:
            # A word of the FAQ («билет») is a real word, not a misspelt «балет».
            reading.unknown.append(word)
            return
        near = vocabulary.fuzzy.near(item)
        if not near:
            reading.unknown.append(word)
            return
        best = near[0][0]
        closest = [candidate for distance, candidate in near if distance == best]
        # A place or a direction misspelt is read as that filter.
        for candidate in closest:
            key = (candidate,)
            if len(candidate) >= 5 and key in self._place_phrases:
                self._add_place(self._place_phrases[key], reading)
                reading.corrections.append((word, candidate))
                return
            if len(candidate) >= 5 and key in _DIRECTION_KEYS:
                if _DIRECTION_KEYS[key] not in reading.directions:
                    reading.directions.append(_DIRECTION_KEYS[key])
                reading.corrections.append((word, candidate))
                return
        known = [
            candidate
            for candidate in closest
            if candidate in vocabulary.frequency or (candidate,) in self._synonyms.same_of
        ]
        known.sort(key=lambda candidate: (-vocabulary.frequency.get(candidate, 0), candidate))
        members: dict[tuple[str, ...], int] = {}
        for candidate in known[:MAX_CORRECTIONS]:
            expanded = self._synonyms.expand((candidate,), TYPO_WEIGHTS)
            for member, weight in (expanded or {(candidate,): TYPO_WEIGHTS[0]}).items():
                members[member] = max(members.get(member, 0), weight)
            reading.corrections.append((word, candidate))
        if members:
            reading.terms.append(_Term(word, members))
        else:
            reading.unknown.append(word)

    def _add_place(self, place: PlaceMeaning, reading: _Reading) -> None:
        reading.locality_ids.update(place.locality_ids)
        if place.district is not None and place.district not in reading.districts:
            reading.districts.append(place.district)

    # -- loading -----------------------------------------------------------------------------

    async def _ensure_vocabulary(self) -> Vocabulary:
        vocabulary = self._vocabulary
        if vocabulary is not None:
            return vocabulary
        async with self._lock:
            while self._vocabulary is None:
                generation = self._generation
                loaded = await self._load_vocabulary()
                if generation == self._generation:
                    self._vocabulary = loaded
            return self._vocabulary

    async def _load_vocabulary(self) -> Vocabulary:
        async with self._sessions() as session:
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
                            "SELECT organisation_id, count(*) FROM programmes"
                            " GROUP BY organisation_id"
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
                _Org(org_id, locality, latitude, longitude, int(counts.get(org_id, 0)))
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
        words.update(item for key in self._synonyms.keys() if len(key) == 1 for item in key)
        words.update(key[0] for key in _DIRECTION_KEYS if len(key) == 1)
        words.update(key[0] for key in self._place_phrases if len(key) == 1)
        fuzzy_words = {word for word in words if not word.isdigit() and len(word) > 2}
        return Vocabulary(
            frequency, sum(counts.values()), FuzzyIndex(fuzzy_words), orgs, by_locality, shares
        )

    async def _ensure_places(self) -> None:
        places = await self._localities.all()
        if places is self._places_source:
            return
        phrases = _place_phrases(places)
        if self._vocabulary is not None and set(phrases) != set(self._place_phrases):
            self.invalidate()  # place names take part in the fuzzy index
        self._place_phrases = phrases
        self._places_by_id = {place.id: place for place in places}
        self._places_source = places


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


# ---------------------------------------------------------------------------------------------
# Ordering


def _rank(
    rows: list[_Row],
    terms: list[dict[tuple[str, ...], int]],
    *,
    origin: tuple[float, float] | None,
    near: bool,
    prefer: int | None,
) -> list[_Row]:
    """Best first: terms covered (by weight), then nearness or the preferred locality, then
    terms found in the name, then shorter (more focused) programmes, then id."""
    ordered = [
        sorted(
            (
                (tuple(f" {item} " for item in member), member, weight)
                for member, weight in t.items()
            ),
            key=lambda entry: -entry[2],
        )
        for t in terms
    ]
    for row in rows:
        padded = f" {row.search_stems} "
        name: set[str] | None = None
        for members in ordered:
            best, in_name = 0, False
            for needles, member, weight in members:
                if weight < best:
                    break
                if all(needle in padded for needle in needles):
                    if name is None:
                        name = set(text_index.stems(row.name))
                    hit = all(item in name for item in member)
                    if weight > best or hit:
                        best, in_name = weight, hit
            row.coverage += best
            row.direct += best >= DIRECT
            row.in_name += best if in_name else 0
        row.size = padded.count(" ") - 1
        if origin is not None:
            row.distance = distance_km(origin[0], origin[1], row.latitude, row.longitude)
    if near:
        key = lambda r: (-r.coverage, r.distance, -r.in_name, r.size, r.id)  # noqa: E731
    else:
        key = lambda r: (  # noqa: E731
            -r.coverage,
            0 if prefer is None or r.locality_id == prefer else 1,
            -r.in_name,
            r.distance,
            r.size,
            r.id,
        )
    return sorted(rows, key=key)


def _indexed(member: tuple[str, ...], vocabulary: Vocabulary) -> bool:
    return all(item in vocabulary.frequency for item in member)


def _bind_list(params: dict[str, object], prefix: str, values: Sequence[object]) -> str:
    names = []
    for index, value in enumerate(values):
        params[f"{prefix}{index}"] = value
        names.append(f":{prefix}{index}")
    return ", ".join(names)


_SAFE_STEM = re.compile(r"[0-9a-zа-я]+")


def _member_expression(member: tuple[str, ...], dialect: str) -> str:
    """A member as FTS5 MATCH or tsquery text: a quoted stem, or an AND of a phrase's stems.

    Stems are [0-9a-zа-я]+ by construction (text_index.words); anything else is refused
    rather than quoted, so no query syntax can come from a question."""
    for item in member:
        if not _SAFE_STEM.fullmatch(item):
            raise ValueError(f"not a stem: {item!r}")
    if dialect == "sqlite":
        quoted = [f'"{item}"' for item in member]
        return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"
    quoted = [f"'{item}'" for item in member]
    return quoted[0] if len(quoted) == 1 else "(" + " & ".join(quoted) + ")"
