"""Onboarding's steps; the locality between role and age is the locality picker's
(handlers/pickers/locality), opened over this dialog."""

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    role = State()
    age = State()
    consent = State()
