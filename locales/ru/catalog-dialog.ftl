## Catalogue dialogs (handlers/catalog/dialog.py)

# A button's label as it is: a direction, an age, a place, a programme's name.
catalog-label = { $text }
