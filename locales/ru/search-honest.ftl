## The programmes a typed question found: what was read, corrected, not understood, counted

question-nothing-found =
    Ничего подходящего не нашлось. Попробуйте другие слова или выберите направление ниже.
    Если нужна помощь с выбором — позвоните в управление образования: +7 (3822) 90-12-00.
question-fixed = ✏️ Исправил: { $words }
question-fixed-pair = { $typed } → { $read }
question-not-understood = ❓ Не понял: { $words } — искал без этого.
question-not-found-words = 🚫 Не нашёл программ со словами: { $words } — показываю по остальным условиям.
question-age-outside = 🎂 Программ для { $age } { $age ->
        [one] года
       *[other] лет
    } нет: в каталоге программы для детей от { $low } до { $high } лет. Показываю ближайшие по возрасту.
question-age-adult = 🎂 Программ для взрослых нет: в каталоге программы для детей от { $low } до { $high } лет. Показываю ближайшие по возрасту.
question-profile-age = 👤 Учитываю возраст из профиля: { $age } { $age ->
        [one] год
        [few] года
       *[many] лет
    }.
question-any-age = 👤 Без учёта возраста из профиля.
question-count = Нашлось программ: { $count }.
question-count-more = Нашлось больше { $count } { $count ->
        [one] программы
       *[other] программ
    } — уточните вопрос (возраст, место, направление), чтобы сузить выбор.
question-page = Страница { $page } из { $pages }
question-listed-first = Показаны первые { $count }. Остальные — в каталоге по направлениям.
question-line-online = { $n }. <b>{ $name }</b> — { $org } · 💻 онлайн · { $cost }
question-accessible = доступно для детей с ОВЗ
question-grade = { $grade } класс ({ $age } лет)
question-age-group-preschool = дошкольник (5 лет)
question-age-group-primary = младший школьник (8 лет)
question-age-group-senior = старшеклассник (16 лет)
question-age-group-teen = подросток (14 лет)
question-age-group-toddler = малыш (4 года)
question-age-group-adult = взрослый
question-btn-all = 📋 Показать все ({ $count })
question-btn-next = Дальше ▶
question-btn-back = ◀ Назад
question-btn-any-age = 🎂 Без учёта возраста
