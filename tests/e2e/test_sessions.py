"""Long conversations: they continue in new Rasa sessions, keep their context and lose nothing."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
import uuid

import pytest

from tests.e2e.conftest import tracker_db

pytestmark = [pytest.mark.servers, pytest.mark.model]


def test_a_long_conversation_keeps_its_context_and_history_across_sessions(ask, post, stack):
    import jwt

    max_turns = stack.settings.session_max_turns
    label = f"test-{uuid.uuid4().hex[:12]}"
    for _ in range(max_turns - 1):
        assert "Quelle" in ask(label, "Was ist Efus?")
    # The last message of the first session names the network; the first of the next one
    # refers to it only as "es".
    assert "18 Städte und 2 Organisationen" in ask(label, "Wie viele Mitglieder hat DEFUS?")
    assert "10. Mai 2010" in ask(label, "Und wann wurde es gegründet?")
    sender = post.ids[label]

    with sqlite3.connect(tracker_db(stack)) as db:
        sessions, = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'session_started'",
                               (sender,)).fetchone()
        # Each slot's value is carried into the new session once, not every time it was set.
        carried, = db.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'slot' AND id > "
            "(SELECT MAX(id) FROM events WHERE sender_id = ? AND type_name = 'session_started') AND id < "
            "(SELECT MIN(id) FROM events WHERE sender_id = ? AND type_name = 'user' AND id > "
            "(SELECT MAX(id) FROM events WHERE sender_id = ? AND type_name = 'session_started'))",
            (sender,) * 4).fetchone()
    assert sessions == 2
    assert 0 < carried <= 5  # network, question, city, handoff_code, session_started_metadata

    # What the agent console reads (Rasa's API): the whole conversation, both sessions.
    token = jwt.encode({"user": {"username": "agent", "role": "admin"}}, stack.settings.rasa_jwt_secret(),
                       algorithm="HS256")
    request = urllib.request.Request(f"{stack.settings.rasa_url}/conversations/{sender}/tracker",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        events = json.loads(reply.read())["events"]
    said = [event["text"] for event in events if event["event"] == "user"]
    assert len(said) == max_turns + 1
    assert said[-2:] == ["Wie viele Mitglieder hat DEFUS?", "Und wann wurde es gegründet?"]
