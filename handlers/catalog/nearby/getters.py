"""What the «Рядом» window shows: the centres nearest to the spot the picker gave (the child's
age from the profile narrows them), and the locality's name when one was chosen."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from handlers.catalog.getters import label
from services.catalog.browse import CatalogService, NearbyCentre
from services.people.profiles import Profile

COUNT = 10
SPOT, PLACE = "spot", "place"  # dialog data: [latitude, longitude], the locality's name


async def nearest(manager: DialogManager) -> list[NearbyCentre]:
    catalog: CatalogService = manager.middleware_data["catalog"]
    profile: Profile = manager.middleware_data["profile"]
    latitude, longitude = manager.dialog_data[SPOT]
    return await catalog.nearby(latitude, longitude, count=COUNT, age=profile.child_age)


async def centres(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    found = await nearest(dialog_manager) if SPOT in dialog_manager.dialog_data else []
    return {
        "place": dialog_manager.dialog_data.get(PLACE),
        "centres": [
            {
                "id": near.centre.id,
                "n": n,
                "name": near.centre.name,
                "km": _km(near.km),
                "count": near.centre.programmes,
                "button": label(f"{n}. {near.centre.name}"[:60]),
            }
            for n, near in enumerate(found, start=1)
        ],
    }


def _km(km: float) -> str:
    return f"{km:.1f}" if km < 10 else f"{km:.0f}"
