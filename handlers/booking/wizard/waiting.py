"""«🔔 Сообщить, когда появится время»: a topic (at the chosen organisation, or any) with no
free time within the horizon. The waitlist service checks again (time may have opened
meanwhile) and keeps one entry a person and topic; the clock tells them when time frees up."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager

from bot.telegram.dialogs import toast
from handlers.booking.wizard import answers as a
from services.waitlists.entries import Joined, WaitlistService

ANSWERS = {
    Joined.JOINED: "waitlist-time-joined",
    Joined.ALREADY: "waitlist-time-already",
    Joined.HAS_ROOM: "waitlist-time-has-room",
    Joined.GONE: "waitlist-time-gone",
}


def _service(manager: DialogManager) -> WaitlistService:
    return manager.middleware_data["waitlists"]


async def join(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    data = a.answers(manager)
    locale = manager.middleware_data["t"].locale
    joined = await _service(manager).join_consultation(
        query.from_user.id, data["service"], data.get("provider"), locale
    )
    toast(manager, ANSWERS[joined], alert=joined is Joined.GONE)


async def leave(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    data = a.answers(manager)
    await _service(manager).leave_consultation(
        query.from_user.id, data["service"], data.get("provider")
    )
    toast(manager, "waitlist-time-left")


async def shown(data: a.Answers, user_id: int, waitlists: WaitlistService) -> dict[str, bool]:
    """The day window's buttons: offered when nothing is free (booking, any specialist)."""
    offered = not a.is_move(data) and data.get("specialist") is None
    waiting = offered and await waitlists.waiting_for_consultation(
        user_id, data["service"], data.get("provider")
    )
    return {"wait_offered": offered and not waiting, "wait_joined": offered and waiting}
