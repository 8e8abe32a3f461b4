## Questions typed in plain words

question-found = 🔎 Looking for: { $understood }
question-line = { $n }. <b>{ $name }</b>: { $org } · { $cost }
question-line-km = { $n }. <b>{ $name }</b>: { $org } · { NUMBER($km, maximumFractionDigits: 1) } km · { $cost }
question-related-only = No exact matches: these programmes are close in meaning.
question-nothing =
    🔎 Looking for: { $understood }
    Nothing suitable was found. Try other words or choose a direction below.
    If you need help choosing, call the education department: +7 (3822) 90-12-00.
question-near = near me
question-anything = anything
