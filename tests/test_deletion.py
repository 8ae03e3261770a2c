"""Deleting conversations inside the Rasa server (assistant/deletion.py), on Rasa's real SQL
tracker store and lock store, without a model."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from assistant.deletion import delete_conversation, purge_periodically, sql_tracker_store
from tests.test_privacy import rasa_store, store_conversation, stored_senders

pytestmark = pytest.mark.asyncio


def agent_with(store):
    from rasa.core.lock_store import InMemoryLockStore
    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore

    # Wrapped as Rasa's agent wraps it.
    return SimpleNamespace(tracker_store=AwaitableTrackerStore(FailSafeTrackerStore(store)),
                           lock_store=InMemoryLockStore())


async def test_the_sql_store_is_found_inside_rasas_wrappers(tmp_path):
    store = rasa_store(tmp_path / "tracker.db")
    assert sql_tracker_store(agent_with(store).tracker_store) is store


async def test_deleting_waits_for_a_turn_still_running(tmp_path):
    store = rasa_store(tmp_path / "tracker.db")
    agent = agent_with(store)
    await store_conversation(store, "citizen-a", "Was ist Efus?")
    await store_conversation(store, "citizen-b", "Was ist DEFUS?")

    # A turn of citizen-a is being processed: it holds the conversation's lock.
    turn_may_end = asyncio.Event()

    async def running_turn():
        async with agent.lock_store.lock("citizen-a"):
            await turn_may_end.wait()

    turn = asyncio.create_task(running_turn())
    await asyncio.sleep(0.1)
    deleting = asyncio.create_task(delete_conversation(agent, "citizen-a"))
    await asyncio.sleep(0.5)
    assert not deleting.done() and stored_senders(store)["citizen-a"] == 2

    turn_may_end.set()
    await turn
    assert await asyncio.wait_for(deleting, 10) == 2
    assert stored_senders(store) == {"citizen-b": 2}


async def test_old_conversations_are_deleted_periodically_also_after_a_failure(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="assistant.deletion")
    store = rasa_store(tmp_path / "tracker.db")
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=31)).timestamp()
    # The database fails at first: the table is gone.
    with store.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE events"))
    job = asyncio.create_task(purge_periodically(store, dt.timedelta(days=30), interval=0.2))
    try:
        for _ in range(50):
            await asyncio.sleep(0.1)
            if "deleting old conversations failed" in caplog.text:
                break
        assert "deleting old conversations failed" in caplog.text

        # Back again; the next round deletes what is older than the period, and only that.
        store.Base.metadata.create_all(store.engine)
        await store_conversation(store, "old", ("Was ist Efus?", old))
        await store_conversation(store, "recent", "Was ist DEFUS?")
        deleted = "Retention: deleted 1 conversation(s) idle for more than 30 days."
        for _ in range(50):
            await asyncio.sleep(0.1)
            # The rows go in the purge's thread, its log line after it returns: wait for both.
            if "old" not in stored_senders(store) and deleted in caplog.text:
                break
        assert set(stored_senders(store)) == {"recent"}
        assert deleted in caplog.text
        assert not job.done()
    finally:
        job.cancel()
        await asyncio.gather(job, return_exceptions=True)
