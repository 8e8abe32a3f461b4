"""The reading of a question: its filters, places, directions and terms, typos corrected."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.catalog import text_index
from services.search.faq import FaqIndex, question_stems
from services.search.fuzzy import FuzzyIndex
from services.search.patterns import read_patterns
from services.search.synonyms import SynonymTable
from services.search.vocabulary import Vocabulary
from services.search.words import (
    DIRECTION_EXCEPTIONS,
    DIRECTION_KEYS,
    GENERIC_PLACE_WORDS,
    ORG_TYPE_KEYS,
    SEARCH_STOP_STEMS,
    TYPO_WEIGHTS,
    WEIGHTS,
    PlaceMeaning,
    token_stem,
)

MAX_CORRECTIONS = 3  # vocabulary stems a misspelt term may be read as
FUZZY_MIN_LENGTH = 4  # shorter stems are not corrected (too many neighbours)


@dataclass(slots=True)
class Term:
    word: str  # as typed
    members: dict[tuple[str, ...], int]  # stems to search for → weight


@dataclass(slots=True)
class Reading:
    terms: list[Term] = field(default_factory=list)
    age: int | None = None
    age_group: str | None = None  # «подросток», «взрослый»: the age above came from a word
    grade: int | None = None
    free_only: bool = False
    accessible: bool = False
    near_me: bool = False
    locality_ids: set[int] = field(default_factory=set)
    districts: list[str] = field(default_factory=list)
    directions: list[str] = field(default_factory=list)
    org_types: list[str] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


class Reader:
    """Reads questions against the synonyms, the FAQ's words and the places (set by the service
    whenever the localities change)."""

    def __init__(self, synonyms: SynonymTable, faq: FaqIndex) -> None:
        self.synonyms = synonyms
        self.faq = faq
        self.faq_fuzzy = FuzzyIndex(faq.vocabulary)
        self.place_phrases: dict[tuple[str, ...], PlaceMeaning] = {}

    def faq_stems(self, folded: str, vocabulary: Vocabulary) -> list[str]:
        """Question stems for FAQ matching; a word known nowhere may be a misspelt FAQ word."""
        found = []
        for item in question_stems(folded):
            if (
                item in self.faq.idf
                or item in vocabulary.frequency
                or (item,) in self.synonyms.same_of
                or item.isdigit()
                or len(item) < FUZZY_MIN_LENGTH
            ):
                found.append(item)
                continue
            near = self.faq_fuzzy.near(item)
            found.append(near[0][1] if near else item)
        return found

    def read(self, folded: str, vocabulary: Vocabulary) -> Reading:
        reading = Reading()
        rest = read_patterns(folded, reading)
        tokens = [
            (word, item)
            for word in text_index.words(rest)
            if (item := token_stem(word)) not in SEARCH_STOP_STEMS
            and (len(item) > 1 or word.isdigit())
        ]
        longest = max(self.synonyms.max_phrase, 3)
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
        reading: Reading,
    ) -> bool:
        place = self.place_phrases.get(key)
        if place is not None:
            self._add_place(place, reading)
            return True
        org_type = ORG_TYPE_KEYS.get(key)
        if org_type is not None:
            if org_type not in reading.org_types:
                reading.org_types.append(org_type)
            return True
        direction = DIRECTION_KEYS.get(key)
        if direction is not None:
            next_stem = following[0][1] if following else ""
            if (key[-1], next_stem) not in DIRECTION_EXCEPTIONS:
                if direction not in reading.directions:
                    reading.directions.append(direction)
                return True
        members = self.synonyms.expand(key, WEIGHTS)
        if members:
            reading.terms.append(Term(words, members))
            return True
        return False

    def _take_word(self, word: str, item: str, vocabulary: Vocabulary, reading: Reading) -> None:
        if item in GENERIC_PLACE_WORDS:
            return  # «район» left over from a place name, or on its own
        if item in vocabulary.frequency:
            reading.terms.append(Term(word, {(item,): WEIGHTS[0]}))
            return
        if item.isdigit() or len(item) < FUZZY_MIN_LENGTH or item in self.faq.idf:
            # A word of the FAQ («билет») is a real word, not a misspelt «балет».
            reading.unknown.append(word)
            return
        near = vocabulary.fuzzy.near(item)
        if not near:
            reading.unknown.append(word)
            return
        best = near[0][0]
        closest = [candidate for distance, candidate in near if distance == best]
        if any(candidate in SEARCH_STOP_STEMS for candidate in closest) and not any(
            (candidate,) in self.synonyms.same_of for candidate in closest
        ):
            return  # a misspelt (or unusual form of a) word that says nothing: «занять»
        # A place, a direction or a kind of organisation misspelt is read as that filter.
        for candidate in closest:
            key = (candidate,)
            if len(candidate) >= 5 and key in ORG_TYPE_KEYS:
                if ORG_TYPE_KEYS[key] not in reading.org_types:
                    reading.org_types.append(ORG_TYPE_KEYS[key])
                reading.corrections.append((word, candidate))
                return
            if len(candidate) >= 5 and key in self.place_phrases:
                self._add_place(self.place_phrases[key], reading)
                reading.corrections.append((word, candidate))
                return
            if len(candidate) >= 5 and key in DIRECTION_KEYS:
                if DIRECTION_KEYS[key] not in reading.directions:
                    reading.directions.append(DIRECTION_KEYS[key])
                reading.corrections.append((word, candidate))
                return
        known = [
            candidate
            for candidate in closest
            if candidate in vocabulary.frequency or (candidate,) in self.synonyms.same_of
        ]
        known.sort(key=lambda candidate: (-vocabulary.frequency.get(candidate, 0), candidate))
        members: dict[tuple[str, ...], int] = {}
        for candidate in known[:MAX_CORRECTIONS]:
            expanded = self.synonyms.expand((candidate,), TYPO_WEIGHTS)
            for member, weight in (expanded or {(candidate,): TYPO_WEIGHTS[0]}).items():
                members[member] = max(members.get(member, 0), weight)
            reading.corrections.append((word, candidate))
        if members:
            reading.terms.append(Term(word, members))
        else:
            reading.unknown.append(word)

    def _add_place(self, place: PlaceMeaning, reading: Reading) -> None:
        reading.locality_ids.update(place.locality_ids)
        if place.district is not None and place.district not in reading.districts:
            reading.districts.append(place.district)
