"""What the locality picker's windows show: a page of the localities (only its buttons are
drawn: aiogram-dialog's ScrollingGroup would draw every page's to show one), and the
localities a typed name matched."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from bot.telegram.pager import clamp_page, page_count
from services.catalog.localities import LocalityService

SCROLL = "places"
WIDTH, HEIGHT = 2, 4  # eight to a page, as the list always had
PAGE = WIDTH * HEIGHT


async def places(
    dialog_manager: DialogManager, localities: LocalityService, t: Translator, **_: Any
) -> dict[str, Any]:
    everything = await localities.all()
    pages = page_count(len(everything), PAGE)
    scroll = dialog_manager.find(SCROLL)
    page = clamp_page(await scroll.get_page(), pages)
    if page != await scroll.get_page():  # the list got shorter, or a forged page
        await scroll.set_page(page)
    shown = everything[page * PAGE : (page + 1) * PAGE]
    return {
        "places": [(str(p.id), p.title(t.locale)) for p in shown],
        "pages": pages,
    }


async def matches(
    dialog_manager: DialogManager, localities: LocalityService, t: Translator, **_: Any
) -> dict[str, Any]:
    found = []
    for locality_id in dialog_manager.dialog_data.get("matches", []):
        place = await localities.get(locality_id)
        if place is not None:
            district = place.district_en if t.locale == "en" else place.district
            found.append((str(place.id), place.title(t.locale), district))
    return {"matches": found}
