"""The settings screen: language, role, locality, children and consent as they stand (the
consent to an earlier edition shown as given, naming it)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.dates import date_text
from bot.telegram.i18n import Html, Translator
from handlers.pickers.child import child_title
from services.catalog.localities import LocalityService
from services.people.children import Child, ChildService
from services.people.profiles import Profile
from services.quiz.results import QuizResults


def _children(t: Translator, children: tuple[Child, ...]) -> str:
    if not children:
        return t("value-not-set")
    today = ChildService.today()
    return Html("; ".join(child_title(t, child, today) for child in children))


def _consent(t: Translator, profile: Profile, settings: Settings) -> str:
    if profile.has_consent and profile.consent_at:
        return t("consent-status-given", date=date_text(t, profile.consent_at, settings.zone))
    if profile.consent_on_record and profile.consent_at:
        return t(  # still in force for announcements; profile answers ask for the new one
            "consent-status-earlier",
            date=date_text(t, profile.consent_at, settings.zone),
            version=profile.consent_version or "",
        )
    return t("consent-status-none")


async def screen(
    dialog_manager: DialogManager,
    t: Translator,
    profile: Profile,
    localities: LocalityService,
    settings: Settings,
    quiz_results: QuizResults,
    children: ChildService,
    **_: Any,
) -> dict[str, Any]:
    place = await localities.get(profile.locality_id)
    quiz = await quiz_results.latest(profile.user_id)
    not_set = t("value-not-set")
    return {
        "language": t(f"language-{profile.locale}"),
        "role": t(f"role-{profile.role}") if profile.role else not_set,
        "locality": place.title(t.locale) if place else not_set,
        "child": _children(t, await children.list(profile.user_id)),
        "kind": profile.role or "",  # a pupil is asked as a pupil («Мой возраст»)
        "consent": _consent(t, profile, settings),
        # the interest quiz's latest result kept, if any (handlers/quiz)
        "quiz": bool(quiz),
        "quiz_top": ", ".join(t(f"direction-{code}") for code in quiz.top) if quiz else "",
        "quiz_date": date_text(t, quiz.taken_at, settings.zone) if quiz else "",
        # «Не сейчас» to consent: said once, under the screen
        "refused": dialog_manager.dialog_data.pop("refused", False),
    }
