"""The interest quiz (issue 15): start.py (/quiz and the section), the dialog, its presses."""
