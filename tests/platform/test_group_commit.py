"""GroupCommit: keys arriving while a batch is written share the next write."""

from __future__ import annotations

import asyncio

import pytest

from db.group_commit import GroupCommit


class Writer:
    def __init__(self, fail: bool = False, drop: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.fail = fail
        self.drop = drop

    async def __call__(self, keys: list[str]) -> dict[str, int]:
        self.batches.append(keys)
        await asyncio.sleep(0.01)  # the database's time
        if self.fail:
            raise RuntimeError("disk full")
        return {key: len(key) for key in keys if key != self.drop}


async def test_keys_waiting_for_a_write_go_together_and_each_gets_its_value():
    writer = Writer()
    commit = GroupCommit(writer, batch=50)
    keys = [f"k{n}" for n in range(120)]
    values = await asyncio.gather(*(commit.submit(key) for key in keys))
    assert values == [len(key) for key in keys]
    assert [len(batch) for batch in writer.batches] == [50, 50, 20]
    assert await commit.submit("alone") == 5 and writer.batches[-1] == ["alone"]


async def test_the_same_key_twice_at_once_is_written_once():
    writer = Writer()
    commit = GroupCommit(writer)
    first = asyncio.create_task(commit.submit("a"))
    await asyncio.sleep(0)
    assert commit.waiting("a") or writer.batches == [["a"]]
    second, third = await asyncio.gather(commit.submit("b"), commit.submit("b"))
    assert (await first, second, third) == (1, 1, 1)
    assert sum(batch.count("b") for batch in writer.batches) == 1


async def test_a_failed_write_fails_its_batch_and_the_next_key_is_written_again():
    writer = Writer(fail=True)
    commit = GroupCommit(writer)
    results = await asyncio.gather(*(commit.submit(k) for k in "xyz"), return_exceptions=True)
    assert all(isinstance(result, RuntimeError) for result in results)
    writer.fail = False
    assert await commit.submit("x") == 1


async def test_a_key_the_write_did_not_answer_is_an_error_for_it_alone():
    commit = GroupCommit(Writer(drop="bb"))
    results = await asyncio.gather(
        commit.submit("a"), commit.submit("bb"), commit.submit("ccc"), return_exceptions=True
    )
    assert results[0] == 1 and results[2] == 3 and isinstance(results[1], LookupError)


async def test_one_caller_given_up_leaves_the_others_their_answer():
    commit = GroupCommit(Writer())
    await commit.submit("warm")
    first = asyncio.create_task(commit.submit("k"))
    second = asyncio.create_task(commit.submit("k"))
    await asyncio.sleep(0)
    first.cancel()
    assert await second == 1
    with pytest.raises(asyncio.CancelledError):
        await first
