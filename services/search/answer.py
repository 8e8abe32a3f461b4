"""What a question was understood as and what it is answered with."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.search.intents import INTENT_KINDS, Intent

ANSWER_KINDS = ("faq", "programmes", "nothing", *INTENT_KINDS)


@dataclass(frozen=True, slots=True)
class Understood:
    """What the question was read as; the handler shows it («Ищу: робототехника, 10 лет…»)."""

    terms: tuple[str, ...] = ()  # words searched for, as typed (lower case, ё→е)
    age: int | None = None  # the age programmes were filtered by
    age_in_question: bool = False  # the age came from the question, not from the argument
    age_group: str | None = None  # the age came from a word: «подросток» (teen), «взрослый»
    grade: int | None = None  # the school grade the question named («в 5 классе»)
    locality_ids: tuple[int, ...] = ()  # localities named in the question (or in its districts)
    districts: tuple[str, ...] = ()  # districts named in the question, as in the database
    free_only: bool = False
    accessible: bool = False  # organisations marked accessible for children with disabilities
    directions: tuple[str, ...] = ()  # codes of catalog_terms.DIRECTIONS
    org_types: tuple[str, ...] = ()  # codes of catalog_terms.ORG_TYPES («в Кванториуме»)
    near_me: bool = False
    point: tuple[float, float] | None = None  # what distances were measured from, if known
    # (typed word, the word it was read as: «работотехника» → «робототехника»)
    corrections: tuple[tuple[str, str], ...] = ()
    unknown: tuple[str, ...] = ()  # words that matched nothing known
    # Words known but found in no programme under the filters: the search went on without them.
    unmatched: tuple[str, ...] = ()

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
            or self.org_types
            or self.near_me
        )

    @property
    def empty(self) -> bool:
        """Nothing at all was understood: no terms, no filters, no unknown words."""
        return not (self.terms or self.unknown or self.has_filters)


@dataclass(frozen=True, slots=True)
class Answer:
    kind: str  # "faq" | "programmes" | "nothing" | an intent (services/search/intents.py)
    faq_id: str | None = None
    programme_ids: list[int] = field(default_factory=list)  # best first
    understood: Understood = field(default_factory=Understood)
    # Distances from understood.point, in step with programme_ids (empty when no point;
    # None for an online programme of another place).
    distances_km: tuple[float | None, ...] = ()
    # The programmes matched only through related words, none of the terms themselves.
    related_only: bool = False
    # Not a catalogue question: small talk, a consultation, events, off-topic.
    intent: Intent | None = None
    total: int = 0  # programmes found (at least this many when `more`)
    more: bool = False  # the search stopped early: there are more than `total`
    online_ids: frozenset[int] = frozenset()  # the online ones among programme_ids
    # The question's age is outside every programme's (an adult, 2 years): the age searched
    # for instead, the nearest one programmes take.
    nearest_age: int | None = None
