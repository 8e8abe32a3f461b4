"""The broadcast composer's windows: content → English → button (a link, an event or none) →
audience (topics, roles, languages; grades and places on their own windows) → preview → send now
or at a time. Every window but the first has «◀️ Назад» to the step before it and «✖️ Отмена».

Nothing is stored before «🚀 Отправить сейчас» or a typed time: the draft is the dialog's data.
Commands, main-menu buttons and other features' buttons never reach the windows
(handlers/routes.py `Routes.dialog`).
"""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageHandlerFunc, MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, Select, SwitchTo
from aiogram_dialog.widgets.link_preview import LinkPreview
from aiogram_dialog.widgets.text import Multi

from bot.telegram.dialogs import Tr
from handlers.broadcasts import actions, getters
from handlers.broadcasts.states import BroadcastComposer as Steps
from handlers.filters import ContentIs, FreeText


def _nav(back_to: State | None) -> Row:
    cancel = Button(Tr("cmp-btn-cancel"), id="cancel", on_click=actions.cancelled)
    if back_to is None:
        return Row(cancel)
    return Row(SwitchTo(Tr("btn-back"), id="back", state=back_to), cancel)


def _typed(handler: MessageHandlerFunc) -> MessageInput:
    """A typed answer (text that is neither a command nor a menu button)."""
    return MessageInput(handler, filter=FreeText())


def _window(*widgets: object, state: State, back_to: State | None, getter=None) -> Window:  # type: ignore[no-untyped-def]
    """A step: its widgets, the hint for anything it does not take, Back and Cancel."""
    return Window(
        *widgets,
        MessageInput(actions.use_buttons),
        _nav(back_to),
        LinkPreview(is_disabled=True),
        state=state,
        getter=getter,
    )


def _toggles(widget_id: str) -> Select:
    return Select(
        Tr("bcd-toggle", mark=lambda d: d["item"]["mark"], label=lambda d: d["item"]["label"]),
        id=widget_id,
        item_id_getter=lambda item: item["id"],
        items=f"{widget_id}s",
        on_click=actions.toggled,
    )


def composer_dialog() -> Dialog:
    return Dialog(
        _window(
            Tr("cmp-ask-content"),
            MessageInput(
                actions.media_received, filter=ContentIs(ContentType.PHOTO, ContentType.DOCUMENT)
            ),
            _typed(actions.text_received),
            state=Steps.content,
            back_to=None,
        ),
        _window(
            Tr("cmp-ask-english"),
            Button(Tr("cmp-btn-skip-english"), id="skip", on_click=actions.english_skipped),
            _typed(actions.english_received),
            state=Steps.english,
            back_to=Steps.content,
        ),
        _window(
            Tr("cmp-ask-button"),
            SwitchTo(Tr("cmp-btn-link"), id="link", state=Steps.button_text),
            SwitchTo(Tr("cmp-btn-event"), id="event", state=Steps.event),
            Button(Tr("cmp-btn-no-button"), id="nobutton", on_click=actions.no_button),
            state=Steps.button,
            back_to=Steps.english,
        ),
        _window(
            Tr("cmp-ask-button-text", limit="limit"),
            _typed(actions.button_text_typed),
            state=Steps.button_text,
            back_to=Steps.button,
            getter=getters.limits,
        ),
        _window(
            Tr("cmp-ask-button-url"),
            _typed(actions.button_url_typed),
            state=Steps.button_url,
            back_to=Steps.button_text,
        ),
        _window(
            Tr("cmp-ask-event", when="events"),
            Tr("cmp-no-events", when="no_events"),
            Column(
                Select(
                    Tr(
                        "bcd-event-choice",
                        time=lambda d: d["item"]["time"],
                        title=lambda d: d["item"]["title"],
                    ),
                    id="ev",
                    item_id_getter=lambda item: str(item["id"]),
                    items="events",
                    on_click=actions.event_picked,
                )
            ),
            state=Steps.event,
            back_to=Steps.button,
            getter=getters.events,
        ),
        _window(
            Multi(
                Tr(
                    "cmp-audience",
                    topics="topics_text",
                    roles="roles_text",
                    grades="grades_text",
                    places="places_text",
                    languages="languages_text",
                ),
                Tr("cmp-audience-size", count="size", when="size"),
                Tr("cmp-audience-empty", when=lambda data, widget, manager: not data["size"]),
                sep="\n\n",
            ),
            Column(_toggles("topic")),
            Row(_toggles("role")),
            Row(_toggles("lang")),
            Row(
                SwitchTo(Tr("segment-btn-grades"), id="grades", state=Steps.grades),
                SwitchTo(Tr("segment-btn-places"), id="places", state=Steps.places),
            ),
            Button(Tr("cmp-btn-preview"), id="preview", on_click=actions.preview),
            state=Steps.audience,
            back_to=Steps.button,
            getter=getters.audience,
        ),
        _window(
            Tr("segment-ask-grades"),
            Button(Tr("segment-btn-all-grades"), id="grades_all", on_click=actions.all_grades),
            _typed(actions.grades_typed),
            state=Steps.grades,
            back_to=Steps.audience,
        ),
        _window(
            Tr("segment-ask-places"),
            Button(Tr("segment-btn-all-places"), id="places_all", on_click=actions.all_places),
            _typed(actions.places_typed),
            state=Steps.places,
            back_to=Steps.audience,
        ),
        _window(
            Tr("cmp-confirm", count="size"),
            Button(Tr("cmp-btn-send-now"), id="now", on_click=actions.send_now),
            SwitchTo(Tr("cmp-btn-schedule"), id="later", state=Steps.schedule),
            state=Steps.preview,
            back_to=Steps.audience,
            getter=getters.size,
        ),
        _window(
            Tr("cmp-ask-when", zone="zone", example="example"),
            _typed(actions.when_typed),
            state=Steps.schedule,
            back_to=Steps.preview,
            getter=getters.schedule,
        ),
        on_start=actions.started,
    )
