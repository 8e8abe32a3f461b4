# Dates typed by staff outside the window the bot works with (bot/dates.py: 2000–2100).
eadm-error-date-window = That date is too far away. Please give a date between 2000 and 2100, e.g. 25.12.2026 15:30.
scadm-days-window = That date is too far away. Please give days between 2000 and 2100, e.g. 05.12.2026.
srep-period-bad-window = The date “{ $text }” is too far away: exports cover periods between 2000 and 2100, e.g. <code>01.09.2026–31.12.2026</code>.

# Staff dialogs of people who are no longer staff (handlers/staff_strangers.py).
staff-dialog-ended = Only education department staff can do this, so nothing was saved. Please choose a section in the menu.
