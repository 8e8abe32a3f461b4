"""The settings' windows: the screen (language, role, locality, children, consent; the topics'
and the children's buttons open their dialogs over it), one window a setting, consent first."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, SwitchTo
from aiogram_dialog.widgets.text import Multi

from bot.config import SUPPORTED_LOCALES
from bot.telegram.dialogs import Tr
from handlers.people.settings import actions, getters
from handlers.people.settings.states import SettingsMenu
from handlers.pickers.widgets import consent_buttons, role_buttons


def _back() -> SwitchTo:
    return SwitchTo(Tr("btn-back"), id="back", state=SettingsMenu.main)


def _item(name: str) -> Button:
    return Button(Tr(f"settings-btn-{name}", kind="kind"), id=name, on_click=actions.profile_item)


def settings_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                Tr(
                    "settings-screen",
                    language="language",
                    role="role",
                    locality="locality",
                    child="child",
                    kind="kind",
                    consent="consent",
                ),
                Tr("quiz-settings-line", top="quiz_top", date="quiz_date", when="quiz"),
                Tr("consent-needed-for-profile", when="refused"),
                sep="\n\n",
            ),
            Group(
                SwitchTo(Tr("settings-btn-language"), id="language", state=SettingsMenu.language),
                _item("role"),
                _item("locality"),
                _item("children"),
                Button(Tr("settings-btn-subs"), id="subs", on_click=actions.subscriptions),
                Button(Tr("quiz-btn-open"), id="quiz", on_click=actions.quiz),
                width=2,
            ),
            state=SettingsMenu.main,
            getter=getters.screen,
        ),
        Window(
            Tr("settings-language-ask"),
            Column(
                *(
                    Button(Tr(f"language-{code}"), id=code, on_click=actions.language_chosen)
                    for code in SUPPORTED_LOCALES
                )
            ),
            _back(),
            state=SettingsMenu.language,
        ),
        Window(
            Tr("onb-role-ask"),
            role_buttons(actions.role_chosen),
            _back(),
            state=SettingsMenu.role,
        ),
        Window(
            Tr("consent-text"),
            consent_buttons(actions.consent_answered),
            _back(),
            state=SettingsMenu.consent,
        ),
        on_process_result=actions.locality_result,
    )
