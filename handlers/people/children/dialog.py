"""The children's windows: the list (a button a child, «➕ Добавить»), a child's card (edit
each answer, remove with a confirmation), and the steps: name (optional) → age, grade or
birth year (typed) → interests (the six directions, several) → ОВЗ yes/no."""

from __future__ import annotations

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import TextInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Group,
    Multiselect,
    Row,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Multi

from bot.telegram.dialogs import Tr
from handlers.people.children import actions, getters
from handlers.people.children.states import Children


def _label(field: str = "label") -> Tr:
    return Tr("children-label", text=lambda data: data["item"][field])


def _back() -> Button:
    return Button(Tr("btn-back"), id="step_back", on_click=actions.step_back)


def children_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                Tr("children-screen", count="count", lines="lines", when="any"),
                Tr("children-screen-none", when=~F["any"]),
                Tr("children-refusal", text="refusal", when="refusal"),
                sep="\n\n",
            ),
            Column(
                Select(
                    _label(),
                    id="kid",
                    item_id_getter=lambda item: str(item["id"]),
                    items="kids",
                    on_click=actions.child_opened,
                )
            ),
            Button(Tr("children-btn-add"), id="add", on_click=actions.add),
            Cancel(Tr("btn-back")),
            state=Children.list,
            getter=getters.listing,
        ),
        Window(
            Multi(
                Tr(
                    "children-card",
                    child="child",
                    interests="interests",
                    health="health",
                    noted="noted",
                    when=~F["gone"],
                ),
                Tr("children-gone", when="gone"),
                Tr("children-refusal", text="refusal", when="refusal"),
                sep="\n\n",
            ),
            Group(
                SwitchTo(Tr("children-btn-name"), id="edit_name", state=Children.name),
                SwitchTo(Tr("children-btn-age"), id="edit_age", state=Children.age),
                Button(
                    Tr("children-btn-interests"), id="edit_int", on_click=actions.edit_interests
                ),
                SwitchTo(Tr("children-btn-health"), id="edit_health", state=Children.health),
                SwitchTo(Tr("children-btn-remove"), id="remove", state=Children.remove),
                width=2,
                when=~F["gone"],
            ),
            Button(Tr("children-btn-list"), id="to_list", on_click=actions.to_list),
            state=Children.card,
            getter=getters.card,
        ),
        Window(
            Tr("children-remove-ask", child="child"),
            Row(
                Button(Tr("children-btn-remove-yes"), id="remove_yes", on_click=actions.removed),
                SwitchTo(Tr("children-btn-remove-no"), id="remove_no", state=Children.card),
            ),
            state=Children.remove,
            getter=getters.card,
        ),
        Window(
            Tr("children-name-ask", limit="limit", when=~F["invalid"]),
            Tr("children-name-invalid", limit="limit", when="invalid"),
            TextInput(
                id="name",
                type_factory=actions.name_of,
                on_success=actions.name_typed,
                on_error=actions.name_invalid,
            ),
            Button(Tr("btn-skip"), id="skip_name", on_click=actions.name_skipped, when="adding"),
            Button(
                Tr("children-btn-no-name"),
                id="clear_name",
                on_click=actions.name_skipped,
                when="editing",
            ),
            _back(),
            state=Children.name,
            getter=getters.step,
        ),
        Window(
            Tr("children-age-ask", kind="kind", when=~F["invalid"]),
            Tr("children-age-invalid", when="invalid"),
            TextInput(
                id="age",
                type_factory=actions.given_of,
                on_success=actions.age_typed,
                on_error=actions.age_invalid,
            ),
            _back(),
            state=Children.age,
            getter=getters.step,
        ),
        Window(
            Tr("children-interests-ask"),
            Group(
                Multiselect(
                    Tr("children-checked", text=lambda data: data["item"]["label"]),
                    _label(),
                    id=actions.INTERESTS,
                    item_id_getter=lambda item: item["id"],
                    items="directions",
                ),
                width=2,
            ),
            Button(Tr("children-btn-done"), id="interests_done", on_click=actions.interests_done),
            _back(),
            state=Children.interests,
            getter=getters.directions,
        ),
        Window(
            Tr("children-health-ask"),
            Row(
                Button(
                    Tr("children-btn-health-yes"), id="health_yes", on_click=actions.health_answered
                ),
                Button(
                    Tr("children-btn-health-no"), id="health_no", on_click=actions.health_answered
                ),
            ),
            _back(),
            state=Children.health,
        ),
    )
