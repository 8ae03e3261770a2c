"""Placeholders that `assistant new-intent` writes and `assistant validate` refuses until replaced."""

EXAMPLE = "BEISPIEL ERSETZEN"
ANSWER = "ANTWORT ERSETZEN"
TOPIC = "THEMA ERSETZEN"


def is_placeholder(text: str) -> bool:
    return any(marker in text for marker in (EXAMPLE, ANSWER, TOPIC))
