"""What the locality picker's windows show: every locality (the list pages itself), and the
localities a typed name matched."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from services.catalog.localities import LocalityService


async def places(
    dialog_manager: DialogManager, localities: LocalityService, t: Translator, **_: Any
) -> dict[str, Any]:
    return {"places": [(str(p.id), p.title(t.locale)) for p in await localities.all()]}


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
