"""The interest quiz's file (data/quiz.json) checked before the bot starts: one message naming
the file, the line and the problem, in DEFAULT_LOCALE (locales/*/quiz.ftl)."""

from __future__ import annotations

from pathlib import Path

from bot.cli.parsers import plain
from bot.config import SUPPORTED_LOCALES
from bot.telegram.i18n import Translator
from services.quiz import bank as quiz_bank
from services.quiz.bank import QuizBank, QuizFileError, load_bank


def describe(t: Translator, error: QuizFileError) -> str:
    problem = t(f"quiz-file-problem-{error.code}", **error.details)
    if error.line is None:
        return plain(t("quiz-file-unusable", file=str(error.path), problem=problem))
    return plain(t("quiz-file-broken", file=str(error.path), line=str(error.line), problem=problem))


def check(t: Translator, path: Path | None = None) -> tuple[QuizBank | None, str]:
    """The quiz and a line saying it is fine, or None and what is wrong."""
    path = path or quiz_bank.QUIZ_PATH  # read at each call: tests point it elsewhere
    try:
        bank = load_bank(path, SUPPORTED_LOCALES)
    except QuizFileError as error:
        return None, describe(t, error)
    return bank, plain(t("quiz-file-ok", file=str(path), count=len(bank)))
