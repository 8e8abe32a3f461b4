"""/quiz, /start quiz, «🧭 Тест интересов» in the catalogue (its
section, handlers/links.py) → a question a screen → the top directions in plain words, a
message of programmes and events that suit them, the result kept with consent."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from handlers.conversation import leave
from handlers.links import Section
from handlers.menu import main_menu
from handlers.quiz.dialog import quiz_dialog
from handlers.quiz.states import QuizFlow
from handlers.routes import Routes

router = Routes("quiz")
router.dialog(quiz_dialog)

SECTION = Section("quiz-intro", main_menu, dialog=QuizFlow.intro)


@router.message(Command("quiz"))
async def quiz_command(message: Message, state: FSMContext, dialog_manager: DialogManager) -> None:
    await leave(state, dialog_manager)
    await dialog_manager.start(QuizFlow.intro, mode=StartMode.RESET_STACK)
