"""The largest id a row of ours can have (the tables' INTEGER keys): a bigger number, typed or
carried by a button, names nothing."""

from __future__ import annotations

from db.models import MAX_ID

__all__ = ["MAX_ID"]
