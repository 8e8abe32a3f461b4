## Consultations as dialogs (handlers/booking/wizard)

# One booking in “My bookings”: its lines (booking-details), as given.
booking-mine-item = { $lines }
