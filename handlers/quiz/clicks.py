"""The quiz's presses: who answers, an answer (the next question, or the result after the
last), «◀️ Назад», «🔁 Пройти заново», and consent to keep the result. An answer carries its
question's number: one pressed on an earlier screen is stale and changes nothing."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button

from bot.telegram.dialogs import toast
from handlers.pickers.child import for_whom
from handlers.pickers.widgets import AGREE
from handlers.quiz.getters import wording_of
from handlers.quiz.recommendations import send_recommendations
from handlers.quiz.states import QuizFlow
from services.people.profiles import Profile, ProfileService
from services.quiz.bank import WORDINGS, QuizBank, top_directions
from services.quiz.results import QuizResults

FRESH = {"q": 0, "answers": [], "scores": None, "top": None, "saved": False, "declined": False}


async def started(start_data: Any, manager: DialogManager) -> None:
    manager.dialog_data.update(FRESH, who=wording_of(manager.middleware_data["profile"]))


async def begin(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """«Начать» (the profile's role says who answers) or «о себе» / «о ребёнке»."""
    who = button.widget_id if button.widget_id in WORDINGS else manager.dialog_data.get("who")
    manager.dialog_data.update(FRESH, who=who or "parent")
    await manager.switch_to(QuizFlow.question)


def _stale(manager: DialogManager) -> None:
    toast(manager, "quiz-stale")
    manager.show_mode = ShowMode.NO_UPDATE


def _pressed(item_id: str, bank: QuizBank) -> tuple[int, int] | None:
    """'3-1' → question 3 (from 0), answer 1; None for anything else."""
    question, _, answer = item_id.partition("-")
    if not (question.isdecimal() and answer.isdecimal()) or len(item_id) > 5:
        return None
    q, a = int(question), int(answer)
    if q >= len(bank) or a >= len(bank.questions[q].answers):
        return None
    return q, a


async def answered(
    query: CallbackQuery, widget: object, manager: DialogManager, item_id: str
) -> None:
    bank: QuizBank = manager.middleware_data["quiz"]
    data = manager.dialog_data
    pressed = _pressed(item_id, bank)
    if pressed is None or pressed[0] != data.get("q") or len(data.get("answers", [])) != pressed[0]:
        _stale(manager)
        return
    q, a = pressed
    data["answers"] = [*data["answers"], a]
    if q + 1 < len(bank):
        data["q"] = q + 1
        return
    await _finish(manager)


async def back(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    q = int(data.get("q", 0))
    if q <= 0:
        await manager.switch_to(QuizFlow.intro)
        return
    data["q"] = q - 1
    data["answers"] = data.get("answers", [])[: q - 1]


async def _finish(manager: DialogManager) -> None:
    bank: QuizBank = manager.middleware_data["quiz"]
    profile: Profile = manager.middleware_data["profile"]
    data = manager.dialog_data
    scores = bank.scores(data["answers"])
    top = list(top_directions(scores))
    data.update(scores=scores, top=top, saved=False, declined=False)
    if profile.has_consent:
        data["saved"] = await _save(manager) is not None
    await send_recommendations(manager, top, data["who"])
    await manager.switch_to(QuizFlow.result)


async def _save(manager: DialogManager):  # type: ignore[no-untyped-def]
    results: QuizResults = manager.middleware_data["quiz_results"]
    profile: Profile = manager.middleware_data["profile"]
    data = manager.dialog_data
    child = (await for_whom(manager.middleware_data)).child
    return await results.save(
        profile.user_id,
        data["who"],
        data["scores"],
        tuple(data["top"]),
        child_id=child.id if child else None,
    )


async def retake(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(FRESH)
    await manager.switch_to(QuizFlow.question)


async def save_asked(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    if not manager.dialog_data.get("top"):
        _stale(manager)
        return
    await manager.switch_to(QuizFlow.consent)


async def consent_answered(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    if not data.get("top"):  # a result no longer shown
        _stale(manager)
        return
    if button.widget_id != AGREE:
        data["declined"] = True
        await manager.switch_to(QuizFlow.result)
        return
    profiles: ProfileService = manager.middleware_data["profiles"]
    profile: Profile = manager.middleware_data["profile"]
    manager.middleware_data["profile"] = await profiles.give_consent(profile.user_id)
    data["saved"] = await _save(manager) is not None
    await manager.switch_to(QuizFlow.result)


async def child_chosen(manager: DialogManager, child: object) -> None:
    """«Для кого?» answered on the intro: the intro shows that child's last result."""
