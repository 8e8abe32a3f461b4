"""First-contact questions as a dialog: role → locality → child's age → consent, then the
announcement topics (handlers/people/subscriptions). /start begins it for a new person."""

from __future__ import annotations

from aiogram_dialog import DialogManager, StartMode

from handlers.people.onboarding.dialog import onboarding_dialog
from handlers.people.onboarding.states import Onboarding
from handlers.routes import Routes

# Tried late (handlers/__init__.py): its steps take typed text after commands and menu buttons.
router = Routes("onboarding")
router.dialog(onboarding_dialog)


async def begin(manager: DialogManager) -> None:
    await manager.start(Onboarding.role, mode=StartMode.RESET_STACK)


__all__ = ["Onboarding", "begin", "router"]
