## Greeting and main menu

greeting =
    <b>Hello!</b> I am the navigator of additional education in our region.

    What I can do:
    🔎 find clubs and classes for your child by direction, age and distance from home
    («Точка роста», «Кванториум», «IT-куб», schools and centres);
    👨‍👩‍👧 book a free consultation for parents;
    📅 tell you about career guidance events («Билет в будущее», «ПроеКТОрия»).

    Answer three short questions and the suggestions will fit your town or village.
    You can skip the setup at any moment: /cancel.
greeting-again = Welcome back! Choose a section in the menu below.
menu-shown = Main menu. Choose a section with the buttons below.
menu-placeholder = Choose a section or type a question
menu-catalog = 🔎 Clubs and centres
menu-consult = 👨‍👩‍👧 Consultations
menu-events = 📅 Events
menu-settings = ⚙️ Settings
menu-help = ❓ Help

help-text =
    <b>How to use the bot</b>

    The buttons below open the sections:
    🔎 <b>Clubs and centres</b>: additional education programmes;
    👨‍👩‍👧 <b>Consultations</b>: book a specialist for parents;
    📅 <b>Events</b>: career guidance and profession festivals;
    ⚙️ <b>Settings</b>: language, role, locality, child's age.

    Commands:
    /start: start over
    /menu: main menu
    /settings: settings
    /subscribe: announcement subscriptions
    /cancel: leave the current dialog
    /help: this help

    The catalogue data in this version is a demo.

## Commands (menu of the Telegram client)

cmd-start = Start over
cmd-menu = Main menu
cmd-settings = Settings: language, role, locality
cmd-help = What the bot can do
cmd-cancel = Leave the current dialog

## Onboarding

onb-role-ask = Who are you?
onb-role-chosen = Who are you? — <b>{ $role }</b>
role-parent = Parent
role-pupil = Pupil
role-teacher = Teacher or other

locality-ask = Where do you live? Press «📍 Share location» below, type the name of your town or village, or pick it from the list.
locality-list = Localities:
locality-chosen = Locality: <b>{ $name }</b> ✓
locality-nearest = The nearest to you is { $name } ({ $km } km).
locality-matches = Several match, pick one:
locality-not-found = Could not find «{ $text }». Check the name, pick a locality from the list above or share your location with «📍 Share location» below: I will find the nearest one.
locality-none-known = The list of localities is empty for now. Please try later.
locality-gone = This locality is no longer in the list.
btn-share-location = 📍 Share location
btn-cancel = Cancel

age-ask = { $kind ->
    [pupil] How old are you, or which grade are you in? Type, for example, «10» or «grade 5». You can skip this step.
   *[other] How old is your child, or which grade are they in? Type, for example, «10» or «grade 5». You can skip this step.
}
age-invalid = Could not understand that. Type an age from 3 to 18 (for example «10») or a grade from 1 to 11 (for example «grade 5»).
btn-skip = Skip

consent-text =
    <b>Consent to the processing of personal data</b> (version 2026-12-07)

    Under Federal Law No. 152-FZ «On Personal Data» I ask your consent to keep:
    • your profile (role and locality), to suggest clubs and events for you;
    • the children you add: a name or nickname (optional), age, grade or birth year, interests, special educational needs if you give them, and the interest quiz's result, to suggest activities for each;
    • the announcement topics you subscribe to, to send you announcements.
    Your { $messenger } ID, language and the date of consent are kept with them. The data is kept by the education department and used only to run this bot; it is never passed to third parties. You can withdraw consent and have the data deleted at any moment: /forget.

    Booking a consultation, «tell me when a place frees up» and «remind me» are separate: they are your requests, kept while they are needed; I will say who sees a booking's data at that step.

    The bot works without consent too: you can search clubs, see events and book consultations. Then I remember only your { $messenger } ID and language, and send no announcements.
btn-consent-yes = ✅ I agree
btn-consent-no = Not now
consent-given = ✅ Consent received.
consent-refused = No consent given, so the profile is not saved.
consent-needed-for-profile = To keep this in your profile, consent to data processing is needed.

onb-done = Done! Your profile is saved. Choose a section in the menu below. You can change the answers in /settings.
onb-done-anonymous = All right. None of your answers were saved, and I will send no announcements. You can still search clubs, see events and book consultations: choose a section in the menu below.

## Deep links

deeplink-unknown = This link is outdated or wrong. No problem: here is the main menu.
deeplink-finish-onboarding = To get suggestions for your locality, take the short setup: /start

## Settings

settings-screen =
    <b>⚙️ Settings</b>

    Language: { $language }
    Role: { $role }
    Locality: { $locality }
    { $kind ->
        [pupil] My age
       *[other] Children
    }: { $child }
    Consent to data processing: { $consent }
settings-btn-language = 🌐 Language
settings-btn-role = 👤 Role
settings-btn-locality = 📍 Locality
settings-language-ask = Choose the language:
settings-language-changed = Interface language: English.
settings-saved = Saved ✓
language-ru = Русский
language-en = English
value-not-set = not set
child-age-value = { $age } { $age ->
    [one] year
   *[other] years
} old
child-grade-value = grade { $grade }
consent-status-given = given on { $date }
consent-status-none = not given
consent-status-earlier = given on { $date } (earlier edition { $version }; the new one is asked when you change your profile)
btn-back = ◀️ Back
btn-prev = ◀️
btn-next = ▶️
page-of = { $page } of { $pages }

## Fallbacks and errors

cancel-done = Done, you left the dialog. Choose a section in the menu below.
cancel-nothing = There is nothing to cancel. Choose a section in the menu below.
unknown-text = I did not understand that. Choose a section with the buttons below or open /help.
unknown-content = I cannot handle this kind of message yet. Choose a section with the buttons below.
button-outdated = This button is outdated. Open the menu again.
error-apology = Sorry, something went wrong. We already know about it. Please try again or open /menu.
group-private-only = I work in private messages: write to me directly.
admin-error-alert =
    ⚠️ Failed to handle update { $update_id }:
    <code>{ $error }</code>
    Similar alerts held back: { $held }.

## Command line (python -m bot)

cli-config-invalid = Invalid settings (.env or environment variables):
cli-migrated = The database is up to date.
cli-no-token =
    BOT_TOKEN is not set, so the bot cannot connect to Telegram.
    Get a token from @BotFather in Telegram (the /newbot command), put it into the .env file
    in the project root as a line BOT_TOKEN=123456789:AAE... (see .env.example) and run
    make run again. To try the bot without Telegram, use the terminal: make shell.

## Terminal shell

shell-help = talk to the bot in the terminal, without Telegram
shell-description = The shell: the bot's own handlers and database, without Telegram. Everything the bot sends is printed in the terminal.
shell-arg-user-id = Telegram user id to write as (default SHELL_USER__USER_ID)
shell-arg-user-id-invalid = a positive whole number is needed: the id of a user in a private chat with the bot
shell-arg-lang = the client's language_code, e.g. en (default SHELL_USER__LANGUAGE_CODE)
shell-arg-script = read input from a file instead of the keyboard (lines are echoed)
shell-syntax =
    Input:
      text                   a message to the bot: /start, /start consult, Tomsk
      N                      press button N of the last output
      :text TEXT             send the text as is (a number, text starting with a colon)
      :loc LAT LON           share a location, e.g. :loc 56.48 84.95
      :contact PHONE NAME    share a contact; without a name, your own
      :lang CODE             the client's language_code, e.g. :lang en
      :buttons               show the current buttons again
      :file PATH             send a file as a document (an .xlsx to import, say)
      :wait SECONDS          wait while the background jobs (reminders, broadcasts) run
      :help                  this help
      :quit                  leave (or Ctrl-D)

    Output:
      💬 message N:          a new message from the bot, its text indented below
      ✎ message N …          the bot changed message N (text or buttons)
      buttons: [N] label     buttons under a message (inline)
      ⌨ keyboard: (N) …      buttons of the keyboard under the input field
      🔔 text                the answer to a press (toast or alert window)
      ⚠ text                 a call Telegram would have rejected
      ⏰ …                   what the bot sent on its own (a broadcast, a reminder)
      💾 saved: PATH         a file from the bot, saved in the shell's folder
    Numbers run on: first the buttons under messages, then the keyboard. When a reply has
    no new buttons under messages, the earlier numbers stay.
shell-welcome = Bot shell: user { $user }, client language { $lang }. Start with /start. Help: :help, leave: :quit or Ctrl-D.
shell-bye = Goodbye.
shell-sent = 💬 message { $id }:
shell-sent-other-chat = 💬 message { $id } to chat { $chat }:
shell-edited = ✎ message { $id } edited:
shell-markup-edited = ✎ message { $id }: new buttons:
shell-markup-removed = ✎ message { $id }: buttons removed
shell-keyboard = ⌨ keyboard:
shell-toast = 🔔 { $text }
shell-alert = 🔔 alert: { $text }
shell-rejected = ⚠ { $messenger } would reject { $method }: { $error }
shell-no-reply = (the bot did not answer)
shell-no-buttons = There are no buttons now.
shell-no-button = There is no button { $number }. Numbers come from the last output; to send the number as text: :text { $number }
shell-button-gone = Button { $number } is gone: message { $id } has changed.
shell-opens-url = 🔗 { $messenger } would open { $url }
shell-copied = 📋 copied: { $text }
shell-button-unsupported = The shell cannot press this kind of button.
shell-request-location = (location)
shell-request-contact = (contact)
shell-request-other = (not supported)
shell-ask-location = Latitude and longitude separated by a space (empty line cancels):
shell-ask-phone = Phone number (empty line cancels):
shell-cancelled = Cancelled.
shell-bad-location = Two numbers are needed, latitude and longitude, e.g. :loc 56.48 84.95
shell-bad-contact = A phone number is needed, e.g. :contact +79991234567 Ivan
shell-bad-text = Text is needed, e.g. :text 10
shell-lang-set = Client language_code: { $lang }. A profile that already exists keeps its language (change it in /settings).
shell-unknown-command = Unknown command { $command }. Help: :help
shell-script-unreadable = Could not read the file { $path }: { $error }
shell-location = 📍 location { $lat }, { $lon }
shell-venue = 📍 { $title }, { $address } ({ $lat }, { $lon })
shell-document = 📄 file { $name }
shell-photo = 🖼 photo
