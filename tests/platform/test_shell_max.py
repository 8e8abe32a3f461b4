"""`make shell --messenger max`: the same conversation, shown as MAX shows it."""

import re

import pytest
from test_shell import converse

from bot.config import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings(
        _env_file=None,
        database_url="sqlite+aiosqlite:///" + str(tmp_path / "s.sqlite3"),
        redis_url=None,
        default_locale="ru",
    )


def _numbers(printed: str) -> dict[str, int]:
    return {label.strip(): int(n) for n, label in re.findall(r"\[(\d+)\] ([^\[\n]+)", printed)}


async def test_the_geo_request_is_an_inline_button(settings):
    (_, start), (_, role) = await converse(settings, "/start", "6", messenger="max")
    assert "Кто вы?" in start and "⌨" not in start, "MAX has no reply keyboard"
    assert _numbers(start)["Родитель"] == 6
    assert "Населённые пункты" in role
    assert "📍 Отправить геопозицию (геопозиция)" in role, "MAX's request_geo_location button"


async def test_the_main_menu_is_inline_and_pressed_by_number(settings):
    (_, start), (_, help_) = await converse(settings, "/start", "5", messenger="max")
    numbers = _numbers(start)
    assert numbers["🔎 Кружки и центры"] == 1 and numbers["❓ Помощь"] == 5, numbers
    assert "Как пользоваться ботом" in help_, "a menu button pressed in MAX"


async def test_html_is_shown_as_max_shows_it(settings):
    (_, start), *_ = await converse(settings, "/start", messenger="max")
    assert "<b>" not in start and "&lt;" not in start
