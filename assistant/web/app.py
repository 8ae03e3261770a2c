"""App factory and entry point of the web app (`python -m assistant web`, started by `make run`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import AsyncIterator

import aiohttp_jinja2
import jinja2
from aiohttp import ClientSession, ClientTimeout, web

from assistant.gazetteer import german_place_names
from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.rate_limits import RateLimit, storage_for
from assistant.settings import PROJECT_ROOT, Settings
from assistant.web import keys
from assistant.web.conversations import Conversations, sqlite_url
from assistant.web.middlewares import german_parse_errors, setup_middlewares
from assistant.web.rasa_api import RasaApi
from assistant.web.routes import setup_routes
from assistant.web.search import FactIndex
from assistant.web.widget import WidgetAssets, widget_config

HERE = Path(__file__).resolve().parent
NODE_MODULES = PROJECT_ROOT / "node_modules"
RASA_TIMEOUT = ClientTimeout(total=60)


def create_app(settings: Settings, kb: KnowledgeBase | None = None,
               node_modules: Path = NODE_MODULES) -> web.Application:
    """The whole web app for `settings`; `kb` defaults to the knowledge base they name."""
    app = web.Application(client_max_size=64 * 1024)
    app[keys.SETTINGS] = settings
    knowledge = kb or load_knowledge_base(settings.knowledge_dir, german_place_names())
    app[keys.KNOWLEDGE] = knowledge
    app[keys.INDEX] = FactIndex(knowledge)
    app[keys.AGENT_TOKEN] = settings.agent_token()
    app[keys.WIDGET] = WidgetAssets.build(HERE / "embed", node_modules, widget_config(settings.retention_days))
    app[keys.CONVERSATIONS] = Conversations(settings.tracker_store_url or sqlite_url(settings.tracker_db_path))
    app[keys.RASA] = RasaApi(settings.rasa_url, settings.rasa_jwt_secret())
    app[keys.AGENT_RATE_LIMIT] = RateLimit(settings.agent_rate_limit, storage_for(settings.rate_limit_storage))
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
    )
    setup_routes(app, HERE / "static")
    setup_middlewares(app)
    app.cleanup_ctx.append(_rasa_client)
    return app


async def _rasa_client(app: web.Application) -> AsyncIterator[None]:
    """One HTTP client session to the Rasa server for the app's lifetime."""
    async with ClientSession(timeout=RASA_TIMEOUT) as session:
        app[keys.RASA].session = session
        yield


def serve(settings: Settings) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    app = create_app(settings)
    german_parse_errors()
    # A start-up notice for the operator's terminal.
    print(
        "\nWeb app:\n"
        f"  citizen page with the chat widget: {settings.web_url}/\n"
        f"  agent console:                     {settings.web_url}/agent\n"
        f"  log in to the console with the access key from {_token_source(settings)}\n",
        flush=True,
    )
    web.run_app(app, host=settings.host, port=settings.web_port, print=None, access_log=None)


def _token_source(settings: Settings) -> str:
    """Where the operator finds the access key (never printed itself: terminals get logged)."""
    stored = settings.var_dir / "secrets" / "assistant_agent_token"
    if stored.exists() and stored.read_text(encoding="utf-8").strip() == settings.agent_token():
        return f"the file {stored}"
    return "the environment variable ASSISTANT_AGENT_TOKEN"
