"""The demand log through the dispatcher, on SQLite and PostgreSQL: a question, a catalogue
list and «Рядом» each leave one row without the person; a card opened or «Как записаться»
pressed after it marks that row; 👍/👎 under a question's answer (a second press changes it,
another's or a forged one is outdated); and the table holds no user or chat id, nor a phone
number or a name typed into a question."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from backends import POSTGRES_URL, fresh_postgres
from sqlalchemy import delete, inspect, select, update

from bot.app import build_app, prepare_database
from bot.config import Settings
from db.models import DemandLog, Locality
from handlers.demand import Vote
from harness import BotClient

OUTDATED = "Эта кнопка устарела. Откройте меню заново."


@pytest.fixture(params=["sqlite", "postgres"])
async def any_client(request, settings: Settings, logged_errors) -> AsyncIterator[BotClient]:
    """A bot on SQLite or on PostgreSQL, its demand log emptied of the demo month."""
    engine = None
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("TEST_POSTGRES_URL is not set")
        engine = await fresh_postgres()
        settings = settings.model_copy(update={"database_url": POSTGRES_URL})
    app = build_app(settings, engine=engine)
    await prepare_database(app)
    async with app.sessions() as session, session.begin():
        await session.execute(delete(DemandLog))
    client = BotClient(app)
    yield client
    await client.dispatcher.storage.close()
    await app.close()
    assert not [str(out.error) for out in client.rejections]
    assert not logged_errors, [record.getMessage() for record in logged_errors]


async def logged(client: BotClient) -> list[DemandLog]:
    async with client.app.sessions() as session:
        return list((await session.scalars(select(DemandLog).order_by(DemandLog.id))).all())


async def place_id(client: BotClient, name: str) -> int:
    async with client.app.sessions() as session:
        return await session.scalar(select(Locality.id).where(Locality.name == name))


def first_item(user) -> str:
    return next(label for label in user.visible_labels() if label.startswith("1. "))


async def test_a_question_is_logged_and_its_card_open_marks_it(any_client):
    anna = any_client.user(9601)
    await anna.send("робототехника для 10 лет в Асино")
    assert "Ищу:" in anna.text()
    [row] = await logged(any_client)
    assert (row.kind, row.direction, row.age_band, row.answer) == (
        "question",
        None,
        "7-10",
        "programmes",
    )
    assert row.locality_id == await place_id(any_client, "Асино")
    assert row.results > 0 and row.topic == "робототехник"
    assert not row.opened and not row.booked and row.vote is None
    await anna.press(first_item(anna))
    assert "🏫" in anna.text()
    [row] = await logged(any_client)
    assert row.opened and not row.booked
    await anna.press("✍️ Как записаться")
    [row] = await logged(any_client)
    assert row.booked


async def test_a_question_answered_without_its_words_keeps_their_topic(any_client):
    anna = any_client.user(9602)
    await anna.send("керлинг для подростка")
    assert "Не понял: керлинг" in anna.text()  # the age alone was searched
    [row] = await logged(any_client)
    assert (row.topic, row.age_band, row.missed) == ("керлинг", "11-14", True)
    assert row.results > 0
    await anna.send("квантовая хромодинамика")
    assert "Ничего подходящего" in anna.text()
    row = (await logged(any_client))[-1]
    assert (row.results, row.answer, row.missed) == (0, "nothing", True)
    assert row.topic == "квантов хромодинамик"


async def test_a_list_is_logged_once_per_search_not_per_page(any_client):
    anna = any_client.user(9603)
    await anna.send("🔎 Кружки и центры")
    await anna.press("Техническое")
    [row] = await logged(any_client)
    assert (row.kind, row.direction, row.age_band, row.locality_id) == (
        "list",
        "technical",
        None,
        None,
    )
    assert row.results == 224  # the technical programmes (38 pages)
    await anna.press("▶️")  # a page: the same search
    assert len(await logged(any_client)) == 1
    await anna.press("🎂 Возраст")
    await anna.press("12")  # new filters: a new search
    rows = await logged(any_client)
    assert len(rows) == 2 and rows[1].age_band == "11-14" and rows[1].direction == "technical"
    await anna.press(first_item(anna))  # a card below the list marks the list's row
    rows = await logged(any_client)
    assert rows[1].opened and not rows[0].opened


async def test_nearby_is_logged_by_locality_never_by_the_spot(any_client):
    anna = any_client.user(9604)
    await anna.send("🔎 Кружки и центры")
    await anna.press("📍 Рядом со мной")
    await anna.share_location(56.99, 86.15)  # by Asino
    [row] = await logged(any_client)
    assert row.kind == "nearby" and row.locality_id == await place_id(any_client, "Асино")
    assert row.results > 0
    await anna.press(first_item(anna))
    [row] = await logged(any_client)
    assert row.opened


async def test_votes_under_an_answer(any_client):
    anna = any_client.user(9605)
    await anna.send("шахматы")
    assert {"👍", "👎"} <= set(anna.visible_labels())
    await anna.press("👍")
    assert "Спасибо" in anna.callback_answer().text
    assert "✅ 👍" in anna.visible_labels()
    [row] = await logged(any_client)
    assert row.vote == 1
    await anna.press("👎")  # a second press changes the vote
    [row] = await logged(any_client)
    assert row.vote == -1 and "✅ 👎" in anna.visible_labels()

    boris = any_client.user(9606)  # someone else's answer, its button forged: outdated
    await boris.send("шахматы")
    await boris._callback(boris.messages[-1], Vote(id=row.id, up=1).pack())
    assert boris.callback_answer().text == OUTDATED
    assert (await logged(any_client))[0].vote == -1
    for forged in ("dv:0:1", "dv:99999999999:1", "dv:1:7", f"dv:{row.id}:x"):
        await boris._callback(boris.messages[-1], forged)
        assert boris.callback_answer().text == OUTDATED, forged
    async with any_client.app.sessions() as session, session.begin():  # gone (retention)
        await session.execute(delete(DemandLog).where(DemandLog.id == row.id))
    await anna.press("👍")
    assert anna.callback_answer().text == OUTDATED


async def test_an_faq_answer_has_votes_too(any_client):
    pupil = any_client.user(9607)
    await pupil.send("что такое точка роста")
    await pupil.press("👎")
    [row] = await logged(any_client)
    assert row.answer == "faq:tochka-rosta" and row.vote == -1 and row.results == 1


async def test_no_person_in_the_table_nor_a_phone_or_name_typed(any_client):
    async with any_client.app.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {column["name"] for column in inspect(sync).get_columns("demand_log")}
        )
    assert not {name for name in columns if "user" in name or "chat" in name}, columns
    anna = any_client.user(9608, first_name="Анастасия")
    await anna.send("Моя дочь Анастасия, телефон +7 913 555-12-34, ищем шахматы")
    await anna.send("перезвоните 89135551234 Маше про керлинг")
    await anna.send("Иванова Ольга Петровна хочет в кружок танцев")
    rows = await logged(any_client)
    assert len(rows) == 3
    for row in rows:
        values = " ".join(
            str(getattr(row, column)) for column in columns if getattr(row, column) is not None
        )
        assert str(anna.user.id) not in values
        for secret in ("913", "555", "1234", "анастас", "маш", "иванов", "ольг", "петровн"):
            assert secret not in (row.topic or "") and secret not in (row.answer or ""), row.topic
    assert rows[0].topic is not None and "шахмат" in rows[0].topic
    assert rows[1].topic is not None and "керлинг" in rows[1].topic


async def test_a_failed_write_never_holds_up_the_answer(any_client, logged_errors):
    async with any_client.app.engine.begin() as connection:
        await connection.exec_driver_sql("DROP TABLE demand_log")
    anna = any_client.user(9609)
    await anna.send("шахматы")
    assert "Ищу:" in anna.text() and "👍" not in anna.visible_labels()
    await anna.send("🔎 Кружки и центры")
    await anna.press("Техническое")
    assert "Техническое — " in anna.text()


async def test_small_talk_is_not_a_search(any_client):
    anna = any_client.user(9610)
    await anna.send("привет")
    assert await logged(any_client) == []
    await anna.send("какая погода завтра")
    [row] = await logged(any_client)
    assert row.answer == "offtopic" and row.results == 0


async def test_marks_need_a_row_of_this_search(any_client):
    """A card opened from a deep link (no search) marks nothing."""
    anna = any_client.user(9611)
    await anna.send("шахматы")
    async with any_client.app.sessions() as session, session.begin():
        await session.execute(update(DemandLog).values(opened=False))
    await anna.send("/start p-1")
    assert not (await logged(any_client))[0].opened
