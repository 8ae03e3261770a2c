"""Rate limits, counted with the well-kept `limits` library (moving windows, in memory).

A limit is written in the library's notation, e.g. "10/minute" or "5 per 10 seconds", and set in
assistant/settings.py. What is limited here, and with which German answer:

- ratings (socket.io event `feedback`) per socket: settings.rating_limit, always in memory (a
  socket lives on one server);
- citizens' messages over both channels together, per client and per conversation
  (settings.client_rate_limit, settings.conversation_rate_limit): HTTP 429 with the German
  {"error": …} over REST, a German reply over socket.io;
- the agent API per client (settings.agent_rate_limit): HTTP 429 with German JSON;
- citizens' messages in progress at once, per client (settings.client_concurrency): a rate alone
  lets a burst of long messages through together, and they share the server's CPU with every other
  citizen. Beyond the cap a message waits its turn (a household or an office behind one address
  just waits a moment), up to settings.client_waiting messages; more get the 429 / German note.
  Counted in this process: each replica bounds its own share.

The counts of the last two live in this process's memory, or, with settings.rate_limit_storage,
in the scaled set-up's Redis, which all replicas share. A request over a limit is not counted, so
a client that keeps flooding is let through again as soon as its window allows.

When the shared storage cannot be reached, a limit lets the request through (and logs it, at most
once a minute): the limits protect the service, so their outage must not take it down — the Rasa
server answers with its apology where Redis is needed for the conversation itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator

import redis.exceptions
from limits import parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

logger = logging.getLogger(__name__)

TOO_MANY_RATINGS = ("Sie haben in kurzer Zeit sehr viele Bewertungen abgegeben. Bitte warten Sie "
                    "einen Moment, bevor Sie weitere Antworten bewerten.")

TOO_MANY_MESSAGES = ("Sie haben in kurzer Zeit sehr viele Nachrichten gesendet. Bitte warten Sie einen "
                     "Moment und versuchen Sie es dann erneut.")


def check_limit(name: str, spec: str) -> str:
    """The limit as configured, or a clear exit for a value the library cannot read."""
    try:
        parse(spec)
    except ValueError as error:
        raise SystemExit(f"{name} must be a rate such as '10/minute', got {spec!r}") from error
    return spec


# Seconds a Redis call of the limits may take: the limiter's client is synchronous, so a Redis that
# hangs would otherwise stall every request of the server's event loop.
STORAGE_TIMEOUT = 0.5


class RateLimit:
    """One limit, counted separately for each key (a socket, a client, a conversation)."""

    def __init__(self, spec: str, storage: Storage | None = None) -> None:
        self.item = parse(spec)
        # Kept here: the limiter holds its storage only by a weak reference.
        self.storage = storage or MemoryStorage()
        self.limiter = MovingWindowRateLimiter(self.storage)
        self._last_outage_log = float("-inf")

    def hit(self, *keys: str) -> bool:
        """Count one request for `keys`; False when it is over the limit (and is not counted).
        True, without counting, while the storage is unreachable."""
        try:
            return self.limiter.hit(self.item, *keys)
        # Only the storage's outages: a bug in counting must still show, not switch the limits off.
        except (redis.exceptions.RedisError, OSError) as problem:
            now = time.monotonic()
            if now - self._last_outage_log >= 60:
                self._last_outage_log = now
                logger.warning("Rate limit storage unavailable, letting requests through: %s", problem)
            return True


def storage_for(url: str) -> Storage:
    """The counts' storage: this process's memory, or the one `url` names (e.g. Redis)."""
    if not url:
        return MemoryStorage()
    if url.startswith(("redis://", "rediss://", "redis+unix://")):
        return storage_from_string(url, socket_timeout=STORAGE_TIMEOUT, socket_connect_timeout=STORAGE_TIMEOUT)
    return storage_from_string(url)


@dataclass
class _Queue:
    slots: asyncio.Semaphore
    present: int = 0  # messages in progress or waiting


class InFlight:
    """At most `limit` messages per key in progress at once, `waiting` more queued, in order."""

    def __init__(self, limit: int, waiting: int) -> None:
        self.limit = limit
        self.waiting = waiting
        self._queues: dict[str, _Queue] = {}

    @contextlib.asynccontextmanager
    async def admitted(self, key: str) -> AsyncIterator[bool]:
        """True once the message may go on; False at once when the queue is full."""
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = _Queue(asyncio.Semaphore(self.limit))
        if queue.present >= self.limit + self.waiting:
            yield False
            return
        queue.present += 1
        try:
            async with queue.slots:
                yield True
        finally:
            queue.present -= 1
            if queue.present == 0:
                # Every address a flood used would otherwise stay in memory.
                del self._queues[key]

    def __len__(self) -> int:
        return len(self._queues)


class ChannelLimits:
    """The limits of citizens' messages, one set for both channels of a Rasa server."""

    def __init__(self, client: str, conversation: str, storage: Storage, concurrency: int, waiting: int) -> None:
        self.client = RateLimit(client, storage)
        self.conversation = RateLimit(conversation, storage)
        self.in_flight = InFlight(concurrency, waiting)

    def allows_client(self, address: str) -> bool:
        return self.client.hit("client", address)

    def allows_conversation(self, conversation_id: str) -> bool:
        return self.conversation.hit("conversation", conversation_id)


@functools.cache
def channel_limits() -> ChannelLimits:
    from assistant.settings import get_settings

    settings = get_settings()
    return ChannelLimits(settings.client_rate_limit, settings.conversation_rate_limit,
                         storage_for(settings.rate_limit_storage), settings.client_concurrency,
                         settings.client_waiting)


def client_address(request: Any) -> str:
    """The client of a Sanic request: its address, from X-Forwarded-For only when Sanic is told
    to trust a proxy (SANIC_PROXIES_COUNT / SANIC_FORWARDED_SECRET)."""
    return str(request.remote_addr or request.ip or "unknown")
