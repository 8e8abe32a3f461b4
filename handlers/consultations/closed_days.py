"""/consult_admin → «📅 Закрытые дни»: the closings ahead, and opening one again (a dialog of
its own, started from the set-up's menu; «⬅️ Меню настройки» goes back to it)."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Cancel, Column, Select
from aiogram_dialog.widgets.text import List

from bot.telegram.dialogs import Tr, toast
from bot.telegram.i18n import Html, Translator
from handlers.callback_types import parse_id
from handlers.consultations.closing.texts import days_text
from handlers.consultations.states import ClosedDays
from handlers.consultations.widgets import gone, item
from handlers.routes import Routes
from services.consultations.closed_days import ClosedDaysService

router = Routes("staff_closed_days")
router.staff_only(refusal="scadm-staff-only")


async def upcoming(closed_days: ClosedDaysService, t: Translator, **_: Any) -> dict[str, Any]:
    rows = []
    for n, closing in enumerate(await closed_days.upcoming(), start=1):
        who = closing.specialist if closing.specialist else Html(t("scadm-closed-everyone"))
        reason = Html(t("scadm-closed-reason", reason=closing.reason)) if closing.reason else ""
        days = Html(days_text(t, closing.first, closing.last))
        rows.append({"id": str(closing.id), "n": n, "who": who, "days": days, "reason": reason})
    return {"rows": rows, "count": len(rows), "any": bool(rows), "none": not rows}


async def reopen(
    callback: CallbackQuery, select: Any, manager: DialogManager, item_id: str
) -> None:
    closing_id = parse_id(item_id)
    service: ClosedDaysService = manager.middleware_data["closed_days"]
    opened = None if closing_id is None else await service.reopen(closing_id)
    if opened is None:
        gone(manager)
    else:
        toast(manager, "scadm-reopened-toast", count=opened)


def closed_days_dialog() -> Dialog:
    line = Tr(
        "scadm-closed-line", n=item("n"), who=item("who"), days=item("days"), reason=item("reason")
    )
    return Dialog(
        Window(
            Tr("scadm-closed-header", count="count", when="any"),
            Tr("scadm-closed-none", when="none"),
            List(line, items="rows"),
            Column(
                Select(
                    Tr("scadm-btn-reopen", n=item("n")),
                    id="reopen",
                    item_id_getter=lambda row: row["id"],
                    items="rows",
                    on_click=reopen,
                )
            ),
            Cancel(Tr("scadm-btn-menu"), id="closed_menu"),
            state=ClosedDays.upcoming,
            getter=upcoming,
        )
    )


router.dialog(closed_days_dialog)
