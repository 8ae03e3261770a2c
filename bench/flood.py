"""One client floods the REST webhook while another citizen asks questions: how much slower the
citizen's answers get, as the ratio of their median during the flood to the quiet median measured
just before, on a stack of its own with the default limits (the other benchmarks lift them).

The flood is issue 13's: 20 concurrent senders of 1,000-character messages (the longest a message
may be), each sending its next message as soon as the last is answered or refused, all from
127.0.0.2; the citizen writes from 127.0.0.1, as two clients would. A new conversation every few
questions keeps the citizen under the per-conversation limit, as several citizens would be.

    python -m bench.flood [--senders 20] [--questions 40]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp

from assistant.settings import get_settings
from bench.client import REQUEST_TIMEOUT_S, send_message, session
from bench.servers import stack_settings, start_stack

log = logging.getLogger(__name__)

FLOOD_ADDRESS = "127.0.0.2"
QUESTIONS = ("Wann wurde DEFUS gegründet?", "Und wie viele Mitglieder hat es?", "Was ist Efus?",
             "Wo sitzt Efus?", "Ist Bochum Mitglied bei DEFUS?", "Welche Ziele hat DEFUS?")
_STORY = ("Ich wohne seit vielen Jahren in unserer Stadt und engagiere mich in der Nachbarschaft. "
          "Abends am Bahnhof fühlen sich viele nicht sicher. ")


def long_message(chars: int) -> str:
    """A citizen's story of whole sentences that ends with one question, as close to `chars`
    characters as whole sentences allow (never more)."""
    question = "Was ist eigentlich Efus?"
    story = _STORY * ((chars - len(question)) // len(_STORY))
    return story + question


async def _citizen(url: str, questions: int) -> tuple[list[float], int]:
    """A citizen's questions one after another; their latencies in ms and the failed ones."""
    took, failed = [], 0
    async with session(1) as http:
        label = ""
        for number in range(questions):
            if number % len(QUESTIONS) == 0:
                label = f"flood-citizen-{uuid.uuid4().hex[:12]}"
            exchange = await send_message(http, url, label, QUESTIONS[number % len(QUESTIONS)])
            took.append(exchange.latency_s * 1000)
            failed += not exchange.ok
    return took, failed


async def _sender(http: aiohttp.ClientSession, url: str, text: str, stop: asyncio.Event,
                  statuses: Counter[int | str]) -> None:
    sender: str | None = None
    while not stop.is_set():
        body: dict[str, Any] = {"message": text, **({"sender": sender} if sender else {})}
        try:
            async with http.post(f"{url}/webhooks/rest/webhook", json=body) as response:
                await response.read()
                statuses[response.status] += 1
                sender = response.headers.get("X-Sender-Id") or sender
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            statuses[type(error).__name__] += 1


async def measure(url: str, senders: int = 20, questions: int = 40, chars: int | None = None) -> dict[str, Any]:
    """The citizen's quiet median, then the same questions during the flood; the ratio."""
    chars = chars or get_settings().max_message_chars
    quiet, quiet_failed = await _citizen(url, questions)
    stop = asyncio.Event()
    statuses: Counter[int | str] = Counter()
    connector = aiohttp.TCPConnector(limit=senders, local_addr=(FLOOD_ADDRESS, 0))
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)) as http:
        text = long_message(chars)
        flood = [asyncio.create_task(_sender(http, url, text, stop, statuses)) for _ in range(senders)]
        started = time.perf_counter()
        during, during_failed = await _citizen(url, questions)
        seconds = time.perf_counter() - started
        stop.set()
        await asyncio.gather(*flood)
    quiet_ms, during_ms = statistics.median(quiet), statistics.median(during)
    return {
        "senders": senders, "message_chars": chars, "citizen_questions": questions,
        "quiet_median_ms": round(quiet_ms, 1), "flood_median_ms": round(during_ms, 1),
        "flood_p90_ms": round(statistics.quantiles(during, n=10)[-1], 1),
        "ratio": round(during_ms / quiet_ms, 2),
        "flood_seconds": round(seconds, 1),
        "flood_requests": sum(statuses.values()),
        "flood_statuses": {str(status): count for status, count in sorted(statuses.items(), key=str)},
        "citizen_errors": quiet_failed + during_failed,
    }


def run(work: Path, logs: Path, senders: int = 20, questions: int = 40) -> dict[str, Any]:
    """On a stack of its own with the limits `make run` has."""
    defaults = get_settings()
    settings = replace(stack_settings(work / "var-flood"), client_rate_limit=defaults.client_rate_limit,
                       conversation_rate_limit=defaults.conversation_rate_limit,
                       agent_rate_limit=defaults.agent_rate_limit, client_concurrency=defaults.client_concurrency,
                       client_waiting=defaults.client_waiting)
    running = start_stack(settings, logs / "stack-flood")
    try:
        # The first answers load lazily built parts of the pipeline: not part of the quiet figure.
        asyncio.run(_citizen(running.url, 3))
        return asyncio.run(measure(running.url, senders, questions))
    finally:
        running.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.flood", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--questions", type=int, default=40)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", datefmt="%H:%M:%S")
    with tempfile.TemporaryDirectory(prefix="bench-flood-") as scratch:
        figures = run(Path(scratch), Path(scratch) / "logs", arguments.senders, arguments.questions)
    for key, value in figures.items():
        print(f"{key:20} {value}")


if __name__ == "__main__":
    main()
