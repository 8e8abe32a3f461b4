"""What the closing's windows show: whose days, which days, the reason and how many bookings
the closing would cancel. The dialog keeps the days as ISO dates (JSON in the storage)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.dates import day_text
from bot.telegram.i18n import Html, Translator
from handlers.consultations.closing.texts import days_text, target_text
from services.consultations.admin import MAX_DAYS, REASON_MAX, ConsultAdmin

CALENDAR_DAYS = MAX_DAYS  # how far ahead the calendar goes (typed dates may go further)


def target(manager: DialogManager) -> tuple[str, int]:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return str(start.get("kind", "")), int(start.get("target", 0))


def days(manager: DialogManager) -> tuple[date, date] | None:
    first, last = manager.dialog_data.get("first"), manager.dialog_data.get("last")
    if not (isinstance(first, str) and isinstance(last, str)):
        return None
    return date.fromisoformat(first), date.fromisoformat(last)


def picked(manager: DialogManager) -> date | None:
    """The first day chosen on the calendar, waiting for the last."""
    chosen = manager.dialog_data.get("picked")
    return date.fromisoformat(chosen) if isinstance(chosen, str) else None


async def ask_days(
    dialog_manager: DialogManager, consult_admin: ConsultAdmin, t: Translator, **_: Any
) -> dict[str, Any]:
    whose = await target_text(t, consult_admin, *target(dialog_manager))
    today = consult_admin.today()
    first = picked(dialog_manager)
    return {
        "target": Html(whose or t("scadm-none")),
        "example": today.strftime("%d.%m.%Y"),
        "first_day": today.isoformat(),
        "last_day": (today + timedelta(days=CALENDAR_DAYS)).isoformat(),
        "open": [(today + timedelta(days=n)).isoformat() for n in range(CALENDAR_DAYS + 1)],
        "picked": Html(day_text(t, first)) if first else "",
    }


async def ask_reason(dialog_manager: DialogManager, t: Translator, **_: Any) -> dict[str, Any]:
    chosen = days(dialog_manager)
    return {"days": Html(days_text(t, *chosen)) if chosen else "", "max": REASON_MAX}


async def confirm(
    dialog_manager: DialogManager, consult_admin: ConsultAdmin, t: Translator, **_: Any
) -> dict[str, Any]:
    kind, target_id = target(dialog_manager)
    whose = await target_text(t, consult_admin, kind, target_id)
    chosen = days(dialog_manager)
    if whose is None or chosen is None:
        return {"gone": True}
    count = await consult_admin.closing_preview(kind, target_id, *chosen)
    reason = dialog_manager.dialog_data.get("reason") or t("scadm-none")
    return {
        "found": True,
        "target": Html(whose),
        "days": Html(days_text(t, *chosen)),
        "reason": reason,
        "count": count,
    }
