"""What the «Рядом» window shows: the centres nearest to the spot the picker gave, ten a page
(«Ещё» for the next ten), those with programmes for the chosen child's age first, each counted as
its card counts («для 10 лет: 3 из 12» when an age narrows them), and where the distances are
measured from (the shared location, or the chosen locality)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from bot.telegram.numbers import km
from bot.telegram.pager import clamp_page
from handlers.catalog.getters import label
from handlers.pickers.child import chosen_age, whom_data
from services.catalog.browse import CatalogService, NearbyCentre

COUNT = 10  # centres on a page
PAGES = 5  # «Ещё» at most this many times
SPOT, PLACE = "spot", "place"  # dialog data: [lat, lon], the locality's name
SCROLL = "nearby_page"  # the page on screen: «◀️» and «Ещё ▶️» turn it


async def nearest(manager: DialogManager, page: int = 0) -> list[NearbyCentre]:
    """The nearest centres up to a page past `page` (to know whether there is more), those with
    programmes (for the chosen child's age) before those without."""
    catalog: CatalogService = manager.middleware_data["catalog"]
    latitude, longitude = manager.dialog_data[SPOT]
    age = await chosen_age(manager.middleware_data)
    found = await catalog.nearby(latitude, longitude, count=COUNT * (page + 2), age=age)
    return sorted(found, key=lambda near: near.centre.programmes == 0)  # stable: by distance


async def centres(dialog_manager: DialogManager, t: Translator, **_: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    page = clamp_page(await dialog_manager.find(SCROLL).get_page(), PAGES)
    found = await nearest(dialog_manager, page) if SPOT in data else []
    more = len(found) > (page + 1) * COUNT and page < PAGES - 1
    shown = found[page * COUNT : (page + 1) * COUNT]
    catalog: CatalogService = dialog_manager.middleware_data["catalog"]
    totals = await catalog.programme_counts([near.centre.id for near in shown])
    age = await chosen_age(dialog_manager.middleware_data)
    first = page * COUNT + 1
    return {
        "place": data.get(PLACE),
        "age": age if age is not None else "",
        "by_age": age is not None,
        "pages": page + 2 if more else page + 1,  # as far as is known: one more, or this
        "centres": [
            {
                "id": near.centre.id,
                "n": n,
                "name": near.centre.name,
                "km": km(t, near.km),
                "count": totals.get(near.centre.id, near.centre.programmes),
                "suitable": near.centre.programmes,
                "button": label(f"{n}. {near.centre.name}"),
            }
            for n, near in enumerate(shown, start=first)
        ],
        **await whom_data(dialog_manager),
    }
