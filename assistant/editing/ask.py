"""`assistant ask "…"`: one question to the running assistant, with what its NLU understood.

The reply comes from the running bot over its REST webhook, exactly as a citizen gets it. The
detected intent and confidence are read afterwards from the bot's own tracker store: that is what
the running model understood, it needs neither Rasa's HTTP API (off here, and it would need
authentication) nor loading a second copy of the model (TensorFlow, ~15 s and ~1 GB).

The bot issues the conversation's id with its reply (header X-Sender-Id); a follow-up question
continues the conversation only with that id (`--sender`).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from assistant.editing.tracker_store import TrackerStoreError, events

SENDER_HEADER = "X-Sender-Id"


class AskError(Exception):
    """No reply from the bot; the message says why, in German."""


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[str, ...] = ()


@dataclass
class Answer:
    replies: list[Reply]
    intent: str | None = None
    confidence: float | None = None
    entities: list[tuple[str, str]] = field(default_factory=list)
    understanding_error: str | None = None  # why intent/confidence are missing
    sender: str | None = None  # the conversation's id, as the bot issued it: for follow-ups

    def as_json(self) -> dict[str, Any]:
        return {
            "replies": [{"text": reply.text, "buttons": list(reply.buttons)} for reply in self.replies],
            "intent": self.intent,
            "confidence": self.confidence,
            "entities": [{"entity": entity, "value": value} for entity, value in self.entities],
            "sender": self.sender,
        }


def new_sender() -> str:
    return f"redaktion-{uuid.uuid4().hex[:12]}"


def send(rasa_url: str, sender: str, message: str, timeout: float = 60) -> tuple[list[Reply], str]:
    """The bot's replies, and the id of the conversation (`sender` if the bot issued it)."""
    if not rasa_url.startswith(("http://", "https://")):
        raise AskError(f"„{rasa_url}“ ist keine Web-Adresse; sie beginnt mit http:// oder https://.")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        f"{rasa_url.rstrip('/')}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the bot's URL
            body = json.loads(response.read() or b"[]")
            issued = response.headers.get(SENDER_HEADER) or sender
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read() or b"{}").get("error", "")
        except ValueError:
            detail = ""
        raise AskError(f"Der Assistent hat die Frage abgelehnt (HTTP {exc.code}). {detail}".strip()) from exc
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
        raise AskError(f"Der Assistent antwortet nicht unter {rasa_url}. Läuft er? Starten Sie ihn mit "
                       "„make run“ oder geben Sie mit --url die richtige Adresse an.") from exc
    return [Reply(item.get("text", ""), tuple(button.get("title", "") for button in item.get("buttons") or []))
            for item in body if isinstance(item, dict)], issued


def understood(db_url: str, sender: str, since: float) -> tuple[str | None, float | None, list[tuple[str, str]]]:
    """Intent, confidence and entities of the conversation's latest message sent after `since`."""
    for event in events(db_url, since=since, conversation=sender, newest_first=True):
        if event.type_name == "user":
            parse = event.data.get("parse_data") or {}
            intent = parse.get("intent") or {}
            entities = [(str(item.get("entity")), str(item.get("value"))) for item in parse.get("entities") or []]
            return intent.get("name") or event.intent_name, intent.get("confidence"), entities
    return None, None, []


def ask(rasa_url: str, db_url: str, message: str, sender: str | None = None) -> Answer:
    sender = sender or new_sender()
    sent = time.time() - 1  # Rasa stamps the event itself; allow for rounding
    replies, sender = send(rasa_url, sender, message)
    answer = Answer(replies, sender=sender)
    try:
        answer.intent, answer.confidence, answer.entities = understood(db_url, sender, sent)
        if answer.intent is None:
            answer.understanding_error = ("Im Gesprächsspeicher steht diese Frage nicht. Hat der Assistent sie "
                                          "abgelehnt (z. B. weil sie zu lang ist), oder nutzt er einen anderen "
                                          "Speicher (--db-url)?")
    except TrackerStoreError as exc:
        answer.understanding_error = str(exc)
    return answer
