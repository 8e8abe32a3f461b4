"""What the locality picker's windows show: every locality (the list pages itself), and the
localities a typed name matched."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from bot.telegram.pager import page_count
from services.catalog.localities import LocalityService

SCROLL = "places"
WIDTH, HEIGHT = 2, 4  # eight to a page, as the list always had


async def places(
    dialog_manager: DialogManager, localities: LocalityService, t: Translator, **_: Any
) -> dict[str, Any]:
    found = [(str(p.id), p.title(t.locale)) for p in await localities.all()]
    page = await dialog_manager.find(SCROLL).get_page()
    return {"places": found, "page": page + 1, "pages": page_count(len(found), WIDTH * HEIGHT)}


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
