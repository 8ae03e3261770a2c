"""Middlewares: German error replies, the agents' bearer token, and security headers; and the
German JSON answer to a request aiohttp cannot even parse (`german_parse_errors`)."""

from __future__ import annotations

import hmac
import logging
from typing import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from aiohttp.http_exceptions import LineTooLong

from assistant import errors as error_texts
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
# What the `Server` header says: aiohttp's default names Python's and its own version.
SERVER_NAME = "Bochum-Assistent"
TITLES = {404: "Seite nicht gefunden", 405: "Anfrage nicht möglich", 413: "Anfrage zu groß",
          500: "Technischer Fehler"}


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


def _wants_page(request: web.Request) -> bool:
    """A browser asking for a page gets a page; the API and every other client (curl, a
    monitoring probe) get German JSON."""
    return not _is_api(request) and "text/html" in request.headers.get("Accept", "")


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error in German: a page for a browser asking for one, else JSON {"error": …}."""
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
    if not _wants_page(request):
        return web.json_response({"error": message}, status=status, dumps=web_json)
    return aiohttp_jinja2.render_template(
        "error.html", request, {"title": TITLES.get(status, TITLES[500]), "message": message},
        status=status,
    )


@web.middleware
async def agent_rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    """At most settings.agent_rate_limit API requests per client (also before the key is
    checked, so nobody can try keys at speed)."""
    if _is_api(request) and not request.app[keys.AGENT_RATE_LIMIT].hit("agent", request.remote or "unknown"):
        raise error(web.HTTPTooManyRequests, error_texts.message(429))
    return await handler(request)


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
    headers["Server"] = SERVER_NAME
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
        if request.path == "/":
            # The demo page is built from settings: caches may keep it, but must ask first.
            headers.setdefault("Cache-Control", "no-cache")


def german_parse_errors() -> None:
    """Answer requests that aiohttp cannot parse in German JSON as well.

    A header over 8 KB or a broken request line never reaches the app or its middlewares:
    aiohttp's RequestHandler.handle_error answers it in English plain text, with aiohttp's
    version in `Server` and a traceback in the log. aiohttp offers no hook for that answer, so
    this replaces the method, for the web app's own process (`serve`): 431 for a header too
    large, 414 for a request line too long, else the status aiohttp chose; one log line."""
    from aiohttp import web_protocol

    if getattr(web_protocol.RequestHandler.handle_error, "german", False):
        return

    def handle_error(self, request, status=500, exc=None, message=None):  # type: ignore[no-untyped-def]
        if isinstance(exc, LineTooLong):
            status = 431 if "header" in str(exc).lower() else 414
        if status >= 500:
            self.log_exception("Error handling request", exc_info=exc)
        else:
            self.logger.warning("Refused a malformed request (HTTP %d: %s)", status, message or exc)
        if request.writer.output_size > 0:
            raise ConnectionError("Response is sent already, cannot send another response with the error message")
        reply = web.json_response({"error": error_texts.message(status)}, status=status, dumps=web_json)
        reply.headers["Server"] = SERVER_NAME
        reply.headers["X-Content-Type-Options"] = "nosniff"
        reply.force_close()
        return reply

    handle_error.german = True  # type: ignore[attr-defined]
    web_protocol.RequestHandler.handle_error = handle_error  # type: ignore[method-assign]


def setup_middlewares(app: web.Application) -> None:
    app.middlewares.extend([errors, agent_rate_limit, agent_login])
    app.on_response_prepare.append(security_headers)
