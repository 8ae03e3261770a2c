from __future__ import annotations

import datetime as dt

import pytest

from assistant.privacy import delete_conversations, parse_age, purge_conversations, redact


@pytest.mark.parametrize("text, expected", [
    ("Meine Mail: max.mustermann@example.org bitte", "Meine Mail: [entfernt] bitte"),
    ("Ruf an: 0234 / 910-1234 oder +49 234 9101234", "Ruf an: [entfernt] oder [entfernt]"),
    ("IBAN DE89 3704 0044 0532 0130 00 und DE89370400440532013000", "IBAN [entfernt] und [entfernt]"),
])
def test_personal_data_is_replaced(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Wann wurde DEFUS am 10.05.2010 gegründet?",
    "Hat Efus 250 Mitglieder aus 17 Ländern?",
    "Ist die Postleitzahl 44787 in Bochum?",
    "Was war 1987 in Barcelona?",
])
def test_questions_with_numbers_stay_as_they_are(text):
    assert redact(text) == text


def test_ages_are_read_as_days_weeks_months_years():
    assert parse_age("30d") == dt.timedelta(days=30)
    assert parse_age("2w") == dt.timedelta(days=14)
    assert parse_age(" 6m ") == dt.timedelta(days=180)
    with pytest.raises(ValueError):
        parse_age("dreißig Tage")


# -- deleting conversations: one function for `assistant purge`, the hourly purge and the widget --


def rasa_store(path):
    """Rasa's own SQL tracker store on a fresh SQLite file: the real table and event format."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))


async def store_conversation(store, sender_id, *turns):
    """Save a conversation: each turn a question, or (question, timestamp), and its answer."""
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender_id, slots=[])
    for turn in turns:
        text, at = turn if isinstance(turn, tuple) else (turn, None)
        tracker.update(UserUttered(text, timestamp=at))
        tracker.update(BotUttered(f"Antwort auf {text}", timestamp=at))
    await store.save(tracker)


def stored_senders(store):
    import sqlalchemy as sa

    with store.engine.connect() as connection:
        return {row[0]: row[1] for row in connection.execute(
            sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))}


@pytest.mark.asyncio
async def test_deleting_a_conversation_removes_all_its_events_and_nothing_else(tmp_path):
    store = rasa_store(tmp_path / "tracker.db")
    await store_conversation(store, "citizen-a", "Was ist Efus?", "Und DEFUS?")
    await store_conversation(store, "citizen-b", "Wann wurde DEFUS gegründet?")

    with store.session_scope() as session:
        deleted = delete_conversations(session, ["citizen-a"])
        session.commit()

    assert deleted == 4
    assert stored_senders(store) == {"citizen-b": 2}
    assert await store.retrieve("citizen-a") is None
    assert [event.text for event in (await store.retrieve("citizen-b")).events][:1] == ["Wann wurde DEFUS gegründet?"]


@pytest.mark.asyncio
async def test_deleting_an_unknown_or_no_conversation_deletes_nothing(tmp_path):
    store = rasa_store(tmp_path / "tracker.db")
    await store_conversation(store, "citizen-a", "Was ist Efus?")
    with store.session_scope() as session:
        assert delete_conversations(session, ["niemand", "citizen-a'; DROP TABLE events; --"]) == 0
        assert delete_conversations(session, []) == 0
        session.commit()
    assert stored_senders(store) == {"citizen-a": 2}


@pytest.mark.asyncio
async def test_purge_deletes_conversations_whose_latest_event_is_older_than_the_period(tmp_path):
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
    days_ago = lambda days: (now - dt.timedelta(days=days)).timestamp()  # noqa: E731
    store = rasa_store(tmp_path / "tracker.db")
    await store_conversation(store, "old", ("Was ist Efus?", days_ago(31)))
    await store_conversation(store, "old-but-active", ("Was ist Efus?", days_ago(40)), ("Und DEFUS?", days_ago(2)))
    await store_conversation(store, "recent", ("Was ist DEFUS?", days_ago(29)))

    # The same function and SQL through the CLI's own engine (`assistant purge`).
    assert purge_conversations(f"sqlite:///{tmp_path / 'tracker.db'}", dt.timedelta(days=30), now=now) == 1
    assert set(stored_senders(store)) == {"old-but-active", "recent"}
