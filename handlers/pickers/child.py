"""«Для кого?»: which of a parent's children a list is for, in any dialog's window.

One child is used silently, none means no age (as before children); with several, a line
«Для: Маша, 9 лет» and «сменить», or — none chosen yet — «Для кого?» and a button a child.
A choice is remembered (services/people/children.py) and handed to the dialog's `on_chosen`,
which refilters its list. A window puts `whom_text()` and `whom_keyboard(on_chosen)` in and
merges `await whom_data(manager)` into its getter's data.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Group, Select
from aiogram_dialog.widgets.text import Multi

from bot.telegram.dialogs import Tr, toast
from bot.telegram.i18n import Html, Translator
from bot.telegram.labels import cut_label
from handlers.callback_types import parse_id
from services.people.children import Child, ChildService, ForWhom

OnChosen = Callable[[DialogManager, Child], Awaitable[None]]
_OPEN = "whom_open"


def child_title(t: Translator, child: Child, today: date) -> Html:
    """«Маша, 9 лет», «3 класс», «2015 г. р.» — the name (when given) and the age as given,
    brought to today; safe HTML (the name escaped), `plain_title` for a button."""
    given = child.given
    if given.grade is not None:
        age = t("children-grade", grade=child.grade(today))
    elif given.birth_year is not None:
        age = t("children-born", year=str(given.birth_year), age=child.age(today))
    else:
        age = t("children-age", age=child.age(today))
    return Html(t("children-title", name=child.name, age=Html(age)) if child.name else age)


def plain_title(t: Translator, child: Child, today: date) -> Html:
    """The title as a button's label: plain text, cut to fit."""
    return Html(cut_label(html.unescape(child_title(t, child, today))))


async def for_whom(data: dict[str, Any]) -> ForWhom:
    """The middleware data's person's children and the chosen one (none for someone without a
    profile: a group, a channel)."""
    profile = data.get("profile")
    if profile is None:
        return ForWhom((), None)
    children: ChildService = data["children"]
    return await children.for_whom(profile.user_id)


async def chosen_age(data: dict[str, Any]) -> int | None:
    """The chosen child's age now (the only child's), for the lists' age filter."""
    child = (await for_whom(data)).child
    return child.age(ChildService.today()) if child else None


async def whom_data(manager: DialogManager) -> dict[str, Any]:
    t: Translator = manager.middleware_data["t"]
    whom = await for_whom(manager.middleware_data)
    today = ChildService.today()
    asking = whom.several and (whom.ask or bool(manager.dialog_data.get(_OPEN)))
    return {
        "whom_line": whom.several and not asking and whom.child is not None,
        "whom_name": child_title(t, whom.child, today) if whom.child else "",
        "whom_ask": asking,
        "whom_children": [
            {"id": child.id, "label": plain_title(t, child, today)} for child in whom.children
        ]
        if asking
        else [],
    }


def whom_text() -> Multi:
    return Multi(
        Tr("whom-line", child="whom_name", when="whom_line"),
        Tr("whom-ask", when="whom_ask"),
    )


def whom_keyboard(on_chosen: OnChosen) -> Group:
    async def chosen(
        query: CallbackQuery, widget: object, manager: DialogManager, item_id: str
    ) -> None:
        profile = manager.middleware_data["profile"]
        children: ChildService = manager.middleware_data["children"]
        child_id = parse_id(item_id)
        child = await children.choose(profile.user_id, child_id) if child_id else None
        if child is None:  # removed meanwhile, or forged
            toast(manager, "button-outdated")
            manager.show_mode = ShowMode.NO_UPDATE
            return
        manager.dialog_data.pop(_OPEN, None)
        await on_chosen(manager, child)

    async def change(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
        manager.dialog_data[_OPEN] = True

    return Group(
        Select(
            Tr("children-label", text=lambda data: data["item"]["label"]),
            id="whom",
            item_id_getter=lambda item: str(item["id"]),
            items="whom_children",
            on_click=chosen,
        ),
        Button(Tr("btn-whom-change"), id="whom_change", on_click=change, when="whom_line"),
        width=2,
    )
