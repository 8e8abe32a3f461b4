## Screens that tell the truth (issue 14): online everywhere, «Nearby», lists and cards

screens-online-mark = {" "}· 🌐 online
screens-place-filter = { $place } and online
screens-place-ask = Which locality to search in? Type its name (typos are fine), share your location with the button below or pick it from the list. Online programmes are shown whatever the place.
screens-place-chosen = 📍 Place: <b>{ $place }</b>, and online programmes.
screens-place-unchanged = The place has not changed.
screens-nearby-from-spot = <i>Distances are from the location you shared.</i>
screens-nearby-from-place = <i>Distances are from { $place }. For better ones, share your location.</i>
screens-nearby-line-age = { $n }. { $name }: { $km } km · for age { $age }: { $suitable } of { $count }
screens-more = More ▶️
screens-back-to-list = ← to the list
screens-list-gone = This list is closed: open the section again.
