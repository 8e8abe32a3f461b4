"""Typed questions through the dispatcher: programmes, FAQ answers, honest 'nothing'."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_messengers


async def test_a_question_lists_programmes_with_cards(client):
    parent = client.user(9301)
    await parent.send("робототехника для 10 лет")
    text = parent.text()
    assert "Ищу:" in text and "10 лет" in text
    assert "1. " in text
    first = next(label for label in parent.visible_labels() if label.startswith("1. "))
    await parent.press(first)
    assert "🏫" in parent.text()


async def test_a_faq_question_gets_the_answer(client):
    pupil = client.user(9302)
    await pupil.send("что такое точка роста")
    assert "Точка роста" in pupil.text() or "Точки роста" in pupil.text()
    assert "Ищу:" not in pupil.text()


async def test_nothing_found_is_said_with_a_way_forward(client):
    parent = client.user(9303)
    await parent.send("квантовая хромодинамика для взрослых")
    assert "Ничего подходящего" in parent.text()
    assert "Техническое" in parent.visible_labels()


async def test_text_inside_a_dialog_is_not_taken_for_a_question(client):
    parent = client.user(9304)
    await parent.send("/start")
    await parent.press("Родитель")
    await parent.send("Северск")
    assert "Сколько лет" in parent.texts()[-1]
