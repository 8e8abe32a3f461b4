"""The programmes a typed question found, as a screen that says what it did: what was read
(«Ищу: …»), corrected, not understood or not found, which age it used (the profile's, with a
button to drop it), how many programmes, a page of them and «Показать все» for the rest."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.labels import cut_label
from handlers.callback_types import PageNo, bounded
from handlers.demand import vote_buttons
from handlers.links import Open, Sections
from services.catalog import terms as catalog_terms
from services.catalog.browse import CatalogService, ProgrammeLine
from services.catalog.localities import LocalityService
from services.search import Answer

PAGE = 8  # programmes on one page
LISTED = 32  # programmes an answer lists at most (four pages)
QUESTION_NUMBERS = 10_000  # remembered questions are numbered modulo this


class QuestionPage(CallbackData, prefix="qpage"):
    """A page of a remembered question's answer; `no_age`: without the profile's age."""

    q: bounded(0, QUESTION_NUMBERS - 1)
    page: PageNo
    no_age: bounded(0, 1)


async def answer_screen(
    t: Translator,
    answer: Answer,
    *,
    question_no: int,
    page: int,
    no_age: bool,
    catalog: CatalogService,
    localities: LocalityService,
    sections: Sections,
    vote: int | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and keyboard of a page of the answer (page 0 for a new question); `vote`: the
    question's demand-log row, for the 👍/👎 row under it."""
    seen = answer.understood
    profile_age = seen.age is not None and not seen.age_in_question
    rows = [t("question-found", understood=await understood_line(t, answer, localities))]
    rows += notes(t, answer, no_age=no_age)
    builder = InlineKeyboardBuilder()
    found = answer.kind == "programmes" and answer.programme_ids
    if not found:
        rows.append(t("question-nothing-found"))
        markup = sections["catalog"].keyboard(t)
        if profile_age:
            builder.button(text=t("question-btn-any-age"), callback_data=_page(question_no, 0, 1))
        for row in markup.inline_keyboard:
            builder.row(*row)
        if vote:
            builder.row(*vote_buttons(t, vote))
        return "\n".join(rows), builder.as_markup()
    ids = answer.programme_ids
    pages = (len(ids) + PAGE - 1) // PAGE
    page = min(page, pages - 1)
    shown = ids[page * PAGE : (page + 1) * PAGE]
    rows.append(t("question-count-more" if answer.more else "question-count", count=answer.total))
    if pages > 1 and page > 0:
        rows.append(t("question-page", page=page + 1, pages=pages))
    distances = dict(zip(ids, answer.distances_km, strict=False))
    for n, line in enumerate(await catalog.lines(shown), start=page * PAGE + 1):
        rows.append(_line(t, n, line, answer, distances.get(line.id)))
        builder.button(
            text=cut_label(f"{n}. {line.name}"), callback_data=Open(kind="programme", id=line.id)
        )
    builder.adjust(1)
    if answer.related_only:
        rows.append(t("question-related-only"))
    if pages > 1 and page == pages - 1 and answer.more:
        rows.append(t("question-listed-first", count=len(ids)))
    nav = []
    if page > 0:
        nav.append((t("question-btn-back"), _page(question_no, page - 1, no_age)))
    if page == 0 and pages > 1:
        nav.append((t("question-btn-all", count=len(ids)), _page(question_no, 1, no_age)))
    elif page < pages - 1:
        nav.append((t("question-btn-next"), _page(question_no, page + 1, no_age)))
    if nav:
        builder.row(*(_button(text, data) for text, data in nav))
    if profile_age and page == 0:
        builder.row(_button(t("question-btn-any-age"), _page(question_no, 0, 1)))
    if vote:
        builder.row(*vote_buttons(t, vote))
    return "\n".join(rows), builder.as_markup()


def notes(t: Translator, answer: Answer, *, no_age: bool) -> list[str]:
    """What was corrected, not understood, not found; the age the search used and why."""
    seen = answer.understood
    rows = []
    if seen.corrections:
        fixed = ", ".join(t("question-fixed-pair", typed=a, read=b) for a, b in seen.corrections)
        rows.append(t("question-fixed", words=fixed))
    unknown = [word for word in seen.unknown if len(word) > 2 or word.isdigit()]
    if unknown:
        rows.append(t("question-not-understood", words=", ".join(unknown)))
    if seen.unmatched:
        rows.append(t("question-not-found-words", words=", ".join(seen.unmatched)))
    if answer.nearest_age is not None:
        low, high = catalog_terms.AGE_MIN, catalog_terms.AGE_MAX
        if seen.age_group == "adult":
            rows.append(t("question-age-adult", low=low, high=high))
        else:
            rows.append(
                t(
                    "question-age-outside",
                    age=seen.age,
                    low=low,
                    high=high,
                    nearest=answer.nearest_age,
                )
            )
    if seen.age is not None and not seen.age_in_question:
        rows.append(t("question-profile-age", age=seen.age))
    elif no_age:
        rows.append(t("question-any-age"))
    return rows


async def understood_line(t: Translator, answer: Answer, localities: LocalityService) -> str:
    """«робототехника, 14 лет (подросток), Асино, бесплатно, доступно для детей с ОВЗ» —
    every filter the search applied, and the words it searched for."""
    seen = answer.understood
    fixed = dict(seen.corrections)
    # Words found nowhere are said apart («не нашёл»), not as if searched for.
    parts = [fixed.get(term, term) for term in seen.terms if term not in seen.unmatched]
    if seen.age is not None:
        if seen.age_group is not None:
            parts.append(t(f"question-age-group-{seen.age_group}"))
        elif seen.grade is not None:
            parts.append(t("question-grade", grade=seen.grade, age=seen.age))
        else:
            parts.append(t("filter-age", age=seen.age))
    for locality_id in seen.locality_ids if not seen.districts else ():
        place = await localities.get(locality_id)
        if place is not None:
            parts.append(place.title(t.locale))
    parts.extend(seen.districts)
    if seen.free_only:
        parts.append(t("filter-free"))
    if seen.accessible:
        parts.append(t("question-accessible"))
    if seen.near_me:
        parts.append(t("question-near"))
    parts.extend(t(f"direction-{code}") for code in seen.directions)
    parts.extend(t(f"orgtype-{code}") for code in seen.org_types)
    return ", ".join(parts) if parts else t("question-anything")


def _line(t: Translator, n: int, line: ProgrammeLine, answer: Answer, km: float | None) -> str:
    cost = t(f"cost-{line.cost}")
    if line.id in answer.online_ids:
        return t("question-line-online", n=n, name=line.name, org=line.organisation, cost=cost)
    if km is not None:
        return t("question-line-km", n=n, name=line.name, org=line.organisation, km=km, cost=cost)
    return t("question-line", n=n, name=line.name, org=line.organisation, cost=cost, km="")


def _page(question_no: int, page: int, no_age: bool | int) -> QuestionPage:
    return QuestionPage(q=question_no, page=page, no_age=int(bool(no_age)))


def _button(text: str, data: QuestionPage) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())
