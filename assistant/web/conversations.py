"""Handed-off conversations: from the code a citizen reads out to the transcript an agent sees.

The code is only in the tracker store (slot `handoff_code`, set by action_handoff), so the
sender id is looked up there, read-only, with one narrow query (SQLAlchemy: the default SQLite
store or a PostgreSQL one, see settings.tracker_store_url). The transcript itself is then
fetched through Rasa's JWT-protected HTTP API rather than from the table: Rasa owns the event
format and the locking of a conversation that is still going on, and the console sees exactly
what Rasa would. The sender id (which is also the citizen's session key) never leaves the server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from assistant.handoff import CODE_ALPHABET, CODE_LENGTH, normalize_code
from assistant.input_guard import WIDGET_GREETING

_CODE = re.compile(rf"[{CODE_ALPHABET}]{{3}}-[{CODE_ALPHABET}]{{{CODE_LENGTH - 3}}}")

# Portable SQL (SQLite and PostgreSQL alike): the slot event's JSON is matched as text, then
# checked properly in Python. The code's alphabet has no LIKE wildcards.
_BY_CODE = """
    SELECT sender_id, data FROM events
    WHERE type_name = 'slot' AND data LIKE :pattern
    ORDER BY timestamp DESC
    LIMIT 20
"""


def parse_code(text: str) -> str | None:
    """The code in the bot's form ("K7P-4QX"), or None if `text` cannot be one."""
    code = normalize_code(text)
    return code if _CODE.fullmatch(code) else None


def sqlite_url(path: Path) -> str:
    """A read-only URL of Rasa's SQLite tracker store: the console never writes to it."""
    return f"sqlite:///file:{path}?mode=ro&uri=true"


class Conversations:
    """Looks handed-off conversations up in Rasa's SQL tracker store (table `events`)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None

    async def sender_for(self, code: str) -> str | None:
        return await asyncio.to_thread(self._sender_for, code)

    def _sender_for(self, code: str) -> str | None:
        if self._engine is None:
            self._engine = create_engine(self.url, pool_pre_ping=True)
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(text(_BY_CODE), {"pattern": f'%"{code}"%'}).fetchall()
        except (OperationalError, ProgrammingError):
            return None  # no conversation stored yet (no database file or no table)
        for sender_id, data in rows:
            event = json.loads(data)
            if event.get("name") == "handoff_code" and event.get("value") == code:
                return str(sender_id)
        return None


def _time(timestamp: Any) -> str | None:
    if not isinstance(timestamp, (int, float)):
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")


def transcript(code: str, tracker: dict[str, Any]) -> dict[str, Any]:
    """What an agent needs from the stored events: who said what and when, which buttons the
    bot offered, what the NLU understood, and how the citizen rated the answers."""
    messages: list[dict[str, Any]] = []
    bot_by_timestamp: dict[float, dict[str, Any]] = {}
    # The buttons of the bot's latest turn as (title, payload): a title stands for the message
    # only where it is the title of the payload the bot offered, so no metadata a client sends
    # can hide what it wrote from the agent.
    offered: set[tuple[str, str]] = set()
    for event in tracker.get("events") or []:
        kind = event.get("event")
        metadata = event.get("metadata") or {}
        if kind == "user":
            # Only the widget's own greeting is shown as the chat opening: metadata a client sent
            # with any other text never hides that text from the agent.
            if metadata.get("widget") == "opened" and event.get("text") == WIDGET_GREETING:
                messages.append({"from": "system", "text": "Chat geöffnet", "time": _time(event.get("timestamp"))})
                continue
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            typed = event.get("text") or ""
            title = metadata.get("button_title")
            clicked = isinstance(title, str) and (title, typed) in offered
            offered = set()
            messages.append({
                "from": "citizen",
                "text": title if clicked else typed,
                "button": clicked,
                "time": _time(event.get("timestamp")),
                "intent": intent.get("name"),
                "confidence": intent.get("confidence"),
                "entities": [{"entity": found.get("entity"), "value": found.get("value")}
                             for found in parse.get("entities") or []],
            })
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = [button for button in data.get("buttons") or [] if isinstance(button, dict)]
            if buttons:
                offered = {(str(button.get("title", "")), str(button.get("payload", ""))) for button in buttons}
            message = {
                "from": "bot",
                "text": event.get("text") or "",
                "time": _time(event.get("timestamp")),
                "buttons": [button.get("title", "") for button in buttons],
                "feedback": None,
            }
            messages.append(message)
            if isinstance(event.get("timestamp"), (int, float)):
                bot_by_timestamp[event["timestamp"]] = message
        elif kind == "agent":
            feedback = (event.get("data") or {}).get("feedback")
            if isinstance(feedback, dict) and feedback.get("bot_timestamp") in bot_by_timestamp:
                # The latest rating of an answer counts: a citizen may change their mind.
                bot_by_timestamp[feedback["bot_timestamp"]]["feedback"] = feedback.get("rating")
        elif kind == "session_started" and messages:
            messages.append({"from": "system", "text": "Neue Sitzung", "time": _time(event.get("timestamp"))})
    started = next((message["time"] for message in messages if message.get("time")), None)
    return {"code": code, "started": started, "messages": messages}
