## Broadcast composer as a dialog (handlers/broadcasts/dialog.py): its buttons' labels

bcd-toggle = { $mark } { $label }
bcd-event-choice = { $time } · { $title }
