"""The announcement topics' windows: topics (✅/⬜ toggles), consent first when needed."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column
from aiogram_dialog.widgets.text import Const, Multi

from bot.telegram.dialogs import Tr
from handlers.people.subscriptions import actions, getters
from handlers.people.subscriptions.states import Subscriptions
from handlers.pickers.widgets import consent_buttons
from services.broadcasts.service import TOPICS


def _screen(key: str, *, any_on: bool) -> Tr:
    return Tr(key, when=lambda data, *_: not data["offer"] and data["any"] == any_on)


def _toggle(topic: str) -> Button:
    def off(data: dict[str, Any], *_: Any) -> bool:
        return not data[topic]

    mark = Multi(Const("✅", when=topic), Const("⬜", when=off))
    return Button(
        Multi(mark, Tr(f"subs-topic-{topic}"), sep=" "), id=topic, on_click=actions.toggle
    )


def _not_offer(data: dict[str, Any], *_: Any) -> bool:
    return not data["offer"]


def subscriptions_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("subs-offer", when="offer"),
            _screen("subs-screen", any_on=True),
            _screen("subs-screen-none", any_on=False),
            Column(*(_toggle(topic) for topic in TOPICS)),
            Button(Tr("btn-subs-done"), id="done", on_click=actions.done, when="offer"),
            Cancel(Tr("btn-back"), when=_not_offer),
            state=Subscriptions.topics,
            getter=getters.topics,
        ),
        Window(
            Multi(Tr("subs-consent-intro"), Tr("consent-text"), sep="\n\n"),
            consent_buttons(actions.consent_answered),
            Cancel(Tr("btn-back")),
            state=Subscriptions.consent,
        ),
        Window(
            Tr("subs-consent-refused"),
            Cancel(Tr("btn-back")),
            state=Subscriptions.refused,
        ),
        on_start=actions.started,
    )
