"""Whose days to close: organisations that have specialists (in pages), then the whole
organisation or one of its specialists; either starts the closing dialog
(handlers/consultations/closing/) and comes back here when it ends. A specialist's card and an
organisation's card start from here too."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, ScrollingGroup, Select, SwitchTo

from bot.telegram.dialogs import Tr
from handlers.callback_types import parse_id
from handlers.consultations.admin.listing import PER_PAGE
from handlers.consultations.states import CloseDays, ConsultSetup
from handlers.consultations.widgets import gone, label, pager
from services.consultations.admin import ConsultAdmin

SCROLL = "close_pages"
BACK_TO = {"card": ConsultSetup.organisation, "list": ConsultSetup.close_organisations}


def _admin(manager: DialogManager) -> ConsultAdmin:
    return manager.middleware_data["consult_admin"]


async def start_closing(manager: DialogManager, kind: str, target_id: int) -> None:
    """The closing dialog for a specialist ("s") or a whole organisation ("p")."""
    admin = _admin(manager)
    found = await (admin.specialist if kind == "s" else admin.provider)(target_id)
    if found is None:
        gone(manager)
        return
    await manager.start(CloseDays.days, data={"kind": kind, "target": target_id})


async def organisations_getter(consult_admin: ConsultAdmin, **_: Any) -> dict[str, Any]:
    found = [p for p in await consult_admin.providers() if p.specialists]
    return {
        "rows": [{"id": str(p.id), "name": p.name} for p in found],
        "any": bool(found),
        "empty": not found,
    }


async def organisation_getter(
    dialog_manager: DialogManager, consult_admin: ConsultAdmin, **_: Any
) -> dict[str, Any]:
    provider_id = dialog_manager.dialog_data.get("organisation", 0)
    provider = await consult_admin.provider(provider_id)
    if provider is None:
        return {"gone": True, "staff": []}
    staff = await consult_admin.specialists(provider_id)
    return {
        "found": True,
        "name": provider.name,
        "count": len(staff),
        "staff": [{"id": str(s.id), "name": s.name} for s in staff],
    }


async def open_organisation(
    callback: CallbackQuery, select: Any, manager: DialogManager, item_id: str
) -> None:
    provider_id = parse_id(item_id)
    if provider_id is None or await _admin(manager).provider(provider_id) is None:
        gone(manager)
        return
    manager.dialog_data.update(organisation=provider_id, close_back="list")
    await manager.switch_to(ConsultSetup.close_organisation)


async def from_organisation_card(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    manager.dialog_data.update(
        organisation=manager.dialog_data.get("provider", 0), close_back="card"
    )
    await manager.switch_to(ConsultSetup.close_organisation)


async def from_specialist_card(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    await start_closing(manager, "s", manager.dialog_data.get("specialist", 0))


async def close_whole(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await start_closing(manager, "p", manager.dialog_data.get("organisation", 0))


async def close_one(
    callback: CallbackQuery, select: Any, manager: DialogManager, item_id: str
) -> None:
    specialist_id = parse_id(item_id)
    if specialist_id is None:
        gone(manager)
        return
    await start_closing(manager, "s", specialist_id)


async def back(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(BACK_TO.get(manager.dialog_data.get("close_back"), BACK_TO["list"]))


def windows() -> list[Window]:
    organisations = Select(
        Tr("scadm-name", name=label("name")),
        id="close_rows",
        item_id_getter=lambda row: row["id"],
        items="rows",
        on_click=open_organisation,
    )
    staff = Select(
        Tr("scadm-name", name=label("name")),
        id="close_staff",
        item_id_getter=lambda row: row["id"],
        items="staff",
        on_click=close_one,
    )
    return [
        Window(
            Tr("scadm-close-providers", when="any"),
            Tr("scadm-empty", when="empty"),
            ScrollingGroup(organisations, id=SCROLL, width=1, height=PER_PAGE, hide_pager=True),
            pager(SCROLL),
            SwitchTo(Tr("scadm-btn-menu"), id="close_menu", state=ConsultSetup.menu),
            state=ConsultSetup.close_organisations,
            getter=organisations_getter,
        ),
        Window(
            Tr("scadm-close-provider", name="name", when="found"),
            Tr("scadm-gone-toast", when="gone"),
            Button(
                Tr("scadm-btn-whole", count="count"), id="whole", on_click=close_whole, when="found"
            ),
            Column(staff),
            Button(Tr("scadm-btn-back"), id="close_back", on_click=back),
            state=ConsultSetup.close_organisation,
            getter=organisation_getter,
        ),
    ]
