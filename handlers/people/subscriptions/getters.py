"""What the topics window shows: which topics are on, and whether it is onboarding's offer
(«Готово» under the topics) or the settings' screen («◀️ Назад»)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from services.broadcasts.service import TOPICS
from services.events.subscriptions import SubscriptionService
from services.people.profiles import Profile

OFFER = "offer"
CHOSEN = "chosen"  # the topics as the last toggle saved them


def is_offer(manager: DialogManager) -> bool:
    start_data = manager.start_data
    return isinstance(start_data, dict) and bool(start_data.get(OFFER))


async def topics(
    dialog_manager: DialogManager, subscriptions: SubscriptionService, profile: Profile, **_: Any
) -> dict[str, Any]:
    saved = dialog_manager.dialog_data.get(CHOSEN)
    chosen = set(saved) if saved is not None else await subscriptions.topics(profile.user_id)
    return {
        "offer": is_offer(dialog_manager),
        "any": bool(chosen),
        **{topic: topic in chosen for topic in TOPICS},
    }
