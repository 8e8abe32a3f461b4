"""«📅 События» as a dialog: the section's intro and the paged list of events."""
