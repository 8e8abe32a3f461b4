"""Inline keyboards are built with aiogram's own builder."""

from __future__ import annotations

from aiogram.utils.keyboard import InlineKeyboardBuilder

__all__ = ["InlineKeyboardBuilder"]
