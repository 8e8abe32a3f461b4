"""A MAX message's `markup` (its formatting: ranges of the text marked strong, link, …) as
aiogram's `MessageEntity` list, and back. With it a message MAX shows the bot again (the one a
button was pressed on) has the same `html_text` it was sent with, so a screen redrawn from it
(bot/telegram/screens.py `append`) keeps its bold and links, and an unchanged screen is not
edited. Offsets are taken as UTF-16 code units, as Telegram's (MAX's documentation names no
unit; checked against the fake only)."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.types import MessageEntity
from maxapi.enums.text_style import TextStyle
from maxapi.types.message import MarkupElement, MarkupLink

STYLES = {
    "bold": TextStyle.STRONG,
    "italic": TextStyle.EMPHASIZED,
    "underline": TextStyle.UNDERLINE,
    "strikethrough": TextStyle.STRIKETHROUGH,
    "code": TextStyle.MONOSPACED,
    "pre": TextStyle.MONOSPACED,
    "blockquote": TextStyle.BLOCKQUOTE,
    "text_link": TextStyle.LINK,
}
ENTITIES = {
    TextStyle.STRONG: "bold",
    TextStyle.EMPHASIZED: "italic",
    TextStyle.UNDERLINE: "underline",
    TextStyle.STRIKETHROUGH: "strikethrough",
    TextStyle.MONOSPACED: "code",
    TextStyle.BLOCKQUOTE: "blockquote",
    TextStyle.QUOTE: "blockquote",
    TextStyle.LINK: "text_link",
}


def max_markup(entities: Iterable[MessageEntity]) -> list[MarkupElement]:
    """The markup MAX keeps for text sent with these entities (others have no MAX twin)."""
    markup: list[MarkupElement] = []
    for entity in entities:
        style = STYLES.get(entity.type)
        if style is None:
            continue
        if style == TextStyle.LINK:
            markup.append(MarkupLink(from_=entity.offset, length=entity.length, url=entity.url))
        else:
            markup.append(MarkupElement(type=style, from_=entity.offset, length=entity.length))
    return markup


def tg_entities(markup: Iterable[MarkupElement] | None) -> list[MessageEntity] | None:
    entities = []
    for element in markup or []:
        kind = ENTITIES.get(element.type)
        if kind is None:
            continue
        url = element.url if isinstance(element, MarkupLink) else None
        if kind == "text_link" and not url:
            continue
        entities.append(
            MessageEntity(type=kind, offset=element.from_, length=element.length, url=url)
        )
    return entities or None
