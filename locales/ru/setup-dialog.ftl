## The consultation set-up's and the reports' dialogs (issue 13): labels of list buttons

# A numbered row of a list, on its button.
scadm-item = { $n }. { $name }
# A name on its button.
scadm-name = { $name }

# /reports: the plan report's window, under the report it sent (handlers/booking/reports_dialog/).
srep-plan-other-year = 📊 План за { $year } год — выше. Показать другой год:

# Closing days: the calendar under the question (handlers/consultations/closing/).
scadm-days-or-pick = Или выберите в календаре первый день, затем последний (если день один — его же ещё раз).
scadm-days-pick-last = Первый день: { $first }. Теперь последний (если день один — его же ещё раз).
