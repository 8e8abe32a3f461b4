"""The families' events section as a dialog: the intro behind /start events, and the list (a
page of events that fit the profile, or of all of them; each opens its card)."""

from __future__ import annotations

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Select, SwitchTo
from aiogram_dialog.widgets.link_preview import LinkPreview
from aiogram_dialog.widgets.text import List, Multi

from bot.telegram.dialogs import Tr
from bot.telegram.pager import dialog_pager
from handlers.events.listing.clicks import open_card, toggle_all
from handlers.events.listing.getters import child_chosen, events_page
from handlers.events.listing.states import EventsSection
from handlers.events.paging import SCROLL, item_arg
from handlers.pickers.child import whom_keyboard, whom_text


def events_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("events-intro"),
            SwitchTo(Tr("events-btn-open"), id="open", state=EventsSection.listing),
            state=EventsSection.intro,
        ),
        Window(
            Multi(
                Tr("events-header-mine", count="total", when=F["shown"] & ~F["all"]),
                Tr("events-header-all", count="total", when=F["shown"] & F["all"]),
                Tr("events-empty-mine", when=~F["shown"] & ~F["all"]),
                Tr("events-empty-all", when=~F["shown"] & F["all"]),
                List(
                    Tr(
                        "events-list-line",
                        n=item_arg("n"),
                        at=item_arg("at"),
                        title=item_arg("title"),
                    ),
                    items="events",
                ),
                whom_text(),
                sep="\n\n",
            ),
            Column(
                Select(
                    Tr("events-item", n=item_arg("n"), title=item_arg("label")),
                    id="event",
                    item_id_getter=lambda item: str(item["id"]),
                    items="events",
                    on_click=open_card,
                )
            ),
            dialog_pager(SCROLL, pages="pages"),
            whom_keyboard(child_chosen),
            LinkPreview(is_disabled=True),
            Button(Tr("events-btn-all"), id="all", on_click=toggle_all, when=~F["all"]),
            Button(Tr("events-btn-mine"), id="mine", on_click=toggle_all, when=F["all"]),
            state=EventsSection.listing,
            getter=events_page,
        ),
    )
