"""A broadcast's progress message, as the composer sends it and the background reporter
(bot/notify/broadcasts.py) keeps editing it: its text and its pause, resume and cancel buttons."""

from __future__ import annotations

from datetime import datetime

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.i18n import Translator
from handlers.callback_types import Id, one_of
from services.broadcasts.service import Progress


class BcCtl(CallbackData, prefix="bcc"):
    """The progress message's buttons: pause, resume, cancel (then yes / no)."""

    id: Id
    a: one_of("pause", "resume", "cancel", "yes", "no")


def render_progress(t: Translator, progress: Progress, cap: float, now: datetime) -> str:
    counts = progress.counts
    finished = progress.status in ("done", "cancelled")
    key = f"broadcast-progress-{progress.status}" if finished else "broadcast-progress-running"
    return t(
        key,
        id=str(progress.broadcast_id),
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0) + counts.get("uncertain", 0),
        blocked=counts.get("blocked", 0),
        left=progress.left,
        total=progress.total,
        rate=f"{progress.rate(now):.1f}",
        eta=_duration(progress.eta_seconds(now, cap)),
        status=t(f"broadcast-status-{progress.status}"),
    )


def _duration(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def progress_keyboard(t: Translator, broadcast_id: int) -> InlineKeyboardMarkup:
    """For running, paused or scheduled broadcasts (the reporter may use it when editing)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("cmp-btn-pause"), callback_data=BcCtl(id=broadcast_id, a="pause").pack()
                ),
                InlineKeyboardButton(
                    text=t("cmp-btn-resume"),
                    callback_data=BcCtl(id=broadcast_id, a="resume").pack(),
                ),
            ],
            [
                InlineKeyboardButton(
                    text=t("cmp-btn-stop"), callback_data=BcCtl(id=broadcast_id, a="cancel").pack()
                )
            ],
        ]
    )


def confirm_cancel_keyboard(t: Translator, broadcast_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("cmp-btn-stop-yes"), callback_data=BcCtl(id=broadcast_id, a="yes").pack()
                ),
                InlineKeyboardButton(
                    text=t("cmp-btn-stop-no"), callback_data=BcCtl(id=broadcast_id, a="no").pack()
                ),
            ]
        ]
    )
