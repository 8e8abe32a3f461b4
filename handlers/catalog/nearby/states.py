"""«📍 Рядом со мной»: one window, the nearest centres, under the locality picker that asks
where first."""

from aiogram.fsm.state import State, StatesGroup


class CatalogNearby(StatesGroup):
    centres = State()
