## Catalogue: directions, lists, cards, nearby

catalog-intro =
    <b>🔎 Кружки и центры</b>

    Выберите направление, найдите центры рядом с вами или просто напишите вопрос —
    например, «робототехника для 10 лет» или «бесплатное рисование в Асино».
direction-technical = Техническое
direction-natural_science = Естественнонаучное
direction-sport = Физкультурно-спортивное
direction-social = Социально-гуманитарное
direction-art = Художественное
direction-tourism = Туристско-краеведческое
direction-all = Все направления
btn-nearby = 📍 Рядом со мной
btn-directions = ⬅️ Направления

catalog-list-header = <b>{ $direction }</b> — { $total } { $total ->
    [one] программа
    [few] программы
   *[many] программ
}
catalog-filters = Фильтры: { $filters }
catalog-filters-none = Фильтры не заданы — показаны все программы.
filter-age = { $age } { $age ->
    [one] год
    [few] года
   *[many] лет
}
filter-free = только бесплатные
catalog-line = { $n }. <b>{ $name }</b>{ $online } — { $org } · { $age_from }–{ $age_to } лет · { $cost }
catalog-empty = С такими фильтрами ничего не нашлось. Попробуйте убрать часть фильтров кнопками ниже или выбрать другое направление.
btn-filter-age = 🎂 Возраст
btn-filter-place = 📍 Место
btn-filter-free = 💸 Бесплатные
btn-filter-free-on = 💸 Бесплатные ✓
btn-filter-format = 🧭 { $format }
catalog-age-ask = { $role ->
    [pupil] Сколько тебе лет?
   *[other] Для какого возраста искать?
}
catalog-place-ask = В каком населённом пункте искать?
age-any = Любой возраст
place-any = Любое место
format-any = Любой формат
format-in_person = Очно
format-online = Онлайн
format-mixed = Смешанный
cost-free = бесплатно
cost-certificate = по сертификату ПФДО
cost-paid = платно
cost-paid-price = { $price } ₽ в месяц
orgtype-tochka_rosta = «Точка роста»
orgtype-kvantorium = «Кванториум»
orgtype-it_cube = «IT-куб»
orgtype-dobroshkola = «Доброшкола»
orgtype-digital_lab = Центр цифровой образовательной среды
orgtype-dod_centre = Центр дополнительного образования
orgtype-school = Школа
orgtype-kindergarten = Детский сад
orgtype-other = Организация

programme-card =
    <b>{ $name }</b>
    { $direction } · { $age_from }–{ $age_to } лет · { $format }

    { $description }

    🏫 { $organisation }
    📍 { $address }
    💸 { $cost }
    🗓 { $schedule }
    👩‍🏫 Педагог: { $teacher }
    🪑 { $seats }
programme-seats = Свободных мест: { $free } из { $total }
programme-seats-unknown = Свободные места уточняйте в организации
programme-no-seats = Мест сейчас нет — уточните в организации, когда они появятся
programme-hidden-note = 🙈 Скрыта от пользователей
card-accessible = ♿ Доступно для детей с ОВЗ
card-phone = 📞 { $phone }
card-hours = 🕘 { $hours }
btn-on-map = 🗺 На карте
btn-enrol = ✍️ Как записаться
btn-share = 🔗 Поделиться
btn-centre = 🏫 Центр и его программы
share-text = Ссылка на «{ $name }» — перешлите её, и бот сразу откроет эту карточку:
    { $link }
programme-gone = Эта программа больше недоступна.
enrol-how = Записаться можно через региональный навигатор дополнительного образования — по кнопке ниже. Понадобится сертификат дополнительного образования (его оформляют там же).
enrol-no-link = Ссылки на запись пока нет. Позвоните в организацию: { $phone }

centre-card =
    <b>{ $name }</b>
    { $type } · { $locality }
    📍 { $address }
centre-programmes = Программ: { $count }
btn-centre-programmes = 📚 Программы ({ $count })
centre-programmes-header = <b>{ $name }</b> — программы:
centre-gone = Этот центр больше недоступен.

nearby-ask = Отправьте геопозицию кнопкой ниже, напишите название населённого пункта или выберите его из списка — покажу ближайшие центры.
nearby-searching = 📍 Ищу ближайшие центры…
nearby-header-here = <b>Ближайшие к вам центры:</b>
nearby-header-place = <b>Ближайшие центры</b> — { $place }:
nearby-line = { $n }. { $name } — { $km } км · { $count } { $count ->
    [one] программа
    [few] программы
   *[many] программ
}
nearby-empty = Рядом пока нет центров из каталога. Попробуйте выбрать направление — там есть и онлайн-программы.

## Catalogue: staff

btn-hide = 🙈 Скрыть
btn-unhide = 👁 Показать
btn-hide-centre = 🙈 Скрыть центр
btn-unhide-centre = 👁 Показать центр
btn-seats = 🪑 Места
staff-seats-ask = Сколько свободных мест в «{ $name }»? Напишите число от 0 до { $total }.
staff-seats-ask-open = Сколько свободных мест в «{ $name }»? Напишите число.
staff-seats-invalid = Нужно целое число от 0 до { $total }.
staff-seats-saved = Свободных мест теперь: { $free }.
staff-hidden = Скрыто — пользователи это больше не видят.
staff-shown = Снова видно пользователям.
staff-only = Это действие доступно только сотрудникам.
