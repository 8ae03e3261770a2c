"""Ticket issuing under contention, against the real Redis on loopback: our lock store never
hands out one ticket twice; Rasa's stock store is measured beside it."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import RedisLockStore

from assistant.lock_store import AtomicRedisLockStore

pytestmark = pytest.mark.scale
REDIS_DB = 5  # a database of its own, so tests never touch a running deployment's locks


@pytest.fixture(autouse=True)
def _redis_available():
    try:
        redis.StrictRedis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis on 127.0.0.1:6379 is needed for the scale tests (make test-scale starts nothing).")


def issue_concurrently(store_class, replicas: int = 4, tickets_each: int = 50) -> list[int]:
    conversation = f"race-{uuid.uuid4().hex}"
    stores = [store_class(host="127.0.0.1", port=6379, db=REDIS_DB) for _ in range(replicas)]
    issued: list[int] = []
    start = threading.Barrier(replicas)

    def replica(store) -> None:
        start.wait()
        for _ in range(tickets_each):
            issued.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=replica, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stores[0].delete_lock(conversation)
    return issued


def test_atomic_store_never_issues_a_ticket_twice():
    issued = issue_concurrently(AtomicRedisLockStore)
    assert sorted(issued) == list(range(200))  # Rasa numbers tickets from 0


def test_stock_store_for_comparison():
    issued = issue_concurrently(RedisLockStore)
    duplicates = len(issued) - len(set(issued))
    print(f"stock RedisLockStore: {duplicates} of {len(issued)} tickets issued twice")
    assert len(issued) == 200


def test_heartbeat_keeps_a_long_turn_ahead_of_the_next_message():
    store = AtomicRedisLockStore(host="127.0.0.1", port=6379, db=REDIS_DB, lock_lifetime=0.6)
    conversation = f"long-{uuid.uuid4().hex}"
    order: list[str] = []

    async def turn(name: str, seconds: float, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock(conversation):
            order.append(f"{name} start")
            await asyncio.sleep(seconds)
            order.append(f"{name} end")

    async def main() -> None:
        # The first turn lasts more than three lifetimes; the second must still wait for it.
        await asyncio.gather(turn("long", 2.0, 0), turn("next", 0.1, 0.2))

    started = time.monotonic()
    asyncio.run(main())
    assert order == ["long start", "long end", "next start", "next end"]
    assert time.monotonic() - started >= 2.0


def test_a_dead_replicas_ticket_expires_after_the_lifetime():
    store = AtomicRedisLockStore(host="127.0.0.1", port=6379, db=REDIS_DB, lock_lifetime=0.5)
    conversation = f"dead-{uuid.uuid4().hex}"
    store.issue_ticket(conversation, 0.5)  # issued by a replica that then died: no heartbeat

    async def next_message() -> float:
        started = time.monotonic()
        async with store.lock(conversation):
            return time.monotonic() - started

    waited = asyncio.run(next_message())
    assert 0.3 < waited < 3
