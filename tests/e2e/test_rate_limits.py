"""Rate limits of the channels against real servers of their own, with the default limits (the
shared test servers lift them: the suite sends far more from one address than any citizen).

A flood comes from another loopback address (127.0.0.2) than the normal conversation
(127.0.0.1), as two clients would. Latencies are printed for docs/benchmarks.md, not asserted.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import limits
import pytest
import socketio

from assistant.errors import message
from assistant.rate_limits import TOO_MANY_MESSAGES
from assistant.settings import get_settings
from assistant.stack import Stack
from tests.e2e.conftest import free_port

pytestmark = [pytest.mark.servers, pytest.mark.model]

FLOOD = 300
GERMAN_429 = {"error": message(429)}


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory):
    var_dir = tmp_path_factory.mktemp("limited")
    settings = replace(get_settings(), host="127.0.0.1", rasa_port=free_port(), action_port=free_port(),
                       web_port=free_port(), var_dir=var_dir)
    with Stack(settings, log_dir=var_dir / "log") as running:
        yield running


def post(stack: Stack, body: dict[str, Any], source: str = "127.0.0.1") -> tuple[int, Any, dict[str, str]]:
    connection = http.client.HTTPConnection(stack.settings.host, stack.settings.rasa_port, timeout=60,
                                            source_address=(source, 0))
    try:
        connection.request("POST", "/webhooks/rest/webhook", json.dumps(body),
                           {"Content-Type": "application/json"})
        reply = connection.getresponse()
        return reply.status, json.loads(reply.read() or b"null"), dict(reply.headers)
    finally:
        connection.close()


def allowed(spec: str) -> int:
    return limits.parse(spec).amount


def conversation(stack: Stack, questions: list[str]) -> list[float]:
    """A citizen's conversation from 127.0.0.1: every question answered; its latencies in ms."""
    sender, took = None, []
    for question in questions:
        started = time.perf_counter()
        status, replies, headers = post(stack, {"message": question, **({"sender": sender} if sender else {})})
        took.append((time.perf_counter() - started) * 1000)
        assert status == 200, replies
        assert replies and "Entschuldigung" not in replies[0]["text"]
        sender = headers["X-Sender-Id"]
    return took


QUESTIONS = ["Wann wurde DEFUS gegründet?", "Und wie viele Mitglieder hat es?", "Was ist Efus?"] * 2


def test_a_flood_from_one_client_gets_429s_while_another_conversation_keeps_answering(limited):
    quiet = conversation(limited, QUESTIONS)
    with ThreadPoolExecutor(max_workers=8) as pool:
        flood = [pool.submit(post, limited, {"message": "Was ist Efus?"}, "127.0.0.2") for _ in range(FLOOD)]
        during = conversation(limited, QUESTIONS)
        statuses = [future.result() for future in flood]
    refused = [(status, body) for status, body, _ in statuses if status == 429]
    assert len(refused) >= FLOOD - allowed(limited.settings.client_rate_limit)
    assert all(body == GERMAN_429 for _, body in refused)
    assert {status for status, _, _ in statuses} <= {200, 429}
    print(f"\nflood of {FLOOD} from one client: {len(refused)} × 429; the other conversation's median "
          f"{statistics.median(quiet):.0f} ms quiet, {statistics.median(during):.0f} ms during the flood")


def test_one_conversation_is_limited_over_rest(limited):
    status, _, headers = post(limited, {"message": "Was ist Efus?"}, "127.0.0.3")
    assert status == 200
    sender = headers["X-Sender-Id"]
    statuses = [post(limited, {"sender": sender, "message": "Was ist Efus?"}, "127.0.0.3")[:2] for _ in range(25)]
    assert [status for status, _ in statuses].count(200) == allowed(limited.settings.conversation_rate_limit) - 1
    assert all(body == GERMAN_429 for status, body in statuses if status == 429)
    # Another conversation of the same client still answers.
    assert post(limited, {"message": "Was ist Efus?"}, "127.0.0.3")[0] == 200


def test_one_conversation_is_limited_over_socketio(limited):
    async def run() -> list[str]:
        client = socketio.AsyncClient(reconnection=False)
        replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        client.on("bot_uttered", replies.put_nowait)
        await client.connect(limited.settings.rasa_url, headers={"Origin": limited.settings.web_url},
                             transports=["polling"], socketio_path="/socket.io", wait_timeout=20)
        try:
            texts = []
            for _ in range(25):
                await client.emit("user_uttered", {"message": "Was ist Efus?"})
                texts.append((await asyncio.wait_for(replies.get(), 60))["text"])
            return texts
        finally:
            await client.disconnect()

    texts = asyncio.run(run())
    assert texts.count(TOO_MANY_MESSAGES) == 25 - allowed(limited.settings.conversation_rate_limit)
    assert texts[-1] == TOO_MANY_MESSAGES and TOO_MANY_MESSAGES not in texts[:20]


def test_one_client_is_limited_over_socketio_across_its_sockets(limited):
    """Eight sockets of one client, each below the limit per conversation: together over the
    limit per client (127.0.0.1 has sent a few REST messages in this module's tests already)."""
    sockets, each = 8, allowed(limited.settings.conversation_rate_limit) - 2

    async def one_socket() -> list[str]:
        client = socketio.AsyncClient(reconnection=False)
        replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        client.on("bot_uttered", replies.put_nowait)
        await client.connect(limited.settings.rasa_url, headers={"Origin": limited.settings.web_url},
                             transports=["polling"], socketio_path="/socket.io", wait_timeout=20)
        try:
            texts = []
            for _ in range(each):
                await client.emit("user_uttered", {"message": "Was ist Efus?"})
                texts.append((await asyncio.wait_for(replies.get(), 60))["text"])
            return texts
        finally:
            await client.disconnect()

    async def run() -> list[str]:
        return [text for texts in await asyncio.gather(*(one_socket() for _ in range(sockets))) for text in texts]

    texts = asyncio.run(run())
    assert texts.count(TOO_MANY_MESSAGES) >= sockets * each - allowed(limited.settings.client_rate_limit)
    assert all(text == TOO_MANY_MESSAGES or "Efus" in text for text in texts)
