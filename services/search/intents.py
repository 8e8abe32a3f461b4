"""What a typed message is about when it is not a catalogue question: small talk, a wish for a
consultation (and on which topic), events, or something the bot does not do at all.

The vocabulary is `data/intents.json`: cues are words (matched by stem, so every inflection
counts), phrases (stems in a row) or exact word forms («=психолога»: a person; «психология» is a
club's subject and stays a search). Strong cues weigh 2, weak ones 1; an intent needs 2. A
misspelt word that the catalogue does not know is read as a cue within the typo distance.
Words of the catalogue («кружок», «секция», "classes") keep a message a search: «психология
для подростков кружок» is a club. Reading costs a dictionary look-up per word, no database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.catalog import text_index
from services.paths import DATA_DIR
from services.search.faq import FUNCTION_STEMS
from services.search.fuzzy import FuzzyIndex

INTENTS_PATH = DATA_DIR / "intents.json"
INTENT_KINDS = ("smalltalk", "consult", "events", "offtopic")
STRONG, WEAK, NEEDED = 2, 1, 2
FUZZY_MIN = 5  # shorter words are not read as misspelt cues
CONSULTATION_FAQ = "consultation"  # the FAQ entry that a booking answers better

# Date words of event questions → the period they name (services/search/event_match.py).
_PERIODS = {
    "сегодня": "today",
    "today": "today",
    "tonight": "today",
    "завтра": "tomorrow",
    "tomorrow": "tomorrow",
    "выходные": "weekend",
    "выходных": "weekend",
    "weekend": "weekend",
    "неделе": "week",
    "неделю": "week",
    "week": "week",
    "месяц": "month",
    "месяце": "month",
    "month": "month",
    "каникулы": "holidays",
    "каникулах": "holidays",
    "holidays": "holidays",
}
_NEXT = frozenset({"следующ", "next"})
_MONTHS = (
    ("январ", "january"),
    ("феврал", "february"),
    ("март", "march"),
    ("апрел", "april"),
    ("ма", "may"),
    ("июн", "june"),
    ("июл", "july"),
    ("август", "august"),
    ("сентябр", "september"),
    ("октябр", "october"),
    ("ноябр", "november"),
    ("декабр", "december"),
)
_MONTH_OF = {
    text_index.stem(name): number
    for number, names in enumerate(_MONTHS, start=1)
    for name in names
    if len(name) > 2
}
_MONTH_OF.update({"мая": 5, "май": 5, "mai": 5})
_PERIOD_OF = {text_index.stem(word): period for word, period in _PERIODS.items()}


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str  # one of INTENT_KINDS
    topic: str | None = None  # consult: foster | psychology | method; smalltalk: its kind
    # events: stems of the question that may name an event (its title, place, subject)
    words: tuple[str, ...] = ()
    # events: stems naming a kind of event («фестиваль», "exhibition"), weaker than `words`
    kinds: tuple[str, ...] = ()
    # events: "today", "tomorrow", "week", "weekend", "month", "next-week", "next-month",
    # "holidays", "month-<1..12>"; None when the question names no time
    period: str | None = None


@dataclass(frozen=True, slots=True)
class _Cue:
    group: str  # "consult", "events", "offtopic", "catalogue", "smalltalk:<kind>", "topic:<t>"
    weight: int


def _parse(text: str) -> tuple[str, tuple[str, ...]]:
    """'=психолога' → ('form', ('психолога',)); 'день открытых дверей' → ('stems', (...))."""
    if text.startswith("="):
        return "form", (text_index.fold(text[1:]),)
    return "stems", tuple(text_index.stems(text))


class IntentReader:
    def __init__(self, raw: dict) -> None:  # type: ignore[type-arg]
        self._forms: dict[str, list[_Cue]] = {}
        self._singles: dict[str, list[_Cue]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], _Cue]]] = {}
        for kind, cues in raw["smalltalk"].items():
            self._add(cues, _Cue(f"smalltalk:{kind}", STRONG))
        self._add(raw["smalltalk_filler"], _Cue("filler", 0))
        self._add(raw["catalogue"], _Cue("catalogue", STRONG))
        self._add(raw.get("listing", []), _Cue("listing", STRONG))
        for name in ("consult", "events", "offtopic"):
            self._add(raw[name].get("strong", []), _Cue(name, STRONG))
            self._add(raw[name].get("weak", []), _Cue(name, WEAK))
        # Asked for in so many words (a consultation, a psychologist, fostering), not only a
        # worry described («весь день в планшете»), which an activity may answer as well.
        self._add(raw["consult"].get("strong", []), _Cue("asked", STRONG))
        self.topic_order = tuple(raw["consult"]["topics"])
        self.service_words: dict[str, frozenset[str]] = {}
        for topic, spec in raw["consult"]["topics"].items():  # a topic's cue is a consult cue
            self._add(spec["cues"], _Cue(f"topic:{topic}", STRONG))
            self._add(spec["cues"], _Cue("consult", STRONG))
            asked = spec["cues"] if topic == "foster" else _forms(spec["cues"])
            self._add(asked, _Cue("asked", STRONG))
            self.service_words[topic] = frozenset(text_index.stem(word) for word in spec["service"])
        self.event_ignore = frozenset(
            text_index.stem(word) for word in raw["events"].get("ignore", [])
        )
        # Misspelt cues: only stems long enough to tell apart, of the kinds worth a guess.
        fuzzy_groups = ("consult", "events", "offtopic", "smalltalk:greeting", "smalltalk:thanks")
        self._fuzzy_stems = {
            item
            for item, cues in self._singles.items()
            if len(item) >= FUZZY_MIN and any(cue.group in fuzzy_groups for cue in cues)
        }
        self._fuzzy = FuzzyIndex(self._fuzzy_stems)

    @classmethod
    def load(cls, path: Path = INTENTS_PATH) -> IntentReader:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def _add(self, cues: list[str], cue: _Cue) -> None:
        for text in cues:
            how, key = _parse(text)
            if not key or not key[0]:
                continue
            if how == "form":
                self._forms.setdefault(key[0], []).append(cue)
            elif len(key) == 1:
                self._singles.setdefault(key[0], []).append(cue)
            else:
                self._phrases.setdefault(key[0], []).append((key, cue))

    # -- reading ---------------------------------------------------------------------------

    def _cues(
        self, words: list[str], stems: list[str], known: Callable[[str], bool]
    ) -> tuple[list[list[_Cue]], list[bool]]:
        """Per word: the cues it belongs to (a phrase's cues on its first word), and whether
        the word was taken by any cue (phrase members included)."""
        found: list[list[_Cue]] = [[] for _ in words]
        taken = [False] * len(words)
        for i, item in enumerate(stems):
            for key, cue in self._phrases.get(item, ()):
                if tuple(stems[i : i + len(key)]) == key:
                    found[i].append(cue)
                    for j in range(i, i + len(key)):
                        taken[j] = True
        for i, (word, item) in enumerate(zip(words, stems, strict=True)):
            if taken[i]:
                continue  # a word of a phrase is read as the phrase («курс доллара»)
            cues = self._forms.get(word) or self._singles.get(item)
            if cues is None and len(item) >= FUZZY_MIN and not item.isdigit():
                if not known(item) and item not in FUNCTION_STEMS:
                    near = self._fuzzy.near(item)
                    if near and (len(near) == 1 or near[0][0] < near[1][0]):
                        guess = near[0][1]
                        # «олимпиадная» is not a misspelt «олимпиада»: another word of its kin
                        if not (item.startswith(guess) or guess.startswith(item)):
                            cues = self._singles.get(guess)
            if cues:
                found[i].extend(cues)
                taken[i] = True
        return found, taken

    def classify(
        self,
        folded: str,
        known: Callable[[str], bool] = lambda _: False,
        *,
        activity: bool = False,
    ) -> Intent | None:
        """The intent of a folded message, or None for a catalogue question. `known(stem)`
        says whether the catalogue has the stem (such a word is never read as a misspelt cue);
        `activity`: the message names a kind of activity (a direction of the catalogue), so a
        worry it describes is answered by a search unless a consultation is asked for."""
        words = text_index.words(folded)
        if not words:
            return None
        stems = [text_index.stem(word) for word in words]
        found, taken = self._cues(words, stems, known)
        score: dict[str, int] = {}
        for cues in found:
            best: dict[str, int] = {}  # a word counts once per group, at its highest weight
            for cue in cues:
                best[cue.group] = max(best.get(cue.group, 0), cue.weight)
            for group, weight in best.items():
                score[group] = score.get(group, 0) + weight

        smalltalk = self._smalltalk(found, taken)
        if smalltalk is not None:
            return Intent("smalltalk", topic=smalltalk)
        catalogue = score.get("catalogue", 0) > 0
        consult = score.get("consult", 0)
        foster = score.get("topic:foster", 0)
        asked = score.get("asked", 0) > 0
        if consult >= NEEDED and (not catalogue or foster) and (asked or not activity):
            return Intent("consult", topic=self._topic(score))
        if score.get("events", 0) >= NEEDED and not catalogue:
            return self._events(stems)
        if score.get("offtopic", 0) >= NEEDED and not catalogue and not consult:
            return Intent("offtopic")
        return None

    def lists(self, folded: str) -> bool:
        """The message asks what there is («что есть в IT-кубе»): programmes, not the FAQ's
        «что такое»."""
        words = text_index.words(folded)
        stems = [text_index.stem(word) for word in words]
        found, _taken = self._cues(words, stems, lambda _: True)
        return any(cue.group == "listing" for cues in found for cue in cues)

    def _smalltalk(self, found: list[list[_Cue]], taken: list[bool]) -> str | None:
        """Every word is small talk (or a filler), and one at least is not a filler."""
        kinds: list[str] = []
        for cues, was_taken in zip(found, taken, strict=True):
            if not was_taken:
                return None
            groups = [cue.group for cue in cues]
            if not cues:
                continue  # inside a phrase
            talk = [group for group in groups if group.startswith("smalltalk:")]
            if talk:
                kinds.append(talk[0].split(":", 1)[1])
            elif "filler" not in groups:
                return None
        if not kinds:
            return None
        for kind in ("who", "howareyou", "thanks", "greeting", "bye"):
            if kind in kinds:
                return kind
        return kinds[0]

    def _topic(self, score: dict[str, int]) -> str | None:
        scored = [(score.get(f"topic:{topic}", 0), topic) for topic in self.topic_order]
        best = max(scored, key=lambda item: item[0])
        return best[1] if best[0] > 0 else None

    def _events(self, stems: list[str]) -> Intent:
        period = None
        words: list[str] = []
        kinds: list[str] = []
        after_next = False
        for item in stems:
            if item in _NEXT:
                after_next = True
                continue
            named = _PERIOD_OF.get(item)
            if named is not None:
                if after_next and named in ("week", "month"):
                    named = f"next-{named}"
                period = period or named
                after_next = False
                continue
            month = _MONTH_OF.get(item)
            if month is not None:
                period = period or f"month-{month}"
                continue
            after_next = False
            if item in self.event_ignore:
                continue
            if item in FUNCTION_STEMS or len(item) < 3 or any(ch.isdigit() for ch in item):
                continue
            if any(cue.group == "events" for cue in self._singles.get(item, ())):
                kinds.append(item)
            else:
                words.append(item)
        return Intent(
            "events",
            words=tuple(dict.fromkeys(words)),
            kinds=tuple(dict.fromkeys(kinds)),
            period=period,
        )

    # -- consultation topics ---------------------------------------------------------------

    def service_for(self, topic: str | None, services: list[tuple[int, str]]) -> int | None:
        """The consultation service (id, its names) that a topic names, if exactly one does."""
        if topic is None:
            return None
        wanted = self.service_words.get(topic, frozenset())
        matching = [
            service_id for service_id, names in services if wanted & set(text_index.stems(names))
        ]
        return matching[0] if len(matching) == 1 else None


def _forms(cues: list[str]) -> list[str]:
    return [cue for cue in cues if cue.startswith("=")]


def answer_intent(intent: Intent | None, faq_id: str | None) -> Intent | None:
    """What answers a message, given its intent and the FAQ entry it matched: small talk
    first; then an FAQ answer (the FAQ's own «как записаться на консультацию» offers the
    booking itself); then the intent."""
    if intent is not None and intent.kind == "smalltalk":
        return intent
    if faq_id == CONSULTATION_FAQ:
        return intent if intent is not None and intent.kind == "consult" else Intent("consult")
    if faq_id is not None:
        return None
    return intent
