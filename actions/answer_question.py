"""Answers every knowledge question (and follow-ups that only name a network)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send, turn_from
from actions.handoff import hand_off
from actions.knowledge import answerer


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reply = answerer().reply(turn_from(tracker))
        # A citizen who wants a person, in words the intent model took for a question.
        return hand_off(dispatcher, tracker) if reply.handoff else send(dispatcher, reply)
