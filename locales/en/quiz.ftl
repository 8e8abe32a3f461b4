## The interest quiz (handlers/quiz, services/quiz; questions in data/quiz.json)

cmd-quiz = Interest quiz: which clubs may suit
quiz-btn-open = 🧭 Interest quiz

quiz-intro =
    🧭 <b>Interest quiz</b>

    { $count } short questions with ready answers — a couple of minutes. From the answers I will suggest which directions of additional education may be most interesting, and pick clubs and events.
quiz-last = Last result ({ $date }): { $top }.
quiz-who-ask = Who is answering?
quiz-btn-start = ▶️ Start
quiz-btn-pupil = 🧒 I am a pupil — about me
quiz-btn-parent = 👨‍👩‍👧 I am a parent — about my child
quiz-btn-close = ✖️ Close
quiz-btn-quit = ✖️ Leave the quiz
quiz-progress = Question { $n }/{ $total }
quiz-question = <b>{ $text }</b>
quiz-label = { $text }
quiz-stale = That question is behind you — answer the one on the screen.

quiz-result-title = { $who ->
    [pupil] 🧭 <b>Your result</b>
   *[parent] 🧭 <b>The quiz result</b>
}
quiz-result-directions = { $explained }
quiz-direction-line = { $n }. <b>{ $direction }</b>
quiz-explain-technical = { $who ->
    [pupil] You like finding out how things work: building, coding, inventing. Robotics, programming, engineering and 3D modelling may suit you.
   *[parent] Your child likes finding out how things work: building, coding, inventing. Robotics, programming, engineering and 3D modelling may suit them.
}
quiz-explain-natural_science = { $who ->
    [pupil] You want to understand nature and living things: to observe, experiment, explore. Ecology, biology, chemistry and research projects may suit you.
   *[parent] Your child wants to understand nature and living things: to observe, experiment, explore. Ecology, biology, chemistry and research projects may suit them.
}
quiz-explain-sport = { $who ->
    [pupil] You enjoy movement, competition and team play. Sports clubs, team games and martial arts may suit you.
   *[parent] Your child enjoys movement, competition and team play. Sports clubs, team games and martial arts may suit them.
}
quiz-explain-social = { $who ->
    [pupil] You are interested in people: talking, agreeing, helping, understanding society and history. Volunteering, school media, debate and leadership programmes may suit you.
   *[parent] Your child is interested in people: talking, agreeing, helping, understanding society and history. Volunteering, school media, debate and leadership programmes may suit them.
}
quiz-explain-art = { $who ->
    [pupil] Expressing yourself matters to you: drawing, music, the stage, making things up. Art studios, music, theatre, dance and design may suit you.
   *[parent] Expressing themselves matters to your child: drawing, music, the stage, making things up. Art studios, music, theatre, dance and design may suit them.
}
quiz-explain-tourism = { $who ->
    [pupil] The road and your home region call you: hiking, orienteering, the history of places around. Tourism, local history, school museums and expeditions may suit you.
   *[parent] The road and the home region call your child: hiking, orienteering, the history of places around. Tourism, local history, school museums and expeditions may suit them.
}
quiz-hint-not-diagnosis = ℹ️ This is a hint, not a diagnosis: the quiz only helps to choose where to start. Interests change — try different clubs, and for advice you can book a consultation.
quiz-saved = 💾 The result is saved — see it in /mydata, delete it with /forget.
quiz-unsaved = The result is not saved: that needs your consent to keeping data.
quiz-declined = All right, the result is not saved.
quiz-btn-save = 💾 Save the result
quiz-btn-retake = 🔁 Take it again
quiz-consent-extra = The interest quiz result is kept with the profile too: points per direction and the date (the answers themselves are not kept).

quiz-recs-title = 📚 <b>What to try</b> ({ $whom }):
quiz-recs-age = age { $age }
quiz-recs-place = { $place }
quiz-recs-whole-region = the whole region
quiz-recs-programme = { $n }. <b>{ $name }</b> — { $org } · ages { $age_from }–{ $age_to } · { $cost } · { $direction }
quiz-recs-elsewhere = (elsewhere in the region)
quiz-recs-no-programmes = No programmes for this age yet — have a look at the catalogue: /start catalog.
quiz-recs-events-title = 📅 <b>Upcoming events on these topics</b>
quiz-recs-event = • { $title } — { $when }
quiz-recs-settings-hint = { $who ->
    [pupil] Set your age or grade and your town in ⚙️ Settings for a closer match.
   *[parent] Set the child's age and your town in ⚙️ Settings for a closer match.
}

quiz-mydata = <b>Interest quiz</b>: taken { $date } ({ $wording }); directions: { $top }.
quiz-mydata-none = <b>Interest quiz</b>: no results.
quiz-wording-pupil = a pupil about themselves
quiz-wording-parent = a parent about their child
quiz-forget-ask-line = • your interest quiz results will be deleted.

## The quiz file checked at start (python -m bot run / shell / check)
ops-check-quiz = Interest quiz
quiz-file-ok = { $file }: { $count } questions
quiz-file-broken = Interest quiz file { $file }, line { $line }: { $problem }.
quiz-file-unusable = Interest quiz file { $file }: { $problem }.
quiz-file-not-started = The bot has not started — fix the file (check it: python -m bot check).
quiz-file-problem-unreadable = cannot be read ({ $error })
quiz-file-problem-syntax = not JSON ({ $error }) — check the commas, quotes and brackets
quiz-file-problem-not-object = { $what } must be an object {"{"}…{"}"}
quiz-file-problem-question-count = { $count } questions; a quiz has from { $low } to { $high }
quiz-file-problem-no-answers = question «{ $question }» has no answers
quiz-file-problem-answer-count = question «{ $question }» has { $count } answers; from { $low } to { $high } fit
quiz-file-problem-no-weights = an answer of question «{ $question }» adds points to no direction (weights)
quiz-file-problem-unknown-direction = there is no direction «{ $direction }»; known: { $known }
quiz-file-problem-bad-weight = the points of «{ $direction }» are { $weight }; a whole number from { $low } to { $high } is needed
quiz-file-problem-missing-text = the text «{ $where }» has no { $language } translation
quiz-file-problem-empty-text = the { $language } text «{ $where }» is empty
quiz-file-problem-too-long = the { $language } text «{ $where }» is { $length } characters; at most { $limit }
quiz-file-problem-no-id = a question has no "id"
quiz-file-problem-duplicate-id = the question "id" «{ $question }» is used twice
quiz-file-problem-unreached = no answer adds points to «{ $direction }»: it could never be a result

# The settings screen: the latest result kept
quiz-settings-line = 🧭 Interest quiz ({ $date }): { $top }
