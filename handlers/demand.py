"""Which demand-log row a person's next card open, «how to enrol» or 👍/👎 belongs to: the
log rows' ids (services/insights/demand.py) kept where the search's screen keeps its own
state, never with a user id in the log.

- a typed question: the ids of the latest questions' rows in the person's conversation data
  (`QUESTIONS`, newest last), which also bound the 👍/👎 buttons: a vote whose id is not
  among them (an old answer, a forged button) is refused as outdated;
- a catalogue list or «Рядом»: the row of the search the dialog shows, in its dialog data
  (`ROW`), with what it searched for (`OF`), so that paging does not log it again.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton
from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from handlers.callback_types import Id, bounded

QUESTIONS = "demand"  # FSM data: [log id, …] of the latest questions
REMEMBERED = 5
ROW, OF = "demand", "demand_of"  # dialog data: the list's log id, and the search it logged
VOTE = "dv"


class Vote(CallbackData, prefix=VOTE):
    """👍 (up=1) or 👎 (up=0) under the answer to a typed question: its log row."""

    id: Id
    up: bounded(0, 1)


def vote_buttons(t: Translator, log_id: int | None, chosen: int | None = None) -> list:
    """The 👍/👎 row (empty when the question was not logged); `chosen`: 1 or 0, marked."""
    if not log_id:
        return []
    return [
        InlineKeyboardButton(
            text=t("insights-vote-chosen" if chosen == up else "insights-vote", mark=mark),
            callback_data=Vote(id=log_id, up=up).pack(),
        )
        for up, mark in ((1, "👍"), (0, "👎"))
    ]


def is_vote_row(row: list[InlineKeyboardButton]) -> bool:
    return any((button.callback_data or "").startswith(f"{VOTE}:") for button in row)


async def remember_question(state: FSMContext, log_id: int | None) -> None:
    if log_id is None:
        return
    kept = [*(await questions(state)), log_id][-REMEMBERED:]
    await state.update_data({QUESTIONS: kept})


async def questions(state: FSMContext) -> list[int]:
    kept = (await state.get_data()).get(QUESTIONS)
    return [item for item in kept if isinstance(item, int)] if isinstance(kept, list) else []


async def latest_question(state: FSMContext) -> int | None:
    kept = await questions(state)
    return kept[-1] if kept else None


def list_row(manager: DialogManager | None) -> int | None:
    """The log row of the list (or «Рядом») the person has open, if any."""
    if manager is None or not manager.has_context():
        return None
    found = manager.current_context().dialog_data.get(ROW)
    return found if isinstance(found, int) else None


def logged_already(data: dict[str, Any], searched: list[Any]) -> bool:
    """Whether the dialog's search `searched` is the one its row logged."""
    return data.get(OF) == searched


def keep_row(data: dict[str, Any], searched: list[Any], log_id: int | None) -> None:
    data[OF] = searched
    data[ROW] = log_id
