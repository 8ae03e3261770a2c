"""Deleting conversations inside the running Rasa server, through Rasa's own tracker store.

Two things the chat widget promises citizens happen here: a conversation is deleted at once when
its citizen presses „Gespräch löschen“, and every conversation is deleted automatically when its
latest event is older than the retention period (settings.retention_days). The SQL itself is
shared with `assistant purge` (assistant/privacy.py).

The socket.io channel installs both (assistant/channels/socketio.py): it is the part of every
Rasa server that citizens reach (embedded, each scaled replica, the container), and Rasa loads it
from credentials.yml. Purging on several replicas at once is harmless: deleting is idempotent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from sanic import Blueprint, Sanic

from assistant.privacy import delete_conversations, purge

if TYPE_CHECKING:
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

PURGE_INTERVAL_SECONDS = 3600.0
Result = TypeVar("Result")


class NoSqlTrackerStore(RuntimeError):
    pass


def sql_tracker_store(store: TrackerStore | None) -> SQLTrackerStore:
    """The SQL tracker store inside Rasa's wrappers (AwaitableTrackerStore, FailSafeTrackerStore)."""
    from rasa.core.tracker_store import SQLTrackerStore

    for _ in range(5):
        if isinstance(store, SQLTrackerStore):
            return store
        store = getattr(store, "_tracker_store", None)
    # The Rasa server refuses to start without an SQL store (assistant/server.py), so this is a
    # programming error, not a citizen's problem.
    raise NoSqlTrackerStore("the tracker store is not Rasa's SQLTrackerStore")


def in_transaction(store: SQLTrackerStore, work: Callable[[Session], Result]) -> Result:
    """Run `work` in one committed transaction of Rasa's own session (its engine and schema)."""
    with store.session_scope() as session:
        result = work(session)
        session.commit()
    return result


async def delete_conversation(agent: Agent, sender_id: str) -> int:
    """Delete every stored event of one conversation; return how many there were.

    Under the conversation's lock: Rasa's SQL store saves a turn by appending the events it has
    not stored yet, counted against the table, so a turn still running when the rows went would
    write the whole conversation back. With the lock, deleting waits for that turn to end.
    """
    store = sql_tracker_store(agent.tracker_store)
    async with agent.lock_store.lock(sender_id):
        return in_transaction(store, lambda session: delete_conversations(session, [sender_id]))


async def purge_periodically(store: SQLTrackerStore, older_than: dt.timedelta,
                             interval: float = PURGE_INTERVAL_SECONDS) -> None:
    """Delete conversations older than `older_than` now and then every `interval` seconds."""
    while True:
        try:
            # In a worker thread: a purge after a long pause may delete many rows, and the
            # server's event loop keeps answering citizens meanwhile.
            count = await asyncio.to_thread(in_transaction, store,
                                            lambda session: purge(session, older_than))
            if count:
                logger.info("Retention: deleted %d conversation(s) idle for more than %d days.",
                            count, older_than.days)
        except Exception:
            # Logged and tried again at the next interval: a database hiccup must not end the
            # retention for the lifetime of the server.
            logger.exception("Retention: deleting old conversations failed; retrying in %.0f s.", interval)
        await asyncio.sleep(interval)


def install(blueprint: Blueprint, retention_days: int, interval: float = PURGE_INTERVAL_SECONDS) -> None:
    """Run `purge_periodically` in the server that registers `blueprint`, from start to stop."""
    tasks: list[asyncio.Task[Any]] = []

    @blueprint.listener("after_server_start")
    async def start_retention(app: Sanic, _loop: Any) -> None:
        # The agent (and with it the tracker store) is loaded before the server starts.
        store = sql_tracker_store(app.ctx.agent.tracker_store)
        tasks.append(asyncio.create_task(
            purge_periodically(store, dt.timedelta(days=retention_days), interval)))
        logger.info("Retention: conversations idle for more than %d days are deleted every %.0f minutes.",
                    retention_days, interval / 60)

    @blueprint.listener("before_server_stop")
    async def stop_retention(_app: Sanic, _loop: Any) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
