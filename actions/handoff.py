"""Gives a citizen who asks for a person the human route and a short conversation code."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import answerer, knowledge_base
from assistant.handoff import handoff_text, new_code


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The human route with the conversation's code."""
    # One code per conversation: asking twice must not invalidate the code already given.
    code = tracker.get_slot("handoff_code") or new_code()
    unheld = answerer().unheld_detail(tracker.latest_message.get("text") or "")
    dispatcher.utter_message(text=handoff_text(knowledge_base().contact, code, unheld))
    return [SlotSet("handoff_code", code)]


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return hand_off(dispatcher, tracker)
