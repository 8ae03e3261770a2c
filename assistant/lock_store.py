"""A Redis lock store that is safe when several Rasa replicas share one Redis.

Rasa 3.6's RedisLockStore keeps each conversation's ticket queue as one JSON value and changes it
with a separate GET and SET. Two replicas issuing tickets for the same conversation at once can
both read the same queue and hand out the same ticket number, so two turns of one conversation
run together and the SQL tracker store (which finds new events by counting rows) loses events.
Its tickets also expire after a fixed 60 s, letting the next message overtake a long turn.

Here every change of a queue is one optimistic Redis transaction (WATCH/MULTI/EXEC, retried on
conflict), and a ticket is kept alive by a heartbeat while its replica is working on it, so the
lifetime only matters when a replica dies: then the conversation is free again after
`lock_lifetime` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from typing import AsyncGenerator, Callable, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_LIFETIME_SECONDS = 30.0
POLL_SECONDS = 0.05


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, *args, lock_lifetime: float | None = None, endpoint_config=None, **kwargs) -> None:
        # Rasa builds a lock store named by module path from its whole endpoint config; the
        # built-in one gets `host` plus the other keys, which we mirror.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
            kwargs.pop("type", None)
            lock_lifetime = lock_lifetime or kwargs.pop("lock_lifetime", None)
        super().__init__(*args, **kwargs)
        self.lock_lifetime = float(lock_lifetime or os.environ.get("ASSISTANT_LOCK_LIFETIME")
                                   or DEFAULT_LIFETIME_SECONDS)

    # -- atomic changes of one conversation's ticket queue ------------------------------------

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        key = self.key_prefix + conversation_id

        def transaction(pipe) -> T:  # pipe: redis.client.Pipeline
            raw = pipe.get(key)
            current = TicketLock.from_dict(json.loads(raw)) if raw else None
            updated, result = change(current)
            pipe.multi()
            if updated is None or not updated.tickets:
                pipe.delete(key)
            else:
                pipe.set(key, updated.dumps())
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, change)
        except Exception as error:  # Rasa expects LockError for any failure
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, change)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, change)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Removing the ticket and deleting an empty queue happen in one step, so a ticket issued
        # by another replica in between is never deleted with it.
        self.finish_serving(conversation_id, ticket_number)

    def extend(self, conversation_id: str, ticket_number: int, lifetime: float) -> None:
        """Move the expiry of a live ticket `lifetime` seconds into the future."""
        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                for ticket in lock.tickets:
                    if ticket.number == ticket_number:
                        ticket.expires = time.time() + lifetime
            return lock, None

        self._change(conversation_id, change)

    # -- the lock Rasa's agent takes for each message -------------------------------------------

    @contextlib.asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float | None = None, wait_time_in_seconds: float = POLL_SECONDS
    ) -> AsyncGenerator[TicketLock, None]:
        lifetime = self.lock_lifetime
        ticket = self.issue_ticket(conversation_id, lifetime)
        heartbeat = asyncio.ensure_future(self._keep_alive(conversation_id, ticket, lifetime))
        try:
            yield await self._acquire_lock(conversation_id, ticket, min(wait_time_in_seconds, POLL_SECONDS))
        finally:
            heartbeat.cancel()
            self.cleanup(conversation_id, ticket)

    async def _keep_alive(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        while True:
            await asyncio.sleep(lifetime / 3)
            try:
                self.extend(conversation_id, ticket, lifetime)
            except Exception as error:  # a missed beat only shortens the lease
                logger.warning("Could not extend lock of conversation %s: %s", conversation_id, error)
