"""«Для кого?» under a question's answer, for a parent of several children: «👧 Для: Маша,
9 лет» and «Сменить», or — none chosen yet — a button a child. A press remembers the child
(handlers/pickers/child.py does it in the dialogs) and answers the question again for them.
A question that names an age is its own: nothing is added."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.i18n import Translator
from handlers.callback_types import Id, bounded
from handlers.pickers.child import child_title, plain_title
from handlers.search.results import QUESTION_NUMBERS
from services.people.children import ChildService, ForWhom
from services.search import Answer


class ForChild(CallbackData, prefix="qkid"):
    """The remembered question `q` for child `c` (0: show the children to choose from)."""

    q: bounded(0, QUESTION_NUMBERS - 1)
    c: Id


def with_whom(
    t: Translator,
    screen: str,
    markup: InlineKeyboardMarkup,
    whom: ForWhom,
    answer: Answer,
    question_no: int,
    *,
    choosing: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    if not whom.several or answer.understood.age_in_question:
        return screen, markup
    today = ChildService.today()
    rows = list(markup.inline_keyboard)
    if whom.child is not None and not choosing:
        line = t("whom-line", child=child_title(t, whom.child, today))
        change = ForChild(q=question_no, c=0).pack()
        rows.append([InlineKeyboardButton(text=t("btn-whom-change"), callback_data=change)])
    else:
        line = t("whom-ask")
        rows += [
            [
                InlineKeyboardButton(
                    text=plain_title(t, child, today),
                    callback_data=ForChild(q=question_no, c=child.id).pack(),
                )
            ]
            for child in whom.children
        ]
    return f"{screen}\n\n{line}", InlineKeyboardMarkup(inline_keyboard=rows)
