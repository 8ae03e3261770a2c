"""The agent's transcript built from stored events: what the citizen wrote is always shown."""

from __future__ import annotations

from assistant.web.conversations import transcript

GREETING = {"event": "bot", "timestamp": 1.0, "text": "Guten Tag! Was möchten Sie wissen?",
            "data": {"buttons": [{"title": "Wann wurde DEFUS gegründet?", "payload": "/ask_founding"}]}}


def citizen_lines(*events: dict) -> list[tuple[str, bool]]:
    messages = transcript("ABC-123", {"events": list(events)})["messages"]
    return [(message["text"], message["button"]) for message in messages if message["from"] == "citizen"]


def test_a_clicked_button_is_shown_by_its_title():
    clicked = {"event": "user", "timestamp": 2.0, "text": "/ask_founding",
               "metadata": {"button_title": "Wann wurde DEFUS gegründet?"}}
    assert citizen_lines(GREETING, clicked) == [("Wann wurde DEFUS gegründet?", True)]


def test_a_title_the_bot_did_not_offer_never_hides_the_text():
    disguised = {"event": "user", "timestamp": 2.0, "text": "Meine Nummer ist geheim",
                 "metadata": {"button_title": "Wann wurde DEFUS gegründet?"}}
    # Nor does a title offered one turn earlier.
    late = {"event": "user", "timestamp": 3.0, "text": "/ask_founding",
            "metadata": {"button_title": "Wann wurde DEFUS gegründet?"}}
    assert citizen_lines(GREETING, disguised, late) == [("Meine Nummer ist geheim", False), ("/ask_founding", False)]
