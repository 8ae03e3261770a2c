"""Reading Rasa's SQL tracker store (table `events`), read-only, with any SQLAlchemy URL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from assistant.settings import Settings


class TrackerStoreError(Exception):
    """The conversations cannot be read; the message says why, in German."""


@dataclass(frozen=True)
class Event:
    conversation: str  # the sender id: used to keep turns together, never shown
    type_name: str
    timestamp: float
    intent_name: str | None
    action_name: str | None
    data: dict[str, Any]


def default_url(settings: Settings) -> str:
    return f"sqlite:///{settings.var_dir / 'tracker.db'}"


def describe(url: str) -> str:
    """The URL as it may be shown: without a password."""
    try:
        return make_url(url).__repr__()
    except ArgumentError:
        return url


def engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise TrackerStoreError(f"„{url}“ ist keine gültige Datenbank-Adresse. Beispiele: "
                                "sqlite:///var/tracker.db oder postgresql://benutzer@server/rasa") from exc
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or not path.is_file():
            raise TrackerStoreError(f"Unter {path} gibt es keinen Gesprächsspeicher. Hat der Assistent schon "
                                    "Gespräche geführt (make run)? Einen anderen Speicher geben Sie mit "
                                    "--db-url an.")
        # Read-only: a report never changes or creates the store.
        url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
    try:
        return sa.create_engine(url)
    except (NoSuchModuleError, ImportError) as exc:
        raise TrackerStoreError(f"Für {describe(url)} fehlt der Datenbanktreiber ({exc}). Wenden Sie sich "
                                "an die Technik.") from exc


def events(url: str, since: float | None = None, until: float | None = None,
           conversation: str | None = None, newest_first: bool = False) -> Iterator[Event]:
    """Events in the order Rasa stored them (per conversation), optionally within a time range."""
    query = ("SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
             "WHERE 1 = 1")
    params: dict[str, Any] = {}
    if since is not None:
        query += " AND timestamp >= :since"
        params["since"] = since
    if until is not None:
        query += " AND timestamp < :until"
        params["until"] = until
    if conversation is not None:
        query += " AND sender_id = :conversation"
        params["conversation"] = conversation
    query += " ORDER BY sender_id, id" + (" DESC" if newest_first else "")
    database = engine(url)
    try:
        with database.connect() as connection:
            for row in connection.execute(sa.text(query), params):
                try:
                    data = json.loads(row.data) if row.data else {}
                except (TypeError, ValueError):
                    data = {}
                yield Event(row.sender_id, row.type_name, float(row.timestamp or 0), row.intent_name,
                            row.action_name, data)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise TrackerStoreError(f"Der Gesprächsspeicher {describe(url)} lässt sich nicht lesen ({reason}). Ist "
                                "es ein Rasa-SQL-Tracker-Store mit der Tabelle „events“?") from exc
    finally:
        database.dispose()
