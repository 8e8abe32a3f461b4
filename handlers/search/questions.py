"""Questions typed in plain words («робототехника для 10 лет», «что такое точка роста»): an
answer from the FAQ, or programmes of the catalogue, whose cards open by `Open` buttons and
whose directions (when nothing fits) come from the catalogue's section (handlers/links.py).
The programmes' screen is handlers/search/results.py; its pages and «без учёта возраста» ask
the remembered question again (its number in the button, the text in the person's FSM data)."""

from __future__ import annotations

from typing import Any

from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram.i18n import Translator
from handlers.demand import Vote, is_vote_row, questions, remember_question, vote_buttons
from handlers.filters import HasText, SlashText
from handlers.links import Sections
from handlers.routes import Routes
from handlers.search import replies
from handlers.search.results import LISTED, QUESTION_NUMBERS, QuestionPage, answer_screen
from handlers.search.whom import ForChild, with_whom
from services.catalog.browse import CatalogService
from services.catalog.localities import LocalityService
from services.insights.demand import DemandLogService, question_search
from services.people.children import ChildService
from services.people.profiles import Profile
from services.search import Answer, SearchService

router = Routes("questions")
MAX_QUESTION = 300
REMEMBERED = 5  # questions whose buttons still work
_KEY = "questions"


@router.message(StateFilter(None), HasText(), ~SlashText())
async def question(
    message: Message,
    t: Translator,
    profile: Profile,
    state: FSMContext,
    search: SearchService,
    catalog: CatalogService,
    localities: LocalityService,
    sections: Sections,
    children: ChildService,
    demand: DemandLogService,
    **context: Any,
) -> None:
    text = message.text[:MAX_QUESTION]
    # The chosen child's age; an age in the question overrides it (services/search).
    whom = await children.for_whom(profile.user_id)
    age = whom.child.age(children.today()) if whom.child else None
    answer = await search.ask(
        text, locale=t.locale, age=age, locality_id=profile.locality_id, limit=LISTED
    )
    if answer.intent is not None:  # small talk, a consultation, events, off-topic
        found = await replies.answer_intent(
            message, t, profile, answer, search=search, children=children, **context
        )
        if found is not None:  # not small talk: a question, logged after its answer
            await _logged(demand, text, answer, profile, found)
        return
    if answer.kind == "faq":
        log_id = await _logged(demand, text, answer, profile, 1)
        await remember_question(state, log_id)
        votes = vote_buttons(t, log_id)
        await message.answer(
            t(f"faq-{answer.faq_id}"),
            disable_web_page_preview=True,
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[votes]) if votes else None,
        )
        return
    found = answer.total if answer.kind == "programmes" and answer.programme_ids else 0
    log_id = await _logged(demand, text, answer, profile, found)
    await remember_question(state, log_id)
    number = await _remember(state, text, log_id)
    screen, markup = await answer_screen(
        t,
        answer,
        question_no=number,
        page=0,
        no_age=False,
        catalog=catalog,
        localities=localities,
        sections=sections,
        vote=log_id,
    )
    screen, markup = with_whom(t, screen, markup, whom, answer, number)
    await message.answer(screen, reply_markup=markup)


async def _logged(
    demand: DemandLogService, text: str, answer: Answer, profile: Profile, found: int
) -> int | None:
    return await demand.record(
        question_search(text, answer, home=profile.locality_id, results=found)
    )


@router.callback_query(QuestionPage.filter())
@router.callback_query(ForChild.filter())
async def question_page(
    query: CallbackQuery,
    callback_data: QuestionPage | ForChild,
    t: Translator,
    profile: Profile,
    state: FSMContext,
    search: SearchService,
    catalog: CatalogService,
    localities: LocalityService,
    sections: Sections,
    children: ChildService,
    callback_answer: CallbackAnswer,
) -> None:
    """A page of the answer, or the answer for another child («для кого»)."""
    remembered = {item[0]: item[1:] for item in (await state.get_data()).get(_KEY, [])}
    text, *logged = remembered.get(callback_data.q, (None,))
    if text is None or query.message is None:
        callback_answer.text = t("button-outdated")
        callback_answer.show_alert = True
        return
    choosing = isinstance(callback_data, ForChild) and callback_data.c == 0
    if isinstance(callback_data, ForChild) and callback_data.c:
        if await children.choose(profile.user_id, callback_data.c) is None:  # removed meanwhile
            callback_answer.text = t("button-outdated")
            callback_answer.show_alert = True
            return
    page = callback_data.page if isinstance(callback_data, QuestionPage) else 0
    no_age = isinstance(callback_data, QuestionPage) and bool(callback_data.no_age)
    whom = await children.for_whom(profile.user_id)
    child = None if no_age else whom.child
    answer = await search.ask(
        text,
        locale=t.locale,
        age=child.age(children.today()) if child else None,
        locality_id=profile.locality_id,
        limit=LISTED,
    )
    screen, markup = await answer_screen(
        t,
        answer,
        question_no=callback_data.q,
        page=page,
        no_age=no_age,
        catalog=catalog,
        localities=localities,
        sections=sections,
        vote=logged[0] if logged else None,
    )
    if page == 0 and not no_age:
        screen, markup = with_whom(
            t, screen, markup, whom, answer, callback_data.q, choosing=choosing
        )
    if isinstance(query.message, Message):
        await query.message.edit_text(screen, reply_markup=markup)
    else:  # too old to edit (bot/middlewares/press_origin.py): the page as a new message
        await query.message.answer(screen, reply_markup=markup)


async def _remember(state: FSMContext, text: str, log_id: int | None) -> int:
    """Keeps the question (and its demand-log row) for its buttons; returns its number."""
    kept = [tuple(item) for item in (await state.get_data()).get(_KEY, [])]
    number = (kept[-1][0] + 1) % QUESTION_NUMBERS if kept else 0
    kept = [*kept, (number, text, log_id)][-REMEMBERED:]
    await state.update_data({_KEY: [list(item) for item in kept]})
    return number


@router.callback_query(Vote.filter())
async def vote(
    query: CallbackQuery,
    callback_data: Vote,
    t: Translator,
    state: FSMContext,
    demand: DemandLogService,
    callback_answer: CallbackAnswer,
) -> None:
    """👍/👎 under an answer: its row's vote (a second press changes it). An answer no longer
    among the person's latest questions, or a forged id, gets «outdated»."""
    up = bool(callback_data.up)
    if callback_data.id not in await questions(state) or not await demand.vote(
        callback_data.id, up
    ):
        callback_answer.text = t("button-outdated")
        return
    callback_answer.text = t("insights-vote-thanks")
    markup = getattr(query.message, "reply_markup", None)
    if not isinstance(query.message, Message) or markup is None:
        return
    rows = [
        vote_buttons(t, callback_data.id, int(up)) if is_vote_row(row) else row
        for row in markup.inline_keyboard
    ]
    if rows != markup.inline_keyboard:
        await query.message.edit_reply_markup(
            reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
        )
