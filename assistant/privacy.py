"""Privacy by design: personal data in citizens' messages is never stored, old conversations go.

Personal data (e-mail addresses, phone numbers, IBANs, card numbers, tax, ID card and insurance
numbers, dates of birth) is replaced before a message reaches NLU or the tracker store, by
well-kept validators where they exist (assistant/redaction.py). None of it is needed to answer
a question about the city networks.

Deleting conversations is plain SQL on Rasa's `events` table, for an SQLAlchemy connection or
session, so the editors' `assistant purge`, the Rasa server's hourly purge and a citizen's own
"Gespräch löschen" (assistant/deletion.py) share one implementation.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterable

from assistant.redaction import redact

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

__all__ = ["delete_conversations", "parse_age", "purge", "purge_conversations", "redact",
           "stale_conversations"]


def parse_age(text: str) -> dt.timedelta:
    """"30d", "12w", "6m" (months of 30 days) or "1y" as a timedelta."""
    match = re.fullmatch(r"\s*(\d+)\s*([dwmy])\s*", text.lower())
    if not match:
        raise ValueError(f"unknown age {text!r}: use e.g. 30d, 12w, 6m or 1y")
    number, unit = int(match.group(1)), match.group(2)
    days = {"d": 1, "w": 7, "m": 30, "y": 365}[unit] * number
    return dt.timedelta(days=days)


def delete_conversations(db: Connection | Session, sender_ids: Iterable[str]) -> int:
    """Delete every stored event of these conversations from Rasa's SQL tracker store (table
    `events`, SQLite or PostgreSQL); return how many events went.

    The one deletion both paths use: `assistant purge` and the hourly purge of old
    conversations, and a citizen's "Gespräch löschen" in the widget. The caller commits.
    """
    import sqlalchemy as sa

    ids = list(dict.fromkeys(sender_ids))
    statement = sa.text("DELETE FROM events WHERE sender_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    deleted = 0
    # In batches: databases limit the number of bound parameters in one statement.
    for start in range(0, len(ids), 500):
        deleted += db.execute(statement, {"ids": ids[start:start + 500]}).rowcount
    return deleted


def stale_conversations(db: Connection | Session, older_than: dt.timedelta,
                        now: dt.datetime | None = None) -> list[str]:
    """The conversations whose latest event is older than `older_than`."""
    import sqlalchemy as sa

    cutoff = ((now or dt.datetime.now(dt.timezone.utc)) - older_than).timestamp()
    return [row[0] for row in db.execute(sa.text(
        "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"),
        {"cutoff": cutoff})]


def purge(db: Connection | Session, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete every conversation whose latest event is older than `older_than`; return how many.
    The caller commits."""
    stale = stale_conversations(db, older_than, now)
    delete_conversations(db, stale)
    return len(stale)


def purge_conversations(db_url: str, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """`purge` on the tracker store at `db_url` (an SQLAlchemy URL), in one transaction."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as connection:
            return purge(connection, older_than, now)
    finally:
        engine.dispose()
