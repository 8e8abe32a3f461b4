"""Routers in the order they are tried: specific first, the catch-all last."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        admin_import,
        booking,
        catalog,
        common,
        errors,
        fallback,
        groups,
        membership,
        onboarding,
        privacy,
        questions,
        sections,
        settings,
        specialist,
        start,
    )

    modules = [
        errors,
        groups,
        membership,
        common,
        start,
        sections,
        specialist,  # commands and the rating's comment step, before the wizards' catch-alls
        privacy,
        settings,
        admin_import,  # staff's catalogue files; before any catch-all that takes documents
        booking,  # after the menu buttons and /settings, before other text catch-alls
        catalog,
        onboarding,
        questions,  # free text with no dialog under way: a question
        fallback,
    ]
    return [module.router.build() for module in modules]
