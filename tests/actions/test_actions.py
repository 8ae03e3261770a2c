"""Drive the real actions with real rasa_sdk trackers against the real knowledge base."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.handoff import ActionHandoff


def tracker(intent: str, text: str = "", entities: list[dict[str, Any]] | None = None,
            **slots: Any) -> Tracker:
    message = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [], "text": text}
    return Tracker("test-sender", slots, message, [], False, None, {}, "action_listen")


def run(action, current: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, current, {}))
    return dispatcher.messages, events


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_answer_uses_entity_and_remembers_network_and_question():
    messages, events = run(ActionAnswerQuestion(), tracker(
        "ask_founding", "Wann wurde DEFUS gegründet?", [{"entity": "network", "value": "defus"}]))
    assert "DEFUS wurde am 10. Mai 2010 in Berlin gegründet." in messages[0]["text"]
    assert slots_of(events) == {"network": "defus", "question": "ask_founding", "city": None}


def test_follow_up_without_entity_uses_the_slot():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_seat", "und wo sitzt es?", network="efus"))
    assert "Die Geschäftsstelle von Efus ist in Paris." in messages[0]["text"]


def test_ambiguous_question_offers_buttons_that_answer_the_pending_question():
    messages, events = run(ActionAnswerQuestion(), tracker("ask_founding", "Wann wurde es gegründet?"))
    buttons = messages[0]["buttons"]
    assert [button["title"] for button in buttons] == ["Efus", "DEFUS"]
    payload = buttons[1]["payload"]
    assert payload == '/inform_network{"network": "defus"}'
    entities = [{"entity": "network", "value": json.loads(payload[len("/inform_network"):])["network"]}]
    slots = slots_of(events)
    messages, _ = run(ActionAnswerQuestion(), tracker("inform_network", payload, entities, **slots))
    assert "DEFUS wurde am 10. Mai 2010" in messages[0]["text"]


def test_membership_of_city_written_without_umlauts():
    messages, _ = run(ActionAnswerQuestion(), tracker(
        "ask_membership", "Ist Muenchen bei Efus?",
        [{"entity": "network", "value": "efus"}, {"entity": "city", "value": "Muenchen"}]))
    assert messages[0]["text"].startswith("Ja, München ist Mitglied von Efus.")


def test_handoff_gives_a_short_code_and_keeps_it_for_the_conversation():
    messages, events = run(ActionHandoff(), tracker("request_human", "Ich möchte mit einem Menschen sprechen"))
    code = slots_of(events)["handoff_code"]
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    assert code in messages[0]["text"] and "Callcenter der Stadt Bochum" in messages[0]["text"]
    assert "test-sender" not in messages[0]["text"]
    again, events = run(ActionHandoff(), tracker("request_human", "Mitarbeiter bitte", handoff_code=code))
    assert code in again[0]["text"] and slots_of(events)["handoff_code"] == code


def test_handoff_never_invents_a_phone_number():
    messages, _ = run(ActionHandoff(), tracker("request_human", "Telefonnummer?"))
    assert not re.search(r"\d{3,}[ /-]?\d{3,}", messages[0]["text"])
