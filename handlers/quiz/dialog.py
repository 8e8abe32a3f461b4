"""The interest quiz's windows: the intro (who answers, when the role does not say; the last
result kept), one question a screen with «3/10», «◀️ Назад» and «✖️ Выйти», the result with
«🔁 Пройти заново», and consent to keep it. It takes no typed text, and only its own presses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Row, Select
from aiogram_dialog.widgets.text import Multi

from bot.telegram.dialogs import Tr
from handlers.filters import its_own
from handlers.pickers.child import whom_keyboard, whom_text
from handlers.pickers.widgets import consent_buttons
from handlers.quiz import clicks, getters
from handlers.quiz.states import QuizFlow


def item(field: str) -> Callable[[dict[str, Any]], object]:
    return lambda data: data["item"][field]


def quiz_dialog() -> Dialog:
    return its_own(
        Dialog(
            Window(
                Multi(
                    Tr("quiz-intro", count="count"),
                    whom_text(),
                    Tr("quiz-last", date="last_date", top="last_top", when="last"),
                    Tr("quiz-who-ask", when="asked"),
                    sep="\n\n",
                ),
                Button(Tr("quiz-btn-start"), id="go", on_click=clicks.begin, when=~F["asked"]),
                Column(
                    Button(Tr("quiz-btn-pupil"), id="pupil", on_click=clicks.begin),
                    Button(Tr("quiz-btn-parent"), id="parent", on_click=clicks.begin),
                    when="asked",
                ),
                whom_keyboard(clicks.child_chosen),
                Cancel(Tr("quiz-btn-close")),
                state=QuizFlow.intro,
                getter=getters.intro,
            ),
            Window(
                Multi(
                    Tr("quiz-progress", n="n", total="total"),
                    Tr("quiz-question", text="text"),
                    sep="\n\n",
                ),
                Column(
                    Select(
                        Tr("quiz-label", text=item("label")),
                        id="answer",
                        item_id_getter=lambda found: found["id"],
                        items="answers",
                        on_click=clicks.answered,
                    )
                ),
                Row(
                    Button(Tr("btn-back"), id="back", on_click=clicks.back),
                    Cancel(Tr("quiz-btn-quit")),
                ),
                state=QuizFlow.question,
                getter=getters.question,
            ),
            Window(
                Multi(
                    Tr("quiz-result-title", who="who"),
                    Tr("quiz-result-directions", explained="explained"),
                    Tr("quiz-hint-not-diagnosis"),
                    Tr("quiz-saved", when="saved"),
                    Tr("quiz-unsaved", when="unsaved"),
                    Tr("quiz-declined", when="declined"),
                    sep="\n\n",
                ),
                Button(Tr("quiz-btn-save"), id="save", on_click=clicks.save_asked, when="unsaved"),
                Button(Tr("quiz-btn-retake"), id="retake", on_click=clicks.retake),
                Cancel(Tr("quiz-btn-close")),
                state=QuizFlow.result,
                getter=getters.result,
            ),
            Window(
                Multi(Tr("consent-text"), Tr("quiz-consent-extra"), sep="\n\n"),
                consent_buttons(clicks.consent_answered),
                state=QuizFlow.consent,
            ),
            on_start=clicks.started,
        )
    )
