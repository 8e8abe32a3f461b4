## Specialists: linking an account, bookings by day, marking; the parent's rating; admins' view

spec-admin-only = This command is for administrators only.
spec-only =
    This section is for specialists who give consultations.
    If you are one, ask an administrator for a link code and send it like this: <code>/link CODE</code>.

spec-linkcode-usage =
    Name the specialist after the command — external id or number, e.g. <code>/linkcode { $example }</code>.

    <b>Specialists</b> (✅ — account linked):
    { $list }
spec-linkcode-line = <code>{ $ref }</code> — { $name }, { $provider }
spec-linkcode-line-linked = <code>{ $ref }</code> — { $name }, { $provider } ✅
spec-linkcode-more = …and { $count } more.
spec-linkcode-empty = There are no specialists yet: load the consultation schedule first.
spec-not-found = Specialist “{ $ref }” not found. Send /linkcode without arguments to see the list.
spec-linkcode-made =
    🔑 Link code for <b>{ $name }</b> ({ $provider }):

    <code>{ $code }</code>

    Give the code to the specialist in person: they send <code>/link { $code }</code> to the bot.
    The code works once; a new code cancels the previous one.
spec-linkcode-relink = ⚠️ A messenger account is already linked to this specialist — once the code is used, the link moves to the new account.

spec-link-usage = Send the link code an administrator gave you, e.g. <code>/link ABCD2345</code>.
spec-link-bad = That code did not work: it is wrong or already used. Check it or ask an administrator for a new one. Nothing has changed.
spec-link-taken = This account is already linked to specialist { $name }. One account, one specialist; to change the link, ask an administrator. Nothing has changed.
spec-link-done =
    ✅ Done! Account linked: <b>{ $name }</b>, { $provider }.

    Now you can use:
    /today — bookings for today
    /week — bookings for the next 7 days

    Once a consultation has started, the buttons “✅ Held” and “🚫 No-show” appear under it — mark how it went (“🔄 Refresh” brings them up without opening the list again). After “Held” the parent is asked to rate the meeting.
    The bot tells you about new bookings and cancellations on its own.

spec-unlink-usage = Name the specialist: <code>/unlink { $example }</code>.
spec-unlink-done = The messenger account is unlinked from specialist { $name }.
spec-unlink-none = No account is linked to specialist { $name } — nothing to unlink.

spec-day-header = 📋 <b>Your bookings for { $day }</b>
spec-week-header = 📋 <b>Your bookings: { $first } — { $last }</b>
spec-all-header = 🗂 <b>All bookings for { $day }</b>
spec-day-title = <b>{ $day }</b>
spec-day-empty = No bookings for this day.
spec-week-empty = No bookings for these days.
spec-page = Page { $page } of { $pages }
spec-booking =
    <b>{ $time }</b> · { $service } · { $format }
    👤 { $name }, { $phone }
    🧒 Child's age: { $age }
    💬 { $question }
    Code <code>{ $code }</code> · { $status }
spec-booking-all =
    <b>{ $time }</b> · { $specialist }
    { $service } · { $format }
    👤 { $name }, { $phone }
    🧒 Child's age: { $age }
    💬 { $question }
    Code <code>{ $code }</code> · { $status }
spec-none = —
spec-status-active = 🕓 upcoming
spec-status-unmarked = ❔ not marked
spec-status-done = ✅ held
spec-status-missed = 🚫 no-show
spec-status-rated = { $status } · rated { $rating }/5
spec-btn-done = ✅ { $time } Held
spec-btn-missed = 🚫 { $time } No-show
spec-btn-prev = ◀️
spec-btn-next = ▶️
spec-btn-today = Today
spec-btn-refresh = 🔄 Refresh
spec-btn-page-prev = ⬅️ p. { $page }
spec-btn-page-next = p. { $page } ➡️

spec-marked-done = Marked: the consultation was held. We will ask the parent to rate it.
spec-marked-missed = Marked: no-show.
spec-mark-already = This booking is already marked: { $status }.
spec-mark-cancelled = This booking was cancelled — nothing to mark.
spec-mark-too-early = The consultation has not started yet — you can mark it once it has.
spec-mark-not-found = There is no such booking among yours.

rate-ask =
    🙏 How was the consultation on { $when }?
    { $service }, specialist { $specialist }.

    Please rate it from 1 to 5 — it helps us do better.
rate-btn = ⭐{ $stars }
rate-saved = Thank you! Your rating: { $stars }
rate-comment-ask = Would you like to add a comment? Write it in one message (up to { $max } characters) or press “No comment”.
rate-btn-no-comment = No comment
rate-already = You have already rated this consultation. Thank you!
rate-not-found = This consultation cannot be rated.
rate-comment-saved = Thank you for the feedback! It is saved.
rate-comment-skipped = All right, no comment. Thank you for the rating!
rate-comment-too-long = The comment is longer than { $max } characters (yours has { $length }). Please shorten it or press “No comment”.
rate-comment-empty = Please write the comment as text or press “No comment”.
rate-comment-already = A comment on this consultation is already saved.
