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
# A conversation over its stored-events cap (settings.max_conversation_events): the widget's
# „Gespräch löschen“ and a REST request without „sender“ both begin a new one.
CONVERSATION_FULL = ("Dieses Gespräch ist sehr lang geworden, daher kann ich darin keine weiteren Nachrichten "
                     "annehmen. Bitte beginnen Sie ein neues Gespräch, zum Beispiel über „Gespräch löschen“ im "
                     "Chatfenster.")
# The one "/…" message a client may send unasked (assistant/processor.py): the widget's greeting
# when it opens, with metadata {"widget": "opened"}; it is answered with the greeting.
WIDGET_GREETING = "/greet"


def well_formed_sender(sender: object) -> bool:
    """Whether `sender` can name a conversation at all (letters, digits, ._:@-, at most 128)."""
    return isinstance(sender, str) and len(sender) <= MAX_SENDER_CHARS and bool(_SENDER.fullmatch(sender))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def only_last_question(limit: int, asked: bool = True) -> str:
    """The sentence in front of the answer to a message over the limit (never its text);
    `asked`: whether a sentence ending in "?" was answered, rather than the message's end."""
    count = f"{limit:,}".replace(",", ".")
    part = "die letzte Frage darin" if asked else "ihren letzten Teil"
    return f"Ihre Nachricht ist länger als {count} Zeichen, daher habe ich nur {part} beantwortet."


def last_question(text: str, limit: int) -> str:
    """The part of a long message that is answered: its last sentence ending in "?", else its
    end; either cut to at most `limit` characters at a word boundary ("" when there is none).

    A citizen's long story usually ends with the one question it is about; the rest is context
    that the intent model would only be confused by, and that would cost more per message.
    """
    questions = [part for part in _SENTENCE_END.split(text) if part.rstrip().endswith("?")]
    candidate = (questions[-1] if questions else text).strip()
    if len(candidate) > limit:
        tail = candidate[-limit:]
        space = tail.find(" ")
        candidate = tail[space + 1:].strip() if space >= 0 else ""
    return candidate


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
    notice: str | None = None  # a sentence the reply starts with (only part of the text answered)


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


def check_request(payload: Any, max_chars: int, last_question_only: bool = True) -> Checked:
    """Validate a REST webhook body {"sender": ..., "message": ...}."""
    if not isinstance(payload, dict):
        return Checked(problem=NOT_AN_OBJECT, client_error=True)
    sender = payload.get("sender")
    if sender is None or (isinstance(sender, str) and not sender.strip()):
        return Checked(problem=MISSING_SENDER, client_error=True)
    if not well_formed_sender(sender):
        return Checked(problem=INVALID_SENDER, client_error=True)
    message = payload.get("message")
    if not isinstance(message, str):
        return Checked(sender=sender, problem=NOT_A_TEXT, client_error=True)
    return check_text(sender, message, max_chars, last_question_only)


def check_text(sender: str, message: str, max_chars: int, last_question_only: bool = False) -> Checked:
    """A citizen's message, cleaned and redacted; over `max_chars`, refused, or with
    `last_question_only` reduced to its last question (`notice` then says so)."""
    # The length is judged on what was sent, so padding a text with control characters does not
    # sneak past the limit.
    if len(message) > max_chars:
        question = last_question(clean_text(message), max_chars) if last_question_only else ""
        if not question:
            return Checked(sender=sender, problem=too_long(max_chars))
        return Checked(sender=sender, text=redact(question),
                       notice=only_last_question(max_chars, asked=question.endswith("?")))
    text = clean_text(message)
    if not text:
        return Checked(sender=sender, problem=EMPTY_MESSAGE, client_error=True)
    # Redacted before NLU, so personal data never reaches the tracker store or the logs.
    return Checked(sender=sender, text=redact(text))
