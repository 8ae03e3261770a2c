"""Personal data that only the validators find (assistant/redaction.py) never reaches the real
SQLite tracker store of the running servers."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from tests.e2e.conftest import tracker_db

pytestmark = [pytest.mark.servers, pytest.mark.model]


def test_a_card_number_and_a_local_phone_number_are_stored_redacted(ask, post, stack):
    reply = ask("privacy-validators-1", "Wann wurde DEFUS gegründet? Karte 4111 1111 1111 1111, Tel. 123 45 67")
    assert "2010" in reply
    # Stored under the id the server issued for this conversation (assistant/channels/ids.py).
    sender = post.ids["privacy-validators-1"]
    with sqlite3.connect(tracker_db(stack)) as db:
        rows = [row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]
    assert rows
    users = [json.loads(row) for row in rows if json.loads(row).get("event") == "user"]
    assert [user["text"] for user in users] == ["Wann wurde DEFUS gegründet? Karte [entfernt], Tel. [entfernt]"]
    # The text is stored once (assistant/processor.py), redacted.
    assert "text" not in users[0]["parse_data"]
    stored = " ".join(rows)
    # Whole numbers only: stored confidences (0.00411…) may contain any digits.
    for secret in ("4111", "123 45 67", "1234567"):
        assert not re.search(rf"(?<![\d.]){secret}(?!\d)", stored), secret


def stored_user_texts(post, stack, name: str) -> list[str]:
    sender = post.ids[name]
    with sqlite3.connect(tracker_db(stack)) as db:
        rows = [json.loads(row[0]) for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]
    return [row["text"] for row in rows if row.get("event") == "user"]


# The examples, each sent to the running servers before a question.
@pytest.mark.parametrize("secret, stored", [
    ("Steuer-ID 12 345 678 901", "Steuer-ID [entfernt]"),
    ("Tel. 9876543", "Tel. [entfernt]"),
    ("max (at) example (dot) de", "[entfernt]"),
    ("max[at]example.de", "[entfernt]"),
    ("Mein Ausweis T22000129", "Mein Ausweis [entfernt]"),
    ("Ich bin geboren am 03.04.1985.", "Ich bin geboren am [entfernt]."),
])
def test_each_kind_of_personal_data_is_stored_redacted(ask, post, stack, secret, stored):
    name = f"privacy-example-{abs(hash(secret))}"
    assert "2010" in ask(name, f"{secret} Wann wurde DEFUS gegründet?")
    assert stored_user_texts(post, stack, name) == [f"{stored} Wann wurde DEFUS gegründet?"]


@pytest.mark.parametrize("question, fact", [
    ("Wurde Efus 1987 gegründet?", "1987"),
    ("Hat DEFUS 18 Städte als Mitglieder?", "18 Städte"),
    ("Wurde DEFUS am 10. Mai 2010 gegründet?", "10. Mai 2010"),
])
def test_ordinary_numbers_are_stored_as_written(ask, post, stack, question, fact):
    name = f"privacy-ordinary-{abs(hash(question))}"
    assert fact in ask(name, question)
    assert stored_user_texts(post, stack, name) == [question]
