"""Conversation ids that only the server issues: 144 random bits plus an HMAC over them.

A client cannot pick, guess or reuse someone else's id: it either presents an id this server
issued (and keeps the conversation) or gets a new one. Both channels sign with the same key
(ASSISTANT_SESSION_SECRET, so every replica accepts every id) but for different purposes, so a
socket.io session id is no REST sender id and the other way round.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

NONCE_BYTES = 18  # 144 bits, 24 URL-safe characters
SIGNATURE_CHARS = 22  # 132 bits of the HMAC-SHA256
MAX_LABEL_CHARS = 64
_LABEL = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_LABEL_CHARS}}}")


class SessionIds:
    """socket.io session ids: "<nonce>.<signature>"."""

    _FORMAT = re.compile(r"[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}")
    _PURPOSE = b"socketio-session:"

    def __init__(self, key: str) -> None:
        self._key = key.encode("utf-8")

    def _signature(self, signed: str) -> str:
        digest = hmac.new(self._key, self._PURPOSE + signed.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[:SIGNATURE_CHARS]

    def issue(self) -> str:
        nonce = secrets.token_urlsafe(NONCE_BYTES)
        return f"{nonce}.{self._signature(nonce)}"

    def is_valid(self, candidate: object) -> bool:
        if not isinstance(candidate, str) or not self._FORMAT.fullmatch(candidate):
            return False
        signed, signature = candidate.rsplit(".", 1)
        return hmac.compare_digest(signature, self._signature(signed))


class RestSenderIds(SessionIds):
    """REST sender ids: "<label>.<nonce>.<signature>".

    The label is the client's own name for the conversation ("bench-load-3", "agent-preview")
    when it sent a plain one, else "rest"; it only makes the stored conversations readable for
    operators and benchmarks. It is signed with the nonce, so it is never a key by itself.
    """

    _FORMAT = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_LABEL_CHARS}}}\.[A-Za-z0-9_-]{{24}}\.[A-Za-z0-9_-]{{22}}")
    _PURPOSE = b"rest-sender:"
    DEFAULT_LABEL = "rest"

    def issue(self, label: object = None) -> str:  # type: ignore[override]
        label = label if isinstance(label, str) and _LABEL.fullmatch(label) else self.DEFAULT_LABEL
        signed = f"{label}.{secrets.token_urlsafe(NONCE_BYTES)}"
        return f"{signed}.{self._signature(signed)}"


def loggable(conversation_id: str) -> str:
    """The id without its signature: names the conversation in a log without being usable."""
    return conversation_id.rsplit(".", 1)[0] + ".…" if "." in conversation_id else "…"
