"""Checks a citizen's message before it reaches NLU: bounded, printable, never empty."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from assistant.privacy import redact

MAX_SENDER_CHARS = 128
_SENDER = re.compile(r"[A-Za-z0-9_.:@-]+")

EMPTY_MESSAGE = ("Ihre Nachricht ist leer. Bitte schreiben Sie Ihre Frage, zum Beispiel: "
                 "„Wann wurde DEFUS gegründet?“")
NOT_A_TEXT = "Bitte senden Sie Ihre Frage als Text im Feld „message“."
MISSING_SENDER = ("Es fehlt die Gesprächskennung („sender“). Bitte senden Sie sie mit jeder "
                  "Nachricht mit.")
INVALID_SENDER = ("Die Gesprächskennung („sender“) darf nur Buchstaben, Ziffern und . _ : @ - "
                  f"enthalten und höchstens {MAX_SENDER_CHARS} Zeichen lang sein.")
NOT_AN_OBJECT = ("Die Anfrage muss ein JSON-Objekt mit den Feldern „sender“ und „message“ sein.")


def too_long(limit: int) -> str:
    return (f"Ihre Nachricht ist leider zu lang. Bitte fassen Sie Ihre Frage kürzer "
            f"(höchstens {limit:,} Zeichen).".replace(",", "."))


@dataclass(frozen=True)
class Checked:
    """Either a clean `text` for NLU, or a German `problem` and whether it is a client error."""

    sender: str | None = None
    text: str | None = None
    problem: str | None = None
    client_error: bool = False


def clean_text(text: str) -> str:
    """Remove control and invisible format characters; fold runs of white space."""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co") and char not in "\n\t":
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def check_request(payload: Any, max_chars: int) -> Checked:
    """Validate a REST webhook body {"sender": ..., "message": ...}."""
    if not isinstance(payload, dict):
        return Checked(problem=NOT_AN_OBJECT, client_error=True)
    sender = payload.get("sender")
    if sender is None or (isinstance(sender, str) and not sender.strip()):
        return Checked(problem=MISSING_SENDER, client_error=True)
    if not isinstance(sender, str) or len(sender) > MAX_SENDER_CHARS or not _SENDER.fullmatch(sender):
        return Checked(problem=INVALID_SENDER, client_error=True)
    message = payload.get("message")
    if not isinstance(message, str):
        return Checked(sender=sender, problem=NOT_A_TEXT, client_error=True)
    return check_text(sender, message, max_chars)


def check_text(sender: str, message: str, max_chars: int) -> Checked:
    # The length is judged on what was sent, so padding a text with control characters does not
    # sneak past the limit.
    if len(message) > max_chars:
        return Checked(sender=sender, problem=too_long(max_chars))
    text = clean_text(message)
    if not text:
        return Checked(sender=sender, problem=EMPTY_MESSAGE, client_error=True)
    # Redacted before NLU, so personal data never reaches the tracker store or the logs.
    return Checked(sender=sender, text=redact(text))
