"""Questions typed in plain words («робототехника для 10 лет», «что такое точка роста»): an
answer from the FAQ, or programmes of the catalogue, whose cards open by `Open` buttons and
whose directions (when nothing fits) come from the catalogue's section (handlers/links.py)."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.types import Message

from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers.links import Open, Sections
from handlers.routes import Routes
from handlers.search import replies
from services.catalog.browse import CatalogService
from services.catalog.localities import LocalityService
from services.people.profiles import Profile
from services.search import Answer, SearchService

router = Routes("questions")
MAX_QUESTION = 300
SHOWN = 8


@router.message(StateFilter(None), F.text, ~F.text.startswith("/"))
async def question(
    message: Message,
    t: Translator,
    profile: Profile,
    search: SearchService,
    catalog: CatalogService,
    localities: LocalityService,
    sections: Sections,
    **context: Any,
) -> None:
    answer = await search.ask(
        message.text[:MAX_QUESTION],
        locale=t.locale,
        age=profile.child_age,
        locality_id=profile.locality_id,
    )
    if answer.intent is not None:  # small talk, a consultation, events, off-topic
        await replies.answer_intent(message, t, profile, answer, search=search, **context)
        return
    if answer.kind == "faq":
        await message.answer(t(f"faq-{answer.faq_id}"), disable_web_page_preview=True)
        return
    understood = await _understood(t, answer, localities)
    if answer.kind == "nothing" or not answer.programme_ids:
        text = t("question-nothing", understood=understood)
        await message.answer(text, reply_markup=sections["catalog"].keyboard(t))
        return
    lines = await catalog.lines(answer.programme_ids[:SHOWN])
    distances = dict(zip(answer.programme_ids, answer.distances_km, strict=False))
    builder = InlineKeyboardBuilder()
    rows = [t("question-found", understood=understood)]
    for n, line in enumerate(lines, start=1):
        km = distances.get(line.id)
        key = "question-line-km" if km is not None else "question-line"
        rows.append(
            t(
                key,
                n=n,
                name=line.name,
                org=line.organisation,
                cost=t(f"cost-{line.cost}"),
                km=f"{km:.1f}" if km is not None else "",
            )
        )
        builder.button(
            text=f"{n}. {line.name}"[:60], callback_data=Open(kind="programme", id=line.id)
        )
    if answer.related_only:
        rows.append(t("question-related-only"))
    builder.adjust(1)
    await message.answer("\n".join(rows), reply_markup=builder.as_markup())


async def _understood(t: Translator, answer: Answer, localities: LocalityService) -> str:
    """«робототехника, 10 лет, Асино, бесплатно» — what the bot read the question as."""
    seen = answer.understood
    parts = list(seen.terms)
    if seen.age is not None:
        parts.append(t("filter-age", age=seen.age))
    for locality_id in seen.locality_ids:
        place = await localities.get(locality_id)
        if place is not None:
            parts.append(place.title(t.locale))
    parts.extend(seen.districts)
    if seen.free_only:
        parts.append(t("filter-free"))
    if seen.near_me:
        parts.append(t("question-near"))
    parts.extend(t(f"direction-{code}") for code in seen.directions)
    return ", ".join(parts) if parts else t("question-anything")
