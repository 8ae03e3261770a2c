"""Rasa's REST channel with input checks in front of NLU.

Stock RestInput passes empty messages to NLU (which calls them a greeting), puts every request
without `sender` into one shared conversation, answers a JSON array with a 500 and lets a huge
text tie up the server. This channel keeps the same URL (/webhooks/rest/webhook) and reply
format but answers such requests itself with a German message. An answer's sources, which the
action also sends as a custom payload for the widget, are not repeated as a message of their
own: REST clients get the plain-text footer, one message per answer, as before.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.citations import sources_only
from assistant.input_guard import check_request
from assistant.knowledge import load_knowledge_base
from assistant.processor import apology_text
from assistant.settings import get_settings
from assistant.splitting import MORE_THAN_ALLOWED, split_questions

logger = logging.getLogger(__name__)


def technical_problem_reply() -> str:
    """The apology for failures outside any action (tracker or lock store unreachable)."""
    settings = get_settings()
    return apology_text(load_knowledge_base(settings.knowledge_dir).contact.route)


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
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = request.json
            except SanicException:
                payload = None
            checked = check_request(payload, max_chars)
            if checked.problem:
                if checked.client_error:
                    return response.json({"error": checked.problem}, status=400)
                return response.json([{"recipient_id": checked.sender, "text": checked.problem}])
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
                logger.exception("Message of conversation %s failed", checked.sender)
                collector.messages.append({"recipient_id": checked.sender, "text": apology})
            if checked.notice:
                collector.messages.insert(0, {"recipient_id": checked.sender, "text": checked.notice})
            return response.json(collector.messages)

        return webhook
