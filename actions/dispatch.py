"""Translating between Rasa's tracker/dispatcher and the assistant's plain types."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.answering import FOLLOW_UP_INTENT, Context, Reply, Turn
from assistant.citations import SOURCES_KEY, sources_payload


def entity_values(tracker: Tracker, entity: str) -> tuple[str, ...]:
    values = []
    for found in tracker.latest_message.get("entities", []):
        value = found.get("value")
        if found.get("entity") == entity and isinstance(value, str) and value not in values:
            values.append(value)
    return tuple(values)


def turn_from(tracker: Tracker) -> Turn:
    intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
    context = Context(
        network=tracker.get_slot("network"),
        question=tracker.get_slot("question"),
        city=tracker.get_slot("city"),
        referent=tracker.get_slot("referent"),
        answered=tuple(value for value in tracker.get_slot("answered") or [] if isinstance(value, str)),
    )
    ranking = tuple(entry.get("name") for entry in tracker.latest_message.get("intent_ranking") or []
                    if isinstance(entry, dict) and isinstance(entry.get("name"), str))
    return Turn(
        intent=intent,
        text=tracker.latest_message.get("text") or "",
        networks=entity_values(tracker, "network"),
        cities=entity_values(tracker, "city"),
        context=context,
        ranking=ranking,
    )


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[dict[str, Any]]:
    for message in reply.messages:
        if message.response:
            dispatcher.utter_message(response=message.response)
            continue
        buttons = [
            {"title": choice.title,
             "payload": f"/{choice.question or FOLLOW_UP_INTENT}"
                        + (json.dumps({"network": choice.network}) if choice.network else "")}
            for choice in message.choices
        ]
        # The footer's sources go beside the text as a custom payload; our channels merge it into
        # the widget's message (socket.io) or drop it (REST keeps the plain-text footer).
        sources = sources_payload(message.sources)
        dispatcher.utter_message(text=message.text, buttons=buttons or None,
                                 json_message={SOURCES_KEY: sources} if sources else None)
    return [
        SlotSet("network", reply.context.network),
        SlotSet("question", reply.context.question),
        SlotSet("city", reply.context.city),
        SlotSet("referent", reply.context.referent),
        SlotSet("answered", list(reply.context.answered)),
    ]
