"""Client of the Rasa server for the agent console: JWT-protected HTTP API and the REST channel.

The console never hands the JWT secret to a browser: the web app signs a short-lived token per
request (HS256, the secret from RASA_JWT_SECRET) and calls the Rasa server on loopback.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import jwt
from aiohttp import ClientError, ClientSession

from assistant.server import JWT_METHOD

TOKEN_LIFETIME_SECONDS = 300
# The console's previews are conversations of their own: the REST channel issues each preview a
# new id, labelled with this ("agent-preview.<random>.<signature>"), so they never mix with
# citizens' conversations and are easy to leave out of any statistics.
PREVIEW_LABEL = "agent-preview"


class RasaUnavailable(RuntimeError):
    """The Rasa server did not answer as expected."""


class RasaApi:
    def __init__(self, base_url: str, jwt_secret: str, session: ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._secret = jwt_secret
        self.session = session

    def _headers(self) -> dict[str, str]:
        now = int(time.time())
        token = jwt.encode(
            {"user": {"username": "agent-console", "role": "admin"}, "iat": now,
             "exp": now + TOKEN_LIFETIME_SECONDS},
            self._secret, algorithm=JWT_METHOD,
        )
        return {"Authorization": f"Bearer {token}"}

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        if self.session is None:
            raise RasaUnavailable("no client session")
        try:
            async with self.session.request(method, f"{self.base_url}{path}", **kwargs) as reply:
                if reply.status == 404:
                    return None
                if reply.status != 200:
                    raise RasaUnavailable(f"{method} {path}: HTTP {reply.status}")
                return await reply.json()
        except (ClientError, TimeoutError) as error:
            raise RasaUnavailable(f"{method} {path}: {error}") from error

    async def parse(self, text: str) -> dict[str, Any]:
        """Intent, confidence and entities the NLU finds in `text` (POST /model/parse)."""
        result = await self._request("POST", "/model/parse", json={"text": text}, headers=self._headers())
        if not isinstance(result, dict):
            raise RasaUnavailable("unexpected parse result")
        return result

    async def replies(self, text: str) -> list[dict[str, Any]]:
        """What the bot answers to `text` as the first message of a fresh conversation (no
        sender id the server issued, so it issues a new one)."""
        result = await self._request("POST", "/webhooks/rest/webhook",
                                     json={"sender": PREVIEW_LABEL, "message": text})
        return result if isinstance(result, list) else []

    async def tracker(self, sender_id: str) -> dict[str, Any] | None:
        """The whole stored conversation, every session (GET /conversations/{id}/tracker)."""
        return await self._request(
            "GET", f"/conversations/{quote(sender_id, safe='')}/tracker",
            params={"include_events": "ALL"}, headers=self._headers(),
        )
