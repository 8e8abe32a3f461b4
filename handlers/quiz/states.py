"""The interest quiz's steps: who answers (when the profile does not say), one question a screen,
the result, and consent to keep it."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class QuizFlow(StatesGroup):
    intro = State()
    question = State()
    result = State()
    consent = State()
