"""/broadcast (staff): the broadcast composer (a dialog: handlers/broadcasts/dialog.py) and the
buttons of a broadcast's progress message, which pause, resume or cancel it.

The progress message is not a dialog window: it belongs to the broadcast's row (its chat and
message id are stored with it), the background reporter (bot/notify/broadcasts.py) keeps editing
it from whichever instance runs the sender, and its buttons act on the row the sender claims
from: they work after a restart, on any instance, and whatever dialog the admin opens next.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager, StartMode

from bot.config import Settings
from bot.telegram.i18n import Translator
from bot.telegram.screens import redraw, redraw_markup
from handlers.broadcasts.dialog import composer_dialog
from handlers.broadcasts.progress import (
    BcCtl,
    confirm_cancel_keyboard,
    progress_keyboard,
    render_progress,
)
from handlers.broadcasts.states import BroadcastComposer
from handlers.conversation import leave
from handlers.routes import Routes
from services.broadcasts.service import BroadcastService

router = Routes("broadcast_composer")
router.staff_only(refusal="cmp-staff-only")
router.dialog(composer_dialog)


@router.message(Command("broadcast"))
async def broadcast_command(
    message: Message, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await dialog_manager.start(BroadcastComposer.content, mode=StartMode.RESET_STACK)


# --- the progress message's buttons --------------------------------------------------------------
async def _redraw(
    query: CallbackQuery,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
    broadcast_id: int,
) -> None:
    progress = await broadcasts.progress(broadcast_id)
    if progress is None:
        return
    finished = progress.status in ("done", "cancelled")
    text = render_progress(t, progress, settings.broadcast.rate, datetime.now(UTC))
    markup = None if finished else progress_keyboard(t, broadcast_id)
    await redraw(query, text, markup, previews=False)


@router.callback_query(BcCtl.filter())
async def control(
    query: CallbackQuery,
    callback_data: BcCtl,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
    callback_answer: CallbackAnswer,
) -> None:
    broadcast_id = callback_data.id
    broadcast = await broadcasts.get(broadcast_id)
    if broadcast is None:
        callback_answer.text = t("cmp-ctl-gone")
        return
    status, action = broadcast.status, callback_data.a
    if status in ("done", "cancelled"):
        callback_answer.text = t("cmp-ctl-finished")
        await _redraw(query, t, settings, broadcasts, broadcast_id)
        return
    if action == "pause":
        # A scheduled broadcast has no outbox yet: pausing it would let "resume" run it empty.
        if status == "running" and await broadcasts.pause(broadcast_id):
            callback_answer.text = t("cmp-ctl-paused")
        else:
            callback_answer.text = t(
                "cmp-ctl-not-started" if status == "scheduled" else "cmp-ctl-already-paused"
            )
    elif action == "resume":
        if status == "paused" and await broadcasts.resume(broadcast_id):
            callback_answer.text = t("cmp-ctl-resumed")
        else:
            callback_answer.text = t("cmp-ctl-not-paused")
    elif action == "cancel":
        await redraw_markup(query, confirm_cancel_keyboard(t, broadcast_id))
        return
    elif action == "yes":
        if await broadcasts.cancel(broadcast_id):
            callback_answer.text = t("cmp-ctl-cancelled")
    await _redraw(query, t, settings, broadcasts, broadcast_id)
