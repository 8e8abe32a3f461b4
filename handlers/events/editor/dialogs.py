"""The editor's two dialogs. The list (a page of upcoming events, hidden ones marked) opens an
event's card (hide from families, show again); «➕ Новое мероприятие» starts the draft over it:
title → description → start → place → registration → audience (roles, grades, places) →
preview → publish. «◀️ Назад» on every step (from the first, the list); «✖️ Отмена» drops the
draft; «✏️ …» on the preview changes one answer and comes back."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Cancel,
    Column,
    Group,
    Multiselect,
    Row,
    Select,
    Start,
    SwitchTo,
)
from aiogram_dialog.widgets.link_preview import LinkPreview
from aiogram_dialog.widgets.text import Case, List, Multi

from bot.telegram.dialogs import Tr
from bot.telegram.pager import dialog_pager
from handlers.events.editor import actions, getters, inputs
from handlers.events.editor.draft import ROLES_WIDGET
from handlers.events.editor.states import EventAdmin, EventDraft
from handlers.events.paging import SCROLL, item_arg

REVIEWING = F["review"]


def _hidden(data: dict[str, Any], widget: object, manager: DialogManager) -> bool:
    return bool(data["item"]["hidden"])


def admin_dialog() -> Dialog:
    line = {
        False: Tr("eadm-dialog-line", n=item_arg("n"), at=item_arg("at"), title=item_arg("title")),
        True: Tr(
            "eadm-dialog-line-hidden", n=item_arg("n"), at=item_arg("at"), title=item_arg("title")
        ),
    }
    return Dialog(
        Window(
            Tr("eadm-list-header", count="total"),
            Tr("eadm-list-empty", when=~F["shown"]),
            List(Case(line, selector=_hidden), items="events"),
            Column(
                Select(
                    Tr("events-item", n=item_arg("n"), title=item_arg("label")),
                    id="event",
                    item_id_getter=lambda item: str(item["id"]),
                    items="events",
                    on_click=actions.open_event,
                )
            ),
            dialog_pager(SCROLL, pages="pages", count=False),
            Start(Tr("eadm-btn-new"), id="new", state=EventDraft.title),
            state=EventAdmin.listing,
            getter=getters.events_page,
        ),
        Window(
            Tr("eadm-published", title="published", when="published"),
            Multi(
                Tr("event-card", card="card", when="found"),
                Tr("event-gone-toast", when=~F["found"]),
                Tr("eadm-status-hidden", when="hidden"),
                Tr("eadm-status-shown", when=F["found"] & ~F["hidden"]),
                sep="\n\n",
            ),
            Button(
                Tr("eadm-btn-hide"),
                id="hide",
                on_click=actions.hide,
                when=F["found"] & ~F["hidden"],
            ),
            Button(Tr("eadm-btn-show"), id="show", on_click=actions.show, when="hidden"),
            SwitchTo(Tr("eadm-btn-list"), id="list", state=EventAdmin.listing),
            LinkPreview(is_disabled=True),
            state=EventAdmin.card,
            getter=getters.event_card,
        ),
        on_process_result=actions.draft_done,
    )


def _typed(widget_id: str, on_success: Any) -> list[Any]:
    """A typed answer, and a word for anything else (a photo, a sticker)."""
    return [TextInput(id=widget_id, on_success=on_success), MessageInput(inputs.not_text)]


def _leave(back_to: State | None = None) -> Row:
    """«◀️ Назад» (to `back_to`, the step before, or from the first step out of the draft; to
    the preview when the step was opened from it) and «✖️ Отмена»."""
    if back_to is EventDraft.title:
        back: Any = Cancel(Tr("btn-back"), id="back", when=~REVIEWING)
    elif back_to is None:
        back = Back(Tr("btn-back"), id="back", when=~REVIEWING)
    else:
        back = SwitchTo(Tr("btn-back"), id="back", state=back_to, when=~REVIEWING)
    to_preview = SwitchTo(Tr("btn-back"), id="preview", state=EventDraft.confirm, when=REVIEWING)
    return Row(back, to_preview, Button(Tr("eadm-btn-cancel"), id="cancel", on_click=inputs.cancel))


async def _review(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"review": bool(dialog_manager.dialog_data.get(inputs.REVIEW))}


def _edit(key: str, widget_id: str, state: State) -> SwitchTo:
    return SwitchTo(Tr(key), id=widget_id, state=state, on_click=inputs.review)


def draft_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("eadm-ask-title"),
            *_typed("title", inputs.title_typed),
            _leave(EventDraft.title),
            state=EventDraft.title,
        ),
        Window(
            Tr("eadm-ask-description"),
            *_typed("description", inputs.description_typed),
            Button(Tr("eadm-btn-skip"), id="skip", on_click=inputs.skip_description),
            _leave(),
            state=EventDraft.description,
        ),
        Window(
            Tr("eadm-ask-starts", zone="zone", example="example"),
            *_typed("starts", inputs.starts_typed),
            _leave(),
            state=EventDraft.starts,
            getter=getters.starts_example,
        ),
        Window(
            Tr("eadm-ask-place"),
            *_typed("place", inputs.place_typed),
            _leave(),
            state=EventDraft.place,
        ),
        Window(
            Tr("eadm-ask-registration"),
            *_typed("registration", inputs.registration_typed),
            Button(Tr("eadm-btn-no-registration"), id="none", on_click=inputs.no_registration),
            _leave(),
            state=EventDraft.registration,
        ),
        Window(
            Tr("eadm-audience", roles="roles_text", grades="grades", places="places"),
            Multiselect(
                Tr("eadm-role-on", role=item_arg("name")),
                Tr("eadm-role-off", role=item_arg("name")),
                id=ROLES_WIDGET,
                item_id_getter=lambda item: item["id"],
                items="roles",
            ),
            Row(
                SwitchTo(Tr("segment-btn-grades"), id="grades", state=EventDraft.grades),
                SwitchTo(Tr("segment-btn-places"), id="places", state=EventDraft.places),
            ),
            SwitchTo(Tr("eadm-btn-next"), id="next", state=EventDraft.confirm),
            _leave(),
            MessageInput(inputs.not_text),
            state=EventDraft.audience,
            getter=getters.audience,
        ),
        Window(
            Tr("segment-ask-grades"),
            *_typed("grades", inputs.grades_typed),
            Button(Tr("segment-btn-all-grades"), id="all", on_click=inputs.all_grades),
            _leave(EventDraft.audience),
            state=EventDraft.grades,
        ),
        Window(
            Tr("segment-ask-places"),
            *_typed("places", inputs.places_typed),
            Button(Tr("segment-btn-all-places"), id="all", on_click=inputs.all_places),
            _leave(EventDraft.audience),
            state=EventDraft.places,
        ),
        Window(
            Multi(Tr("eadm-confirm"), Tr("event-card", card="card"), sep="\n\n"),
            Button(Tr("eadm-btn-publish"), id="publish", on_click=inputs.publish),
            Group(
                _edit("eadm-btn-edit-title", "e_title", EventDraft.title),
                _edit("eadm-btn-edit-description", "e_description", EventDraft.description),
                _edit("eadm-btn-edit-starts", "e_starts", EventDraft.starts),
                _edit("eadm-btn-edit-place", "e_place", EventDraft.place),
                _edit("eadm-btn-edit-registration", "e_registration", EventDraft.registration),
                width=2,
            ),
            Row(
                SwitchTo(Tr("btn-back"), id="back", state=EventDraft.audience),
                Button(Tr("eadm-btn-cancel"), id="cancel", on_click=inputs.cancel),
            ),
            LinkPreview(is_disabled=True),
            MessageInput(inputs.not_text),
            state=EventDraft.confirm,
            getter=getters.confirm,
        ),
        getter=_review,
    )
