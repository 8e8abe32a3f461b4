## The consultation set-up's and the reports' dialogs (issue 13): labels of list buttons

# A numbered row of a list, on its button.
scadm-item = { $n }. { $name }
# A name on its button.
scadm-name = { $name }

# /reports: the plan report's window, under the report it sent (handlers/booking/reports_dialog/).
srep-plan-other-year = 📊 The { $year } plan report is above. Show another year:

# Closing days: the calendar under the question (handlers/consultations/closing/).
scadm-days-or-pick = Or pick the first day on the calendar, then the last (the same day again for a single day).
scadm-days-pick-last = First day: { $first }. Now the last one (the same day again for a single day).
