"""Pickers several features ask with, each once: the pieces of `handlers.pickers.widgets` (role,
age, consent) that dialogs put in their windows, and the locality picker sub-dialog of
`handlers.pickers.locality` (onboarding, settings and the catalogue's «Рядом» open it)."""
