"""What the catalogue's dialog windows show (handlers/catalog/dialog.py): the directions, a page
of a direction's programmes under the filters in the dialog's data, the ages and places to
filter by, and a page of a centre's programmes."""

from __future__ import annotations

from typing import Any

from aiogram.types import User
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.i18n import Html, Translator
from bot.telegram.labels import cut_label
from handlers.catalog.views import cost_text
from handlers.demand import keep_row, logged_already
from handlers.filters import is_staff
from handlers.pickers.child import whom_data
from services.catalog.browse import CatalogService, Filters
from services.catalog.localities import LocalityService
from services.catalog.terms import AGE_MAX, AGE_MIN, DIRECTIONS
from services.insights.demand import DemandLogService, Search
from services.people.profiles import Profile

PROGRAMMES = "programmes"  # the scrolls (pages) of the lists
CENTRE_PROGRAMMES = "centre_programmes"
PER_PAGE = 6  # programmes on a page (the service's default)
ALL = "all"
CHOICES = (*DIRECTIONS, ALL)


def label(text: str) -> Html:
    """A button's label: Telegram shows it as plain text, so it is not HTML-escaped; a long
    one is cut to fit at a word, with «…»."""
    return Html(cut_label(text))


def filters(view: dict[str, Any]) -> Filters:
    return Filters(
        age=view.get("age"),
        locality_id=view.get("loc"),
        free_only=bool(view.get("free")),
        format=view.get("fmt"),
    )


async def page_of(manager: DialogManager, scroll: str, shown: int) -> None:
    """Keep the scroll on the page shown (a list may have shrunk under a stale page number)."""
    managed = manager.find(scroll)
    if await managed.get_page() != shown:
        await managed.set_page(shown)


async def directions(
    dialog_manager: DialogManager, t: Translator, **_: object
) -> dict[str, object]:
    return {
        "directions": [{"id": code, "label": label(t(f"direction-{code}"))} for code in CHOICES],
        **await whom_data(dialog_manager),
    }


async def programmes(
    dialog_manager: DialogManager,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    demand: DemandLogService,
    profile: Profile,
    **_: object,
) -> dict[str, object]:
    view = dialog_manager.dialog_data
    direction = view.get("d", ALL)
    asked = await dialog_manager.find(PROGRAMMES).get_page()
    page = await catalog.browse(
        None if direction == ALL else direction, filters(view), asked, per_page=PER_PAGE
    )
    await page_of(dialog_manager, PROGRAMMES, page.page)
    await _logged(view, direction, page.total, demand, profile)
    first = 1 + page.page * PER_PAGE
    items = [
        {
            "id": item.id,
            "n": n,
            "name": item.name,
            "org": item.organisation,
            "age_from": item.age_from,
            "age_to": item.age_to,
            "cost": cost_text(t, item.cost),
            "online": t("screens-online-mark") if item.format == "online" else "",
            "button": label(f"{n}. {item.name}"),
        }
        for n, item in enumerate(page.items, start=first)
    ]
    fmt = view.get("fmt")
    return {
        "direction": t(f"direction-{direction}"),
        "total": page.total,
        "pages": page.pages,
        "filters": await _described(t, view, localities),
        "items": items,
        "empty": not items,
        "free": bool(view.get("free")),
        "place_on": view.get("loc") is not None,
        "format": t(f"format-{fmt}" if fmt else "format-any"),
        **await whom_data(dialog_manager),
    }


async def _logged(
    view: dict[str, Any], direction: str, total: int, demand: DemandLogService, profile: Profile
) -> None:
    """A list with new filters is a search of the demand log (its pages are not)."""
    searched = [direction, *(view.get(key) for key in ("age", "loc", "free", "fmt"))]
    if logged_already(view, searched):
        return
    search = Search(
        kind="list",
        results=total,
        locality_id=view.get("loc") or profile.locality_id,
        direction=None if direction == ALL else direction,
        age=view.get("age"),
    )
    keep_row(view, searched, await demand.record(search))


async def _described(t: Translator, view: dict[str, Any], localities: LocalityService) -> str:
    """The filters in force, in words (empty when none is)."""
    described = []
    if view.get("age") is not None:
        described.append(t("filter-age", age=view["age"]))
    place = await localities.get(view.get("loc"))
    if place is not None:
        described.append(t("screens-place-filter", place=place.title(t.locale)))
    if view.get("free"):
        described.append(t("filter-free"))
    if view.get("fmt"):
        described.append(t(f"format-{view['fmt']}"))
    return ", ".join(described)


async def ages(profile: Profile, **_: object) -> dict[str, object]:
    return {
        "ages": [{"id": age, "label": label(str(age))} for age in range(AGE_MIN, AGE_MAX + 1)],
        "role": profile.role or "",
    }


async def centre_programmes(
    dialog_manager: DialogManager,
    event_from_user: User,
    settings: Settings,
    catalog: CatalogService,
    **_: object,
) -> dict[str, object]:
    staff = is_staff(event_from_user.id, settings)
    centre = await catalog.centre(dialog_manager.dialog_data.get("centre", 0), staff=staff)
    over_a_list = len(dialog_manager.current_stack().intents) > 1  # opened from «Рядом»
    if centre is None:
        return {"gone": True, "items": [], "pages": 1, "over_a_list": over_a_list}
    asked = await dialog_manager.find(CENTRE_PROGRAMMES).get_page()
    page = await catalog.centre_programmes(centre.id, asked, per_page=PER_PAGE, staff=staff)
    await page_of(dialog_manager, CENTRE_PROGRAMMES, page.page)
    return {
        "gone": False,
        "name": centre.name,
        "items": [{"id": line.id, "label": label(line.name)} for line in page.items],
        "pages": page.pages,
        "over_a_list": over_a_list,
    }
