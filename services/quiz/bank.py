"""The interest quiz's questions (`data/quiz.json`, edited by staff) and how answers score.

Each question has a wording for a pupil about themselves and for a parent about their child, in
every language of the bot; each answer adds points (WEIGHTS) to one or more of the six
directions (services/catalog/terms.py). `directions.<code>.event_words` are words of upcoming
events that suit a direction. A file with any problem is refused as a whole, by the first
problem found, naming the file and its line (QuizFileError): the bot does not start with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.catalog import text_index
from services.catalog.terms import DIRECTIONS
from services.paths import DATA_DIR
from services.quiz.lined_json import LinedDict, LinedList, loads

QUIZ_PATH = DATA_DIR / "quiz.json"
WORDINGS = ("pupil", "parent")  # a pupil about themselves, a parent about their child
LANGUAGES = ("ru", "en")
QUESTIONS = range(4, 16)  # how many questions a quiz may have
ANSWERS = range(2, 7)  # answers a question (buttons)
WEIGHTS = range(1, 6)  # points an answer adds to a direction
QUESTION_LENGTH = 500
ANSWER_LENGTH = 60  # a button's label
TOP_MAX = 3
CLOSE_ENOUGH = 0.8  # a third direction is named when it scored this share of the second's

# The problems' English wording (str() of the error, logs, tests); users of the command line
# read them in DEFAULT_LOCALE (locales/*/quiz.ftl, quiz-file-problem-<code>).
PROBLEMS = {
    "unreadable": "cannot be read: {error}",
    "syntax": "not valid JSON: {error}",
    "not-object": "{what} must be an object {{…}}",
    "question-count": "{count} questions; a quiz has from {low} to {high}",
    "no-answers": "question «{question}» has no answers",
    "answer-count": "question «{question}» has {count} answers; from {low} to {high} fit",
    "no-weights": "an answer of question «{question}» adds to no direction",
    "unknown-direction": "«{direction}» is not a direction; known: {known}",
    "bad-weight": "the weight of «{direction}» is {weight}; a whole number from {low} to {high}",
    "missing-text": "the text «{where}» has no {language} translation",
    "empty-text": "the {language} text «{where}» is empty",
    "too-long": "the {language} text «{where}» is {length} characters; at most {limit}",
    "no-id": 'a question has no "id"',
    "duplicate-id": "the question id «{question}» is used twice",
    "unreached": "no answer adds to «{direction}»: it could never be a result",
}


class QuizFileError(Exception):
    """A problem of the quiz file: where (`path`, `line`, None when the file cannot be read at
    all) and what (`code`, a key of PROBLEMS, with its `details`)."""

    def __init__(self, path: Path, line: int | None, code: str, **details: object) -> None:
        self.path = path
        self.line = line
        self.code = code
        self.details = details
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {PROBLEMS[code].format(**details)}")


@dataclass(frozen=True, slots=True)
class Answer:
    text: dict[str, str]  # language → label
    weights: dict[str, int]  # direction → points


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: dict[str, dict[str, str]]  # wording → language → text
    answers: tuple[Answer, ...]


@dataclass(frozen=True, slots=True)
class QuizBank:
    questions: tuple[Question, ...]
    event_words: dict[str, frozenset[str]]  # direction → stems of events that suit it

    def __len__(self) -> int:
        return len(self.questions)

    def scores(self, answers: Sequence[int]) -> dict[str, int]:
        """Points of every direction for one answer (its index) per question, in order."""
        points = dict.fromkeys(DIRECTIONS, 0)
        for question, chosen in zip(self.questions, answers, strict=True):
            for direction, weight in question.answers[chosen].weights.items():
                points[direction] += weight
        return points


def top_directions(scores: dict[str, int]) -> tuple[str, ...]:
    """The two directions with most points (ties in the catalogue's order), and a third one
    when it came close to the second; directions with no points are never named."""
    ranked = sorted(
        (code for code in DIRECTIONS if scores.get(code, 0) > 0),
        key=lambda code: -scores[code],
    )
    top = ranked[:2]
    if len(ranked) > 2 and scores[ranked[2]] >= CLOSE_ENOUGH * scores[ranked[1]]:
        top.append(ranked[2])
    return tuple(top[:TOP_MAX])


def load_bank(path: Path | None = None, languages: Iterable[str] = LANGUAGES) -> QuizBank:
    """The quiz of `path` (QUIZ_PATH); raises QuizFileError for the first problem found."""
    path = path or QUIZ_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuizFileError(path, None, "unreadable", error=_reason(exc)) from None
    try:
        raw = loads(text)
    except json.JSONDecodeError as exc:
        raise QuizFileError(path, exc.lineno, "syntax", error=exc.msg) from None
    return _Reader(path, tuple(languages)).bank(raw)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return "not UTF-8 text"


class _Reader:
    def __init__(self, path: Path, languages: tuple[str, ...]) -> None:
        self.path = path
        self.languages = languages

    def fail(self, line: int | None, code: str, **details: object) -> QuizFileError:
        return QuizFileError(self.path, line, code, **details)

    def object(self, value: Any, line: int, what: str) -> LinedDict:
        if not isinstance(value, LinedDict):
            raise self.fail(line, "not-object", what=what)
        return value

    def bank(self, raw: Any) -> QuizBank:
        raw = self.object(raw, 1, "the file")
        questions = raw.get("questions")
        if not isinstance(questions, LinedList) or len(questions) not in QUESTIONS:
            count = len(questions) if isinstance(questions, list) else 0
            raise self.fail(
                raw.line_of("questions"),
                "question-count",
                count=count,
                low=QUESTIONS.start,
                high=QUESTIONS.stop - 1,
            )
        read = []
        seen: set[str] = set()
        for item, line in zip(questions, questions.item_lines, strict=True):
            raw_question = self.object(item, line, "a question")
            question = self.question(raw_question)
            if question.id in seen:
                raise self.fail(raw_question.line_of("id"), "duplicate-id", question=question.id)
            seen.add(question.id)
            read.append(question)
        reached = {
            code for question in read for answer in question.answers for code in answer.weights
        }
        for code in DIRECTIONS:
            if code not in reached:
                raise self.fail(raw.line_of("questions"), "unreached", direction=code)
        return QuizBank(tuple(read), self.event_words(raw))

    def question(self, raw: LinedDict) -> Question:
        question_id = raw.get("id")
        if not isinstance(question_id, str) or not question_id.strip():
            raise self.fail(raw.line, "no-id")
        texts = self.object(raw.get("text"), raw.line_of("text"), f"«{question_id}».text")
        wordings = {
            wording: self.texts(
                self.object(
                    texts.get(wording), texts.line_of(wording), f"«{question_id}».text.{wording}"
                ),
                f"{question_id}.text.{wording}",
                QUESTION_LENGTH,
            )
            for wording in WORDINGS
        }
        answers = raw.get("answers")
        if not isinstance(answers, LinedList) or not answers:
            raise self.fail(raw.line_of("answers"), "no-answers", question=question_id)
        if len(answers) not in ANSWERS:
            raise self.fail(
                raw.line_of("answers"),
                "answer-count",
                question=question_id,
                count=len(answers),
                low=ANSWERS.start,
                high=ANSWERS.stop - 1,
            )
        return Question(
            question_id,
            wordings,
            tuple(
                self.answer(
                    self.object(item, line, f"an answer of «{question_id}»"), question_id, n
                )
                for n, (item, line) in enumerate(
                    zip(answers, answers.item_lines, strict=True), start=1
                )
            ),
        )

    def answer(self, raw: LinedDict, question_id: str, n: int) -> Answer:
        where = f"{question_id}.answers[{n}]"
        text = self.object(raw.get("text"), raw.line_of("text"), f"{where}.text")
        weights = raw.get("weights")
        if not isinstance(weights, LinedDict) or not weights:
            raise self.fail(raw.line_of("weights"), "no-weights", question=question_id)
        for code, weight in weights.items():
            line = weights.line_of(code)
            if code not in DIRECTIONS:
                raise self.fail(
                    line, "unknown-direction", direction=code, known=", ".join(DIRECTIONS)
                )
            if isinstance(weight, bool) or not isinstance(weight, int) or weight not in WEIGHTS:
                raise self.fail(
                    line,
                    "bad-weight",
                    direction=code,
                    weight=json.dumps(weight, ensure_ascii=False),
                    low=WEIGHTS.start,
                    high=WEIGHTS.stop - 1,
                )
        return Answer(self.texts(text, f"{where}.text", ANSWER_LENGTH), dict(weights))

    def texts(self, raw: LinedDict, where: str, limit: int) -> dict[str, str]:
        found = {}
        for language in self.languages:
            value = raw.get(language)
            line = raw.line_of(language)
            if value is None:
                raise self.fail(raw.line, "missing-text", where=where, language=language)
            if not isinstance(value, str) or not value.strip():
                raise self.fail(line, "empty-text", where=where, language=language)
            if len(value) > limit:
                raise self.fail(
                    line, "too-long", where=where, language=language, length=len(value), limit=limit
                )
            found[language] = value.strip()
        return found

    def event_words(self, raw: LinedDict) -> dict[str, frozenset[str]]:
        directions = raw.get("directions", LinedDict())
        if not isinstance(directions, LinedDict):
            raise self.fail(raw.line_of("directions"), "not-object", what="directions")
        words: dict[str, frozenset[str]] = {}
        for code, spec in directions.items():
            if code not in DIRECTIONS:
                raise self.fail(
                    directions.line_of(code),
                    "unknown-direction",
                    direction=code,
                    known=", ".join(DIRECTIONS),
                )
            spec = self.object(spec, directions.line_of(code), f"directions.{code}")
            listed = spec.get("event_words", [])
            words[code] = frozenset(
                stem for word in listed if isinstance(word, str) for stem in text_index.stems(word)
            )
        return words
