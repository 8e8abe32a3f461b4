"""The quiz file (data/quiz.json): the shipped one is whole, and a broken one is refused with
one message naming the file and the line — by the loader, by `python -m bot run` (nothing
starts) and by `python -m bot check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main as cli
from bot.cli import ops
from services.catalog.terms import DIRECTIONS
from services.quiz import bank as quiz_bank
from services.quiz.bank import QUIZ_PATH, WORDINGS, QuizFileError, load_bank, top_directions

SHIPPED = QUIZ_PATH.read_text(encoding="utf-8")


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    assert old in SHIPPED, old
    path = tmp_path / "quiz.json"
    path.write_text(SHIPPED.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, last: bool = False) -> int:
    found = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if needle in line
    ]
    assert found, needle
    return found[-1] if last else found[0]


def test_the_shipped_quiz_has_8_to_12_questions_in_both_wordings_and_languages():
    bank = load_bank()
    assert 8 <= len(bank) <= 12
    for question in bank.questions:
        assert set(question.text) == set(WORDINGS)
        for wording in WORDINGS:
            assert set(question.text[wording]) == {"ru", "en"}
        assert question.text["pupil"]["ru"] != question.text["parent"]["ru"]
        for answer in question.answers:
            assert set(answer.text) == {"ru", "en"} and set(answer.weights) <= set(DIRECTIONS)
    assert set(bank.event_words) == set(DIRECTIONS)


def test_scores_add_the_answers_weights_and_name_two_or_three_directions():
    bank = load_bank()
    scores = bank.scores([0] * len(bank))  # the first answers lean technical
    assert set(scores) == set(DIRECTIONS)
    assert top_directions(scores)[0] == "technical"
    assert top_directions({"art": 5, "sport": 4, "social": 1}) == ("art", "sport")
    assert top_directions({"art": 5, "sport": 4, "social": 4}) == ("art", "sport", "social")
    assert top_directions({"tourism": 3}) == ("tourism",)  # nothing named without points


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        # an unknown direction: the line of its weight
        ('"weights": {"sport": 2}}', '"weights": {"sprot": 2}}', "unknown-direction", "sprot"),
        # a bad weight: zero, a fraction, text, true
        ('"weights": {"art": 2}}', '"weights": {"art": 0}}', "bad-weight", '"art": 0'),
        ('"weights": {"art": 2}}', '"weights": {"art": 1.5}}', "bad-weight", '"art": 1.5'),
        ('"weights": {"art": 2}}', '"weights": {"art": "2"}}', "bad-weight", '"art": "2"'),
        ('"weights": {"art": 2}}', '"weights": {"art": true}}', "bad-weight", '"art": true'),
        ('"weights": {"art": 2}}', '"weights": {}}', "no-weights", '"weights": {}}'),
        # a missing translation: the line of the text without it
        (
            ', "en": "Building, fixing, coding"}',
            "}",
            "missing-text",
            "Собирать, чинить, программировать",
        ),
        (
            '"en": "Which weekend would your child enjoy most?"',
            '"en": "  "',
            "empty-text",
            '"en": "  "',
        ),
        ('"id": "gift"', '"id": "weekend"', "duplicate-id", '"id": "weekend"'),
        ('"id": "gift",', "", "no-id", "Какой подарок обрадует тебя"),
    ],
)
def test_a_broken_file_is_refused_naming_file_line_and_problem(tmp_path, old, new, code, needle):
    path = _broken(tmp_path, old, new)
    with pytest.raises(QuizFileError) as caught:
        load_bank(path)
    error = caught.value
    assert (error.path, error.code) == (path, code)
    line = _line_of(path, needle, last=code == "duplicate-id")
    if code == "no-id":  # the question's own line: the `{` above its text
        assert error.line < line
    else:
        assert error.line == line
    assert str(error).startswith(f"{path}, line {error.line}: ")


def test_a_question_without_answers_is_named_with_its_line(tmp_path):
    text = json.loads(SHIPPED)
    text["questions"][3]["answers"] = []
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(text, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(QuizFileError) as caught:
        load_bank(path)
    assert caught.value.code == "no-answers"
    assert caught.value.details["question"] == "team"
    assert caught.value.line == _line_of(path, '"answers": []')


def test_a_syntax_error_is_named_by_the_decoders_line(tmp_path):
    path = _broken(tmp_path, '"weights": {"sport": 2}},', '"weights": {"sport": 2}}')  # a comma
    with pytest.raises(QuizFileError) as caught:
        load_bank(path)
    assert caught.value.code == "syntax"
    assert caught.value.line == _line_of(path, '"weights": {"sport": 2}}') + 1


def test_a_direction_no_answer_reaches_and_a_missing_file_are_refused(tmp_path):
    path = _broken(tmp_path, '"tourism": 2', '"sport": 2', count=-1)
    path.write_text(path.read_text().replace('"tourism": 1', '"sport": 1'))
    with pytest.raises(QuizFileError) as caught:
        load_bank(path)
    assert (caught.value.code, caught.value.details) == ("unreached", {"direction": "tourism"})
    with pytest.raises(QuizFileError) as caught:
        load_bank(tmp_path / "absent.json")
    assert caught.value.code == "unreadable" and caught.value.line is None


def test_the_bot_does_not_start_with_a_broken_file_and_says_why_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/q.db")
    monkeypatch.setenv("BOT_TOKEN", "123456:AAE" + "x" * 32)
    monkeypatch.setattr(cli, "setup_logging", lambda *args: None)
    path = _broken(tmp_path, '"weights": {"sport": 2}}', '"weights": {"sprot": 2}}')
    monkeypatch.setattr(quiz_bank, "QUIZ_PATH", path)
    for command in ("run", "shell", "migrate"):
        assert cli.main([command]) == cli.EXIT_CONFIG
        out, err = capsys.readouterr()
        assert out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1, lines
        line = _line_of(path, "sprot")
        assert f"Файл теста интересов {path}, строка {line}:" in lines[0]
        assert "направления «sprot» нет" in lines[0]
    assert not (tmp_path / "q.db").exists()  # nothing started


async def test_check_names_the_quiz_file(tmp_path, monkeypatch):
    settings = ops.Settings(
        _env_file=None, bot_token=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/q.db"
    )
    results = {result.name: result for result in await ops.check(settings)}
    assert results["quiz"].ok and "вопросов — 10" in results["quiz"].detail
    path = _broken(tmp_path, '"weights": {"art": 2}}', '"weights": {"art": 9}}')
    monkeypatch.setattr(quiz_bank, "QUIZ_PATH", path)
    results = {result.name: result for result in await ops.check(settings)}
    assert not results["quiz"].ok
    line = _line_of(path, '"art": 9')
    assert f"строка {line}" in results["quiz"].detail
    assert results["quiz"].title == "Тест интересов"
