"""The condition that keeps a process to its own messenger's people: a Telegram process claims
only rows addressed to Telegram ids, a MAX process only MAX ones (services/messengers/ids.py),
so two processes on one database never send a row through the wrong messenger."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement

from services.messengers.ids import Messenger, own_range


def own(column: Any, messenger: Messenger) -> ColumnElement[bool]:
    """`column` (a person's id) is one of `messenger`'s."""
    low, high = own_range(messenger)
    return and_(column >= low, column < high)
