## The programmes a typed question found: what was read, corrected, not understood, counted

question-nothing-found =
    Nothing suitable was found. Try other words or choose a direction below.
    If you need help choosing, call the education department: +7 (3822) 90-12-00.
question-fixed = ✏️ Corrected: { $words }
question-fixed-pair = { $typed } → { $read }
question-not-understood = ❓ Not understood: { $words } (searched without it).
question-not-found-words = 🚫 No programmes with the words: { $words }. Showing what fits the other conditions.
question-age-outside = 🎂 There are no programmes for { $age }-year-olds: the catalogue has programmes for children aged { $low } to { $high }. Showing the nearest in age.
question-age-adult = 🎂 There are no programmes for adults: the catalogue has programmes for children aged { $low } to { $high }. Showing the nearest in age.
question-profile-age = 👤 Using the age from your profile: { $age }.
question-any-age = 👤 Not using the age from your profile.
question-count = Programmes found: { $count }.
question-count-more = More than { $count } programmes found: add an age, a place or a direction to narrow them down.
question-page = Page { $page } of { $pages }
question-listed-first = These are the first { $count }. The rest are in the catalogue by direction.
question-line-online = { $n }. <b>{ $name }</b>: { $org } · 💻 online · { $cost }
question-accessible = accessible for children with disabilities
question-grade = grade { $grade } (age { $age })
question-age-group-preschool = preschooler (age 5)
question-age-group-primary = primary school pupil (age 8)
question-age-group-senior = senior pupil (age 16)
question-age-group-teen = teenager (age 14)
question-age-group-toddler = toddler (age 4)
question-age-group-adult = adult
question-btn-all = 📋 Show all ({ $count })
question-btn-next = Next ▶
question-btn-back = ◀ Back
question-btn-any-age = 🎂 Any age
