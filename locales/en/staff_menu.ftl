# The staff menu: /admin and the command menu that admins see in their chat.

cmd-admin = What staff can do
cmd-import = Load the catalogue from Excel/CSV
cmd-export = Export the catalogue to Excel
cmd-consult_admin = Consultations: services, specialists, organisations, closed days
cmd-bookings = Consultation bookings by day
cmd-reports = Bookings export and the plan report
cmd-events_admin = Events
cmd-broadcast = Message the subscribers

staff-help =
    <b>For staff</b>

    <b>Clubs catalogue</b>
    /import — how to load the catalogue from Excel or CSV (you can simply send the file here)
    /export — export the catalogue to Excel, in the same format
    A programme's or centre's card has "Hide" and "Places" buttons.

    <b>Consultations</b>
    /consult_admin — services, specialists and organisations: hide, show, close days
    /consult_import — load the consultation set-up from Excel
    /consult_export — export the consultation set-up
    /bookings — bookings by day
    /linkcode — a code for a specialist to link their messenger account

    <b>Events and broadcasts</b>
    /events_admin — events
    /broadcast — a new message to subscribers

    <b>Reports</b>
    /reports — bookings export for a period and the yearly plan report
    /insights — what families look for and don't find: demand without supply, unanswered questions
