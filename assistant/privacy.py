"""Privacy by design: personal data in citizens' messages is never stored, old conversations go.

E-mail addresses, phone numbers and IBANs are replaced before a message reaches NLU or the
tracker store. None of them is needed to answer a question about the city networks.
"""

from __future__ import annotations

import datetime as dt
import re

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


def purge_conversations(db_url: str, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete every conversation whose latest event is older than `older_than`; return how many."""
    import sqlalchemy as sa

    cutoff = ((now or dt.datetime.now(dt.timezone.utc)) - older_than).timestamp()
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as connection:
            stale = [row[0] for row in connection.execute(sa.text(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"),
                {"cutoff": cutoff})]
            for start in range(0, len(stale), 500):
                connection.execute(sa.text("DELETE FROM events WHERE sender_id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)), {"ids": stale[start:start + 500]})
    finally:
        engine.dispose()
    return len(stale)
