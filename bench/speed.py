"""Part 3, speed measurements against running servers (started by bench/live.py).

Comparisons are interleaved in time so that other work on the machine affects both sides
alike: message load and NLU-floor load alternate in rounds; the long conversation is paired
turn by turn with a short control conversation; the normal and the grown knowledge base are
asked alternately, message by message.
"""

from __future__ import annotations

import sqlite3
import statistics
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.client import conversation_id, send_message, session
from bench.load import CONVERSATIONS, Endpoint, Sample, closed_loop, load_conversations


@dataclass(frozen=True)
class LoadPlan:
    concurrency: tuple[int, ...] = (1, 8, 32)
    rounds: int = 2
    round_seconds: float = 10.0
    max_messages: int = 3000


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


async def warm_up(*endpoints: Endpoint) -> None:
    """One pass over every conversation on each server: first-call costs are not measured."""
    conversations = load_conversations()
    messages = sum(len(conversation) for conversation in conversations)
    for endpoint in endpoints:
        await closed_loop(endpoint, 1, 120.0, messages, conversations)


async def load_levels(stack: Endpoint, floor: Endpoint, plan: LoadPlan) -> dict[str, Any]:
    levels = {}
    for concurrency in plan.concurrency:
        message, floor_sample = Sample(), Sample()
        for _ in range(plan.rounds):
            message.merge(await closed_loop(stack, concurrency, plan.round_seconds, plan.max_messages))
            floor_sample.merge(await closed_loop(floor, concurrency, plan.round_seconds, plan.max_messages))
        m, f = message.summary(), floor_sample.summary()
        levels[str(concurrency)] = {
            "message": m,
            "nlu_floor": f,
            "message_over_floor": {key: _ratio(m.get(key), f.get(key)) for key in ("p50_ms", "p95_ms", "p99_ms")},
            "floor_over_message_throughput": _ratio(f.get("per_second"), m.get("per_second")),
        }
    return levels


def _median_ms(values: list[float]) -> float | None:
    return round(statistics.median(values) * 1000, 1) if values else None


def _tracker_size(var_dir: Path, sender: str) -> dict[str, int | None]:
    """Events of a conversation in the SQLite tracker store, and their size in bytes."""
    try:
        # assistant.stack points the SQL tracker store at this file.
        with sqlite3.connect(var_dir / "tracker.db") as db:
            count, size = db.execute("SELECT COUNT(*), SUM(LENGTH(data)) FROM events WHERE sender_id = ?",
                                     (sender,)).fetchone()
            return {"events": count, "bytes": size}
    except sqlite3.Error:
        return {"events": None, "bytes": None}


def load_long_conversation(path: Path = CONVERSATIONS) -> list[str]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["long_conversation"])


async def long_conversation(url: str, var_dir: Path, turns: int) -> dict[str, Any]:
    """One conversation of `turns` messages, cycling through a fixed list, so the first and the
    last window send the same messages. Each turn is paired with the same message in a short
    control conversation (a new one every window), which shows drift of the machine's load."""
    messages = load_long_conversation()
    window = len(messages)
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    long_s: list[float | None] = []
    control_s: list[float | None] = []
    failures: list[dict[str, Any]] = []
    async with session(1) as http:
        for turn in range(turns):
            message = messages[turn % window]
            control_sender = f"bench-control-{sender}-{turn // window}"
            for target, latencies in ((sender, long_s), (control_sender, control_s)):
                exchange = await send_message(http, url, target, message)
                latencies.append(exchange.latency_s if exchange.ok else None)
                if not exchange.ok:
                    failures.append({"turn": turn + 1, "conversation": "long" if target == sender else "control",
                                     "error": exchange.error, "reply": exchange.text[:160]})

    def ok(values: list[float | None], start: int) -> list[float]:
        return [value for value in values[start:start + window] if value is not None]

    phases = {}
    for start in sorted({0, (turns // 2) // window * window, turns - window}):
        phases[f"turns {start + 1}–{start + window}"] = {
            "long_ms": _median_ms(ok(long_s, start)), "control_ms": _median_ms(ok(control_s, start)),
            "long_errors": sum(value is None for value in long_s[start:start + window])}
    first, last = ok(long_s, 0), ok(long_s, turns - window)
    control_first, control_last = ok(control_s, 0), ok(control_s, turns - window)
    # A ratio needs most of both windows answered; failed turns would compare different work.
    enough = min(len(first), len(last)) >= window // 2
    raw = _ratio(statistics.median(last), statistics.median(first)) if enough else None
    control = (_ratio(statistics.median(control_last), statistics.median(control_first))
               if control_first and control_last else None)
    long_failures = [failure for failure in failures if failure["conversation"] == "long"]
    return {
        "turns": turns,
        "window": window,
        "errors": len(failures),
        "long_errors": len(long_failures),
        "control_errors": len(failures) - len(long_failures),
        "first_failed_turn": long_failures[0]["turn"] if long_failures else None,
        "failures": failures[:5],
        "tracker_at_end": _tracker_size(var_dir, conversation_id(url, sender)),
        "first_ms": _median_ms(first),
        "last_ms": _median_ms(last),
        "last_window_answered": len(last),
        "last_over_first": raw,
        "control_last_over_first": control,
        "drift_corrected": _ratio(raw, control),
        "phases": phases,
    }


async def interleaved(url_a: str, url_b: str, messages: int) -> dict[str, Any]:
    """The same conversations on two stacks, message by message, alternating who goes first."""
    conversations = load_conversations()
    samples = {"a": Sample(), "b": Sample()}
    sent = 0
    turn = 0
    async with session(1) as http:
        while sent < messages:
            script = conversations[turn % len(conversations)]
            senders = {side: f"bench-ab-{side}-{uuid.uuid4().hex[:8]}" for side in samples}
            for message in script:
                order = ("a", "b") if sent % 2 == 0 else ("b", "a")
                for side in order:
                    url = url_a if side == "a" else url_b
                    samples[side].add(await send_message(http, url, senders[side], message))
                sent += 1
            turn += 1
    a, b = samples["a"].summary(), samples["b"].summary()
    return {"baseline": a, "grown": b,
            "grown_over_baseline": {key: _ratio(b.get(key), a.get(key)) for key in ("p50_ms", "p95_ms", "mean_ms")}}
