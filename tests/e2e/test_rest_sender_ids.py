"""REST conversations cannot be taken over: the server issues and verifies the sender ids
(assistant/channels/rest.py, assistant/channels/ids.py). Against the real servers."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid

import pytest

from tests.e2e.conftest import tracker_db

pytestmark = [pytest.mark.servers, pytest.mark.model]

REST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}")
CODE = re.compile(r"Gesprächscode: ([A-Z0-9]{3}-[A-Z0-9]{3})")


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def stored(stack, sender_id: str) -> list[tuple[str, dict]]:
    with sqlite3.connect(tracker_db(stack)) as db:
        rows = db.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender_id,)).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


def test_the_readme_example_in_two_commands(post):
    """First request without a sender: the reply names the new conversation's id (each message's
    recipient_id, and the X-Sender-Id header); the second request with it continues it."""
    status, replies = post({"message": "Wann wurde DEFUS gegründet?"}, as_is=True)
    assert status == 200 and "10. Mai 2010" in texts(replies)
    sender = replies[0]["recipient_id"]
    assert REST_ID.fullmatch(sender) and sender.startswith("rest.")
    assert {reply["recipient_id"] for reply in replies} == {sender}
    status, replies = post({"sender": sender, "message": "Und wie viele Mitglieder hat es?"}, as_is=True)
    assert status == 200 and "18 Städte und 2 Organisationen" in texts(replies)
    assert {reply["recipient_id"] for reply in replies} == {sender}


def test_a_name_of_ones_own_is_no_key_each_request_with_it_starts_anew(post):
    label = f"demo-{uuid.uuid4().hex[:8]}"
    first_status, first = post({"sender": label, "message": "Wann wurde DEFUS gegründet?"}, as_is=True)
    status, second = post({"sender": label, "message": "Und wie viele Mitglieder hat es?"}, as_is=True)
    assert first_status == status == 200
    assert first[0]["recipient_id"].startswith(f"{label}.") and second[0]["recipient_id"].startswith(f"{label}.")
    assert first[0]["recipient_id"] != second[0]["recipient_id"]
    # The second one knows nothing of the first: it has to ask which network is meant.
    assert "18 Städte" not in texts(second) and "Welches Netzwerk" in texts(second)


def test_a_guessed_or_forged_id_gets_nothing_of_the_victims(post, stack):
    victim = f"demo-{uuid.uuid4().hex[:8]}"
    assert post({"sender": victim, "message": "Wann wurde DEFUS gegründet?"})[0] == 200
    status, replies = post({"sender": victim, "message": "Ich möchte mit einem Menschen sprechen"})
    victim_code = CODE.search(texts(replies)).group(1)
    victim_id = post.ids[victim]
    before = stored(stack, victim_id)
    label, nonce, signature = victim_id.split(".")

    guesses = [victim, "demo-1", f"{label}.{nonce}", f"{label}.{nonce}.{'A' * 22}", f"other.{nonce}.{signature}",
               f"{nonce}.{signature}", victim_id.upper(), victim_id + "A"]
    for guess in guesses:
        status, replies = post({"sender": guess, "message": "Und wie viele Mitglieder hat es?"}, as_is=True)
        assert status == 200, (guess, replies)
        issued = replies[0]["recipient_id"]
        assert issued != victim_id and REST_ID.fullmatch(issued), guess
        # No topic: the follow-up does not know the victim was asking about DEFUS.
        assert "18 Städte" not in texts(replies), (guess, replies)
        # No handoff code: asking for a person there gets a code of its own.
        status, replies = post({"sender": issued, "message": "Ich möchte mit einem Menschen sprechen"}, as_is=True)
        code = CODE.search(texts(replies))
        assert victim_code not in texts(replies) and code and code.group(1) != victim_code, (guess, replies)
    # Nothing was added to the victim's transcript.
    assert stored(stack, victim_id) == before


def test_a_malformed_sender_is_still_refused_in_german(post):
    status, reply = post({"sender": "a b", "message": "Hallo"}, as_is=True)
    assert status == 400 and "Gesprächskennung" in reply["error"]
