## Catalogue: directions, lists, cards, nearby

catalog-intro =
    <b>🔎 Clubs and centres</b>

    Choose a direction, find centres near you, or just type a question,
    for example «robotics for a 10 year old» or «free drawing in Asino».
direction-technical = Technical
direction-natural_science = Natural science
direction-sport = Physical culture and sport
direction-social = Social and humanities
direction-art = Arts
direction-tourism = Tourism and local history
direction-all = All directions
btn-nearby = 📍 Near me
btn-directions = ⬅️ Directions

catalog-list-header = <b>{ $direction }</b>: { $total } { $total ->
    [one] programme
   *[other] programmes
}
catalog-filters = Filters: { $filters }
catalog-filters-none = No filters: all programmes are shown.
filter-age = { $age } { $age ->
    [one] year
   *[other] years
} old
filter-free = free only
catalog-line = { $n }. <b>{ $name }</b>{ $online }: { $org } · ages { $age_from }–{ $age_to } · { $cost }
catalog-empty = Nothing matches these filters. Try removing some filters with the buttons below or choose another direction.
btn-filter-age = 🎂 Age
btn-filter-place = 📍 Place
btn-filter-free = 💸 Free
btn-filter-free-on = 💸 Free ✓
btn-filter-format = 🧭 { $format }
catalog-age-ask = { $role ->
    [pupil] How old are you?
   *[other] Which age to search for?
}
catalog-place-ask = Which locality to search in?
age-any = Any age
place-any = Anywhere
format-any = Any format
format-in_person = In person
format-online = Online
format-mixed = Mixed
cost-free = free
cost-certificate = with a ПФДО certificate
cost-paid = paid
cost-paid-price = { $price } ₽ a month
orgtype-tochka_rosta = «Точка роста» centre
orgtype-kvantorium = «Кванториум» technopark
orgtype-it_cube = «IT-куб» centre
orgtype-dobroshkola = «Доброшкола» centre
orgtype-digital_lab = Digital education lab
orgtype-dod_centre = Centre of additional education
orgtype-school = School
orgtype-kindergarten = Kindergarten
orgtype-other = Organisation

programme-card =
    <b>{ $name }</b>
    { $direction } · ages { $age_from }–{ $age_to } · { $format }

    { $description }

    🏫 { $organisation }
    📍 { $address }
    💸 { $cost }
    🗓 { $schedule }
    👩‍🏫 Teacher: { $teacher }
    🪑 { $seats }
programme-seats = Free places: { $free } of { $total }
programme-seats-unknown = Ask the organisation about free places
programme-no-seats = No free places now: ask the organisation when some open up
programme-hidden-note = 🙈 Hidden from users
card-accessible = ♿ Accessible for children with disabilities
card-phone = 📞 { $phone }
card-hours = 🕘 { $hours }
btn-on-map = 🗺 On the map
btn-enrol = ✍️ How to enrol
btn-share = 🔗 Share
btn-centre = 🏫 The centre and its programmes
share-text = A link to «{ $name }»: forward it and the bot opens this card at once:
    { $link }
programme-gone = This programme is no longer available.
enrol-how = Enrolment goes through the regional navigator of additional education, with the button below. You will need an additional education certificate (it is issued there too).
enrol-no-link = There is no enrolment link yet. Please call the organisation: { $phone }

centre-card =
    <b>{ $name }</b>
    { $type } · { $locality }
    📍 { $address }
centre-programmes = Programmes: { $count }
btn-centre-programmes = 📚 Programmes ({ $count })
centre-programmes-header = <b>{ $name }</b>: programmes
centre-gone = This centre is no longer available.

nearby-ask = Share your location with the button below, type the name of your locality or pick it from the list, and I will show the nearest centres.
nearby-searching = 📍 Looking for the nearest centres…
nearby-header-here = <b>Centres nearest to you:</b>
nearby-header-place = <b>Nearest centres</b>: { $place }
nearby-line = { $n }. { $name }: { $km } km · { $count } { $count ->
    [one] programme
   *[other] programmes
}
nearby-empty = There are no catalogue centres nearby yet. Try choosing a direction: there are online programmes too.

## Catalogue: staff

btn-hide = 🙈 Hide
btn-unhide = 👁 Show
btn-hide-centre = 🙈 Hide centre
btn-unhide-centre = 👁 Show centre
btn-seats = 🪑 Places
staff-seats-ask = How many free places in «{ $name }»? Type a number from 0 to { $total }.
staff-seats-ask-open = How many free places in «{ $name }»? Type a number.
staff-seats-invalid = A whole number from 0 to { $total } is needed.
staff-seats-saved = Free places now: { $free }.
staff-hidden = Hidden: users no longer see it.
staff-shown = Visible to users again.
staff-only = This action is for staff only.
