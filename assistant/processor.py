"""Rasa message-processor hook: no citizen message ever ends in silence.

Stock Rasa 3.6 logs a failed custom action ("Bot will continue, but the actions events are lost")
and answers nothing; a hanging action server holds the conversation for the hard-coded 300 s.
Every action of every channel runs through MessageProcessor._run_action, so this is the one
place to bound its time and to turn a failure into a German apology with the human route.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered

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
                         self.name(), tracker.sender_id, self._timeout)
        except Exception as error:
            logger.error("Action %s of conversation %s failed (%s: %s); apologised.",
                         self.name(), tracker.sender_id, type(error).__name__, error)
        return [BotUttered(self._apology)]


class ResilientMessageProcessor(MessageProcessor):
    action_timeout: float = 8.0
    apology: str = apology_text("das Callcenter der Stadt")

    async def _run_action(self, action, tracker, output_channel, nlg, prediction) -> bool:  # type: ignore[override]
        bounded = _BoundedAction(action, self.action_timeout, self.apology)
        return await super()._run_action(bounded, tracker, output_channel, nlg, prediction)


def install(action_timeout: float, contact_route: str) -> None:
    """Make every Rasa agent created from now on use the resilient processor."""
    import rasa.core.agent

    ResilientMessageProcessor.action_timeout = action_timeout
    ResilientMessageProcessor.apology = apology_text(contact_route)
    rasa.core.agent.MessageProcessor = ResilientMessageProcessor
