"""The message under the quiz's result: programmes of the top directions for the child's age and
the family's place (free first) and upcoming events that suit them, each a button that opens its
card (the catalogue and events features answer `Open`, wherever the message is)."""

from __future__ import annotations

from aiogram_dialog import DialogManager

from bot.telegram.dates import when_text
from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.labels import cut_label
from handlers.links import Open
from handlers.pickers.child import for_whom
from services.events.service import Viewer
from services.people.children import ChildService
from services.people.profiles import Profile
from services.quiz.recommend import Recommendations, recommend


async def _for_whom(
    t: Translator, manager: DialogManager, profile: Profile, age: int | None
) -> str:
    place = await manager.middleware_data["localities"].get(profile.locality_id)
    parts = []
    if age is not None:
        parts.append(t("quiz-recs-age", age=age))
    if place is not None:
        parts.append(t("quiz-recs-place", place=place.title(t.locale)))
    if not parts:
        return t("quiz-recs-whole-region")
    return ", ".join(parts)


def _text(  # type: ignore[no-untyped-def]
    t: Translator,
    found: Recommendations,
    for_whom: str,
    zone,
    profile: Profile,
    who: str,
    age: int | None,
) -> str:
    blocks = [t("quiz-recs-title", whom=Html(for_whom))]
    if found.programmes:
        lines = []
        for n, item in enumerate(found.programmes, start=1):
            line = t(
                "quiz-recs-programme",
                n=n,
                name=item.programme.name,
                org=item.programme.organisation,
                age_from=item.programme.age_from,
                age_to=item.programme.age_to,
                cost=t(f"cost-{item.programme.cost}"),
                direction=t(f"direction-{item.direction}"),
            )
            if item.elsewhere:
                line += " " + t("quiz-recs-elsewhere")
            lines.append(line)
        blocks.append("\n".join(lines))
    else:
        blocks.append(t("quiz-recs-no-programmes"))
    if found.events:
        events = [t("quiz-recs-events-title")]
        events += [
            t("quiz-recs-event", title=card.title, when=Html(when_text(t, card.starts_at, zone)))
            for card in found.events
        ]
        blocks.append("\n".join(events))
    if age is None or profile.locality_id is None:
        blocks.append(t("quiz-recs-settings-hint", who=who))
    return "\n\n".join(blocks)


async def send_recommendations(manager: DialogManager, top: list[str], who: str) -> None:
    data = manager.middleware_data
    t: Translator = data["t"]
    profile: Profile = data["profile"]
    child = (await for_whom(data)).child
    today = ChildService.today()
    age = child.age(today) if child else None
    grade = child.grade(today) if child else None
    viewer = Viewer.of(profile.role, grade, age, profile.locality_id)
    found = await recommend(data["quiz"], tuple(top), data["catalog"], data["events"], viewer, age)
    whom = await _for_whom(t, manager, profile, age)
    text = _text(t, found, whom, data["settings"].zone, profile, who, age)
    builder = InlineKeyboardBuilder()
    for n, item in enumerate(found.programmes, start=1):
        builder.button(
            text=cut_label(f"{n}. {item.programme.name}"),
            callback_data=Open(kind="programme", id=item.programme.id),
        )
    for card in found.events:
        builder.button(
            text=cut_label(f"📅 {card.title}"), callback_data=Open(kind="event", id=card.id)
        )
    builder.adjust(1)
    markup = builder.as_markup() if found.programmes or found.events else None
    await data["bot"].send_message(data["event_chat"].id, text, reply_markup=markup)
