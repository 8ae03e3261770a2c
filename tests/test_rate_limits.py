"""The rate limits' counting (assistant/rate_limits.py), without servers."""

from __future__ import annotations

import asyncio
import socket

import pytest

from assistant.rate_limits import InFlight, RateLimit, storage_for


def test_a_limit_refuses_the_request_after_its_amount_per_key():
    limit = RateLimit("3/minute")
    assert [limit.hit("client", "a") for _ in range(4)] == [True, True, True, False]
    assert limit.hit("client", "b"), "another client has its own count"


def test_an_unreachable_shared_storage_lets_citizens_through_instead_of_failing():
    # A port nobody listens on: Redis is down. The limit must not turn that into an error of its own.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    limit = RateLimit("1/minute", storage_for(f"redis://127.0.0.1:{port}/0"))
    assert limit.hit("client", "a") and limit.hit("client", "a")


@pytest.mark.asyncio
async def test_one_client_has_at_most_its_share_in_progress_and_a_bounded_queue():
    in_flight = InFlight(limit=2, waiting=1)
    release = asyncio.Event()
    progress: list[str] = []

    async def message(key: str, name: str) -> bool:
        async with in_flight.admitted(key) as admitted:
            if admitted:
                progress.append(name)
                await release.wait()
            return admitted

    first = [asyncio.create_task(message("a", f"a{number}")) for number in range(3)]
    await asyncio.sleep(0)
    # Two answered at once, the third waits its turn; a fourth is refused at once.
    assert progress == ["a0", "a1"]
    assert await message("a", "a3") is False
    # Another client is not held up by the first one's queue.
    other = asyncio.create_task(message("b", "b0"))
    await asyncio.sleep(0)
    assert progress == ["a0", "a1", "b0"]
    release.set()
    assert await asyncio.gather(*first, other) == [True, True, True, True]
    assert progress[-1] == "a2"
    assert len(in_flight) == 0, "no client is kept in memory once its messages are answered"
