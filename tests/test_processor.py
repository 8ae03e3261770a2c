"""The Rasa processor hook: action replies checked as strictly as Rasa does, sessions bounded."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import processor

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "network", "value": "efus", "timestamp": None}],
     "responses": [{"text": "Efus wurde 1987 gegründet.", "buttons": []}]},
]
INVALID = [
    {"events": "slot", "responses": []},
    {"events": [{"name": "network"}], "responses": []},
    {"events": [], "responses": "Efus"},
]


@pytest.fixture()
def action() -> RemoteAction:
    return RemoteAction("action_answer_question", None)


@pytest.mark.parametrize("result", VALID)
def test_valid_action_replies_pass_as_with_rasa(action, result):
    assert RemoteAction._validate_action_result(action, result) is True
    assert processor._validate_action_result(action, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_action_replies_are_refused_as_with_rasa(action, result):
    with pytest.raises(ValidationError) as rasas:
        RemoteAction._validate_action_result(action, result)
    with pytest.raises(ValidationError) as ours:
        processor._validate_action_result(action, result)
    assert ours.value.path == rasas.value.path
    assert ours.value.validator == rasas.value.validator


def test_turns_are_counted_from_the_latest_session_start():
    events = [SessionStarted(), ActionExecuted("action_listen")]
    events += [UserUttered("Was ist Efus?"), BotUttered("Efus ist …")] * 3
    events += [SessionStarted(), ActionExecuted("action_listen"), UserUttered("Und DEFUS?")]
    tracker = DialogueStateTracker.from_events("citizen", events)
    assert processor.turns_in_session(tracker) == 1
    assert processor.turns_in_session(DialogueStateTracker.from_events("new", [])) == 0


def test_a_new_session_carries_each_slot_value_once():
    events = [SessionStarted(), SlotSet("network", "efus"), SlotSet("city", None),
              SlotSet("network", "defus"), SlotSet("question", "ask_founding"), SlotSet("network", "defus"),
              ActionExecuted("action_listen")]
    compact = processor.latest_slot_values(events)
    assert compact == [SessionStarted(), SlotSet("city", None), SlotSet("question", "ask_founding"),
                       SlotSet("network", "defus"), ActionExecuted("action_listen")]
    tracker = DialogueStateTracker.from_events("citizen", compact)
    assert tracker.get_slot("network") == "defus" and tracker.get_slot("question") == "ask_founding"


# -- citizen-typed Rasa shortcuts ("/restart", "/intent{…}") -------------------------------------------

def _offering(*payloads: str) -> DialogueStateTracker:
    buttons = [{"title": f"Knopf {n}", "payload": payload} for n, payload in enumerate(payloads)]
    return DialogueStateTracker.from_events("citizen", [
        SessionStarted(), ActionExecuted("action_listen"), UserUttered("Ist Dortmund dabei?"),
        BotUttered("Welches Netzwerk meinen Sie?", data={"buttons": buttons}),
        ActionExecuted("action_listen"),
    ])


def _typed(text: str, tracker: DialogueStateTracker | None = None, **metadata: str):
    from rasa.core.channels.channel import UserMessage

    return processor.as_typed_text(UserMessage(text, sender_id="citizen", metadata=metadata or None), tracker)


@pytest.mark.parametrize("text", ["/restart", "/session_start", '/ask_membership{"city": "x"}', " /greet",
                                  '/inform_network{"network": "efus"}@1.0', "//restart"])
def test_a_typed_shortcut_is_understood_as_its_text(text):
    typed = _typed(text, _offering('/inform_network{"network": "defus"}'))
    assert typed is not None and not typed.text.startswith("/") and typed.text == text.strip().lstrip("/")


@pytest.mark.parametrize("text", ["Wann wurde DEFUS gegründet?", "Efus / DEFUS?"])
def test_ordinary_text_is_left_alone(text):
    assert _typed(text) is None


def test_only_a_button_the_bot_offered_in_its_latest_turn_keeps_its_meaning():
    offered = _offering('/inform_network{"network": "efus"}', '/inform_network{"network": "defus"}')
    assert _typed('/inform_network{"network": "defus"}', offered) is None
    assert _typed('/inform_network{"network":  "defus"} ', offered) is None  # white space as the channels fold it
    assert _typed('/inform_network{"network": "other"}', offered) is not None
    # Once the citizen has written again, the earlier buttons are withdrawn.
    offered.update(UserUttered("Danke"))
    assert _typed('/inform_network{"network": "defus"}', offered) is not None
    assert _typed('/inform_network{"network": "defus"}', None) is not None


def test_buttons_offered_just_before_a_new_session_still_count():
    offered = _offering("/ask_city_role")
    offered.update(SessionStarted())
    offered.update(ActionExecuted("action_listen"))
    assert processor.offered_payloads(offered) == {"/ask_city_role"}


def test_the_widget_greeting_is_the_one_shortcut_sent_unasked():
    assert _typed("/greet", None, widget="opened") is None
    assert _typed("/greet", None) is not None
    assert _typed("/restart", None, widget="opened") is not None


def test_a_stored_message_keeps_what_the_next_turns_and_the_console_read_and_nothing_more():
    text = "Ich wohne in Bochum. " * 45 + "Ist Bochum bei DEFUS?"
    parse_data = {
        "intent": {"name": "ask_membership", "confidence": 0.91},
        "entities": [{"entity": "city", "start": 12, "end": 18, "value": "Bochum", "confidence_entity": 0.99,
                      "extractor": "DIETClassifier", "processors": ["EntitySynonymMapper"]}],
        "intent_ranking": [{"name": f"intent_{number}", "confidence": 0.01} for number in range(10)],
        "text_tokens": [[index, index + 5] for index in range(0, len(text), 6)],
        "text": text, "message_id": "abc", "metadata": {"widget": "message"},
    }
    said = UserUttered(text, parse_data["intent"], parse_data["entities"], parse_data, message_id="abc",
                       metadata={"widget": "message"})
    before = said.as_dict()
    said.parse_data = processor.stored_parse_data(said.parse_data)
    stored = said.as_dict()

    assert len(str(stored)) < len(str(before)) / 3
    assert [entry["name"] for entry in stored["parse_data"]["intent_ranking"]] == ["intent_0", "intent_1", "intent_2"]
    assert stored["parse_data"]["entities"] == [{"entity": "city", "start": 12, "end": 18, "value": "Bochum",
                                                 "confidence_entity": 0.99}]
    assert "text_tokens" not in stored["parse_data"] and "text" not in stored["parse_data"]
    # Loaded again, the message is the same for Rasa's policies and for the agent console.
    loaded = UserUttered.from_parameters(stored)
    assert loaded.text == text and loaded.metadata == {"widget": "message"}
    assert loaded.as_sub_state() == UserUttered.from_parameters(before).as_sub_state()
    assert loaded.parse_data["intent"] == {"name": "ask_membership", "confidence": 0.91}


def test_a_message_that_repeats_names_stores_each_once_and_a_bounded_number():
    cities = ["Bochum", "Essen", "Dortmund"] * 40 + [f"Stadt{number}" for number in range(30)]
    entities = [{"entity": "city", "start": index, "end": index + 1, "value": city, "extractor": "RegexEntityExtractor"}
                for index, city in enumerate(cities)]
    stored = processor.stored_parse_data({"intent": {"name": "ask_membership", "confidence": 0.9},
                                          "entities": entities})
    values = [entity["value"] for entity in stored["entities"]]
    assert values[:3] == ["Bochum", "Essen", "Dortmund"]
    assert len(values) == len(set(values)) == processor.STORED_ENTITIES
    # Rasa's policies see the same kinds of entity as before (they featurize each kind once).
    kinds = UserUttered("…", {"name": "ask_membership"}, stored["entities"]).as_sub_state()["entities"]
    assert set(kinds) == set(UserUttered("…", {"name": "ask_membership"}, entities).as_sub_state()["entities"])
