"""Questions in plain text: an FAQ answer, or programmes found by words, age, place, cost, nearness.

`SearchService.ask("робототехника для 10 лет в Северске")` reads the question into an
`Understood` (terms, age, places, free only, directions, "near me") and returns an `Answer`:
an FAQ id, programme ids best first, or an honest "nothing" with what was understood.

- reading (patterns, words, synonyms, fuzzy): text_index normalises the question as the
  catalogue was indexed (ё→е, lower case, Snowball stems of a programme's name, description
  and direction, never its organisation's name); age (a number, or a word: «подросток»,
  «дошкольник», «взрослый»), grade, «бесплатно», «рядом» and «ОВЗ» are taken out by patterns;
  place names, direction words and kinds of organisation («Кванториум») become filters; what
  is left are terms, each searched with its synonyms (`data/synonyms.json`); a term the
  catalogue does not know is read as known stems within Damerau-Levenshtein distance 1 (2 from
  7 letters), and the answer says so (`Understood.corrections`).
- honesty: unknown words never veto a question with filters (they are said, `unknown`);
  words found nowhere under the filters are said (`unmatched`) and the filters alone searched;
  an age no programme takes is said and the programmes nearest in age offered (`nearest_age`);
  a place filter keeps online programmes of other places (`online_ids`); `total`/`more` say
  how many were found.
- retrieval (planner, statements): FTS5 MATCH on SQLite, a `simple` tsquery on PostgreSQL (same
  expression), joined to programmes and organisations for the filters in SQL, every statement
  bounded by a LIMIT.
- ranking: terms covered, place, words in the name, distance; computed in Python over the rows,
  identically for both databases.
"""

from services.search.answer import ANSWER_KINDS, Answer, Understood
from services.search.fuzzy import FuzzyIndex, osa_distance
from services.search.service import SearchService
from services.search.synonyms import SYNONYMS_PATH, SynonymTable

__all__ = [
    "ANSWER_KINDS",
    "SYNONYMS_PATH",
    "Answer",
    "FuzzyIndex",
    "SearchService",
    "SynonymTable",
    "Understood",
    "osa_distance",
]
