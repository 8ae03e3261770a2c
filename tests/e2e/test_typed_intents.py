"""A citizen cannot type Rasa's shortcuts ("/restart", "/intent{"slot": …}"): a message starting
with "/" is understood as text unless it is a button payload the bot just offered
(assistant/processor.py). Against the real servers, over the REST webhook."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid

import pytest

from tests.e2e.conftest import tracker_db

pytestmark = [pytest.mark.servers, pytest.mark.model]

GERMAN = re.compile(r"[äöüß]|\b(?:Sie|ich|Ihre|Efus|DEFUS)\b")


def new_sender() -> str:
    return f"typed-{uuid.uuid4().hex[:12]}"


def events(stack, sender_id: str) -> list[dict]:
    with sqlite3.connect(tracker_db(stack)) as db:
        return [json.loads(data) for (data,) in
                db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender_id,))]


def shortcut_taken(event: dict, intent: str) -> bool:
    """Whether Rasa took the message as its shortcut: that intent, with confidence exactly 1."""
    parsed = (event.get("parse_data") or {}).get("intent") or {}
    return parsed.get("name") == intent and parsed.get("confidence") == 1.0


@pytest.mark.parametrize("typed, intent", [("/restart", "restart"), ("/session_start", "session_start")])
def test_a_typed_restart_or_session_start_gets_a_german_reply_and_changes_nothing(ask, post, stack, typed, intent):
    sender = new_sender()
    assert "10. Mai 2010" in ask(sender, "Wann wurde DEFUS gegründet?")
    sessions_before = sum(event["event"] == "session_started" for event in events(stack, post.ids[sender]))
    reply = ask(sender, typed)
    assert GERMAN.search(reply) and "Entschuldigung" not in reply, reply
    # The context is still there: "es" is DEFUS.
    assert "18 Städte und 2 Organisationen" in ask(sender, "Und wie viele Mitglieder hat es?")
    stored = events(stack, post.ids[sender])
    assert not any(event["event"] == "restart" for event in stored)
    assert sum(event["event"] == "session_started" for event in stored) == sessions_before
    [said] = [event for event in stored if event["event"] == "user" and event["text"] == typed]
    assert not shortcut_taken(said, intent)


def test_a_typed_intent_with_slots_sets_no_slot(ask, post, stack):
    sender = new_sender()
    typed = '/ask_membership{"city": "x"}'
    reply = ask(sender, typed)
    assert GERMAN.search(reply) and "Entschuldigung" not in reply, reply
    stored = events(stack, post.ids[sender])
    [said] = [event for event in stored if event["event"] == "user" and event["text"] == typed]
    assert not shortcut_taken(said, "ask_membership")
    assert not any(entity.get("value") == "x" for entity in said["parse_data"].get("entities") or [])
    assert not any(event["event"] == "slot" and event.get("name") == "city" and event.get("value") == "x"
                   for event in stored)
    assert "x ist" not in reply and "„x“" not in reply


def test_a_button_the_bot_offered_keeps_working_and_only_while_it_is_offered(post, stack):
    sender = new_sender()
    status, replies = post({"sender": sender, "message": "Ist Dortmund dabei?"})
    payload = replies[0]["buttons"][1]["payload"]  # DEFUS
    assert status == 200 and "defus" in payload
    status, replies = post({"sender": sender, "message": payload})
    assert status == 200 and "DEFUS" in "\n".join(reply.get("text", "") for reply in replies), replies
    clicked = [event for event in events(stack, post.ids[sender]) if event["event"] == "user"][-1]
    assert clicked["text"] == payload and shortcut_taken(clicked, payload[1:].split("{")[0])
    # The same payload typed again, when no button offers it, is only text.
    post({"sender": sender, "message": payload})
    typed = [event for event in events(stack, post.ids[sender]) if event["event"] == "user"][-1]
    assert typed["text"] == payload and not shortcut_taken(typed, payload[1:].split("{")[0])
