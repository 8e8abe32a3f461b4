# Several children: /settings «👧 Дети», «для кого?» in lists, booking's child step, /mydata.
settings-btn-children = { $kind ->
    [pupil] 🧒 Мой возраст
   *[other] 👧 Дети
}
children-title = { $name }, { $age }
children-age = { $age } { $age ->
    [one] год
    [few] года
   *[many] лет
}
children-grade = { $grade } класс
children-born = { $year } г. р. ({ $age } { $age ->
    [one] год
    [few] года
   *[many] лет
})
children-label = { $text }
children-checked = ✅ { $text }
children-line = { $n }. { $child }
children-screen =
    <b>👧 Дети</b> ({ $count })

    { $lines }

    Нажмите на ребёнка, чтобы изменить или удалить.
children-screen-none =
    <b>👧 Дети</b>

    Пока никого. Добавьте ребёнка — и каталог, вопросы и мероприятия будут подбираться по его возрасту.
children-refusal = ⚠️ { $text }
children-card =
    <b>{ $child }</b>
    Интересы: { $interests }
    ОВЗ (особые потребности здоровья): { $health }
    Возраст указан: { $noted }
children-gone = Этого ребёнка уже нет в списке.
children-btn-add = ➕ Добавить
children-btn-name = ✏️ Имя
children-btn-age = ✏️ Возраст
children-btn-interests = 🎯 Интересы
children-btn-health = ♿ ОВЗ
children-btn-remove = 🗑 Удалить
children-btn-list = ◀️ К списку
children-btn-remove-yes = 🗑 Да, удалить
children-btn-remove-no = Нет
children-btn-no-name = Убрать имя
children-btn-done = ✅ Готово
children-btn-health-yes = Да
children-btn-health-no = Нет
children-remove-ask = Удалить из списка: { $child }? Его данные будут стёрты.
children-name-ask = Как называть ребёнка? Имя или прозвище до { $limit } символов — или «Пропустить».
children-name-invalid = Слишком длинно: не больше { $limit } символов. Напишите короче.
children-age-ask = { $kind ->
    [pupil] Сколько тебе лет? Напиши возраст (например, 14), класс («8 класс») или год рождения (2012).
   *[other] Сколько лет ребёнку? Напишите возраст (например, 9), класс («3 класс») или год рождения (2016).
}
children-age-invalid = Не понял. Напишите возраст от 3 до 18 лет, класс от 1 до 11 или год рождения — например: 9, «3 класс», 2016.
children-interests-ask = Что интересно ребёнку? Отметьте направления (можно несколько или ни одного) и нажмите «Готово».
children-health-ask = Есть ли у ребёнка особые потребности здоровья (ОВЗ)? Это поможет найти доступные занятия.
children-health-yes = да
children-health-no = нет
children-refused-age = Такой возраст не подходит: от 3 до 18 лет, класс от 1 до 11. Ничего не сохранено.
children-refused-name = Имя слишком длинное (больше { $length } символов). Ничего не сохранено.
children-refused-duplicate = Такой ребёнок уже есть в списке (то же имя и возраст). Ничего не сохранено.
children-refused-too_many = Можно сохранить не больше { $limit } детей. Удалите кого-нибудь, чтобы добавить.
children-refused-consent = Сначала нужно согласие на обработку данных. Ничего не сохранено.
children-refused-gone = Этого ребёнка уже нет в списке.
children-added = Ребёнок добавлен ✓
children-removed = Удалено ✓
whom-line = 👧 Для: { $child }
whom-ask = 👧 Для кого подбирать? Выберите ребёнка:
btn-whom-change = 👧 Сменить
booking-ask-child = О каком ребёнке консультация? Выберите, напишите возраст (от 3 до 18) или нажмите «Не о ребёнке».
booking-btn-no-child = Не о ребёнке
privacy-children-none = <b>Дети</b>: не сохранены.
privacy-children-title = <b>Дети</b> ({ $count }):
privacy-child = • { $child }; интересы: { $interests }; ОВЗ: { $health }; указано { $noted }
