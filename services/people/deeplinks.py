"""Deep-link payloads of `/start <payload>` (QR codes on posters, shared cards)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.models import MAX_ID
from services.messengers.ids import Messenger

SECTIONS = ("catalog", "consult", "events", "settings", "help", "quiz")
_OBJECT = re.compile(r"^(?P<kind>[a-z]+)-(?P<id>\d{1,12})$")
_OBJECT_KINDS = {"p": "programme", "o": "organisation", "e": "event"}
OBJECTS = tuple(_OBJECT_KINDS.values())


@dataclass(frozen=True, slots=True)
class DeepLink:
    kind: str
    id: int | None = None


def parse(payload: str | None) -> DeepLink | None:
    """'consult' → section; 'p-42' → programme 42. Anything else → None."""
    payload = (payload or "").strip().lower()
    if payload in SECTIONS:
        return DeepLink(payload)
    match = _OBJECT.match(payload)
    if match and match["kind"] in _OBJECT_KINDS and int(match["id"]) <= MAX_ID:
        return DeepLink(_OBJECT_KINDS[match["kind"]], int(match["id"]))
    return None


def build(kind: str, object_id: int | None = None) -> str:
    if object_id is None:
        if kind not in SECTIONS:
            raise ValueError(kind)
        return kind
    short = {v: k for k, v in _OBJECT_KINDS.items()}[kind]
    return f"{short}-{object_id}"


# Where each messenger opens a bot with a `/start` payload (MAX's arrives with `bot_started`).
LINKS: dict[Messenger, str] = {
    "telegram": "https://t.me/{bot}?start={payload}",
    "max": "https://max.ru/{bot}?start={payload}",
}


def url(
    bot_username: str | None,
    kind: str,
    object_id: int | None = None,
    messenger: Messenger = "telegram",
) -> str:
    """The link that opens the bot in `messenger` with this payload (shared cards, broadcasts'
    buttons)."""
    return LINKS[messenger].format(bot=bot_username, payload=build(kind, object_id))
