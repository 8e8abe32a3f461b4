"""/consult_admin → «Закрытые дни»: the closings ahead, and opening one again."""

from __future__ import annotations

from aiogram import F
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers.consultations.setup import (
    ScAdm,
    admin_button,
    days_text,
    show_screen,
)
from handlers.routes import Routes
from services.consultations.closed_days import ClosedDaysService

router = Routes("staff_closed_days")
router.staff_only(refusal="scadm-staff-only")


async def closed_screen(
    t: Translator, service: ClosedDaysService
) -> tuple[str, InlineKeyboardMarkup]:
    closings = await service.upcoming()
    lines = [t("scadm-closed-header", count=len(closings)) if closings else t("scadm-closed-none")]
    builder = InlineKeyboardBuilder()
    for n, closing in enumerate(closings, start=1):
        who = closing.specialist if closing.specialist else Html(t("scadm-closed-everyone"))
        reason = Html(t("scadm-closed-reason", reason=closing.reason)) if closing.reason else ""
        days = Html(days_text(t, closing.first, closing.last))
        lines.append(t("scadm-closed-line", n=n, who=who, days=days, reason=reason))
        builder.row(admin_button(t("scadm-btn-reopen", n=n), a="xo", id=closing.id))
    builder.row(admin_button(t("scadm-btn-menu"), a="m"))
    return "\n".join(lines), builder.as_markup()


@router.callback_query(ScAdm.filter(F.a.in_({"xl", "xo"})))
async def closed_days_screen(
    query: CallbackQuery,
    callback_data: ScAdm,
    t: Translator,
    callback_answer: CallbackAnswer,
    closed_days: ClosedDaysService,
) -> None:
    if callback_data.a == "xo":
        opened = await closed_days.reopen(callback_data.id)
        if opened is None:
            callback_answer.text = t("scadm-gone-toast")
        else:
            callback_answer.text = t("scadm-reopened-toast", count=opened)
    await show_screen(query, *await closed_screen(t, closed_days))
