"""One stored rating per answer, written without loading the conversation.

A citizen's thumbs up/down is stored with the conversation as an `agent` event (Rasa's event for
things said outside the dialogue; it never influences predictions), holding the rating, the
rated text and the rated answer's timestamp. A new rating of the same answer replaces the earlier
one: the old event is deleted and the new one appended, in one transaction of Rasa's own SQL
tracker store, so a conversation holds at most one rating per answer (the latest) however often
the citizen clicks.

The rated answer is looked up in SQL, by the conversation's id (an indexed column), the event type
and a substring match on its text, and only the few matching rows are read: a rating never loads and rebuilds the whole
conversation, so its cost does not grow with it (docs/benchmarks.md). The caller holds the
conversation's lock: Rasa's SQL store appends a turn's events by counting the stored ones, which
stays right when nothing changes the store in the middle of a turn.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rasa.shared.core.events import AgentUttered

if TYPE_CHECKING:
    from rasa.core.tracker_store import SQLTrackerStore
    from sqlalchemy.orm import Session

# How many of the latest answers with the same text are read to find the rated one.
CANDIDATES = 5


def store_rating(store: SQLTrackerStore, session: Session, sender_id: str, text: str, rating: str) -> bool:
    """Store `rating` of the conversation's latest answer `text`, replacing an earlier rating of
    it. False when the bot never gave that answer in this conversation."""
    rated = _latest_answer(store, session, sender_id, text)
    if rated is None:
        return False
    timestamp = rated["timestamp"]
    for row in _ratings_of(store, session, sender_id, timestamp):
        session.delete(row)
    event = AgentUttered(data={"feedback": {"rating": rating, "bot_text": text, "bot_timestamp": timestamp}})
    data = event.as_dict()
    # The row exactly as Rasa's SQLTrackerStore.save writes it.
    session.add(store.SQLEvent(sender_id=sender_id, type_name=event.type_name, timestamp=data["timestamp"],
                               intent_name=None, action_name=None, data=json.dumps(data)))
    return True


def _latest_answer(store: SQLTrackerStore, session: Session, sender_id: str, text: str) -> dict[str, Any] | None:
    event = store.SQLEvent
    # The text as it appears in the stored JSON (json.dumps, as Rasa writes it).
    needle = f'"text": {json.dumps(text)}'
    rows = (session.query(event.data)
            .filter(event.sender_id == sender_id, event.type_name == "bot",
                    event.data.contains(needle, autoescape=True))
            .order_by(event.id.desc()).limit(CANDIDATES))
    for (raw,) in rows:
        data = json.loads(raw)
        if data.get("text") == text and isinstance(data.get("timestamp"), (int, float)):
            return data
    return None


def _ratings_of(store: SQLTrackerStore, session: Session, sender_id: str, bot_timestamp: float) -> list[Any]:
    event = store.SQLEvent
    needle = f'"bot_timestamp": {json.dumps(bot_timestamp)}'
    rows = (session.query(event)
            .filter(event.sender_id == sender_id, event.type_name == "agent",
                    event.data.contains(needle, autoescape=True))
            .all())
    return [row for row in rows
            if ((json.loads(row.data).get("data") or {}).get("feedback") or {}).get("bot_timestamp") == bot_timestamp]
