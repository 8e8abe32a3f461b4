## What families look for and don't find: 👍/👎 under answers, /insights (staff), the report

insights-vote = { $mark }
insights-vote-chosen = ✅ { $mark }
insights-vote-thanks = Спасибо за оценку!
cmd-insights = Что ищут семьи и не находят
insights-staff-only = Этот раздел — только для сотрудников.
insights-ask-period =
    📊 <b>Что ищут семьи и не находят.</b>
    Поиски и вопросы без личных данных: где спрос без предложения, вопросы без ответа, оценки ответов. За какой период?
insights-btn-days = { $days } дн.
insights-title = 📊 <b>Что ищут семьи и не находят</b> — { $period }
insights-empty = За этот период поисков не было.
insights-more = …показано { $shown } из { $total }, все — в файле Excel.
insights-line = { $n }. { $cells }

insights-sec-no_supply = 🚩 <b>Спрос без предложения</b> — искали, а программ этого направления и возраста в населённом пункте нет:
insights-none-no_supply = Таких мест нет: везде, где искали, что-то нашлось.
insights-line-no_supply = { $n }. <b>{ $locality }</b> — { $direction }, { $band }: { $searches ->
        [one] { $searches } поиск
        [few] { $searches } поиска
       *[many] { $searches } поисков
    }
insights-sec-topics = ❓ <b>Вопросы без ответа</b> (ничего не нашлось, искал без части слов или 👎), по темам:
insights-none-topics = Нет.
insights-line-topics = { $n }. «{ $topic }» — { $questions }{ $down ->
        [0] {""}
       *[other] , 👎 { $down }
    }
insights-sec-empty = 🔍 <b>Поиски без результата</b> (списки и «Рядом»):
insights-none-empty = Нет.
insights-line-empty = { $n }. { $kind }: { $locality }, { $direction }, { $band } — { $searches }
insights-sec-matrix = 🗺 <b>Спрос и предложение</b> — поиски / программы в населённом пункте:
insights-none-matrix = Нет поисков с известным населённым пунктом.
insights-line-matrix = { $n }. { $locality } — { $direction }, { $band }: { $searches } / { $programmes }{ $empty ->
        [0] {""}
       *[other] , без результата { $empty }
    }, открыли карточку { $opened }, «Как записаться» { $booked }
insights-sec-disliked = 👎 <b>Ответы, которые не понравились</b>:
insights-none-disliked = Нет.
insights-line-disliked = { $n }. { $answer } — «{ $topic }»: { $votes }
insights-sec-totals = <b>Всего</b>:
insights-none-totals = Нет.
insights-line-totals = { $kind }: { $searches }, без результата { $empty }, открыли карточку { $opened }, «Как записаться» { $booked }, 👍 { $up }, 👎 { $down }

insights-col-locality = Населённый пункт
insights-col-direction = Направление
insights-col-band = Возраст
insights-col-searches = Поиски
insights-col-empty = Без результата
insights-col-opened = Открыли карточку
insights-col-booked = «Как записаться»
insights-col-programmes = Программ там
insights-col-kind = Вид поиска
insights-col-up = 👍
insights-col-down = 👎
insights-col-topic = Тема (основы слов)
insights-col-questions = Вопросы
insights-col-answer = Ответ
insights-col-votes = Оценки 👎

insights-any-place = место не указано
insights-any-direction = любое направление
insights-any-age = любой возраст
insights-band = { $band } лет
insights-no-topic = без темы
insights-kind-question = Вопросы
insights-kind-list = Списки каталога
insights-kind-nearby = «Рядом»
insights-answer-faq = Справка: { $title }
insights-answer-programmes = программы
insights-answer-nothing = ничего не нашлось
insights-answer-consult = запись на консультацию
insights-answer-events = мероприятия
insights-answer-offtopic = не по теме

insights-file-failed = Файл отчёта не удалось подготовить; текст выше — полный.
insights-xlsx-caption = Что ищут семьи и не находят, { $period }: все разделы.
insights-chart-caption = Спрос и предложение, { $period }.
insights-chart-title = Поиски по населённым пунктам, направлениям и возрастам, { $period } (поиски / программы)
insights-chart-supplied = программы есть
insights-chart-unsupplied = программ нет

## Command line: python -m bot report demand --from … --to … FILE.xlsx
insights-cli-file-needed = Для отчёта о спросе укажите период и файл .xlsx: python -m bot report demand --from ГГГГ-ММ-ДД --to ГГГГ-ММ-ДД ФАЙЛ.xlsx
insights-cli-file-type = Файл «{ $file }»: нужен .xlsx.
insights-cli-saved = Отчёт о спросе за { $period } сохранён в «{ $file }», диаграмма — в «{ $chart }».
insights-cli-file-arg = файл .xlsx отчёта; диаграмма PNG сохраняется рядом
insights-cli-plan-help = консультации за год против плана (текст и диаграммы PNG)
insights-cli-demand-help = что ищут семьи и не находят за период: текст, книга XLSX и диаграмма PNG рядом с ней

insights-sec-waitlists = 🔔 <b>Очереди на места и консультации</b> — ждут сейчас, записались и получили уведомление за период, сколько ждали:
insights-none-waitlists = Очередей нет.
insights-line-waitlists = { $n }. { $waitlist } — ждут { $waiting }, встали { $joined }, сообщили { $told }; ждали в среднем { $mean_hours } ч, дольше всех { $max_hours } ч
insights-sec-quiz = 🧭 <b>Тест интересов</b> — результаты по первому направлению:
insights-none-quiz = За период тест не проходили (или не сохранили результат).
insights-line-quiz = { $n }. { $direction } — { $results }
insights-col-waitlist = Очередь
insights-col-waiting = Ждут сейчас
insights-col-joined = Встали за период
insights-col-told = Сообщили за период
insights-col-mean_hours = Ждали в среднем, ч
insights-col-max_hours = Дольше всех, ч
insights-col-results = Результатов
