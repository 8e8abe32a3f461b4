"""Telegram's HTML parse mode, offline.

`parse_html` turns Bot API HTML into the plain text and `MessageEntity` list Telegram would
produce, and raises `TelegramHtmlError` (worded like Telegram's "can't parse entities" errors)
for what Telegram would reject.  It follows the tokenizer of tdlib's `parse_html`, the code the
Bot API server runs, with two deliberate strictnesses taken from the Bot API documentation:
an `&` in text that does not start a supported entity is an error (Telegram would keep it as a
literal), and `<a>` needs a non-empty `href` (Telegram would fall back to the link text).
Offsets and lengths are in UTF-16 code units, as in the Bot API.  Not modelled: what Telegram
does after parsing (URL normalisation, `tg://user?id=` mentions, trimming the text, merging
or dropping entities that break the nesting rules), except that a `pre` and a `code` over the
same text become one `pre`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiogram.types import MessageEntity

__all__ = ["TelegramHtmlError", "parse_html", "utf16_length"]


class TelegramHtmlError(ValueError):
    """HTML that Telegram would refuse; `str()` reads like the Bot API's error description."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"can't parse entities: {reason}")
        self.reason = reason


def utf16_length(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


_SPACE = " \t\r\n\v\0"  # as in tdlib; "\0" also stands for the end of the text
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]*)|#([0-9]*)|([a-zA-Z]*))")
_PLAIN = re.compile(r"[^<&]+")
_EMOJI_ID = re.compile(r"-?[1-9][0-9]*")
_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
# tdlib's order for entities that share offset and length
_PRIORITY = {"blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49}
_PRIORITY |= {"bold": 90, "italic": 91, "underline": 92, "strikethrough": 93, "spoiler": 94}
_PRIORITY |= {"custom_emoji": 99}


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at `text[pos] == "&"` as tdlib does (";" optional)."""
    match = _ENTITY.match(text, pos)
    assert match is not None
    hex_digits, digits, name = match.groups()
    end = match.end()
    if name is not None:
        char = _NAMED.get(name)
        if char is None:
            return None
    else:
        if end - pos >= 10:
            return None
        code = int(hex_digits, 16) if hex_digits else int(digits or "0")
        if code == 0 or code >= 0x10FFFF:  # sic: tdlib also refuses U+10FFFF
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise TelegramHtmlError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        char = chr(code)
    return char, end + 1 if text.startswith(";", end) else end


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    extra: dict[str, str]


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[_Entity] = []

    def char(self, pos: int) -> str:
        return self.text[pos] if pos < len(self.text) else "\0"

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACE:
            self.pos += 1

    def error(self, reason: str, pos: int, details: str = "") -> TelegramHtmlError:
        byte_offset = len(self.text[:pos].encode("utf-8", "surrogatepass"))
        return TelegramHtmlError(f"{reason} at byte offset {byte_offset}{details}")

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.utf16 += utf16_length(chunk)

    def run(self) -> tuple[str, list[MessageEntity]]:
        text = self.text
        while self.pos < len(text):
            if plain := _PLAIN.match(text, self.pos):
                self.emit(plain.group())
                self.pos = plain.end()
            elif text[self.pos] == "&":
                decoded = _decode_entity(text, self.pos)
                if decoded is None:
                    raise self.error('Unsupported HTML entity or unescaped "&"', self.pos)
                self.emit(decoded[0])
                self.pos = decoded[1]
            elif self.char(self.pos + 1) == "/":
                self.end_tag()
            else:
                self.start_tag()
        for entity in self.entities:
            if entity.type == "code":
                entity.extra = {}  # a language is kept only by a pre
        if self.stack:
            raise TelegramHtmlError(
                f"Can't find end tag corresponding to start tag {self.stack[-1].tag}"
            )
        self.entities.sort(key=lambda e: (e.offset, -e.length, _PRIORITY[e.type]))
        return "".join(self.out), [
            MessageEntity(type=e.type, offset=e.offset, length=e.length, **e.extra)
            for e in self.entities
        ]

    def start_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        while self.char(self.pos) not in _SPACE and self.char(self.pos) != ">":
            self.pos += 1
        if self.pos >= len(self.text):
            raise self.error("Unclosed start tag", begin)
        tag = self.text[begin + 1 : self.pos].lower()
        if tag not in _TYPES:
            raise self.error(f'Unsupported start tag "{tag}"', begin)

        argument = ""
        while self.char(self.pos) != ">":
            self.skip_spaces()
            if self.char(self.pos) == ">":
                break
            name_begin = self.pos
            while self.char(self.pos) not in _SPACE and self.char(self.pos) not in "=>":
                self.pos += 1
            name = self.text[name_begin : self.pos]
            if not name:
                raise self.error(f'Empty attribute name in the tag "{tag}"', begin)
            self.skip_spaces()
            if self.char(self.pos) != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                    continue
                raise self.error(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin
                )
            self.pos += 1
            self.skip_spaces()
            if self.pos >= len(self.text):
                raise self.error(f'Unclosed start tag "{tag}"', begin)
            value = self.attribute_value()
            if self.pos >= len(self.text):
                raise self.error("Unclosed start tag", begin)
            if (tag, name) in {("a", "href"), ("tg-emoji", "emoji-id")}:
                argument = value
            elif (tag, name) == ("code", "class") and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif (tag, name) == ("span", "class") and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif (tag, name) == ("blockquote", "expandable"):
                argument = "expandable"
        self.pos += 1  # ">"

        if tag == "span" and argument != "spoiler":
            raise self.error('Tag "span" must have class "tg-spoiler"', begin)
        if tag == "a" and not argument:
            raise self.error('Tag "a" must have a non-empty attribute "href"', begin)
        self.stack.append(_Open(tag, argument, self.utf16))

    def attribute_value(self) -> str:
        quote = self.char(self.pos)
        if quote not in "'\"":
            # a name token: letters, digits, periods and hyphens, case-insensitive
            begin = self.pos
            while self.char(self.pos).isascii() and (
                self.char(self.pos).isalnum() or self.char(self.pos) in ".-"
            ):
                self.pos += 1
            if self.char(self.pos) not in _SPACE and self.char(self.pos) != ">":
                raise self.error("Unexpected end of name token", begin)
            return self.text[begin : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            # Telegram keeps an undecodable "&" in an attribute as is (aiogram's
            # `html_decoration.link` does not escape the URL), so no strictness here
            decoded = _decode_entity(self.text, self.pos) if self.text[self.pos] == "&" else None
            if decoded:
                value.append(decoded[0])
                self.pos = decoded[1]
            else:
                value.append(self.text[self.pos])
                self.pos += 1
        if self.pos < len(self.text):
            self.pos += 1  # the closing quote
        return "".join(value)

    def end_tag(self) -> None:
        begin = self.pos
        if not self.stack:
            raise self.error("Unexpected end tag", begin)
        self.pos += 2
        while self.char(self.pos) not in _SPACE and self.char(self.pos) != ">":
            self.pos += 1
        name = self.text[begin + 2 : self.pos].lower()
        self.skip_spaces()
        if self.char(self.pos) != ">":
            raise self.error("Unclosed end tag", begin)
        self.pos += 1
        opened = self.stack.pop()
        if name and name != opened.tag:
            details = f', expected "</{opened.tag}>", found "</{name}>"'
            raise self.error("Unmatched end tag", begin, details)
        if self.utf16 > opened.offset:  # empty entities are dropped
            self.close(opened, self.utf16 - opened.offset)

    def close(self, opened: _Open, length: int) -> None:
        kind, argument = _TYPES[opened.tag], opened.argument
        last = self.entities[-1] if self.entities else None
        if last and (last.offset, last.length) == (opened.offset, length):
            # a pre and a code over the same text make one pre, the code giving its language
            if (kind, last.type) == ("pre", "code"):
                last.type = "pre"
                return
            if (kind, last.type) == ("code", "pre"):
                last.extra = {"language": argument} if argument else last.extra
                return
        extra: dict[str, str] = {}
        if kind == "code" and argument:
            extra = {"language": argument}  # for a pre closed around it later
        elif kind == "text_link":
            extra = {"url": argument}
        elif kind == "custom_emoji":
            valid = len(argument) <= 20 and _EMOJI_ID.fullmatch(argument)  # a non-zero int64
            if not (valid and -(2**63) <= int(argument) < 2**63):
                raise TelegramHtmlError("Invalid custom emoji identifier specified")
            extra = {"custom_emoji_id": argument}
        elif kind == "blockquote" and argument:
            kind = "expandable_blockquote"
        self.entities.append(_Entity(kind, opened.offset, length, extra))


def parse_html(text: str) -> tuple[str, list[MessageEntity]]:
    """Parse Bot API HTML into (plain text, entities); raise TelegramHtmlError as Telegram would."""
    return _Parser(text).run()
