# Several children: /settings «👧 Children», «for whom?» in lists, booking's child step, /mydata.
settings-btn-children = { $kind ->
    [pupil] 🧒 My age
   *[other] 👧 Children
}
children-title = { $name }, { $age }
children-age = { $age } { $age ->
    [one] year
   *[other] years
} old
children-grade = grade { $grade }
children-born = born { $year } ({ $age } { $age ->
    [one] year
   *[other] years
} old)
children-label = { $text }
children-checked = ✅ { $text }
children-line = { $n }. { $child }
children-screen =
    <b>👧 Children</b> ({ $count })

    { $lines }

    Press a child to edit or remove.
children-screen-none =
    <b>👧 Children</b>

    Nobody yet. Add a child, and the catalogue, questions and events will fit their age.
children-refusal = ⚠️ { $text }
children-card =
    <b>{ $child }</b>
    Interests: { $interests }
    Special health needs: { $health }
    Age given on: { $noted }
children-gone = This child is no longer on the list.
children-btn-add = ➕ Add
children-btn-name = ✏️ Name
children-btn-age = ✏️ Age
children-btn-interests = 🎯 Interests
children-btn-health = ♿ Health needs
children-btn-remove = 🗑 Remove
children-btn-list = ◀️ To the list
children-btn-remove-yes = 🗑 Yes, remove
children-btn-remove-no = No
children-btn-no-name = Clear the name
children-btn-done = ✅ Done
children-btn-health-yes = Yes
children-btn-health-no = No
children-remove-ask = Remove from the list: { $child }? Their data will be erased.
children-name-ask = What shall I call the child? A name or nickname up to { $limit } characters — or «Skip».
children-name-invalid = Too long: { $limit } characters at most. Please write it shorter.
children-age-ask = { $kind ->
    [pupil] How old are you? Type your age (e.g. 14), grade («grade 8») or birth year (2012).
   *[other] How old is the child? Type the age (e.g. 9), the grade («grade 3») or the birth year (2016).
}
children-age-invalid = I did not understand. Type an age from 3 to 18, a grade from 1 to 11 or a birth year — e.g. 9, «grade 3», 2016.
children-interests-ask = What is the child interested in? Tick the directions (several or none) and press «Done».
children-health-ask = Does the child have special health needs? It helps to find accessible classes.
children-health-yes = yes
children-health-no = no
children-refused-age = That age does not fit: 3 to 18 years, grades 1 to 11. Nothing was saved.
children-refused-name = The name is too long (over { $length } characters). Nothing was saved.
children-refused-duplicate = This child is already on the list (same name and age). Nothing was saved.
children-refused-too_many = At most { $limit } children can be saved. Remove one to add another.
children-refused-consent = Consent to data processing is needed first. Nothing was saved.
children-refused-gone = This child is no longer on the list.
children-added = Child added ✓
children-removed = Removed ✓
whom-line = 👧 For: { $child }
whom-ask = 👧 Whom is this for? Choose a child:
btn-whom-change = 👧 Change
booking-ask-child = Which child is the consultation about? Choose, type an age (3 to 18) or press «Not about a child».
booking-btn-no-child = Not about a child
privacy-children-none = <b>Children</b>: none stored.
privacy-children-title = <b>Children</b> ({ $count }):
privacy-child = • { $child }; interests: { $interests }; health needs: { $health }; given on { $noted }
