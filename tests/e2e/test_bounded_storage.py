"""What one conversation can make the store keep: bytes per message and events per conversation,
on real servers of their own with a small events cap (settings.max_conversation_events)."""

from __future__ import annotations

import http.client
import json
import sqlite3
from dataclasses import replace
from typing import Any

import pytest

from assistant.input_guard import CONVERSATION_FULL
from assistant.settings import get_settings
from assistant.stack import Stack
from bench.flood import long_message
from tests.conftest import UNLIMITED, UNLIMITED_CONCURRENCY
from tests.e2e.conftest import free_port, tracker_db

pytestmark = [pytest.mark.servers, pytest.mark.model]

CAP = 40


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory):
    var_dir = tmp_path_factory.mktemp("capped")
    settings = replace(get_settings(), host="127.0.0.1", rasa_port=free_port(), action_port=free_port(),
                       web_port=free_port(), var_dir=var_dir, max_conversation_events=CAP,
                       client_rate_limit=UNLIMITED, conversation_rate_limit=UNLIMITED,
                       client_concurrency=UNLIMITED_CONCURRENCY)
    with Stack(settings, log_dir=var_dir / "log") as running:
        yield running


def post(stack: Stack, message: str, sender: str | None = None) -> tuple[str, str]:
    """The reply's text and the conversation's id."""
    connection = http.client.HTTPConnection(stack.settings.host, stack.settings.rasa_port, timeout=60)
    try:
        body: dict[str, Any] = {"message": message, **({"sender": sender} if sender else {})}
        connection.request("POST", "/webhooks/rest/webhook", json.dumps(body), {"Content-Type": "application/json"})
        reply = connection.getresponse()
        assert reply.status == 200
        replies = json.loads(reply.read())
        return "\n".join(item.get("text", "") for item in replies), reply.headers["X-Sender-Id"]
    finally:
        connection.close()


def stored(stack: Stack, sender: str) -> list[tuple[str, int]]:
    with sqlite3.connect(tracker_db(stack)) as db:
        return db.execute("SELECT type_name, length(data) FROM events WHERE sender_id = ? ORDER BY id",
                          (sender,)).fetchall()


def test_a_long_message_is_stored_once_without_the_nlu_internals(capped):
    message = long_message(capped.settings.max_message_chars)
    text, sender = post(capped, message)
    assert "Quelle" in text
    users = [size for kind, size in stored(capped, sender) if kind == "user"]
    # Its text as stored (JSON-escaped), once, and some 600 bytes of intent, best guesses,
    # entities and metadata. Rasa stored 5.5 KB: the text twice, token offsets, every intent.
    assert len(users) == 1 and users[0] < len(json.dumps(message)) + 800, users


def test_a_conversation_at_its_events_cap_says_so_and_stores_nothing_more(capped):
    text, sender = post(capped, "Wann wurde DEFUS gegründet?")
    assert "10. Mai 2010" in text
    replies = [post(capped, "Und wie viele Mitglieder hat es?", sender)[0] for _ in range(6)]
    assert CONVERSATION_FULL in replies, replies
    full = replies.index(CONVERSATION_FULL)
    assert all("18 Städte" in reply for reply in replies[:full])
    assert replies[full:] == [CONVERSATION_FULL] * (6 - full)
    count = len(stored(capped, sender))
    assert count >= CAP
    post(capped, "Was ist Efus?", sender)
    assert len(stored(capped, sender)) == count
    # A new conversation is answered as usual.
    assert "Quelle" in post(capped, "Was ist Efus?")[0]
