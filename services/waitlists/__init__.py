"""Waitlists: a seat of a full programme, free time of a consultation topic, and the day a
programme's enrolment opens. Everything waits in rows (db.models.WaitlistEntry, EnrolReminder)
that the clock's worker claims and sends at most once, as reminders are (services/due_rows.py)."""
