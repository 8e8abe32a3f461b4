"""The dialog toolkit (bot/telegram/dialogs.py) on the real dispatcher: texts from locales,
each press answered once (toasts too), a press on an ended dialog answered «кнопка устарела»,
and a dialog that survives a restart and moves between instances on SQL and Redis storage."""

from __future__ import annotations

import pytest
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.input import TextInput
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Next
from aiogram_dialog.widgets.text import Const
from backends import REDIS_URL
from instances import BACKENDS, instances

from bot.app import create_dispatcher
from bot.telegram.dialogs import Tr, toast
from handlers.routes import Routes
from harness import BotClient


class Sample(StatesGroup):
    first = State()
    second = State()
    typed = State()


async def _getter(dialog_manager: DialogManager, **_: object) -> dict[str, object]:
    return {
        "count": dialog_manager.dialog_data.get("count", 0),
        "typed": dialog_manager.dialog_data.get("typed"),
    }


async def _count(query, button, manager: DialogManager) -> None:  # type: ignore[no-untyped-def]
    manager.dialog_data["count"] = manager.dialog_data.get("count", 0) + 1
    toast(manager, "button-outdated")


async def _typed(message: Message, widget, manager: DialogManager, text: str) -> None:  # type: ignore[no-untyped-def]
    manager.dialog_data["typed"] = text
    await manager.switch_to(Sample.first)


def sample_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("page-of", page="count", pages=lambda data: 9),
            Tr("locality-not-found", text="typed", when="typed"),
            Button(Const("count"), id="count", on_click=_count),
            Next(Const("next")),
            Cancel(Const("close")),
            state=Sample.first,
            getter=_getter,
        ),
        Window(
            Const("second"),
            Back(Const("back")),
            Next(Const("type")),
            state=Sample.second,
        ),
        Window(
            Const("type something"),
            TextInput(id="text", on_success=_typed),
            state=Sample.typed,
        ),
    )


async def _open(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Sample.first, mode=StartMode.RESET_STACK)


@pytest.fixture(autouse=True)
def sample_first(monkeypatch):  # type: ignore[no-untyped-def]
    """The bot's routers with the sample dialog tried first (the catch-alls come last)."""
    import bot.app

    routers = bot.app.get_routers

    def with_sample():  # type: ignore[no-untyped-def]
        sample = Routes("sample")
        sample.message(Command("sample"))(_open)
        sample.dialog(sample_dialog)
        return [sample.build(), *routers()]

    monkeypatch.setattr(bot.app, "get_routers", with_sample)


@pytest.fixture
def sample_client(app) -> BotClient:
    return BotClient(app, create_dispatcher(app))


async def test_window_text_from_locales_and_press_answered_once(sample_client):
    user = sample_client.user(4101)
    await user.send("/sample")
    assert "1 из 9" not in user.text() and "0 из 9" in user.text()
    await user.press("count")  # the harness checks the press is answered exactly once
    assert user.callback_answer().text == "Эта кнопка устарела. Откройте меню заново."
    assert "1 из 9" in user.text()
    await user.press("next")
    assert user.text() == "second"
    await user.press("back")
    assert "1 из 9" in user.text()
    assert not sample_client.rejections


async def test_press_on_an_ended_dialog_is_outdated_not_an_error(sample_client, logged_errors):
    user = sample_client.user(4102)
    await user.send("/sample")
    stale = user.messages[-1]
    await user.press("close")
    await user._callback(stale, stale.reply_markup.inline_keyboard[0][0].callback_data)
    assert user.callback_answer().text == "Эта кнопка устарела. Откройте меню заново."
    assert not logged_errors


async def test_press_on_a_dialog_that_moved_on_is_outdated(sample_client, logged_errors):
    user = sample_client.user(4103)
    await user.send("/sample")
    first = user.messages[-1]
    await user.send("/sample")  # a new dialog replaces the first one
    await user._callback(first, first.reply_markup.inline_keyboard[0][0].callback_data)
    assert user.callback_answer().text == "Эта кнопка устарела. Откройте меню заново."
    assert not logged_errors


@pytest.mark.parametrize("backend", BACKENDS)
async def test_dialog_survives_restart_and_moves_between_instances(settings, backend):
    if backend == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    async with instances(settings, backend) as kit:
        first = await kit.start()
        user = first.user(4104)
        await user.send("/sample")
        await user.press("next")
        await user.press("type")
        await kit.stop(first)  # a restart mid-dialog

        second = await kit.start()
        third = await kit.start()  # a second instance beside it
        user = kit.move(user, second)
        await user.send("привет <b>")
        assert "Не нашёл «привет <b>»" in user.text()  # escaped, or Telegram would refuse it
        user = kit.move(user, third)
        await user.press("count")
        assert "1 из 9" in user.text() and "«привет <b>»" in user.text()
        assert kit.rejections() == []
