"""What the quiz's windows show: the intro (with the last result kept), a question with its
answers and «3/10», the result explained in plain words."""

from __future__ import annotations

from aiogram.types import User
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.dates import date_text
from bot.telegram.i18n import Html, Translator
from bot.telegram.labels import cut_label
from handlers.pickers.child import for_whom, whom_data
from services.people.profiles import Profile
from services.quiz.bank import QuizBank
from services.quiz.results import QuizResults

WORDING_OF_ROLE = {"pupil": "pupil", "parent": "parent"}  # a teacher or no role: asked


def wording_of(profile: Profile) -> str | None:
    return WORDING_OF_ROLE.get(profile.role or "")


def directions_text(t: Translator, top: list[str] | tuple[str, ...]) -> str:
    return ", ".join(t(f"direction-{code}") for code in top)


async def intro(
    dialog_manager: DialogManager,
    t: Translator,
    profile: Profile,
    settings: Settings,
    quiz: QuizBank,
    quiz_results: QuizResults,
    event_from_user: User,
    **_: object,
) -> dict[str, object]:
    whom = await whom_data(dialog_manager)
    child = (await for_whom(dialog_manager.middleware_data)).child
    last = await quiz_results.latest(event_from_user.id, child.id if child else None)
    return {
        **whom,
        "count": len(quiz),
        "asked": wording_of(profile) is None,
        "last": bool(last),
        "last_date": date_text(t, last.taken_at, settings.zone) if last else "",
        "last_top": Html(directions_text(t, last.top)) if last else "",
    }


async def question(
    dialog_manager: DialogManager, t: Translator, quiz: QuizBank, **_: object
) -> dict[str, object]:
    data = dialog_manager.dialog_data
    at = min(max(int(data.get("q", 0)), 0), len(quiz) - 1)
    asked = quiz.questions[at]
    who = data.get("who") or "parent"
    language = t.locale if t.locale in asked.text[who] else next(iter(asked.text[who]))
    return {
        "n": at + 1,
        "total": len(quiz),
        "text": asked.text[who][language],
        "answers": [
            {"id": f"{at}-{n}", "label": Html(cut_label(answer.text.get(language, "")))}
            for n, answer in enumerate(asked.answers)
        ],
    }


async def result(dialog_manager: DialogManager, t: Translator, **_: object) -> dict[str, object]:
    data = dialog_manager.dialog_data
    who = data.get("who", "parent")
    top = data.get("top", [])
    explained = "\n\n".join(
        t("quiz-direction-line", n=n, direction=t(f"direction-{code}"))
        + "\n"
        + t(f"quiz-explain-{code}", who=who)
        for n, code in enumerate(top, start=1)
    )
    saved = bool(data.get("saved"))
    return {
        "who": who,
        "explained": Html(explained),
        "saved": saved,
        "declined": not saved and bool(data.get("declined")),
        "unsaved": not saved and not data.get("declined"),
    }
