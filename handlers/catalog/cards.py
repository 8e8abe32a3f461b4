"""Messages the catalogue sends beside its dialogs: a programme's or a centre's card (from a
list, a search result, a deep link)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.types import Message

from bot.telegram.i18n import Translator
from handlers.catalog.views import (
    CardMarks,
    centre_keyboard,
    centre_text,
    programme_keyboard,
    programme_text,
)
from services.catalog.browse import CatalogService, ProgrammeCard
from services.catalog.localities import LocalityService
from services.waitlists.enrolment import EnrolmentService
from services.waitlists.entries import WaitlistService


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who looks at a card: their waitlist and reminder buttons on it."""

    user_id: int
    waitlists: WaitlistService
    enrolment: EnrolmentService

    @classmethod
    def of(cls, user_id: int, data: dict[str, Any]) -> Viewer:
        """From a handler's middleware data (the dispatcher's services)."""
        return cls(user_id, data["waitlists"], data["enrolment"])

    async def marks(self, card: ProgrammeCard) -> CardMarks:
        waiting = reminding = None
        if card.seats_free == 0 and not card.hidden and not card.organisation.hidden:
            waiting = await self.waitlists.waiting_for(self.user_id, card.id)
        opens = card.enrol_starts_on
        if opens is not None and opens > self.enrolment.today() and not card.hidden:
            reminding = await self.enrolment.reminding(self.user_id, card.id)
        return CardMarks(waiting, reminding)


async def send_programme(
    message: Message,
    programme_id: int,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    staff: bool,
    to_list: bool = False,
    viewer: Viewer | None = None,
) -> bool:
    """`to_list`: opened from a list (a dialog's), which «← к списку» brings back; `viewer`:
    the person's own buttons (waitlist, enrolment reminder)."""
    card = await catalog.programme(programme_id, staff=staff)
    if card is None:
        return False
    text = await programme_text(t, card, localities, staff)
    marks = await viewer.marks(card) if viewer is not None else None
    await message.answer(
        text,
        reply_markup=programme_keyboard(t, card, staff, to_list, marks),
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
