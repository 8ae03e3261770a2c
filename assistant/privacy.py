"""Privacy by design: personal data in citizens' messages is never stored, old conversations go.

E-mail addresses, phone numbers and IBANs are replaced before a message reaches NLU or the
tracker store. None of them is needed to answer a question about the city networks.

Deleting conversations is plain SQL on Rasa's `events` table, for an SQLAlchemy connection or
session, so the editors' `assistant purge`, the Rasa server's hourly purge and a citizen's own
"Gespräch löschen" (assistant/deletion.py) share one implementation.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# IBAN: two letters, two check digits, 11-30 alphanumerics, optionally grouped by spaces.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
# Phone numbers: +49 / 0049 / 0 followed by at least 6 more digits, with common separators.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d ()/.-]{5,}\d(?!\w)")

REPLACEMENTS = (
    (EMAIL, "[entfernt]"),
    (IBAN, "[entfernt]"),
    (PHONE, "[entfernt]"),
)


def _is_phone(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group(0))
    # Years ("2010"), dates and short numbers are not phone numbers; phone numbers have 7+ digits
    # and start with 0 or a country prefix.
    return len(digits) >= 7 and (match.group(0).startswith(("+", "00", "0")))


def redact(text: str) -> str:
    """The text with e-mail addresses, IBANs and phone numbers replaced by a German marker."""
    for pattern, marker in REPLACEMENTS:
        if pattern is PHONE:
            text = pattern.sub(lambda m, marker=marker: marker if _is_phone(m) else m.group(0), text)
        else:
            text = pattern.sub(marker, text)
    return text


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
