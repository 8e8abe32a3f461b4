## What families look for and don't find: 👍/👎 under answers, /insights (staff), the report

insights-vote = { $mark }
insights-vote-chosen = ✅ { $mark }
insights-vote-thanks = Thank you for the rating!
cmd-insights = What families look for and don't find
insights-staff-only = This section is for staff only.
insights-ask-period =
    📊 <b>What families look for and don't find.</b>
    Searches and questions without personal data: where demand has no supply, unanswered questions, ratings of answers. For which period?
insights-btn-days = { $days } days
insights-title = 📊 <b>What families look for and don't find</b> — { $period }
insights-empty = There were no searches in this period.
insights-more = …{ $shown } of { $total } shown, all of them in the Excel file.
insights-line = { $n }. { $cells }

insights-sec-no_supply = 🚩 <b>Demand without supply</b> — searched for, and there is no programme of that direction and age in the place:
insights-none-no_supply = No such places: wherever people searched, something was found.
insights-line-no_supply = { $n }. <b>{ $locality }</b> — { $direction }, { $band }: { $searches ->
        [one] { $searches } search
       *[other] { $searches } searches
    }
insights-sec-topics = ❓ <b>Unanswered questions</b> (nothing found, searched without some words, or 👎), by topic:
insights-none-topics = None.
insights-line-topics = { $n }. “{ $topic }” — { $questions }{ $down ->
        [0] {""}
       *[other] , 👎 { $down }
    }
insights-sec-empty = 🔍 <b>Searches with no result</b> (lists and “Nearby”):
insights-none-empty = None.
insights-line-empty = { $n }. { $kind }: { $locality }, { $direction }, { $band } — { $searches }
insights-sec-matrix = 🗺 <b>Demand and supply</b> — searches / programmes in the place:
insights-none-matrix = No searches with a known place.
insights-line-matrix = { $n }. { $locality } — { $direction }, { $band }: { $searches } / { $programmes }{ $empty ->
        [0] {""}
       *[other] , no result { $empty }
    }, card opened { $opened }, “How to enrol” { $booked }
insights-sec-disliked = 👎 <b>Answers people did not like</b>:
insights-none-disliked = None.
insights-line-disliked = { $n }. { $answer } — “{ $topic }”: { $votes }
insights-sec-totals = <b>In total</b>:
insights-none-totals = None.
insights-line-totals = { $kind }: { $searches }, no result { $empty }, card opened { $opened }, “How to enrol” { $booked }, 👍 { $up }, 👎 { $down }

insights-col-locality = Place
insights-col-direction = Direction
insights-col-band = Age
insights-col-searches = Searches
insights-col-empty = No result
insights-col-opened = Card opened
insights-col-booked = “How to enrol”
insights-col-programmes = Programmes there
insights-col-kind = Kind of search
insights-col-up = 👍
insights-col-down = 👎
insights-col-topic = Topic (word stems)
insights-col-questions = Questions
insights-col-answer = Answer
insights-col-votes = 👎 ratings

insights-any-place = no place given
insights-any-direction = any direction
insights-any-age = any age
insights-band = age { $band }
insights-no-topic = no topic
insights-kind-question = Questions
insights-kind-list = Catalogue lists
insights-kind-nearby = “Nearby”
insights-answer-faq = Help: { $title }
insights-answer-programmes = programmes
insights-answer-nothing = nothing found
insights-answer-consult = consultation booking
insights-answer-events = events
insights-answer-offtopic = off-topic

insights-file-failed = The report's file could not be made; the text above is complete.
insights-xlsx-caption = What families look for and don't find, { $period }: every section.
insights-chart-caption = Demand and supply, { $period }.
insights-chart-title = Searches by place, direction and age, { $period } (searches / programmes)
insights-chart-supplied = programmes there
insights-chart-unsupplied = no programmes there

## Command line: python -m bot report demand --from … --to … FILE.xlsx
insights-cli-file-needed = The demand report needs a period and an .xlsx file: python -m bot report demand --from YYYY-MM-DD --to YYYY-MM-DD FILE.xlsx
insights-cli-file-type = File “{ $file }”: an .xlsx is needed.
insights-cli-saved = The demand report for { $period } is saved in “{ $file }”, its chart in “{ $chart }”.
insights-cli-file-arg = the report's .xlsx file; the PNG chart is saved beside it
insights-cli-plan-help = consultations of a year against the plan (text and PNG charts)
insights-cli-demand-help = what families look for and don't find in a period: text, an XLSX workbook and a PNG chart beside it

insights-sec-waitlists = 🔔 <b>Waitlists for seats and consultations</b> — waiting now, joined and told in the period, how long they waited:
insights-none-waitlists = No waitlists.
insights-line-waitlists = { $n }. { $waitlist } — waiting { $waiting }, joined { $joined }, told { $told }; waited { $mean_hours } h on average, { $max_hours } h at most
insights-sec-quiz = 🧭 <b>Interest quiz</b> — results by the first direction:
insights-none-quiz = Nobody took the quiz in the period (or kept the result).
insights-line-quiz = { $n }. { $direction } — { $results }
insights-col-waitlist = Waitlist
insights-col-waiting = Waiting now
insights-col-joined = Joined in the period
insights-col-told = Told in the period
insights-col-mean_hours = Mean wait, h
insights-col-max_hours = Longest wait, h
insights-col-results = Results
