"""The announcement topics' steps: the topics, and consent asked first of someone without it
(and what is said when they decline)."""

from aiogram.fsm.state import State, StatesGroup


class Subscriptions(StatesGroup):
    topics = State()
    consent = State()
    refused = State()
