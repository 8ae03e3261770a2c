"""Every error of our public servers in German, as JSON {"error": "…"}.

The texts per HTTP status are shared by the Rasa server (Sanic, installed here by `install`)
and the web app (aiohttp, assistant/web/middlewares.py). (The action server listens on loopback
for the Rasa server only, which reads rasa-sdk's own error bodies; it is left as it is.)

On the Rasa server, Sanic's own error pages (English HTML or text: 404, 405, 413, a malformed
request), Rasa's English API errors and python-engineio's plain-text refusals all pass one
response middleware that puts the German text in their place, keeping status and headers
(Allow, CORS). Replies that already are German JSON (our channels' 400s) pass unchanged. A JWT
that PyJWT refuses for a reason sanic-jwt does not catch (another algorithm such as "none",
RS256 or HS512; a missing claim) is a 401 here, not a 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable

logger = logging.getLogger(__name__)

REQUEST_MAX_KB = 64

MESSAGES = {
    400: "Die Anfrage ist ungültig. Bitte prüfen Sie sie und versuchen Sie es erneut.",
    401: "Für diese Anfrage ist eine gültige Anmeldung nötig (ein gültiges Zugangstoken).",
    403: "Für diese Anfrage fehlt Ihnen die Berechtigung.",
    404: "Diese Adresse gibt es nicht.",
    405: "Diese Anfrage ist hier nicht möglich.",
    408: "Die Anfrage hat zu lange gedauert. Bitte versuchen Sie es erneut.",
    413: f"Die Anfrage ist zu groß. Erlaubt sind höchstens {REQUEST_MAX_KB} KB.",
    414: "Die Adresse der Anfrage ist zu lang.",
    429: "Sie haben zu viele Anfragen gesendet. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
    431: "Die Kopfzeilen der Anfrage sind zu groß.",
    500: "Entschuldigung, es ist ein technischer Fehler aufgetreten. Bitte versuchen Sie es erneut.",
    503: "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.",
}


def message(status: int, allowed: str | None = None) -> str:
    """The German text for an error status; for a 405 with the methods that are allowed."""
    text = MESSAGES.get(status) or MESSAGES[500 if status >= 500 else 400]
    if status == 405 and allowed:
        text = f"{text[:-1]}: Erlaubt ist hier nur {allowed}."
    return text


def body(status: int, allowed: str | None = None) -> str:
    return json.dumps({"error": message(status, allowed)}, ensure_ascii=False)


def is_german_error(content_type: str | None, raw: bytes | None) -> bool:
    """Whether a response body already is our {"error": "…"} JSON."""
    if not raw or not (content_type or "").startswith("application/json"):
        return False
    try:
        parsed: Any = json.loads(raw)
    except ValueError:
        return False
    return isinstance(parsed, dict) and isinstance(parsed.get("error"), str)


def install(app: Any) -> None:
    """German JSON errors for every response of this Sanic app, and 401 for any refused JWT."""
    import jwt
    from sanic import response as sanic_response
    from sanic.exceptions import PayloadTooLarge

    # Not a coroutine: Sanic-CORS adds its headers only to the responses of plain handlers.
    @app.exception(jwt.exceptions.PyJWTError)
    def refused_token(request: Any, exception: Exception) -> Any:
        logger.info("Refused a JWT for %s %s (%s)", request.method, request.path, type(exception).__name__)
        return sanic_response.json({"error": message(401)}, status=401, dumps=_dumps)

    # Sanic refuses headers over its limit as "payload too large"; it is the headers: 431.
    # Sanic keeps one handler per exception, so channels that must also act on a refused body
    # (socket.io's long-polling) register a hook instead of a handler of their own.
    @app.exception(PayloadTooLarge)
    def too_large(request: Any, exception: Exception) -> Any:
        for hook in _too_large_hooks(app):
            hook(request, exception)
        status = 431 if "header" in str(exception).lower() else 413
        return sanic_response.json({"error": message(status)}, status=status, dumps=_dumps)

    @app.on_response
    async def german(request: Any, response: Any) -> Any:
        status = getattr(response, "status", 200)
        if status < 400 or not hasattr(response, "body"):
            return None
        if is_german_error(response.content_type, response.body):
            return None
        headers = {name: value for name, value in response.headers.items()
                   if name.lower() not in ("content-type", "content-length")}
        return sanic_response.json({"error": message(status, response.headers.get("Allow"))}, status=status,
                                   headers=headers, dumps=_dumps)


def on_too_large(app: Any, hook: Callable[[Any, Exception], None]) -> None:
    """Call `hook(request, exception)` whenever this app refuses a request as too large, before
    the German 413/431 goes out."""
    _too_large_hooks(app).append(hook)


def _too_large_hooks(app: Any) -> list[Callable[[Any, Exception], None]]:
    if not hasattr(app.ctx, "too_large_hooks"):
        app.ctx.too_large_hooks = []
    return app.ctx.too_large_hooks


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
