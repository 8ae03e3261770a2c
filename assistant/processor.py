"""Rasa message-processor hook: no citizen message ever ends in silence, and none gets slower
as the conversation grows.

Stock Rasa 3.6 logs a failed custom action ("Bot will continue, but the actions events are lost")
and answers nothing; a hanging action server holds the conversation for the hard-coded 300 s.
Every action of every channel runs through MessageProcessor._run_action, so this is the one
place to bound its time and to turn a failure into a German apology with the human route.

Rasa also loads, featurises and posts the whole current session with every message, so a
message's cost grows with the session (5x at turn 200, docs/benchmarks.md). Our dialogue keeps
its context in slots, which Rasa carries into a new session, so a long conversation simply
continues in a new session after `session_max_turns` citizen messages; the store keeps all of it.

Rasa takes any message starting with "/" as an intent with slots ("/restart", "/ask_members{…}"),
skipping NLU. Every message of every channel is parsed here, so this is also where a citizen's
typed "/…" is understood as text, unless it is exactly the payload of a button the bot offered.

Storage stays bounded here too: a citizen's message is stored with what the next turns and the
agent console use of its NLU result (intent, the best guesses, the entities found), not Rasa's
token offsets, whole ranking and second copies of the text and metadata (a 1,000-character
message: 5.5 KB → 1.7 KB); and a conversation takes no more messages once it holds
`max_events` stored events (a German note says to start a new one).
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.channels.ids import loggable
from assistant.input_guard import CONVERSATION_FULL, WIDGET_GREETING

logger = logging.getLogger(__name__)


def apology_text(route: str) -> str:
    return ("Entschuldigung, ich kann Ihre Frage gerade nicht beantworten, weil bei mir ein "
            "technischer Fehler aufgetreten ist. Bitte versuchen Sie es in einigen Minuten noch "
            f"einmal oder wenden Sie sich an {route}.")


class _BoundedAction:
    """Runs the wrapped action within `timeout` seconds; on failure utters the apology instead.

    Everything but `run` is delegated, so Rasa logs and predicts exactly as for the action itself.
    """

    def __init__(self, action: Any, timeout: float, apology: str) -> None:
        self._action = action
        self._timeout = timeout
        self._apology = apology

    def name(self) -> str:
        return self._action.name()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._action, attribute)

    async def run(self, output_channel, nlg, tracker, domain) -> list:  # type: ignore[override]
        try:
            return await asyncio.wait_for(self._action.run(output_channel, nlg, tracker, domain),
                                          timeout=self._timeout)
        except asyncio.TimeoutError:
            logger.error("Action %s of conversation %s timed out after %.0f s; apologised.",
                         self.name(), loggable(tracker.sender_id), self._timeout)
        except Exception as error:
            logger.error("Action %s of conversation %s failed (%s: %s); apologised.",
                         self.name(), loggable(tracker.sender_id), type(error).__name__, error)
        return [BotUttered(self._apology)]


def latest_slot_values(events: list[Event]) -> list[Event]:
    """`events` with only the last SlotSet of each slot, otherwise in order.

    Rasa's ActionSessionStart carries over every SlotSet of the ended session, not the slots'
    values: 3 slots set on each of 20 turns become 60 events, and each later session carries all
    of those again, so the sessions grow after all. The last value per slot is the same state.
    """
    last: dict[str, SlotSet] = {}
    for event in events:
        if isinstance(event, SlotSet):
            last[event.key] = event
    return [event for event in events if not isinstance(event, SlotSet) or last[event.key] is event]


class _CompactSessionStart:
    """Rasa's action_session_start, carrying over each slot's value once."""

    def __init__(self, action: Any) -> None:
        self._action = action

    def name(self) -> str:
        return self._action.name()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._action, attribute)

    async def run(self, output_channel, nlg, tracker, domain) -> list:  # type: ignore[no-untyped-def]
        return latest_slot_values(await self._action.run(output_channel, nlg, tracker, domain))


def turns_in_session(tracker: DialogueStateTracker) -> int:
    """Citizen messages since the current session started."""
    turns = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            turns += 1
    return turns


def _folded(text: str) -> str:
    return " ".join(text.split())


def offered_payloads(tracker: DialogueStateTracker | None) -> set[str]:
    """The payloads of the buttons the bot offered in its latest turn (every bot message since
    the citizen's latest message; a session start in between does not withdraw them)."""
    payloads: set[str] = set()
    for event in reversed(tracker.events if tracker is not None else ()):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            for button in event.data.get("buttons") or []:
                if isinstance(button, dict) and isinstance(button.get("payload"), str):
                    payloads.add(_folded(button["payload"]))
    return payloads


def as_typed_text(message: UserMessage, tracker: DialogueStateTracker | None) -> UserMessage | None:
    """The message to understand as text when it is a citizen-typed Rasa shortcut ("/restart",
    "/ask_members{…}"): its text without the leading slashes. None when the message is no such
    shortcut, or is exactly a button payload the bot offered (or the widget's greeting)."""
    text = (message.text or "").strip()
    if not text.startswith(INTENT_MESSAGE_PREFIX):
        return None
    if _folded(text) in offered_payloads(tracker):
        return None
    if text == WIDGET_GREETING and (message.metadata or {}).get("widget") == "opened":
        return None
    typed = copy.copy(message)
    # Slashes alone make no intent in Rasa either; they go to NLU as they are.
    typed.text = text.lstrip(INTENT_MESSAGE_PREFIX).strip() or text
    return typed


# The intent model's guesses a stored message keeps: as many as the answer considers
# (assistant/understanding/aspects.py, CANDIDATES) and the agent console shows.
STORED_RANKING = 3
_STORED_ENTITY_KEYS = ("entity", "value", "start", "end", "role", "group", "confidence_entity")
# The answer reads a network and up to a few cities per message; a message that repeats a
# lookup-table name a hundred times is stored with each name once, and with at most this many.
STORED_ENTITIES = 10


def stored_parse_data(parse_data: dict[str, Any]) -> dict[str, Any]:
    """The NLU result of a citizen's message as it is stored. Rasa rebuilds the rest on loading
    (the text and metadata from the event itself)."""
    entities: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entity in parse_data.get("entities") or []:
        name = tuple(str(entity.get(key)) for key in ("entity", "value", "role", "group"))
        if name not in entities and len(entities) < STORED_ENTITIES:
            entities[name] = {key: entity[key] for key in _STORED_ENTITY_KEYS if key in entity}
    kept: dict[str, Any] = {"intent": parse_data.get("intent"), "entities": list(entities.values())}
    if "intent_ranking" in parse_data:
        kept["intent_ranking"] = parse_data["intent_ranking"][:STORED_RANKING]
    if parse_data.get("message_id") is not None:
        kept["message_id"] = parse_data["message_id"]
    return kept


def stored_events(store: Any, sender_id: str) -> int | None:
    """How many events the SQL tracker store holds for the conversation (None: not an SQL store)."""
    from assistant.deletion import NoSqlTrackerStore, in_transaction, sql_tracker_store

    try:
        sql = sql_tracker_store(store)
    except NoSqlTrackerStore:
        return None
    return in_transaction(sql, lambda session: session.query(sql.SQLEvent)
                          .filter(sql.SQLEvent.sender_id == sender_id).count())


class ResilientMessageProcessor(MessageProcessor):
    action_timeout: float = 8.0
    apology: str = apology_text("das Callcenter der Stadt")
    session_max_turns: int = 20
    max_events: int = 0  # 0: no cap

    async def handle_message(self, message: UserMessage) -> list[dict[str, Any]] | None:
        if self.max_events > 0:
            count = stored_events(self.tracker_store, message.sender_id)
            if count is not None and count >= self.max_events:
                logger.warning("Conversation %s holds %d events, the most allowed: message not taken.",
                               loggable(message.sender_id), count)
                await message.output_channel.send_text_message(message.sender_id, CONVERSATION_FULL)
                return None
        return await super().handle_message(message)

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        # Once the turn is over, only what later turns and the console read is kept.
        for event in tracker.events:
            if isinstance(event, UserUttered):
                event.parse_data = stored_parse_data(event.parse_data)  # type: ignore[assignment]
        await super().save_tracker(tracker)

    async def _run_action(self, action, tracker, output_channel, nlg, prediction) -> bool:  # type: ignore[override]
        if action.name() == ACTION_SESSION_START_NAME:
            action = _CompactSessionStart(action)
        bounded = _BoundedAction(action, self.action_timeout, self.apology)
        return await super()._run_action(bounded, tracker, output_channel, nlg, prediction)

    async def parse_message(self, message: UserMessage, tracker: DialogueStateTracker | None = None,
                            only_output_properties: bool = True) -> dict[str, Any]:
        typed = as_typed_text(message, tracker)
        if typed is None:
            return await super().parse_message(message, tracker, only_output_properties)
        parse_data = await super().parse_message(typed, tracker, only_output_properties)
        # Stored and shown as the citizen typed it; understood as the text it is.
        parse_data["text"] = message.text
        return parse_data

    def _has_session_expired(self, tracker: DialogueStateTracker) -> bool:
        if super()._has_session_expired(tracker):
            return True
        if not self.domain.session_config.are_sessions_enabled() or self.session_max_turns <= 0:
            return False
        return turns_in_session(tracker) >= self.session_max_turns


@functools.lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once.

    Rasa calls `jsonschema.validate`, which checks the (constant) schema against its meta-schema
    before every validation: 18 ms of CPU per custom action, against 0.7 ms for the validation
    itself (docs/benchmarks.md). Same checks, same error as Rasa's.
    """
    from jsonschema import exceptions

    error = exceptions.best_match(_action_response_validator().iter_errors(result))
    if error is not None:
        error.message += (". Failed to validate Action server response from API, make sure your "
                          "response from the Action endpoint is valid.")
        raise error
    return True


def install(action_timeout: float, contact_route: str, session_max_turns: int = 20, max_events: int = 0) -> None:
    """Make every Rasa agent created from now on use the resilient processor."""
    import rasa.core.agent

    ResilientMessageProcessor.max_events = max_events
    ResilientMessageProcessor.action_timeout = action_timeout
    ResilientMessageProcessor.apology = apology_text(contact_route)
    ResilientMessageProcessor.session_max_turns = session_max_turns
    rasa.core.agent.MessageProcessor = ResilientMessageProcessor
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
