"""The catalogue's lists as dialogs: back from every step, a press on a list that was left or
replaced («кнопка устарела»), a restart mid-dialog and a dialog continued on another instance
(SQL and Redis storage), typed questions over an open list going to search, and directions
under search's words or list buttons from before the dialogs opening the dialog."""

from __future__ import annotations

import pytest
from backends import REDIS_URL
from instances import BACKENDS, instances
from sqlalchemy import func, select

from bot.testing.offline_session import NOT_MODIFIED
from db.models import Programme
from handlers.catalog.views import ListView
from harness import BotClient

pytestmark = pytest.mark.both_messengers

OUTDATED = "Эта кнопка устарела. Откройте меню заново."


async def _list(user, direction: str = "Техническое") -> None:
    await user.send("🔎 Кружки и центры")
    assert "Выберите направление" in user.text()
    await user.press(direction)
    assert f"{direction} — " in user.text()


def _buttons(user) -> list[list[str]]:
    return [[b.text for b in row] for row in user.messages[-1].reply_markup.inline_keyboard]


def _data_of(message, label: str) -> str:
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.text == label:
                return button.callback_data
    raise AssertionError(f"no {label!r}")


async def test_back_from_every_step(client):
    anna = client.user(9301)
    await _list(anna)
    assert _buttons(anna)[-1] == ["⬅️ Направления"]
    await anna.press("▶️")
    assert "2 из 38" in anna.visible_labels()

    await anna.press("🎂 Возраст")
    assert "Для какого возраста искать?" in anna.text()
    await anna.press("◀️ Назад")  # the list as it was: same page, same filters
    assert "Фильтры не заданы" in anna.text() and "2 из 38" in anna.visible_labels()

    await anna.press("📍 Место")
    assert "В каком населённом пункте искать?" in anna.text()
    await anna.press("▶️")  # the places' own pages
    assert "Кедровый" in anna.visible_labels()
    await anna.press("◀️")
    assert "Асино" in anna.visible_labels()
    await anna.press("◀️ Назад")
    assert "Фильтры не заданы" in anna.text() and "2 из 38" in anna.visible_labels()

    await anna.press("⬅️ Направления")
    assert "Выберите направление" in anna.text()
    assert len(anna.edits()) == 1  # every step in place, in one message


async def test_a_filter_brings_the_list_back_to_its_first_page(client):
    anna = client.user(9302)
    await _list(anna)
    await anna.press("▶️")
    await anna.press("🧭 Любой формат")
    assert "Фильтры: Очно" in anna.text() and "2 из" not in " ".join(anna.visible_labels())
    await anna.press("🧭 Очно")
    await anna.press("🧭 Онлайн")
    await anna.press("🧭 Смешанный")
    assert "🧭 Любой формат" in anna.visible_labels() and "Фильтры не заданы" in anna.text()
    await anna.press("🎂 Возраст")
    await anna.press("Любой возраст")
    await anna.press("📍 Место")  # the locality picker: a typed name
    await anna.send("Асино")
    assert "Фильтры: Асино и онлайн" in anna.text()
    await anna.press("Любое место")
    assert "Фильтры не заданы" in anna.text()


async def test_a_programme_card_goes_below_the_list_which_stays(client):
    anna = client.user(9303)
    await _list(anna, "Художественное")
    shown = anna.messages[-1]
    first = next(label for label in anna.visible_labels() if label.startswith("1. "))
    await anna.press(first)
    assert first.removeprefix("1. ") in anna.text() and not anna.edits()
    await anna._callback(shown, _data_of(shown, "▶️"))  # the list above still turns pages
    assert "\n7. " in anna.text()


async def test_a_press_on_a_list_left_or_replaced_is_outdated(client, logged_errors):
    anna = client.user(9304)
    await _list(anna)
    old = anna.messages[-1]
    await _list(anna, "Художественное")  # the menu's button again: a new dialog
    await anna._callback(old, _data_of(old, "▶️"))
    assert anna.callback_answer().text == OUTDATED

    listed = anna.messages[-1]
    await anna.send("/start o-1")  # a deep link leaves the dialog
    await anna._callback(listed, _data_of(listed, "🎂 Возраст"))
    assert anna.callback_answer().text == OUTDATED
    assert not logged_errors


async def test_the_pager_draws_as_pager_row_does_and_its_counter_stays(client):
    """bot/telegram/pager.py's dialog_pager: no ◀️ on the first page, «N из M» between the
    arrows, and a press on it sends nothing but the answer to the press."""
    anna = client.user(9312)
    await _list(anna)
    assert ["1 из 38", "▶️"] in _buttons(anna)
    await anna.press("▶️")
    assert ["◀️", "2 из 38", "▶️"] in _buttons(anna)
    await anna.press("2 из 38")
    assert anna.edits() == [] and anna.callback_answer() is not None
    assert ["◀️", "2 из 38", "▶️"] in _buttons(anna)


async def test_a_press_that_changes_nothing_is_no_error(app, logged_errors):
    """The page counter (nothing redrawn), or a double tap: Telegram refuses to redraw what the
    message shows («not modified», taken as done), and the dialog goes on."""
    client = BotClient(app)
    anna = client.user(9311)
    await _list(anna)
    shown = anna.messages[-1]
    await anna.press("1 из 38")
    await anna._callback(shown, _data_of(shown, "▶️"))
    await anna._callback(shown, _data_of(shown, "▶️"))  # the same ▶️ again, on the old copy
    assert "2 из 38" in anna.visible_labels()
    await anna.press("▶️")
    assert "3 из 38" in anna.visible_labels()
    refused = [str(o.error) for o in client.rejections]
    assert refused and all(NOT_MODIFIED in error for error in refused)
    assert not logged_errors
    await client.dispatcher.storage.close()


async def test_a_programme_gone_meanwhile_is_answered_with_a_toast(client, app):
    anna = client.user(9305)
    await _list(anna, "Художественное")
    first = next(label for label in anna.visible_labels() if label.startswith("1. "))
    data = _data_of(anna.messages[-1], first)
    async with app.sessions() as session:
        programme = await session.get(Programme, int(data.rsplit(":", 1)[1]))
        programme.hidden = True
        await session.commit()
    await anna.press(first)
    assert anna.callback_answer().text == "Эта программа больше недоступна."
    assert first not in anna.visible_labels()  # the list drawn again without it


async def test_forged_choices_change_nothing(client):
    anna = client.user(9306)
    await _list(anna)
    await anna.press("🎂 Возраст")
    screen = anna.messages[-1]
    ten = _data_of(screen, "10")
    for forged in ("99", "1" * 30, "x"):
        await anna._callback(screen, ten.rsplit(":", 1)[0] + ":" + forged)
        assert anna.callback_answer().text == OUTDATED
    await anna.press("◀️ Назад")
    await anna.press("📍 Место")  # the locality picker, its question below its list
    screen = anna.messages[-2]
    place = _data_of(screen, "Асино")
    await anna._callback(screen, place.rsplit(":", 1)[0] + ":99999")
    assert anna.callback_answer().text == "Этого населённого пункта больше нет в списке."
    await anna.press("◀️ Назад")
    assert "Фильтры не заданы" in anna.text()


async def test_a_question_typed_over_an_open_list_goes_to_search(client):
    anna = client.user(9307)
    await _list(anna)
    await anna.send("робототехника для 10 лет")
    assert "🔎 Ищу" in anna.text()
    await anna.send("абракадабра кукареку")
    assert "Ничего подходящего не нашлось" in anna.text()
    await anna.press("Туристско-краеведческое")  # search's directions open the list in place
    assert "Туристско-краеведческое — " in anna.text() and anna.edits()
    await anna.press("⬅️ Направления")
    assert "Выберите направление" in anna.text()


async def test_a_list_button_from_before_the_dialogs_opens_its_page(client):
    anna = client.user(9308)
    message = await client.bot.send_message(client.person_id(9308), "Каталог")
    await anna._callback(message, ListView(d="technical", p=1, fresh=False).pack())
    assert "Техническое — 224" in anna.text() and "2 из 38" in anna.visible_labels()
    free = ListView(v="free", d="technical", p=3, age=10, fresh=False)
    await anna._callback(message, free.pack())
    assert "Фильтры: 10 лет, только бесплатные" in anna.text()
    assert "1 из" in " ".join(anna.visible_labels())
    await anna._callback(message, ListView(v="age", d="art", fresh=False).pack())
    assert "Для какого возраста искать?" in anna.text()
    await anna.press("12")
    assert "Художественное" in anna.text() and "Фильтры: 12 лет" in anna.text()


async def _big_centre(app) -> tuple[int, int]:
    async with app.sessions() as session:
        count = func.count(Programme.id)
        row = (
            await session.execute(
                select(Programme.organisation_id, count)
                .where(Programme.hidden.is_(False))
                .group_by(Programme.organisation_id)
                .order_by(count.desc())
                .limit(1)
            )
        ).one()
    return row[0], row[1]


async def test_a_centres_programmes_page_by_page(client, app):
    centre, count = await _big_centre(app)
    assert count > 6
    anna = client.user(9309)
    await anna.send(f"/start o-{centre}")
    label = next(label for label in anna.visible_labels() if label.startswith("📚"))
    card = next(m for m in anna.messages if m.reply_markup and label in str(m.reply_markup))
    await anna.press(label)
    assert "программы:" in anna.text() and not anna.edits()  # below the card, left as it is
    assert len(_buttons(anna)[0]) == 1 and _buttons(anna)[-1] == ["▶️"]
    await anna.press("▶️")
    assert _buttons(anna)[-1][0] == "◀️" and len(anna.edits()) == 1
    listed = anna.messages[-1]
    name = _buttons(anna)[0][0]
    await anna.press(name)
    assert name in anna.text()
    kept = anna.message(card.message_id)  # the card keeps its buttons
    assert label in [b.text for row in kept.reply_markup.inline_keyboard for b in row]
    await anna.press(label)  # the card's button again: a fresh list, the old one outdated
    await anna._callback(listed, _data_of(listed, "◀️"))
    assert anna.callback_answer().text == OUTDATED


def _page(user) -> str:
    return next(label for label in user.visible_labels() if " из " in label)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_lists_survive_a_restart_and_move_between_instances(settings, app, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    centre, _count = await _big_centre(app)
    async with instances(settings, backend) as kit:
        first = await kit.start()
        anna = first.user(9310)
        await _list(anna)
        await anna.press("▶️")
        await anna.press("🎂 Возраст")
        await kit.stop(first)  # a restart mid-dialog

        second = await kit.start()
        anna = kit.move(anna, second)
        await anna.press("10")
        assert "Фильтры: 10 лет" in anna.text() and _page(anna).startswith("1 из")
        third = await kit.start()  # a second instance beside it
        anna = kit.move(anna, third)
        await anna.press("▶️")
        assert "Фильтры: 10 лет" in anna.text() and _page(anna).startswith("2 из")
        await anna.press("📍 Место")
        await anna.press("◀️ Назад")
        assert "Фильтры: 10 лет" in anna.text() and _page(anna).startswith("2 из")
        if backend == "redis":  # back and forth (SQL storage is one process's: db/fsm_storage.py)
            anna = kit.move(anna, second)
            await anna.press("▶️")
            assert "Фильтры: 10 лет" in anna.text() and _page(anna).startswith("3 из")
            anna = kit.move(anna, third)

        await anna.send(f"/start o-{centre}")
        await anna.press(next(lb for lb in anna.visible_labels() if lb.startswith("📚")))
        await kit.stop(third)  # a restart on a centre's programmes
        fourth = await kit.start()
        anna = kit.move(anna, fourth)
        await anna.press("▶️")
        assert "программы:" in anna.text() and _buttons(anna)[-1][0] == "◀️"
        assert kit.rejections() == []
