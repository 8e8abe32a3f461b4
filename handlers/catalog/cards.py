"""Messages the catalogue sends beside its dialogs: a programme's or a centre's card (from a
list, a search result, a deep link) and the question «where are you?» that starts «nearby»."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.telegram.i18n import Translator
from handlers import pickers
from handlers.catalog.states import CatalogFlow
from handlers.catalog.views import centre_keyboard, centre_text, programme_keyboard, programme_text
from handlers.menu import share_location
from services.catalog.browse import CatalogService
from services.catalog.localities import LocalityService

NEARBY = "n"  # the locality picker's purpose (handlers/pickers.py)


async def send_programme(
    message: Message,
    programme_id: int,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    staff: bool,
) -> bool:
    card = await catalog.programme(programme_id, staff=staff)
    if card is None:
        return False
    text = await programme_text(t, card, localities, staff)
    await message.answer(
        text, reply_markup=programme_keyboard(t, card, staff), disable_web_page_preview=True
    )
    return True


async def send_centre(
    message: Message,
    centre_id: int,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    staff: bool,
) -> bool:
    centre = await catalog.centre(centre_id, staff=staff)
    if centre is None:
        return False
    await message.answer(
        await centre_text(t, centre, localities, staff),
        reply_markup=centre_keyboard(t, centre, staff),
        disable_web_page_preview=True,
    )
    return True


async def ask_nearby(
    message: Message, state: FSMContext, t: Translator, localities: LocalityService
) -> None:
    """Ask for a location (or a locality, typed or picked); handlers/catalog/browse.py answers."""
    await state.set_state(CatalogFlow.nearby)
    await message.answer(t("nearby-ask"), reply_markup=share_location(t))
    page = await localities.page(0)
    await message.answer(
        t("locality-list"), reply_markup=pickers.locality_keyboard(t, page, NEARBY)
    )
