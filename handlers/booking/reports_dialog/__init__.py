"""/reports' dialog (admins): the menu, the export's period (a preset or typed) and file kind,
and the yearly plan report with the years before and after."""
