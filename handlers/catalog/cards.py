"""Messages the catalogue sends beside its dialogs: a programme's or a centre's card (from a
list, a search result, a deep link)."""

from __future__ import annotations

from aiogram.types import Message

from bot.telegram.i18n import Translator
from handlers.catalog.views import centre_keyboard, centre_text, programme_keyboard, programme_text
from services.catalog.browse import CatalogService
from services.catalog.localities import LocalityService


async def send_programme(
    message: Message,
    programme_id: int,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    staff: bool,
    to_list: bool = False,
) -> bool:
    """`to_list`: opened from a list (a dialog's), which «← к списку» brings back."""
    card = await catalog.programme(programme_id, staff=staff)
    if card is None:
        return False
    text = await programme_text(t, card, localities, staff)
    await message.answer(
        text,
        reply_markup=programme_keyboard(t, card, staff, to_list),
        disable_web_page_preview=True,
    )
    return True


async def send_centre(
    message: Message,
    centre_id: int,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    staff: bool,
    to_list: bool = False,
) -> bool:
    centre = await catalog.centre(centre_id, staff=staff)
    if centre is None:
        return False
    await message.answer(
        await centre_text(t, centre, localities, staff),
        reply_markup=centre_keyboard(t, centre, staff, to_list),
        disable_web_page_preview=True,
    )
    return True
