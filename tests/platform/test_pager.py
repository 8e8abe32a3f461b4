"""The one pager row (bot/telegram/pager.py): which buttons, which labels, where they lead, and a
real paged screen (the locality picker of onboarding) turned forward and back."""

from __future__ import annotations

import pytest

from bot.telegram.i18n import Locales
from bot.telegram.pager import clamp_page, page_count, pager_row


@pytest.fixture(scope="module")
def t():
    return Locales().get("ru")


def _data(p: int) -> str:
    return f"x:{p}"


def _row(t, page: int, pages: int, **keys) -> list[tuple[str, str]]:
    return [(b.text, b.callback_data) for b in pager_row(t, page, pages, _data, **keys)]


def test_no_row_for_a_single_page(t):
    assert pager_row(t, 0, 1, _data) == []
    assert pager_row(t, 0, 0, _data) == []


def test_first_page_has_the_count_and_next_only(t):
    assert _row(t, 0, 3) == [("1 из 3", "x:0"), ("▶️", "x:1")]


def test_middle_page_has_both_arrows(t):
    assert _row(t, 1, 3) == [("◀️", "x:0"), ("2 из 3", "x:1"), ("▶️", "x:2")]


def test_last_page_has_prev_and_the_count_only(t):
    assert _row(t, 2, 3) == [("◀️", "x:1"), ("3 из 3", "x:2")]


def test_labels_follow_the_locale():
    en = Locales().get("en")
    assert [b.text for b in pager_row(en, 1, 3, _data)] == ["◀️", "2 of 3", "▶️"]


def test_arrows_only_without_the_count(t):
    assert _row(t, 1, 3, count_key=None) == [("◀️", "x:0"), ("▶️", "x:2")]
    assert _row(t, 0, 2, count_key=None) == [("▶️", "x:1")]


def test_arrow_keys_get_the_page_they_lead_to(t):
    keys = {"prev_key": "spec-btn-page-prev", "next_key": "spec-btn-page-next", "count_key": None}
    assert _row(t, 1, 3, **keys) == [("⬅️ стр. 1", "x:0"), ("стр. 3 ➡️", "x:2")]


def test_page_count_and_clamp():
    assert [page_count(n, 10) for n in (0, 1, 10, 11, 25)] == [1, 1, 1, 2, 3]
    assert [clamp_page(p, 3) for p in (-5, 0, 2, 3, 99)] == [0, 0, 2, 2, 2]
    assert clamp_page(7, page_count(0, 10)) == 0


async def test_onboarding_locality_picker_pages_forward_and_back(client, app):
    places = await app.localities.all()
    per_page = 8  # the picker's page (LocalityService.page's default)
    pages = page_count(len(places), per_page)
    assert pages >= 3, "the seeded localities fill at least three pages"

    anna = client.user(5301, "ru")
    await anna.send("/start")
    await anna.press("Родитель")
    labels = anna.visible_labels()
    assert f"1 из {pages}" in labels and "▶️" in labels and "◀️" not in labels
    assert places[0].name in labels and places[per_page].name not in labels

    await anna.press("▶️")
    assert anna.edits(), "the list turns in place"
    labels = anna.visible_labels()
    assert f"2 из {pages}" in labels and "◀️" in labels and "▶️" in labels
    assert places[per_page].name in labels and places[0].name not in labels

    await anna.press(f"2 из {pages}")  # the count presses to the page on screen: nothing moves
    assert not anna.edits()
    assert f"2 из {pages}" in anna.visible_labels()

    await anna.press("◀️")
    labels = anna.visible_labels()
    assert f"1 из {pages}" in labels and "◀️" not in labels
    assert places[0].name in labels

    for _ in range(pages - 1):
        await anna.press("▶️")
    labels = anna.visible_labels()
    assert f"{pages} из {pages}" in labels and "▶️" not in labels and "◀️" in labels

    await anna.press(places[-1].name)  # a place from the last page is taken
    assert places[-1].name in anna.text()
    assert "Сколько лет ребёнку" in anna.texts()[-1]
