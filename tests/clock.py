"""A clock a test sets and moves: services take `clock=`, a callable giving an aware datetime."""

from __future__ import annotations

from datetime import datetime


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment
