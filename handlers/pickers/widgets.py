"""Dialog pieces several dialogs ask with: the role buttons, the child's age (typed, with the
question turned into «could not understand» after a bad answer) and consent's two answers.
Each on-click handler learns the answer from the pressed button's id."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Column
from aiogram_dialog.widgets.kbd.button import OnClick
from aiogram_dialog.widgets.text import Text

from bot.telegram.dialogs import Tr
from services.people.profiles import ROLES, parse_age_or_grade

AGREE = "agree"
Age = tuple[int | None, int | None]


def role_buttons(on_click: OnClick) -> Column:
    """One button a role, its id the role."""
    return Column(*(Button(Tr(f"role-{role}"), id=role, on_click=on_click) for role in ROLES))


def consent_buttons(on_click: OnClick) -> Column:
    """«✅ Согласен(на)» (id AGREE) and «Не сейчас»."""
    return Column(
        Button(Tr("btn-consent-yes"), id=AGREE, on_click=on_click),
        Button(Tr("btn-consent-no"), id="decline", on_click=on_click),
    )


def age_question(key: str) -> Text:
    """The question, or «could not understand» right after an answer that was not an age."""
    return Tr(key, kind="kind", when=lambda data, *_: not data.get("age_invalid"))


def age_invalid() -> Text:
    return Tr("age-invalid", when="age_invalid")


async def age_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """For the age window: whether to say the last answer was not understood (said once), and
    who is asked (a pupil about themselves: the role being chosen, else the profile's)."""
    profile = dialog_manager.middleware_data.get("profile")
    role = dialog_manager.dialog_data.get("role") or getattr(profile, "role", None)
    return {
        "age_invalid": dialog_manager.dialog_data.pop("age_invalid", False),
        "kind": role or "",
    }


def _age(text: str) -> Age:
    parsed = parse_age_or_grade(text)
    if parsed is None:
        raise ValueError(text)
    return parsed


async def _not_an_age(
    message: Message, widget: ManagedTextInput[Age], manager: DialogManager, error: ValueError
) -> None:
    manager.dialog_data["age_invalid"] = True


def age_input(on_success: Any) -> TextInput[Age]:
    """Typed age or grade; `on_success(message, widget, manager, (age, grade))`."""
    return TextInput(id="age", type_factory=_age, on_success=on_success, on_error=_not_an_age)
