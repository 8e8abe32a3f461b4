"""Closing days of a specialist or a whole organisation: days, a reason, a confirmation that
says how many bookings will be cancelled (their parents are told)."""
