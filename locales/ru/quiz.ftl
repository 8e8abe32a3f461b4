## The interest quiz (handlers/quiz, services/quiz; questions in data/quiz.json)

cmd-quiz = Тест интересов: какие кружки подойдут
quiz-btn-open = 🧭 Тест интересов

quiz-intro =
    🧭 <b>Тест интересов</b>

    { $count } { $count ->
        [one] короткий вопрос
        [few] коротких вопроса
       *[many] коротких вопросов
    } с готовыми ответами — пара минут. По ответам подскажу, какие направления дополнительного образования могут быть интереснее всего, и подберу кружки и мероприятия.
quiz-last = Прошлый результат ({ $date }): { $top }.
quiz-who-ask = Кто отвечает на вопросы?
quiz-btn-start = ▶️ Начать
quiz-btn-pupil = 🧒 Я ученик — о себе
quiz-btn-parent = 👨‍👩‍👧 Я родитель — о ребёнке
quiz-btn-close = ✖️ Закрыть
quiz-btn-quit = ✖️ Выйти из теста
quiz-progress = Вопрос { $n }/{ $total }
quiz-question = <b>{ $text }</b>
quiz-label = { $text }
quiz-stale = Этот вопрос уже позади — ответьте на тот, что на экране.

quiz-result-title = { $who ->
    [pupil] 🧭 <b>Твой результат</b>
   *[parent] 🧭 <b>Результат теста</b>
}
quiz-result-directions = { $explained }
quiz-direction-line = { $n }. <b>{ $direction }</b>
quiz-explain-technical = { $who ->
    [pupil] Тебе интересно, как устроены вещи: собирать, программировать, изобретать. Подойдут робототехника, программирование, конструирование, 3D-моделирование.
   *[parent] Ребёнку интересно, как устроены вещи: собирать, программировать, изобретать. Подойдут робототехника, программирование, конструирование, 3D-моделирование.
}
quiz-explain-natural_science = { $who ->
    [pupil] Тебя тянет понять, как устроены природа и живое: наблюдать, ставить опыты, исследовать. Подойдут экология, биология, химия, исследовательские проекты.
   *[parent] Ребёнка тянет понять, как устроены природа и живое: наблюдать, ставить опыты, исследовать. Подойдут экология, биология, химия, исследовательские проекты.
}
quiz-explain-sport = { $who ->
    [pupil] Тебе нравится движение, соревнование и командная игра. Подойдут спортивные секции, игровые виды спорта, единоборства, ГТО.
   *[parent] Ребёнку нравятся движение, соревнование и командная игра. Подойдут спортивные секции, игровые виды спорта, единоборства, ГТО.
}
quiz-explain-social = { $who ->
    [pupil] Тебе интересны люди: общаться, договариваться, помогать, разбираться в обществе и истории. Подойдут волонтёрство, школьные медиа, дебаты, лидерские программы.
   *[parent] Ребёнку интересны люди: общаться, договариваться, помогать, разбираться в обществе и истории. Подойдут волонтёрство, школьные медиа, дебаты, лидерские программы.
}
quiz-explain-art = { $who ->
    [pupil] Тебе важно выражать себя: рисовать, играть музыку, выступать, придумывать. Подойдут изостудии, музыка, театр, танцы, дизайн.
   *[parent] Ребёнку важно выражать себя: рисовать, играть музыку, выступать, придумывать. Подойдут изостудии, музыка, театр, танцы, дизайн.
}
quiz-explain-tourism = { $who ->
    [pupil] Тебя зовут дорога и родной край: походы, ориентирование, история мест вокруг. Подойдут туризм, краеведение, школьные музеи, экспедиции.
   *[parent] Ребёнка зовут дорога и родной край: походы, ориентирование, история мест вокруг. Подойдут туризм, краеведение, школьные музеи, экспедиции.
}
quiz-hint-not-diagnosis = ℹ️ Это подсказка, а не диагноз: тест лишь помогает выбрать, с чего начать. Интересы меняются — попробуйте разные кружки, а за советом можно записаться на консультацию.
quiz-saved = 💾 Результат сохранён — его видно в /mydata, удалить можно командой /forget.
quiz-unsaved = Результат не сохранён: для этого нужно ваше согласие на хранение данных.
quiz-declined = Хорошо, результат не сохранён.
quiz-btn-save = 💾 Сохранить результат
quiz-btn-retake = 🔁 Пройти заново
quiz-consent-extra = Вместе с профилем будет храниться и результат теста интересов: баллы по направлениям и дата (сами ответы не хранятся).

quiz-recs-title = 📚 <b>Что попробовать</b> ({ $whom }):
quiz-recs-age = { $age } { $age ->
    [one] год
    [few] года
   *[many] лет
}
quiz-recs-place = { $place }
quiz-recs-whole-region = по всей области
quiz-recs-programme = { $n }. <b>{ $name }</b> — { $org } · { $age_from }–{ $age_to } лет · { $cost } · { $direction }
quiz-recs-elsewhere = (в другом месте области)
quiz-recs-no-programmes = Подходящих программ для этого возраста пока нет — загляните в каталог: /start catalog.
quiz-recs-events-title = 📅 <b>Ближайшие мероприятия по теме</b>
quiz-recs-event = • { $title } — { $when }
quiz-recs-settings-hint = { $who ->
    [pupil] Укажите свой возраст или класс и населённый пункт в ⚙️ Настройках — подберу точнее.
   *[parent] Укажите возраст ребёнка и населённый пункт в ⚙️ Настройках — подберу точнее.
}

quiz-mydata = <b>Тест интересов</b>: пройден { $date } ({ $wording }); направления: { $top }.
quiz-mydata-none = <b>Тест интересов</b>: результатов нет.
quiz-wording-pupil = ученик о себе
quiz-wording-parent = родитель о ребёнке
quiz-forget-ask-line = • удалятся результаты теста интересов.

## The quiz file checked at start (python -m bot run / shell / check)
ops-check-quiz = Тест интересов
quiz-file-ok = { $file }: вопросов — { $count }
quiz-file-broken = Файл теста интересов { $file }, строка { $line }: { $problem }.
quiz-file-unusable = Файл теста интересов { $file }: { $problem }.
quiz-file-not-started = Бот не запущен — исправьте файл (проверка: python -m bot check).
quiz-file-problem-unreadable = не читается ({ $error })
quiz-file-problem-syntax = это не JSON ({ $error }) — проверьте запятые, кавычки и скобки
quiz-file-problem-not-object = { $what } должен быть объектом {"{"}…{"}"}
quiz-file-problem-question-count = вопросов { $count }, а должно быть от { $low } до { $high }
quiz-file-problem-no-answers = у вопроса «{ $question }» нет ответов
quiz-file-problem-answer-count = у вопроса «{ $question }» ответов { $count }, а помещается от { $low } до { $high }
quiz-file-problem-no-weights = ответ вопроса «{ $question }» не добавляет баллов ни одному направлению (weights)
quiz-file-problem-unknown-direction = направления «{ $direction }» нет; есть: { $known }
quiz-file-problem-bad-weight = балл направления «{ $direction }» — { $weight }, а нужно целое число от { $low } до { $high }
quiz-file-problem-missing-text = у текста «{ $where }» нет перевода { $language }
quiz-file-problem-empty-text = текст { $language } «{ $where }» пуст
quiz-file-problem-too-long = текст { $language } «{ $where }» длиной { $length } знаков, а можно не больше { $limit }
quiz-file-problem-no-id = у вопроса нет "id"
quiz-file-problem-duplicate-id = "id" вопроса «{ $question }» повторяется
quiz-file-problem-unreached = ни один ответ не добавляет баллов направлению «{ $direction }» — оно никогда не станет результатом

# The settings screen: the latest result kept
quiz-settings-line = 🧭 Тест интересов ({ $date }): { $top }
