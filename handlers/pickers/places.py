"""A locality from what a person sent: a shared location (the nearest one) or a typed name.
Used by the locality picker dialog (handlers/pickers/locality)."""

from __future__ import annotations

from aiogram.types import Message

from bot.telegram.i18n import Translator
from bot.telegram.numbers import km as km_text
from handlers.menu import share_location
from services.catalog.localities import LocalityService, Place


async def place_or_matches(
    message: Message, t: Translator, localities: LocalityService
) -> tuple[Place | None, list[Place]]:
    """One locality, or the several a typed name matches; with neither, the person is told why
    (nothing known near, or nothing of that name)."""
    if message.location:
        found = await localities.nearest(message.location.latitude, message.location.longitude)
        if found is None:
            await message.answer(t("locality-none-known"))
            return None, []
        place, km = found
        await message.answer(t("locality-nearest", name=place.title(t.locale), km=km_text(t, km)))
        return place, []
    matches = await localities.find(message.text or "")
    if len(matches) == 1:
        return matches[0], []
    if not matches:
        await message.answer(  # the location button offered again with the «not found»
            t("locality-not-found", text=(message.text or "")[:100]),
            reply_markup=share_location(t),
        )
    return None, matches
