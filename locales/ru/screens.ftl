## Screens that tell the truth (issue 14): online everywhere, «Рядом», lists and cards

screens-online-mark = {" "}· 🌐 онлайн
screens-place-filter = { $place } и онлайн
screens-place-ask = В каком населённом пункте искать? Напишите название (можно с опечаткой), отправьте геопозицию кнопкой ниже или выберите из списка. Онлайн-программы покажу при любом месте.
screens-place-chosen = 📍 Место: <b>{ $place }</b> — и онлайн-программы.
screens-place-unchanged = Место не изменилось.
screens-nearby-from-spot = <i>Расстояния — от отправленной вами геопозиции.</i>
screens-nearby-from-place = <i>Расстояния — от населённого пункта { $place }. Точнее — отправьте геопозицию.</i>
screens-nearby-line-age = { $n }. { $name } — { $km } км · для { $age } { $age ->
    [one] года
   *[other] лет
}: { $suitable } из { $count }
screens-more = Ещё ▶️
screens-back-to-list = ← к списку
screens-list-gone = Этот список уже закрыт — откройте раздел заново.
