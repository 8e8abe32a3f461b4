"""/consult_admin (staff): the consultation set-up from chat — services and specialists with
hide and show, and closing days of a specialist or a whole organisation: dates, a reason,
then a confirmation that says how many bookings will be cancelled (their parents are told).

Callback data carries ids and letters only:
  sca:<a>:<id>:<p>:<k>   a = m menu, sl services, sc service, sh/ss hide/show a service,
                         pl specialists page p, pc specialist, ph/ps hide/show a specialist,
                         cl organisations to close, cp one organisation, ct close target
                         (k = s specialist, p organisation), nr no reason, ok confirm, no cancel
The closing dialog keeps the target and the days in the FSM data until «✅ Закрыть».
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from aiogram import F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram.dates import day_text
from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.pager import clamp_page, page_count, pager_row
from bot.telegram.screens import redraw, remove_buttons
from handlers.callback_types import Id, PageNo, one_of
from handlers.filters import FreeText
from handlers.hooks import BookingEvents
from handlers.menu import main_menu
from handlers.routes import Routes
from services.booking.service import BookingService
from services.consultations.admin import MAX_DAYS, REASON_MAX, ConsultAdmin, DaysError, parse_days

router = Routes("staff_consult")
router.filter("message", F.chat.type == "private")
router.filter("callback_query", F.message.chat.type == "private")

log = logging.getLogger(__name__)
PER_PAGE = 10
LABEL_MAX = 60


class ScAdm(CallbackData, prefix="sca"):
    a: one_of(
        "m",
        "sl",
        "sc",
        "sh",
        "ss",
        "pl",
        "pc",
        "ph",
        "ps",
        "ol",
        "oc",
        "oh",
        "os",
        "cl",
        "cp",
        "ct",
        "nr",
        "ok",
        "no",
        "xl",
        "xo",
    )
    id: Id = 0
    p: PageNo = 0
    k: one_of("", "s", "p") = ""  # the closing's target: a specialist or an organisation


class CloseFlow(StatesGroup):
    days = State()
    reason = State()
    confirm = State()


router.staff_only(refusal="scadm-staff-only", dialogs=(CloseFlow,))


def admin_button(text: str, **data: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text[:LABEL_MAX], callback_data=ScAdm(**data).pack())


def _markup(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


async def show_screen(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    await redraw(query, text, markup)


# --- screens -------------------------------------------------------------------------------
def menu_screen(t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    return t("scadm-menu"), _markup(
        [admin_button(t("scadm-btn-services"), a="sl")],
        [admin_button(t("scadm-btn-specialists"), a="pl")],
        [admin_button(t("scadm-btn-providers"), a="ol")],
        [admin_button(t("scadm-btn-close"), a="cl")],
        [admin_button(t("scadm-btn-closed-list"), a="xl")],  # handlers/consultations/closed_days.py
    )


def _status(t: Translator, active: bool) -> Html:
    return Html(t("scadm-status-shown" if active else "scadm-status-hidden"))


def _toggle(t: Translator, active: bool, hide: str, show: str, **data: Any) -> InlineKeyboardButton:
    """«Hide» for what is shown, «Show» for what is hidden."""
    if active:
        return admin_button(t("scadm-btn-hide"), a=hide, **data)
    return admin_button(t("scadm-btn-show"), a=show, **data)


async def services_screen(t: Translator, admin: ConsultAdmin) -> tuple[str, InlineKeyboardMarkup]:
    items = await admin.services()
    lines = [t("scadm-services-header", count=len(items))]
    builder = InlineKeyboardBuilder()
    for n, item in enumerate(items, start=1):
        key = "scadm-service-line" if item.active else "scadm-service-line-hidden"
        lines.append(t(key, n=n, name=item.title(t.locale), staff=item.specialists))
        builder.row(admin_button(f"{n}. {item.title(t.locale)}", a="sc", id=item.id))
    if not items:
        lines.append(t("scadm-empty"))
    builder.row(admin_button(t("scadm-btn-menu"), a="m"))
    return "\n".join(lines), builder.as_markup()


async def service_card(
    t: Translator, admin: ConsultAdmin, service_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    item = await admin.service(service_id)
    if item is None:
        return None
    text = t(
        "scadm-service-card",
        name=item.name,
        name_en=item.name_en or t("scadm-none"),
        ref=item.external_id,
        staff=item.specialists,
        status=_status(t, item.active),
    )
    toggle = _toggle(t, item.active, "sh", "ss", id=item.id)
    return text, _markup([toggle], [admin_button(t("scadm-btn-back"), a="sl")])


def _paged(items: list[Any], page: int) -> tuple[list[Any], int, int]:
    """The items of a page (clamped), the page and the number of pages."""
    pages = page_count(len(items), PER_PAGE)
    page = clamp_page(page, pages)
    return items[page * PER_PAGE : (page + 1) * PER_PAGE], page, pages


def _turn_pages(t: Translator, action: str, page: int, pages: int) -> list[InlineKeyboardButton]:
    """◀️ Earlier / Next ▶️ (the header already says which page this is)."""
    return pager_row(
        t,
        page,
        pages,
        lambda p: ScAdm(a=action, p=p).pack(),
        prev_key="scadm-btn-prev",
        next_key="scadm-btn-next",
        count_key=None,
    )


def _paged_list(
    t: Translator,
    items: list[Any],
    page: int,
    *,
    key: str,
    turn: str,
    open_card: str,
    details: Callable[[Any], dict[str, Any]],
) -> tuple[str, InlineKeyboardMarkup]:
    """A numbered page of `items` (with .id, .name, .active): the header and lines are
    `{key}s-header`, `{key}-line` and `{key}-line-hidden` with `details(item)`; each item's
    button opens its card (`open_card`), the arrows turn pages (`turn`)."""
    shown, page, pages = _paged(items, page)
    lines = [t(f"{key}s-header", count=len(items), page=page + 1, pages=pages)]
    builder = InlineKeyboardBuilder()
    for n, item in enumerate(shown, start=page * PER_PAGE + 1):
        line = f"{key}-line" if item.active else f"{key}-line-hidden"
        lines.append(t(line, n=n, name=item.name, **details(item)))
        builder.row(admin_button(f"{n}. {item.name}", a=open_card, id=item.id, p=page))
    if not items:
        lines.append(t("scadm-empty"))
    if nav := _turn_pages(t, turn, page, pages):
        builder.row(*nav)
    builder.row(admin_button(t("scadm-btn-menu"), a="m"))
    return "\n".join(lines), builder.as_markup()


async def specialists_screen(
    t: Translator, admin: ConsultAdmin, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    return _paged_list(
        t,
        await admin.specialists(),
        page,
        key="scadm-specialist",
        turn="pl",
        open_card="pc",
        details=lambda item: {"provider": item.provider},
    )


async def specialist_card(
    t: Translator, admin: ConsultAdmin, specialist_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    item = await admin.specialist(specialist_id)
    if item is None:
        return None
    text = t(
        "scadm-specialist-card",
        name=item.name,
        position=item.position or t("scadm-none"),
        provider=item.provider,
        ref=item.external_id,
        status=_status(t, item.active),
    )
    toggle = _toggle(t, item.active, "ph", "ps", id=item.id, p=page)
    return text, _markup(
        [toggle],
        [admin_button(t("scadm-btn-close-days"), a="ct", id=item.id, k="s")],
        [admin_button(t("scadm-btn-back"), a="pl", p=page)],
    )


async def organisations_screen(
    t: Translator, admin: ConsultAdmin, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    return _paged_list(
        t,
        await admin.providers(),
        page,
        key="scadm-provider",
        turn="ol",
        open_card="oc",
        details=lambda item: {"staff": item.specialists},
    )


async def organisation_card(
    t: Translator, admin: ConsultAdmin, provider_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    item = await admin.provider(provider_id)
    if item is None:
        return None
    text = t(
        "scadm-provider-card",
        name=item.name,
        ref=item.external_id,
        staff=item.specialists,
        status=_status(t, item.active),
    )
    toggle = _toggle(t, item.active, "oh", "os", id=item.id, p=page)
    close = []  # closing days needs someone whose days to close
    if item.specialists:
        close.append(admin_button(t("scadm-btn-close-days"), a="cp", id=item.id))
    return text, _markup([toggle], close, [admin_button(t("scadm-btn-back"), a="ol", p=page)])


async def providers_screen(
    t: Translator, admin: ConsultAdmin, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    items = [p for p in await admin.providers() if p.specialists]
    shown, page, pages = _paged(items, page)
    builder = InlineKeyboardBuilder()
    for item in shown:
        builder.row(admin_button(item.name, a="cp", id=item.id))
    if nav := _turn_pages(t, "cl", page, pages):
        builder.row(*nav)
    builder.row(admin_button(t("scadm-btn-menu"), a="m"))
    text = t("scadm-close-providers") if items else t("scadm-empty")
    return text, builder.as_markup()


async def provider_screen(
    t: Translator, admin: ConsultAdmin, provider_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    provider = await admin.provider(provider_id)
    if provider is None:
        return None
    staff = await admin.specialists(provider_id)
    builder = InlineKeyboardBuilder()
    builder.row(admin_button(t("scadm-btn-whole", count=len(staff)), a="ct", id=provider.id, k="p"))
    for item in staff:
        builder.row(admin_button(item.name, a="ct", id=item.id, k="s"))
    builder.row(admin_button(t("scadm-btn-back"), a="cl"))
    return t("scadm-close-provider", name=provider.name), builder.as_markup()


# --- the menu, lists, cards, hide and show -------------------------------------------------
@router.message(Command("consult_admin"))
async def consult_admin_command(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    text, markup = menu_screen(t)
    await message.answer(text, reply_markup=markup)


BROWSE = {"m", "sl", "sc", "sh", "ss", "pl", "pc", "ph", "ps", "ol", "oc", "oh", "os"}


@router.callback_query(ScAdm.filter(F.a.in_(BROWSE)))
async def browse(
    query: CallbackQuery,
    callback_data: ScAdm,
    state: FSMContext,
    t: Translator,
    callback_answer: CallbackAnswer,
    consult_admin: ConsultAdmin,
) -> None:
    action, item_id, page = callback_data.a, callback_data.id, callback_data.p
    if action in {"sh", "ss"}:
        if await consult_admin.set_service_active(item_id, action == "ss"):
            callback_answer.text = t(
                "scadm-shown-toast" if action == "ss" else "scadm-hidden-toast"
            )
        action = "sc"
    elif action in {"ph", "ps"}:
        if await consult_admin.set_specialist_active(item_id, action == "ps"):
            callback_answer.text = t(
                "scadm-shown-toast" if action == "ps" else "scadm-hidden-toast"
            )
        action = "pc"
    elif action in {"oh", "os"}:
        if await consult_admin.set_provider_active(item_id, action == "os"):
            callback_answer.text = t(
                "scadm-shown-toast" if action == "os" else "scadm-hidden-toast"
            )
        action = "oc"
    if action == "m":
        await state.clear()
        screen: tuple[str, InlineKeyboardMarkup] | None = menu_screen(t)
    elif action == "sl":
        screen = await services_screen(t, consult_admin)
    elif action == "sc":
        screen = await service_card(t, consult_admin, item_id)
    elif action == "pl":
        screen = await specialists_screen(t, consult_admin, page)
    elif action == "ol":
        screen = await organisations_screen(t, consult_admin, page)
    elif action == "oc":
        screen = await organisation_card(t, consult_admin, item_id, page)
    else:
        screen = await specialist_card(t, consult_admin, item_id, page)
    if screen is None:
        callback_answer.text = t("scadm-gone-toast")
        return
    await show_screen(query, *screen)


# --- closing days --------------------------------------------------------------------------
async def _target_text(t: Translator, admin: ConsultAdmin, kind: str, target_id: int) -> str | None:
    if kind == "s":
        found = await admin.specialist(target_id)
        return t("scadm-target-specialist", name=found.name) if found else None
    if kind == "p":
        provider = await admin.provider(target_id)
        return t("scadm-target-provider", name=provider.name) if provider else None
    return None


def days_text(t: Translator, first: date, last: date) -> str:
    if first == last:
        return day_text(t, first)
    return t("scadm-days-range", first=Html(day_text(t, first)), last=Html(day_text(t, last)))


def _cancel_markup(t: Translator, *extra: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return _markup(list(extra), [admin_button(t("scadm-btn-cancel"), a="no")])


@router.callback_query(ScAdm.filter(F.a.in_({"cl", "cp", "ct"})))
async def choose_target(
    query: CallbackQuery,
    callback_data: ScAdm,
    state: FSMContext,
    t: Translator,
    callback_answer: CallbackAnswer,
    consult_admin: ConsultAdmin,
) -> None:
    if callback_data.a == "cl":
        await show_screen(query, *await providers_screen(t, consult_admin, callback_data.p))
        return
    if callback_data.a == "cp":
        screen = await provider_screen(t, consult_admin, callback_data.id)
        if screen is None:
            callback_answer.text = t("scadm-gone-toast")
            return
        await show_screen(query, *screen)
        return
    target = await _target_text(t, consult_admin, callback_data.k, callback_data.id)
    if target is None:
        callback_answer.text = t("scadm-gone-toast")
        return
    await state.set_state(CloseFlow.days)
    await state.set_data({"kind": callback_data.k, "target": callback_data.id})
    example = consult_admin.today().strftime("%d.%m.%Y")
    await query.bot.send_message(
        query.from_user.id,
        t("scadm-ask-days", target=Html(target), example=example),
        reply_markup=_cancel_markup(t),
    )


@router.message(CloseFlow.days, FreeText())
async def days_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    consult_admin: ConsultAdmin,
) -> None:
    try:
        first, last = parse_days(message.text, consult_admin.today())
    except DaysError as error:
        key = f"scadm-days-{error.reason.replace('_', '-')}"
        await message.answer(t(key, max=MAX_DAYS), reply_markup=_cancel_markup(t))
        return
    await state.update_data(first=first.toordinal(), last=last.toordinal())
    await state.set_state(CloseFlow.reason)
    await message.answer(
        t("scadm-ask-reason", days=Html(days_text(t, first, last)), max=REASON_MAX),
        reply_markup=_cancel_markup(t, admin_button(t("scadm-btn-no-reason"), a="nr")),
    )


@router.message(CloseFlow.reason, FreeText())
async def reason_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    consult_admin: ConsultAdmin,
) -> None:
    reason = message.text.strip()
    if len(reason) > REASON_MAX:
        await message.answer(
            t("scadm-reason-too-long", max=REASON_MAX, length=len(reason)),
            reply_markup=_cancel_markup(t, admin_button(t("scadm-btn-no-reason"), a="nr")),
        )
        return
    await _confirm(message, state, t, reason, consult_admin)


@router.message(StateFilter(CloseFlow.days, CloseFlow.reason), ~F.text)
async def not_text(message: Message, t: Translator) -> None:
    await message.answer(t("scadm-not-text"), reply_markup=_cancel_markup(t))


async def _confirm(
    message: Message,
    state: FSMContext,
    t: Translator,
    reason: str,
    admin: ConsultAdmin,
) -> None:
    stored = await state.get_data()
    kind, target_id = stored.get("kind"), stored.get("target")
    first, last = stored.get("first"), stored.get("last")
    if not (isinstance(target_id, int) and isinstance(first, int) and isinstance(last, int)):
        await state.clear()
        await message.answer(t("scadm-flow-outdated"), reply_markup=main_menu(t))
        return
    target = await _target_text(t, admin, str(kind), target_id)
    if target is None:
        await state.clear()
        await message.answer(t("scadm-gone-toast"), reply_markup=main_menu(t))
        return
    first_day, last_day = date.fromordinal(first), date.fromordinal(last)
    count = await admin.closing_preview(str(kind), target_id, first_day, last_day)
    await state.update_data(reason=reason)
    await state.set_state(CloseFlow.confirm)
    text = t(
        "scadm-confirm",
        target=Html(target),
        days=Html(days_text(t, first_day, last_day)),
        reason=reason or t("scadm-none"),
        count=count,
    )
    await message.answer(
        text, reply_markup=_cancel_markup(t, admin_button(t("scadm-btn-confirm"), a="ok"))
    )


@router.callback_query(ScAdm.filter(F.a.in_({"nr", "ok", "no"})))
async def close_steps(
    query: CallbackQuery,
    callback_data: ScAdm,
    state: FSMContext,
    t: Translator,
    callback_answer: CallbackAnswer,
    consult_admin: ConsultAdmin,
    booking: BookingService,
    booking_events: BookingEvents | None = None,
) -> None:
    current = await state.get_state()
    if callback_data.a == "no":
        await state.clear()
        await redraw(query, t("scadm-close-cancelled"))
        return
    if callback_data.a == "nr":
        if current != CloseFlow.reason.state:
            callback_answer.text = t("scadm-flow-outdated")
            return
        await remove_buttons(query)
        await _confirm(query.message, state, t, "", consult_admin)
        return
    if current != CloseFlow.confirm.state:
        callback_answer.text = t("scadm-flow-outdated")
        return
    stored = await state.get_data()
    await state.clear()
    kind, target_id = str(stored.get("kind")), stored.get("target")
    first, last = stored.get("first"), stored.get("last")
    if not (isinstance(target_id, int) and isinstance(first, int) and isinstance(last, int)):
        callback_answer.text = t("scadm-flow-outdated")
        return
    target = await _target_text(t, consult_admin, kind, target_id)
    first_day, last_day = date.fromordinal(first), date.fromordinal(last)
    cancelled = await consult_admin.close(
        kind, target_id, first_day, last_day, str(stored.get("reason") or "")
    )
    if cancelled is None or target is None:
        callback_answer.text = t("scadm-gone-toast")
        return
    text = t(
        "scadm-closed",
        target=Html(target),
        days=Html(days_text(t, first_day, last_day)),
        count=len(cancelled),
    )
    await redraw(query, text)
    await _tell_specialists(cancelled, booking, booking_events)


async def _tell_specialists(
    cancelled: list[int], booking: BookingService, events: BookingEvents | None
) -> None:
    """Each linked specialist hears of each booking the closing cancelled, as for any other
    cancellation (the parents' notices go through the reminders worker)."""
    if events is None:
        return
    for booking_id in cancelled:
        info = await booking.booking(booking_id)
        if info is None:
            continue
        try:
            await events.cancelled(info)
        except Exception:  # a notice that failed never undoes the closing
            log.exception("telling the specialist of closed booking %s failed", booking_id)
