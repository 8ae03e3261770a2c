"""Cost of a citizen's rating (socket.io `feedback`) as the conversation's ratings pile up:
the earlier way (load the whole conversation, append an event, save) against the current one
(assistant/ratings.py: replace the answer's rating in SQL). In process, on a fresh SQLite tracker
store like the Rasa server's; not part of `make bench`.

    python -m bench.ratings [--ratings 1250]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, AgentUttered, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.deletion import in_transaction
from assistant.ratings import store_rating
from assistant.settings import PROJECT_ROOT

ANSWER = "DEFUS wurde am 10. Mai 2010 in Berlin gegründet."


async def appended(store: SQLTrackerStore, sender_id: str, rating: str) -> None:
    """The earlier store_feedback: the whole conversation loaded and saved for every rating."""
    tracker = await store.retrieve(sender_id)
    rated = next(event for event in reversed(tracker.events) if isinstance(event, BotUttered) and event.text == ANSWER)
    tracker.update(AgentUttered(data={"feedback": {"rating": rating, "bot_text": ANSWER,
                                                   "bot_timestamp": rated.timestamp}}))
    await store.save(tracker)


async def replaced(store: SQLTrackerStore, sender_id: str, rating: str) -> None:
    in_transaction(store, lambda session: store_rating(store, session, sender_id, ANSWER, rating))


async def measure(way: Callable, domain: Domain, ratings: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLTrackerStore(domain, dialect="sqlite", db=str(Path(folder) / "tracker.db"))
        sender_id = "bench"
        tracker = DialogueStateTracker(sender_id, domain.slots)
        for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                      UserUttered("Wann wurde DEFUS gegründet?", {"name": "ask_founding", "confidence": 0.9}),
                      ActionExecuted("action_answer"), BotUttered(ANSWER), ActionExecuted("action_listen")):
            tracker.update(event)
        await store.save(tracker)
        times = []
        for number in range(ratings):
            started = time.perf_counter()
            await way(store, sender_id, ("positive", "negative")[number % 2])
            times.append((time.perf_counter() - started) * 1000)
        with store.session_scope() as session:
            events = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender_id).count()
        return {"events": events, "first_50_ms": statistics.median(times[:50]),
                "at_500_ms": statistics.median(times[475:525]), "last_50_ms": statistics.median(times[-50:])}


async def main(ratings: int) -> None:
    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    for name, way in (("appended (before)", appended), ("replaced (now)", replaced)):
        figures = await measure(way, domain, ratings)
        print(f"{name:18} {ratings} ratings → {figures['events']} stored events; median ms per rating: "
              f"first 50 {figures['first_50_ms']:.2f}, around 500 {figures['at_500_ms']:.2f}, "
              f"last 50 {figures['last_50_ms']:.2f}")


if __name__ == "__main__":
    import asyncio

    parser = argparse.ArgumentParser()
    parser.add_argument("--ratings", type=int, default=1250)
    asyncio.run(main(parser.parse_args().ratings))
