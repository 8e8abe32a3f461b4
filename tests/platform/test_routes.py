"""How the routers are built."""

from __future__ import annotations

from handlers import get_routers


def test_every_button_handler_matches_its_own_callback_data():
    # Button routers are tried before the others (handlers/__init__.py) on the grounds that a
    # press is matched by its callback data, never caught by a bare state: keep it that way.
    from aiogram.filters.callback_data import CallbackQueryFilter

    bare = [
        f"{router.name}: {handler.callback.__name__}"
        for router in get_routers()
        if router.name != "fallback"
        for handler in router.callback_query.handlers
        if not any(isinstance(f.callback, CallbackQueryFilter) for f in handler.filters or ())
    ]
    assert bare == []


async def test_a_press_skips_every_router_but_those_that_can_take_it():
    # Each router (but the catch-all) lets through only presses on its own buttons and its own
    # dialogs' windows, so the others' presses are not tried against each of its handlers.
    from aiogram.types import CallbackQuery, User

    user = User(id=1, is_bot=False, first_name="A")
    forged = CallbackQuery(id="1", from_user=user, chat_instance="c", data="nobody:1")
    takers = set()
    for router in get_routers():
        passed, _data = await router.callback_query.check_root_filters(forged)
        if passed:
            takers.add(router.name)
    assert takers == {"fallback"}


async def test_own_press_knows_its_buttons_and_its_dialogs_windows():
    from aiogram.filters.callback_data import CallbackData
    from aiogram.fsm.state import State, StatesGroup
    from aiogram.types import CallbackQuery, User
    from aiogram_dialog.api.entities import Context
    from aiogram_dialog.api.internal import CONTEXT_KEY

    from handlers.gates import OwnPress

    class Seat(CallbackData, prefix="seat"):
        id: int

    class Other(CallbackData, prefix="seats"):
        id: int

    class Mine(StatesGroup):
        step = State()

    class Theirs(StatesGroup):
        step = State()

    own = OwnPress([Seat.filter()], [Mine])

    def press(data: str) -> CallbackQuery:
        user = User(id=1, is_bot=False, first_name="A")
        return CallbackQuery(id="1", from_user=user, chat_instance="c", data=data)

    def context(state: State) -> Context:
        return Context(_intent_id="abc", _stack_id="", state=state, start_data=None)

    assert await own(press(Seat(id=3).pack()))
    assert not await own(press(Other(id=3).pack()))
    assert not await own(press("nothing:1"))
    window = "abc\x1dnext"
    assert await own(press(window), **{CONTEXT_KEY: context(Mine.step)})
    assert not await own(press(window), **{CONTEXT_KEY: context(Theirs.step)})
    assert not await own(press(window))  # no context: the dialog could not take it either
    assert not await OwnPress([Seat.filter()], [])(
        press(window), **{CONTEXT_KEY: context(Mine.step)}
    )


async def test_a_message_skips_the_routers_keyed_to_other_messages(settings):
    # Commands go to the routers with commands, a menu button to its feature, typed text to
    # the dialog it is typed into; routers with a handler for any message stay open to all.
    from datetime import UTC, datetime

    from aiogram.types import Chat, Message, User
    from aiogram_dialog.api.entities import Context
    from aiogram_dialog.api.internal import CONTEXT_KEY

    from bot.telegram.i18n import Locales
    from handlers.pickers.locality.states import LocalityPicker

    user = User(id=1, is_bot=False, first_name="A")
    locales = Locales()
    picker = Context(_intent_id="abc", _stack_id="", state=LocalityPicker.choose, start_data={})

    async def takers(text: str, **data) -> set[str]:
        chat = Chat(id=1, type="private")
        message = Message(
            message_id=1, date=datetime.now(UTC), chat=chat, from_user=user, text=text
        )
        taken = set()
        for router in get_routers():
            passed, _data = await router.message.check_root_filters(
                message, locales=locales, settings=settings, raw_state=None, **data
            )
            if passed:
                taken.add(router.name)
        return taken

    open_to_all = {"staff_strangers", "questions", "fallback"}  # a handler with no key
    assert await takers("Томск") == open_to_all
    assert await takers("Томск", **{CONTEXT_KEY: picker}) == open_to_all | {"locality_picker"}
    assert await takers("🔎 Кружки и центры") == open_to_all | {"catalog"}
    assert await takers("👨‍👩‍👧 Консультации") == open_to_all | {"booking_buttons"}
    commands = await takers("/events")
    assert {"start", "sections", "privacy", "quiz"} <= commands
    assert not commands & {"catalog", "onboarding", "locality_picker", "booking_buttons"}
