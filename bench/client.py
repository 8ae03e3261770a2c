"""A small aiohttp client for the assistant's REST webhook and Rasa's /model/parse, timing each call.

A reply counts as an error when the request fails, the status is not 200, the body is not what
the endpoint returns, or the assistant apologised for a technical error (it does so with status
200 when something inside Rasa or an action failed).

The REST channel issues the conversation ids. Callers name a conversation by a label of their
own ("blind-1a2b…"); its first message gets the id the server issues (header X-Sender-Id),
and every later message with that label sends that id, so multi-turn conversations keep their
context. `conversation_id` gives the id a labelled conversation is stored under.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import aiohttp

REQUEST_TIMEOUT_S = 60.0
SENDER_HEADER = "X-Sender-Id"
# (base URL, label) -> the sender id the server issued for that conversation.
_ISSUED: dict[tuple[str, str], str] = {}
# Both of the assistant's apologies for an internal failure contain this: the REST channel's
# (exception inside Rasa) and the message processor's (failed or timed-out action).
TECHNICAL_ERROR = "technischer Fehler"


@dataclass(frozen=True)
class Exchange:
    latency_s: float
    ok: bool
    text: str = ""
    error: str | None = None


def session(connections: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S))


def reply_text(replies: list[dict[str, Any]]) -> str:
    parts = []
    for reply in replies:
        parts.append(reply.get("text", ""))
        parts.extend(button.get("title", "") for button in reply.get("buttons") or [])
    return "\n".join(part for part in parts if part)


def conversation_id(base_url: str, sender: str) -> str:
    """The id conversation `sender` (a label) is stored under, once its first message is sent."""
    return _ISSUED.get((base_url, sender), sender)


async def send_message(http: aiohttp.ClientSession, base_url: str, sender: str, message: str) -> Exchange:
    """One message of conversation `sender` (a label) through the REST webhook, as a client
    that keeps its conversation sends it."""
    started = time.perf_counter()
    try:
        async with http.post(f"{base_url}/webhooks/rest/webhook",
                             json={"sender": conversation_id(base_url, sender), "message": message}) as response:
            body = await response.json(content_type=None)
            status = response.status
            issued = response.headers.get(SENDER_HEADER)
            if issued:
                _ISSUED.setdefault((base_url, sender), issued)
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        return Exchange(time.perf_counter() - started, False, error=f"{type(error).__name__}: {error}")
    latency = time.perf_counter() - started
    if status != 200 or not isinstance(body, list) or not body:
        return Exchange(latency, False, error=f"HTTP {status}: {str(body)[:200]}")
    text = reply_text(body)
    if TECHNICAL_ERROR in text:
        return Exchange(latency, False, text, error="technical problem reply")
    return Exchange(latency, True, text)


async def parse(http: aiohttp.ClientSession, base_url: str, message: str, token: str) -> Exchange:
    """NLU only: Rasa's /model/parse of the same model, the floor a message cannot beat."""
    started = time.perf_counter()
    try:
        async with http.post(f"{base_url}/model/parse", json={"text": message},
                             headers={"Authorization": f"Bearer {token}"}) as response:
            body = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        return Exchange(time.perf_counter() - started, False, error=f"{type(error).__name__}: {error}")
    latency = time.perf_counter() - started
    if status != 200 or not isinstance(body, dict) or "intent" not in body:
        return Exchange(latency, False, error=f"HTTP {status}: {str(body)[:200]}")
    return Exchange(latency, True, (body.get("intent") or {}).get("name") or "")
