"""One database, two messengers: a MAX person's id is kept above MAX_BASE, so a Telegram id
and a MAX id never name the same row, and each process knows which people are its own."""

from __future__ import annotations

from typing import Literal

Messenger = Literal["telegram", "max"]

# Telegram ids fit in 52 bits; MAX ids are shifted past them (BigInteger holds 63).
MAX_BASE = 2**53


def from_max(max_user_id: int) -> int:
    """The bot's id of a MAX person (or a MAX dialog's chat)."""
    if not 0 < max_user_id < 2**62:
        raise ValueError("not a MAX user id")
    return MAX_BASE + max_user_id


def to_max(user_id: int) -> int:
    """The MAX id of a person the bot knows by `from_max`'s id."""
    if messenger_of(user_id) != "max":
        raise ValueError("not a MAX person's id")
    return user_id - MAX_BASE


def messenger_of(user_id: int) -> Messenger:
    return "max" if user_id > MAX_BASE else "telegram"


def own_range(messenger: Messenger) -> tuple[int, int]:
    """Ids (low inclusive, high exclusive) of a messenger's private chats, for queries that
    must claim only the rows one process can send to."""
    if messenger == "max":
        return MAX_BASE + 1, 2**63 - 1
    return 1, MAX_BASE + 1
