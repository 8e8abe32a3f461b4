"""What /reports' windows show: the chosen period, the year on screen and its neighbours."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from handlers.booking.reports_dialog.actions import YEARS, chosen_period, today


async def kind(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    period = chosen_period(dialog_manager)
    return {"period": period.label() if period else ""}


async def plan(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    shown = dialog_manager.dialog_data.get("year")
    year = shown if isinstance(shown, int) and shown in YEARS else today(dialog_manager).year
    return {
        "year": str(year),
        "prev": f"◀️ {year - 1}",
        "next": f"{year + 1} ▶️",
        "has_prev": year - 1 in YEARS,
        "has_next": year + 1 in YEARS,
    }
