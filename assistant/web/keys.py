"""Typed keys of the web app's shared state (aiohttp AppKey)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from assistant.knowledge import KnowledgeBase
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.rate_limits import RateLimit
    from assistant.web.conversations import Conversations
    from assistant.web.rasa_api import RasaApi
    from assistant.web.search import FactIndex
    from assistant.web.widget import WidgetAssets

SETTINGS = web.AppKey("settings", Settings)
KNOWLEDGE = web.AppKey("knowledge", KnowledgeBase)
INDEX: web.AppKey[FactIndex] = web.AppKey("index")
AGENT_TOKEN = web.AppKey("agent_token", str)
WIDGET: web.AppKey[WidgetAssets] = web.AppKey("widget")
CONVERSATIONS: web.AppKey[Conversations] = web.AppKey("conversations")
RASA: web.AppKey[RasaApi] = web.AppKey("rasa")
AGENT_RATE_LIMIT: web.AppKey[RateLimit] = web.AppKey("agent_rate_limit")
