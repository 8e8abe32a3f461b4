"""Announcement subscriptions, opt-in, as a dialog: the topics offered at the end of onboarding
(none ticked in advance, «Готово» closes the offer) and the «🔔 Подписки» screen (settings,
/subscribe), opened over the settings dialog so «◀️ Назад» returns there."""

from __future__ import annotations

from aiogram_dialog import DialogManager, ShowMode, StartMode

from handlers.people.subscriptions.dialog import subscriptions_dialog
from handlers.people.subscriptions.getters import OFFER
from handlers.people.subscriptions.states import Subscriptions
from handlers.routes import Routes

router = Routes("subscriptions")
router.dialog(subscriptions_dialog)


async def offer_topics(manager: DialogManager) -> None:
    """Onboarding's last screen, after consent, as a new message under what was said."""
    await manager.start(
        Subscriptions.topics,
        data={OFFER: True},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def open_subscriptions(manager: DialogManager, show_mode: ShowMode | None = None) -> None:
    """Over the current dialog (the settings): the topics, or consent asked first."""
    await manager.start(Subscriptions.topics, show_mode=show_mode)


__all__ = ["Subscriptions", "offer_topics", "open_subscriptions", "router"]
