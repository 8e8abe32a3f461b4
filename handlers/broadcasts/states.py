"""The broadcast composer's steps (handlers/broadcasts/dialog.py): one window each."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class BroadcastComposer(StatesGroup):
    content = State()  # the text, or a photo or document with a caption
    english = State()  # the same in English, or skipped
    button = State()  # a link button, an event's button, or none
    button_text = State()
    button_url = State()
    event = State()  # which upcoming event the button opens
    audience = State()  # topics, roles, languages; grades and places on their own steps
    grades = State()
    places = State()
    preview = State()  # after the preview messages: send now or later
    schedule = State()  # the date and time to send at
