"""Rasa's socket.io channel, made to work with session persistence and made private.

Stock SocketIOInput in Rasa 3.6 has three problems this channel fixes, keeping the URL
(/socket.io), the event names and the message format:

- With session persistence on, replies never arrive with python-socketio 5.x, because
  `enter_room` became a coroutine that Rasa does not await (RasaHQ/rasa#13027).
- The client picks its session id, and every message names it again: anyone who knows or
  guesses an id reads and writes someone else's conversation. Here the server issues the id
  (random and signed), binds it to the socket, and ignores ids in messages; a malformed,
  unsigned or foreign id gets a new session.
- Stock passes `cors_allowed_origins=[]`, which switches off the origin check, so any website
  could open a socket. Here only the configured origins (settings.origins) may connect.

It also applies the REST channel's input checks, sends a reply as one message (so a citizen
rates the whole answer, not each paragraph), stores the citizen's thumbs up/down with the
conversation, deletes a conversation when its citizen asks (event `delete_conversation`), and
runs the automatic deletion of conversations past the retention period (assistant/deletion.py).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any, Awaitable, Callable

import engineio
import socketio
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import deletion, errors, ratings
from assistant.channels.ids import SessionIds
from assistant.channels.rest import technical_problem_reply
from assistant.citations import SOURCES_KEY, sources_of, sources_only
from assistant.input_guard import NOT_A_TEXT, check_text, too_long
from assistant.rate_limits import TOO_MANY_MESSAGES, TOO_MANY_RATINGS, RateLimit, channel_limits, client_address
from assistant.settings import get_settings
from assistant.splitting import MORE_THAN_ALLOWED, split_questions

logger = logging.getLogger(__name__)

# What the widget may send along with a message; everything else is dropped.
MAX_BUTTON_TITLE_CHARS = 200
WIDGET_ACTIONS = ("opened",)
FEEDBACK_EVENT = "feedback"
DELETE_EVENT = "delete_conversation"
FEEDBACK_RATINGS = {"up": "positive", "down": "negative"}
MAX_RATED_TEXT_CHARS = 10_000


class _OriginCheckingEngineIO(engineio.AsyncServer):
    """Refuses connections from origins outside the list (also for WebSockets, which browsers do
    not protect with CORS), but adds no CORS headers: Rasa's Sanic-CORS adds them to every
    response already, and a second Access-Control-Allow-Origin header makes browsers refuse it."""

    def _cors_headers(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        return []


class _OneLineLogger(logging.LoggerAdapter):
    """python-engineio's logger, logging an error in a client's packet as one line.

    engine.io logs any error while it reads a client's packet with a traceback ("post request
    handler error"): it says nothing the line does not, and lets any client fill the log. At log
    level DEBUG the traceback is kept."""

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        if self.isEnabledFor(logging.DEBUG):
            super().exception(msg, *args, **kwargs)
            return
        kwargs.pop("exc_info", None)
        error = sys.exc_info()[1]
        self.warning(f"{msg} (%s: %s)", *args, type(error).__name__, error, **kwargs)


def _engineio_logger() -> logging.LoggerAdapter:
    engineio_logger = logging.getLogger("engineio.server")
    # engine.io logs every packet with its content at INFO: never citizens' messages in the log.
    if engineio_logger.level == logging.NOTSET:
        engineio_logger.setLevel(logging.WARNING)
    return _OneLineLogger(engineio_logger, {})


class _AsyncServer(socketio.AsyncServer):
    def _engineio_server_class(self) -> type[engineio.AsyncServer]:
        return _OriginCheckingEngineIO

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        """A malformed socket.io packet (bad JSON, unknown type, an event that is no list) is
        dropped with one log line instead of a traceback."""
        try:
            await super()._handle_eio_message(eio_sid, data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            logger.warning("Dropped a malformed socket.io packet (%s: %s)", type(error).__name__, error)


class _AppCapturingBlueprint(SocketBlueprint):
    """Remembers the Sanic app, whose agent stores the citizens' feedback and deletes their
    conversations."""

    def __init__(self, channel: GuardedSocketIOInput, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        self.ctx.channel.app = app
        super().register(app, options)
        errors.on_too_large(app, self.ctx.too_large)


class WholeMessageOutput(SocketIOOutput):
    """Sends each bot utterance as one message (stock splits it at blank lines), so the widget
    shows paragraphs and rates the utterance as a whole. An answer's sources (the action's
    custom payload) travel in the same message as `sources`, for the widget's linked titles."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, with_sources({"text": text}, kwargs.get("custom")))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        replies = [{"content_type": "text", "title": button["title"], "payload": button["payload"]}
                   for button in buttons]
        await self._send_message(recipient_id, with_sources({"text": text, "quick_replies": replies},
                                                            kwargs.get("custom")))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        # Sent with its text already (stock would emit it again, as keyword arguments of emit).
        if not sources_only(json_message):
            await super().send_custom_json(recipient_id, json_message, **kwargs)


def with_sources(message: dict[str, Any], custom: object) -> dict[str, Any]:
    """The message with the answer's sources, where the action sent any."""
    sources = sources_of(custom)
    return {**message, SOURCES_KEY: sources} if sources else message


class GuardedSocketIOInput(SocketIOInput):
    """socket.io channel with working session persistence, private sessions and input checks."""

    app: Sanic | None = None

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        if credentials.get("jwt_key"):
            raise ValueError("jwt_key is not supported here: the channel issues its own session ids.")
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            # Always on: a reload of the page continues the conversation.
            True,
            credentials.get("socketio_path", "/socket.io"),
            metadata_key=credentials.get("metadata_key", "metadata"),
        )

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return super().get_output_channel()
        return WholeMessageOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = get_settings()
        sessions = SessionIds(settings.session_secret())
        # Per socket, in this process: a socket lives on one Rasa server.
        rating_limit = RateLimit(settings.rating_limit)
        # Messages: shared with the REST channel (and, scaled out, with every replica).
        limits = channel_limits()
        clients: dict[str, str] = {}
        max_chars = settings.max_message_chars
        apology = technical_problem_reply()
        namespace = self.namespace
        sio = _AsyncServer(async_mode="sanic", cors_allowed_origins=list(settings.origins),
                           engineio_logger=_engineio_logger())
        self.sio = sio
        webhook = _AppCapturingBlueprint(self, sio, self.socketio_path, "socketio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def bind(sid: str, requested: object, confirm: bool = True) -> str:
            """The session of this socket: the requested one if we issued it, else a new one."""
            session_id = requested if sessions.is_valid(requested) else sessions.issue()
            previous = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            if previous and previous != session_id:
                await sio.leave_room(sid, previous, namespace=namespace)
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            # Awaited: the coroutine Rasa 3.6 forgets to await (RasaHQ/rasa#13027).
            await sio.enter_room(sid, session_id, namespace=namespace)
            if confirm:
                await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            return session_id

        async def bound_session(sid: str) -> str:
            session_id = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            return session_id or await bind(sid, None)

        async def tell_too_long(sid: str) -> None:
            try:
                await WholeMessageOutput(sio, self.bot_message_evt).send_text_message(
                    await bound_session(sid), too_long(max_chars))
            except Exception as error:
                logger.warning("Could not tell a socket its message was too large (%s)", error)

        telling: set[asyncio.Task[None]] = set()

        def too_large(request: Request, exception: Exception) -> None:
            """Sanic refuses a request over its size limit before anyone reads it. Over long-polling
            that is a citizen's message (WebSocket frames never get here): without this the
            citizen would hear nothing, so the socket gets the German "too long" reply. The HTTP
            answer is the German 413 every other request gets (assistant/errors.py)."""
            eio_sid = request.args.get("sid") if request.path.startswith(self.socketio_path) else None
            sid = sio.manager.sid_from_eio_sid(eio_sid, namespace or "/") if eio_sid else None
            if sid:
                task = asyncio.get_running_loop().create_task(tell_too_long(sid))
                telling.add(task)
                task.add_done_callback(telling.discard)

        webhook.ctx.too_large = too_large

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            # engine.io's environ names no client address; Sanic's request does.
            request = environ.get("sanic.request")
            clients[sid] = client_address(request) if request is not None else "unknown"
            # The widget sends its stored session id with the connection itself, so the socket is
            # bound before any message it buffered while (re)connecting arrives.
            if isinstance(auth, dict) and auth.get("session_id") is not None:
                await bind(sid, auth["session_id"], confirm=False)
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            current = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            if current and (requested == current or not sessions.is_valid(requested)):
                await sio.emit("session_confirm", current, room=sid, namespace=namespace)
            else:
                await bind(sid, requested)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            # Only the socket's own session counts; a session id inside the message is ignored.
            session_id = await bound_session(sid)
            output = WholeMessageOutput(sio, self.bot_message_evt)
            address = clients.get(sid, "unknown")
            if not (limits.allows_client(address) and limits.allows_conversation(session_id)):
                await output.send_text_message(session_id, TOO_MANY_MESSAGES)
                return
            async with limits.in_flight.admitted(address) as admitted:
                if not admitted:
                    await output.send_text_message(session_id, TOO_MANY_MESSAGES)
                    return
                await answer(session_id, output, data)

        async def answer(session_id: str, output: WholeMessageOutput, data: Any) -> None:
            message = data.get("message") if isinstance(data, dict) else None
            if not isinstance(message, str):
                await output.send_text_message(session_id, NOT_A_TEXT)
                return
            checked = check_text(session_id, message, max_chars, last_question_only=True)
            if checked.problem or checked.text is None:
                await output.send_text_message(session_id, checked.problem or NOT_A_TEXT)
                return
            if checked.notice:
                await output.send_text_message(session_id, checked.notice)
            metadata = widget_metadata(data.get(self.metadata_key))
            questions, more = split_questions(checked.text)
            try:
                for question in questions:
                    await on_new_message(UserMessage(question, output, session_id,
                                                     input_channel=self.name(), metadata=metadata))
                if more:
                    await output.send_text_message(session_id, MORE_THAN_ALLOWED)
            except Exception:
                logger.exception("Message of a socket.io conversation failed")
                await output.send_text_message(session_id, apology)

        @sio.on(FEEDBACK_EVENT, namespace=namespace)
        async def feedback(sid: str, data: Any = None) -> None:
            session = await sio.get_session(sid, namespace=namespace)
            session_id = session.get("session_id")
            if not session_id or not isinstance(data, dict):
                return
            if not rating_limit.hit("rating", sid):
                refused = {"text": data.get("text"), "stored": False, "error": TOO_MANY_RATINGS}
                await sio.emit("feedback_confirm", refused, room=sid, namespace=namespace)
                return
            rating = FEEDBACK_RATINGS.get(data.get("rating"))  # type: ignore[arg-type]
            text = data.get("text")
            if rating is None or not isinstance(text, str) or len(text) > MAX_RATED_TEXT_CHARS:
                return
            stored = await self.store_feedback(session_id, text, rating)
            await sio.emit("feedback_confirm", {"text": text, "stored": stored}, room=sid, namespace=namespace)

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            clients.pop(sid, None)

        @sio.on(DELETE_EVENT, namespace=namespace)
        async def delete_conversation(sid: str, data: Any = None) -> dict[str, Any]:
            """Deletes the socket's own conversation and binds the socket to a fresh session;
            the reply is the socket.io acknowledgement the widget waits for.

            Only the session this socket was bound to counts, which it got by presenting the
            signed id or being issued one: an id in `data` is ignored, so no socket can delete
            another citizen's conversation."""
            session_id = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            if session_id:
                try:
                    events = await self.delete_conversation(session_id)
                except Exception:
                    logger.exception("Deleting a conversation at the citizen's request failed")
                    return {"deleted": False}
                # The nonce names the conversation in the log without being usable as its key
                # (that needs the signature); no content is logged.
                logger.info("Conversation %s… deleted at the citizen's request (%d events).",
                            session_id.split(".")[0], events)
            # Not confirmed with session_confirm: the widget takes the new id from this reply,
            # after it has cleared the old transcript.
            return {"deleted": True, "session_id": await bind(sid, None, confirm=False)}

        deletion.install(webhook, settings.retention_days)
        return webhook

    async def store_feedback(self, session_id: str, text: str, rating: str) -> bool:
        """Store the rating with the conversation, replacing an earlier rating of the same answer
        (assistant/ratings.py), without loading the conversation. Only a reply the bot really
        gave in this conversation can be rated."""
        if self.app is None:
            return False
        agent = self.app.ctx.agent
        store = deletion.sql_tracker_store(agent.tracker_store)
        async with agent.lock_store.lock(session_id):
            return deletion.in_transaction(
                store, lambda session: ratings.store_rating(store, session, session_id, text, rating))

    async def delete_conversation(self, session_id: str) -> int:
        """Delete every stored event of the conversation; return how many there were."""
        if self.app is None:
            raise RuntimeError("the channel is not registered with a Rasa server")
        return await deletion.delete_conversation(self.app.ctx.agent, session_id)


def widget_metadata(raw: object) -> dict[str, Any]:
    """The widget's metadata, reduced to what the transcript shows: the title of a clicked
    button (the message itself is its payload) and whether the message only opened the chat."""
    if not isinstance(raw, dict):
        return {}
    kept: dict[str, Any] = {}
    title = raw.get("button_title")
    if isinstance(title, str) and title.strip():
        kept["button_title"] = check_text("-", title, MAX_BUTTON_TITLE_CHARS).text or ""
    if raw.get("widget") in WIDGET_ACTIONS:
        kept["widget"] = raw["widget"]
    return {key: value for key, value in kept.items() if value}
