"""What the running bot hands handlers besides its services (dispatcher keywords that may be
absent, so handlers take them with a default of None):

- `booking_events`: tells specialists when a parent books, cancels or moves a consultation
  (bot/notify/consultations.py `Notices`, set by the runner; tests set their own; the shell has
  none). A failing hook is logged and never undoes the parent's action.
- `commit_state`: commits this update's conversation-state writes at once, before the update
  ends (bot/middlewares/state_writes.py; only with the SQL storage, whose writes wait for it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from services.booking.service import BookingInfo

CommitState = Callable[[], Awaitable[None]]


class BookingEvents(Protocol):
    async def booked(self, info: BookingInfo) -> None: ...

    async def cancelled(self, info: BookingInfo) -> None: ...

    async def moved(self, info: BookingInfo, old_starts_at: datetime) -> None: ...
