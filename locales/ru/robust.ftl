# Dates typed by staff outside the window the bot works with (bot/dates.py: 2000–2100).
eadm-error-date-window = Такая дата слишком далеко. Нужна дата с 2000 по 2100 год, например 25.12.2026 15:30.
scadm-days-window = Такая дата слишком далеко. Напишите дни с 2000 по 2100 год, например 05.12.2026.
srep-period-bad-window = Дата «{ $text }» слишком далеко: выгрузка бывает за период с 2000 по 2100 год, например <code>01.09.2026–31.12.2026</code>.

# Staff dialogs of people who are no longer staff (handlers/staff_strangers.py).
staff-dialog-ended = Это могут делать только сотрудники управления образования, поэтому я ничего не сохранил. Выберите нужный раздел в меню.
