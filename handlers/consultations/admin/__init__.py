"""/consult_admin's dialog: the menu, the lists with their cards, whose days to close."""
