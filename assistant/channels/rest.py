"""Rasa's REST channel with input checks in front of NLU.

Stock RestInput passes empty messages to NLU (which calls them a greeting), puts every request
without `sender` into one shared conversation, answers a JSON array with a 500 and lets a huge
text tie up the server. This channel keeps the same URL (/webhooks/rest/webhook) and reply
format but answers such requests itself with a German message. An answer's sources, which the
action also sends as a custom payload for the widget, are not repeated as a message of their
own: REST clients get the plain-text footer, one message per answer, as before.

Stock RestInput also lets whoever sends a `sender` continue that conversation: anyone who knows
or guesses an id ("demo-1") reads its topic, gets its handoff code and writes into its
transcript. Here the server issues the sender ids (assistant/channels/ids.py): a request without
an id this server signed starts a new conversation, whose id comes back as each reply message's
`recipient_id` and in the `X-Sender-Id` header; only that id continues it.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import errors
from assistant.channels.ids import RestSenderIds, loggable
from assistant.citations import sources_only
from assistant.input_guard import check_request, well_formed_sender
from assistant.knowledge import load_knowledge_base
from assistant.processor import apology_text
from assistant.rate_limits import channel_limits, client_address
from assistant.settings import get_settings
from assistant.splitting import MORE_THAN_ALLOWED, split_questions

logger = logging.getLogger(__name__)

# The response header with the conversation's sender id (also each message's `recipient_id`).
SENDER_HEADER = "X-Sender-Id"


def technical_problem_reply() -> str:
    """The apology for failures outside any action (tracker or lock store unreachable)."""
    settings = get_settings()
    return apology_text(load_knowledge_base(settings.knowledge_dir).contact.route)


def conversation_for(ids: RestSenderIds, sender: object) -> object:
    """The sender id a request continues: `sender` itself if this server issued it, else a new
    one (labelled with `sender` when that is a plain name). A malformed `sender` is returned
    as it is, for the input check to refuse."""
    if ids.is_valid(sender):
        return sender
    if sender is None or (isinstance(sender, str) and not sender.strip()):
        return ids.issue()
    if well_formed_sender(sender):
        return ids.issue(sender)
    return sender


def too_many_requests(headers: dict[str, str] | None = None) -> HTTPResponse:
    return response.json({"error": errors.message(429)}, status=429, headers=headers,
                         dumps=lambda data: json.dumps(data, ensure_ascii=False))


class PlainTextCollector(CollectingOutputChannel):
    """Rasa's collecting channel without the sources-only custom payload (the text has them)."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if not sources_only(json_message):
            await super().send_custom_json(recipient_id, json_message, **kwargs)


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = get_settings()
        max_chars = settings.max_message_chars
        # A failure outside any action (tracker store or lock store unreachable) gets the same
        # apology and human route as a failed action.
        apology = technical_problem_reply()
        ids = RestSenderIds(settings.session_secret())
        limits = channel_limits()
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            address = client_address(request)
            if not limits.allows_client(address):
                return too_many_requests()
            async with limits.in_flight.admitted(address) as admitted:
                if not admitted:
                    return too_many_requests()
                return await answer(request)

        async def answer(request: Request) -> HTTPResponse:
            try:
                payload = request.json
            except SanicException:
                payload = None
            if isinstance(payload, dict):
                payload = {**payload, "sender": conversation_for(ids, payload.get("sender"))}
            checked = check_request(payload, max_chars)
            if checked.problem and checked.client_error:
                return response.json({"error": checked.problem}, status=400)
            headers = {SENDER_HEADER: checked.sender}
            if checked.sender and not limits.allows_conversation(checked.sender):
                return too_many_requests(headers)
            if checked.problem:
                return response.json([{"recipient_id": checked.sender, "text": checked.problem}], headers=headers)
            collector = PlainTextCollector()
            questions, more = split_questions(checked.text)
            try:
                for question in questions:
                    await on_new_message(
                        UserMessage(question, collector, checked.sender,
                                    input_channel=self.name(), metadata=self.get_metadata(request))
                    )
                if more:
                    collector.messages.append({"recipient_id": checked.sender, "text": MORE_THAN_ALLOWED})
            except Exception:
                logger.exception("Message of conversation %s failed", loggable(checked.sender or ""))
                collector.messages.append({"recipient_id": checked.sender, "text": apology})
            if checked.notice:
                collector.messages.insert(0, {"recipient_id": checked.sender, "text": checked.notice})
            return response.json(collector.messages, headers=headers)

        return webhook
