"""/events_admin as dialogs: the staff's list and card of events, and a new event's draft."""
