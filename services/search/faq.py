"""Frequently asked questions: which entry of `data/faq.json` a typed question asks.

The JSON holds, per entry, an `id` and question variants in Russian and English; the answers
are user-facing and live in `locales/<lang>/faq.ftl` as `faq-<id>` (and `faq-<id>-title`).

A question matches an entry when its stems and the stems of one of the entry's variants
cover each other well: an IDF-weighted F1 of the overlap, where IDF is counted over entries
(a stem in every entry says nothing; «кванториум» says a lot). A word of the question that no
variant knows weighs as much as the rarest FAQ word, so «робототехника для 10 лет» or
«бесплатные кружки в Асино» do not drift into an FAQ answer; catalogue words such as
«кружок» weigh at least that much unless the variant has them too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from services.catalog import text_index
from services.paths import DATA_DIR

FAQ_PATH = DATA_DIR / "faq.json"

# Words that carry no meaning for choosing an answer (prepositions, particles, pronouns).
_FUNCTION_WORDS = """
в во на для по с со у к ко о об обо от до из за и или а но не ни ли бы же ж то это этот эта
эти мне меня мой моя мое мои нам нас наш наша наше наши вам вас ваш ваша ваше ваши я мы вы он
она оно они его ее их ему ей им при про без над под через пожалуйста подскажите скажите
расскажите объясните здравствуйте добрый день вечер утро привет спасибо
a an the to of for in on at by with from and or is are am be do does i me my we our you your
it's its please tell hello hi thanks about
какие какой какая каких какую чтобы ли есть ведь если нам вам мы кто куда где чем такая такой
такие штука вообще нибудь собрать принести что сделать делать каким образом хочу хотим
хотела хотел хотели can could should would will any some there do
does did which where
"""
FUNCTION_STEMS = frozenset(text_index.stem(word) for word in _FUNCTION_WORDS.split())

# Words that mean "find me clubs": a variant must have them itself to claim the question.
_SEARCH_WORDS = """
кружок кружки кружков секция секции секций студия студии занятия курсы club clubs
class classes course courses lessons activities
"""
SEARCH_STEMS = frozenset(text_index.stem(word) for word in _SEARCH_WORDS.split())

# Words that name who asks or what about («ребёнок», «кружок»): a match needs another shared word.
_GENERIC_WORDS = "ребенок child kid сын дочь"
GENERIC_STEMS = SEARCH_STEMS | frozenset(text_index.stem(w) for w in _GENERIC_WORDS.split())

MATCH_THRESHOLD = 0.8


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    variants: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class FaqMatch:
    id: str
    score: float


def question_stems(text: str) -> list[str]:
    """The stems that take part in FAQ matching: all but function words, in order."""
    return [item for item in text_index.stems(text) if item not in FUNCTION_STEMS]


def same_words(groups: Iterable[Iterable[str]]) -> dict[str, str]:
    """Stem → the stem that stands for its group («стоимость», «цена», "price" → «стоим»)."""
    canonical: dict[str, str] = {}
    for group in groups:
        stems = [item for word in group for item in text_index.stems(word)]
        for item in stems[1:]:
            canonical.setdefault(item, stems[0])
    return canonical


class FaqIndex:
    def __init__(
        self,
        entries: Iterable[FaqEntry],
        threshold: float = MATCH_THRESHOLD,
        same: dict[str, str] | None = None,
    ) -> None:
        self.same = same or {}
        self.entries = tuple(entries)
        self.threshold = threshold
        document_frequency: dict[str, int] = {}
        for entry in self.entries:
            for item in set().union(*entry.variants):
                document_frequency[item] = document_frequency.get(item, 0) + 1
        count = max(len(self.entries), 1)
        self.idf = {
            item: math.log(1 + count / frequency) for item, frequency in document_frequency.items()
        }
        for item, canonical in self.same.items():  # a synonym is as known as its group
            if canonical in self.idf:
                self.idf.setdefault(item, self.idf[canonical])
        # What a word no variant knows weighs: a little more than the rarest known word.
        self.unknown_weight = math.log(1 + count / 0.5)

    @classmethod
    def load(cls, path: Path = FAQ_PATH) -> FaqIndex:
        raw = json.loads(path.read_text(encoding="utf-8"))
        same = same_words(raw.get("same", []))
        entries = []
        for item in raw["entries"]:
            variants = [
                frozenset(same.get(stem, stem) for stem in question_stems(text))
                for language in ("ru", "en")
                for text in item.get(language, [])
            ]
            entries.append(FaqEntry(item["id"], tuple(v for v in variants if v)))
        return cls(entries, same=same)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(entry.id for entry in self.entries)

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.idf)

    def _query_weight(self, item: str) -> float:
        weight = self.idf.get(item, self.unknown_weight)
        if item in SEARCH_STEMS:
            weight = max(weight, self.unknown_weight)
        return weight

    def match(self, stems: Iterable[str]) -> FaqMatch | None:
        """The best entry for these question stems (see `question_stems`), if good enough."""
        query = {self.same.get(item, item) for item in stems if item not in FUNCTION_STEMS}
        if not query or not query & self.idf.keys():
            return None
        query_weight = sum(self._query_weight(item) for item in query)
        best: FaqMatch | None = None
        for entry in self.entries:
            for variant in entry.variants:
                common = query & variant
                if not common - GENERIC_STEMS:
                    continue
                # A shared word weighs what the variant says it weighs; the question side
                # keeps its own (higher) weight for catalogue words the variant also has.
                shared = sum(self.idf[item] for item in common)
                variant_cover = shared / sum(self.idf[item] for item in variant)
                query_cover = sum(self._query_weight(item) for item in common) / query_weight
                score = 2 * variant_cover * query_cover / (variant_cover + query_cover)
                if best is None or score > best.score:
                    best = FaqMatch(entry.id, score)
        return best if best is not None and best.score >= self.threshold else None
