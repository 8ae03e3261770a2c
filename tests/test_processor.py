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
