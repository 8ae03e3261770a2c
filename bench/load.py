"""Load generator: N simulated citizens, each in its own conversation, sending the next message
as soon as the reply arrives (a closed loop). Bounded by time and by message count.

The same generator drives the bare NLU parse (`/model/parse`) with the same messages, so both
are measured the same way.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy
import yaml

from bench import BENCH_DIR
from bench.client import Exchange, parse, send_message, session

CONVERSATIONS = BENCH_DIR / "conversations.yml"
Target = Literal["message", "parse"]


def load_conversations(path: Path = CONVERSATIONS) -> list[list[str]]:
    return [list(conversation) for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]]


@dataclass
class Sample:
    """Latencies and errors of one or more load runs of the same kind."""

    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    def add(self, exchange: Exchange) -> None:
        if exchange.ok:
            self.latencies_s.append(exchange.latency_s)
        else:
            self.errors += 1
            if len(self.error_examples) < 5 and exchange.error:
                self.error_examples.append(exchange.error)

    def merge(self, other: Sample) -> None:
        self.latencies_s += other.latencies_s
        self.errors += other.errors
        self.error_examples = (self.error_examples + other.error_examples)[:5]
        self.wall_s += other.wall_s

    def summary(self) -> dict[str, Any]:
        count = len(self.latencies_s) + self.errors
        result: dict[str, Any] = {"messages": count, "errors": self.errors, "wall_s": round(self.wall_s, 2),
                                  "per_second": round(count / self.wall_s, 2) if self.wall_s else None}
        if self.latencies_s:
            p50, p95, p99 = numpy.percentile(numpy.array(self.latencies_s) * 1000, [50, 95, 99])
            result.update(p50_ms=round(float(p50), 1), p95_ms=round(float(p95), 1), p99_ms=round(float(p99), 1),
                          mean_ms=round(float(numpy.mean(self.latencies_s)) * 1000, 1))
        if self.error_examples:
            result["error_examples"] = self.error_examples
        return result


@dataclass(frozen=True)
class Endpoint:
    """Where the load goes: the REST webhook of the stack, or /model/parse of the floor server."""

    url: str
    target: Target
    token: str = ""


async def _citizen(http: Any, endpoint: Endpoint, conversations: list[list[str]], index: int,
                   concurrency: int, deadline: float, budget: list[int], sample: Sample, run_id: str) -> None:
    turn = 0
    while True:
        script = conversations[(index + turn * concurrency) % len(conversations)]
        sender = f"bench-load-{run_id}-{index}-{turn}"
        for message in script:
            if time.monotonic() >= deadline or budget[0] <= 0:
                return
            budget[0] -= 1
            if endpoint.target == "message":
                sample.add(await send_message(http, endpoint.url, sender, message))
            else:
                sample.add(await parse(http, endpoint.url, message, endpoint.token))
        turn += 1


async def closed_loop(endpoint: Endpoint, concurrency: int, duration_s: float,
                      max_messages: int, conversations: list[list[str]] | None = None) -> Sample:
    """`concurrency` citizens for `duration_s` seconds, at most `max_messages` messages in all."""
    conversations = conversations or load_conversations()
    sample = Sample()
    budget = [max_messages]
    run_id = uuid.uuid4().hex[:8]
    async with session(concurrency) as http:
        started = time.monotonic()
        deadline = started + duration_s
        await asyncio.gather(*[
            _citizen(http, endpoint, conversations, index, concurrency, deadline, budget, sample, run_id)
            for index in range(concurrency)
        ])
        sample.wall_s = time.monotonic() - started
    return sample
