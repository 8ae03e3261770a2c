"""Middlewares: German error replies, the agents' bearer token, and security headers."""

from __future__ import annotations

import hmac
import logging
from typing import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from assistant.web import keys
from assistant.web.views import error, web_json

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

NEEDS_LOGIN = "Bitte melden Sie sich mit Ihrem Zugangsschlüssel an."
INVALID_KEY = "Der Zugangsschlüssel ist nicht gültig. Bitte prüfen Sie ihn und melden Sie sich erneut an."
MESSAGES = {
    404: "Diese Seite gibt es nicht.",
    405: "Diese Anfrage ist hier nicht möglich.",
    413: "Die Anfrage ist zu groß.",
    500: "Entschuldigung, es ist ein technischer Fehler aufgetreten. Bitte versuchen Sie es erneut.",
}
TITLES = {404: "Seite nicht gefunden", 405: "Anfrage nicht möglich", 413: "Anfrage zu groß",
          500: "Technischer Fehler"}


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error in German: JSON {"error": …} for the API, a page for people."""
    try:
        return await handler(request)
    except web.HTTPException as problem:
        if problem.status < 400 or problem.content_type == "application/json":
            raise
        status = problem.status
    except Exception:
        logger.exception("Request %s %s failed", request.method, request.path)
        status = 500
    message = MESSAGES.get(status, MESSAGES[500])
    if _is_api(request):
        return web.json_response({"error": message}, status=status, dumps=web_json)
    return aiohttp_jinja2.render_template(
        "error.html", request, {"title": TITLES.get(status, TITLES[500]), "message": message},
        status=status,
    )


@web.middleware
async def agent_login(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The API answers only with `Authorization: Bearer <ASSISTANT_AGENT_TOKEN>`."""
    if _is_api(request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized(NEEDS_LOGIN)
        expected = request.app[keys.AGENT_TOKEN]
        if not hmac.compare_digest(token.strip().encode("utf-8"), expected.encode("utf-8")):
            raise _unauthorized(INVALID_KEY)
    return await handler(request)


def _unauthorized(message: str) -> web.HTTPUnauthorized:
    problem = error(web.HTTPUnauthorized, message)
    problem.headers["WWW-Authenticate"] = 'Bearer realm="Auskunftskonsole"'
    return problem  # type: ignore[return-value]


def _origins_for_connect(url: str) -> list[str]:
    """The Rasa server's origin for socket.io: its HTTP(S) long-polling and WebSocket forms."""
    parts = urlsplit(url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{parts.netloc}", f"{socket_scheme}://{parts.netloc}"]


def content_security_policy(request: web.Request) -> str:
    settings = request.app[keys.SETTINGS]
    console = request.path.startswith(("/agent", "/api/"))
    # The widget is embedded by a script tag, not a frame: the console may never be framed, the
    # demo page only by the city's own sites.
    ancestors = "'none'" if console else " ".join(("'self'", *settings.origins))
    connect = "'self'" if console else " ".join(("'self'", *_origins_for_connect(settings.socket_url)))
    return "; ".join((
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src {connect}",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ))


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.path.startswith("/widget/"):
        # Loaded by the city's own pages from this origin.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers.setdefault("Content-Security-Policy", content_security_policy(request))
    if request.path.startswith(("/agent", "/api/")):
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cache-Control"] = "no-store"
        headers["X-Frame-Options"] = "DENY"
    else:
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")


def setup_middlewares(app: web.Application) -> None:
    app.middlewares.extend([errors, agent_login])
    app.on_response_prepare.append(security_headers)
