"""«📅 Когда начинается запись» (the September campaign): programmes whose enrolment opens today
or later, by date, a page at a time; a press opens the card below (with «⏰ Напомнить»)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Cancel, Group, Select
from aiogram_dialog.widgets.text import List, Multi

from bot.telegram.dates import day_text
from bot.telegram.dialogs import Tr
from bot.telegram.i18n import Translator
from bot.telegram.pager import dialog_pager
from handlers.catalog import clicks
from handlers.catalog.dialog import item, item_id, its_own
from handlers.catalog.getters import label, page_of
from handlers.catalog.states import CatalogCampaign
from services.waitlists.enrolment import CAMPAIGN_PAGE, EnrolmentService

OPENINGS = "openings"


async def openings(
    dialog_manager: DialogManager, t: Translator, enrolment: EnrolmentService, **_: object
) -> dict[str, Any]:
    asked = await dialog_manager.find(OPENINGS).get_page()
    page = await enrolment.openings(asked)
    await page_of(dialog_manager, OPENINGS, page.page)
    first = 1 + page.page * CAMPAIGN_PAGE
    items = [
        {
            "id": opening.programme_id,
            "n": n,
            "day": day_text(t, opening.starts_on),
            "name": opening.name,
            "org": opening.organisation,
            "button": label(f"{n}. {opening.name}"),
        }
        for n, opening in enumerate(page.items, start=first)
    ]
    return {"items": items, "pages": page.pages, "empty": not items, "total": page.total}


def campaign_dialog() -> Dialog:
    return its_own(
        Dialog(
            Window(
                Multi(
                    Tr("campaign-header", total="total"),
                    Tr("campaign-empty", when="empty"),
                    List(
                        Tr(
                            "campaign-line",
                            n=item("n"),
                            day=item("day"),
                            name=item("name"),
                            org=item("org"),
                        ),
                        items="items",
                    ),
                    sep="\n\n",
                ),
                Group(
                    Select(
                        Tr("catalog-label", text=item("button")),
                        id="opening",
                        item_id_getter=item_id,
                        items="items",
                        on_click=clicks.programme_chosen,
                    ),
                    width=2,
                ),
                dialog_pager(OPENINGS, pages="pages"),
                Cancel(Tr("btn-back")),
                state=CatalogCampaign.openings,
                getter=openings,
            ),
        )
    )
