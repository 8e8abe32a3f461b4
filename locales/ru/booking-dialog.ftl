## Consultations as dialogs (handlers/booking/wizard)

# One booking in «Мои записи»: its lines (booking-details), as given.
booking-mine-item = { $lines }
