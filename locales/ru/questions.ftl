## Questions typed in plain words

question-found = 🔎 Ищу: { $understood }
question-line = { $n }. <b>{ $name }</b> — { $org } · { $cost }
question-line-km = { $n }. <b>{ $name }</b> — { $org } · { NUMBER($km, maximumFractionDigits: 1) } км · { $cost }
question-related-only = Точных совпадений нет — это близкие по смыслу программы.
question-nothing =
    🔎 Ищу: { $understood }
    Ничего подходящего не нашлось. Попробуйте другие слова или выберите направление ниже.
    Если нужна помощь с выбором — позвоните в управление образования: +7 (3822) 90-12-00.
question-near = рядом
question-anything = всё подряд
