"""Onboarding's windows: role → (the locality picker) → child's age → consent."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button

from bot.telegram.dialogs import Tr
from handlers.people.onboarding import actions
from handlers.people.onboarding.states import Onboarding
from handlers.pickers.widgets import (
    age_getter,
    age_input,
    age_invalid,
    age_question,
    consent_buttons,
    role_buttons,
)


def onboarding_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("onb-role-ask"),
            role_buttons(actions.role_chosen),
            state=Onboarding.role,
        ),
        Window(
            age_question("age-ask"),
            age_invalid(),
            age_input(actions.age_typed),
            Button(Tr("btn-skip"), id="skip", on_click=actions.age_skipped),
            Button(Tr("btn-back"), id="back", on_click=actions.back_to_locality),
            state=Onboarding.age,
            getter=age_getter,
        ),
        Window(
            Tr("consent-text"),
            consent_buttons(actions.consent_answered),
            Back(Tr("btn-back")),
            state=Onboarding.consent,
        ),
        on_process_result=actions.locality_result,
    )
