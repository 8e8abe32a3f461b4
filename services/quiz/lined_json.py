"""JSON read with the line of every object, array and key: a data file's problem is named by
its line, not only its syntax errors (which json's own decoder names).

The text is first decoded by `json.loads`, so what is walked here is known to be valid JSON and
the walk only needs to find where each value starts.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


class LinedDict(dict[str, Any]):
    """An object of the file: `line` where it opens, `key_lines` where each key stands."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list[Any]):
    """An array of the file: `line` where it opens, `item_lines` where each item starts."""

    line: int
    item_lines: list[int]


def loads(text: str) -> Any:
    """Raises json.JSONDecodeError (with `lineno`) for text that is not JSON."""
    json.loads(text)  # the syntax, checked by the standard decoder
    value, _end = _Walk(text).value(0)
    return value


class _Walk:
    def __init__(self, text: str) -> None:
        self.text = text

    def line(self, at: int) -> int:
        return self.text.count("\n", 0, at) + 1

    def skip(self, at: int) -> int:
        return _SPACE.match(self.text, at).end()  # type: ignore[union-attr]

    def value(self, at: int) -> tuple[Any, int]:
        at = self.skip(at)
        first = self.text[at]
        if first == "{":
            return self.object(at)
        if first == "[":
            return self.array(at)
        if first == '"':
            end = _STRING.match(self.text, at).end()  # type: ignore[union-attr]
            return json.loads(self.text[at:end]), end
        end = _SCALAR.match(self.text, at).end()  # type: ignore[union-attr]
        return json.loads(self.text[at:end]), end

    def object(self, at: int) -> tuple[LinedDict, int]:
        found = LinedDict()
        found.line, found.key_lines = self.line(at), {}
        at = self.skip(at + 1)
        if self.text[at] == "}":
            return found, at + 1
        while True:
            at = self.skip(at)
            key_line = self.line(at)
            key, at = self.value(at)
            at = self.skip(at) + 1  # the colon
            found[key], at = self.value(at)
            found.key_lines[key] = key_line
            at = self.skip(at)
            if self.text[at] == "}":
                return found, at + 1
            at += 1  # the comma

    def array(self, at: int) -> tuple[LinedList, int]:
        found = LinedList()
        found.line, found.item_lines = self.line(at), []
        at = self.skip(at + 1)
        if self.text[at] == "]":
            return found, at + 1
        while True:
            at = self.skip(at)
            found.item_lines.append(self.line(at))
            item, at = self.value(at)
            found.append(item)
            at = self.skip(at)
            if self.text[at] == "]":
                return found, at + 1
            at += 1
