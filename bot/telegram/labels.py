"""Button labels cut to fit: whole words, then «…» (never a word cut in the middle)."""

from __future__ import annotations

LABEL_CHARS = 60  # what a button shows on a phone without the text being squeezed


def cut_label(text: str, limit: int = LABEL_CHARS) -> str:
    """`text` as it is when it fits; otherwise the words that fit and «…» (the first word
    alone is cut only when even it does not fit)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    if text[limit - 1] != " " and " " in room:
        room = room[: room.rindex(" ")]
    return room.rstrip(' ,.;:—–-(«"') + "…"
