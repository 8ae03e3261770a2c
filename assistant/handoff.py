"""Handing a conversation to a person: a short code the citizen reads out on the phone."""

from __future__ import annotations

import secrets

from assistant.knowledge import Contact

# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B): the code is read out over the phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_code() -> str:
    """A random code like "K7P-4QX"; it is not the session id and reveals nothing about it."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:3]}-{raw[3:]}"


def normalize_code(text: str) -> str:
    """What an agent types ("k7p4qx", "K7P 4QX") in the form the bot gave it."""
    raw = "".join(char for char in text.upper() if char.isalnum())
    return f"{raw[:3]}-{raw[3:]}" if len(raw) == CODE_LENGTH else raw


def handoff_text(contact: Contact, code: str, unheld: str | None = None) -> str:
    """The human route; `unheld` is a detail the citizen asked for that the sources lack."""
    parts = [
        f"Zum Stichwort „{unheld}“ liegen mir keine gesicherten Informationen vor." if unheld else "",
        "Gern gebe ich Ihr Anliegen an einen Menschen weiter.",
        f"Bitte wenden Sie sich an {contact.route} und nennen Sie dort Ihren Gesprächscode: {code}.",
        "Mit diesem Code kann das Team Ihr Gespräch mit mir nachlesen, Sie müssen also nichts "
        "wiederholen.",
    ]
    routes = [
        f"Telefon: {contact.phone}" if contact.phone else "",
        f"E-Mail: {contact.email}" if contact.email else "",
        f"Internet: {contact.url}" if contact.url else "",
    ]
    reachable = [route for route in routes if route]
    text = " ".join(part for part in parts if part)
    if reachable:
        text += "\n\n" + "\n".join(reachable)
    return text
