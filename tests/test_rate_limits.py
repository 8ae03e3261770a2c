"""The rate limits' counting (assistant/rate_limits.py), without servers."""

from __future__ import annotations

import socket

from assistant.rate_limits import RateLimit, storage_for


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
