"""Runs Rasa's own server (channels and HTTP API) with this project's settings.

Started instead of `rasa run` so that the JWT secret comes from the environment and never
appears on a command line, the HTTP API is never open without it, and CORS is limited to the
configured origins. Every error it answers is German JSON (assistant/errors.py).
"""

from __future__ import annotations

import logging
import os
import sys

from assistant import errors
from assistant.settings import PROJECT_ROOT, Settings

JWT_METHOD = "HS256"
# Citizens' requests are small; larger bodies are refused with 413 before anything parses them.
# Only for this public server: the action server receives whole trackers, which grow past this.
REQUEST_MAX_BYTES = errors.REQUEST_MAX_KB * 1024
logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(RuntimeError):
    pass


def check_tracker_store(endpoint) -> None:
    """Connect to the configured SQL tracker store once, or raise.

    Rasa falls back to an in-memory store (or retries forever) when its tracker store is
    unreachable; conversations would then vanish on restart. We refuse to start instead.
    """
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    if endpoint is None or (endpoint.type or "").lower() != "sql":
        raise TrackerStoreUnavailable("endpoints.yml configures no SQL tracker store")
    kwargs = dict(endpoint.kwargs)
    dialect = kwargs.get("dialect", "sqlite")
    url = SQLTrackerStore.get_db_url(dialect, endpoint.url, kwargs.get("port"), kwargs.get("db", "rasa.db"),
                                     kwargs.get("username"), kwargs.get("password"),
                                     kwargs.get("login_db"), kwargs.get("query"))
    connect_args = {"connect_timeout": 5} if dialect.startswith("postgresql") else {}
    if dialect == "sqlite":
        db = os.path.abspath(kwargs.get("db", "rasa.db"))
        parent = os.path.dirname(db)
        if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
            raise TrackerStoreUnavailable(f"SQLite folder {parent} does not exist or is not writable")
    try:
        engine = sa.create_engine(url, connect_args=connect_args)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        raise TrackerStoreUnavailable(f"{type(error).__name__}: {error}".splitlines()[0]) from error


def _with_german_errors() -> None:
    """Make the app serve_application builds answer every error in German (assistant/errors.py)."""
    import rasa.core.run

    configure_app = rasa.core.run.configure_app
    if getattr(configure_app, "german_errors", False):
        return

    def configure_with_german_errors(*args, **kwargs):  # type: ignore[no-untyped-def]
        app = configure_app(*args, **kwargs)
        errors.install(app)
        return app

    configure_with_german_errors.german_errors = True  # type: ignore[attr-defined]
    rasa.core.run.configure_app = configure_with_german_errors


def serve(settings: Settings, model: str) -> None:
    # Telemetry (and its Sentry error reporting) is off unless someone explicitly turns it on.
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    # Sanic reads SANIC_* into the config of the app serve_application creates.
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(REQUEST_MAX_BYTES))
    from rasa.core.run import serve_application
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    from assistant.knowledge import load_knowledge_base
    from assistant.processor import install

    level = logging.getLevelName(settings.log_level)
    if not isinstance(level, int):
        raise SystemExit(f"ASSISTANT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {settings.log_level!r}")
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    logging.getLogger("rasa").setLevel(level)
    # `rasa run` configures structlog; without it, Rasa's structured events (every event and the
    # tracker's states, each turn) print at debug level whatever the level above says.
    configure_structlog(level)
    endpoints = AvailableEndpoints.read_endpoints(str(settings.endpoints_file))
    try:
        check_tracker_store(endpoints.tracker_store)
    except TrackerStoreUnavailable as error:
        print(f"Tracker store unreachable ({error}). Not starting: conversations would be lost.",
              file=sys.stderr)
        raise SystemExit(2) from error
    install(settings.action_timeout, load_knowledge_base(settings.knowledge_dir).contact.route,
            settings.session_max_turns, settings.max_conversation_events)
    _with_german_errors()
    serve_application(
        model_path=model,
        credentials=str(PROJECT_ROOT / "credentials.yml"),
        interface=settings.host,
        port=settings.rasa_port,
        cors=list(settings.origins),
        enable_api=True,
        jwt_secret=settings.rasa_jwt_secret(),
        jwt_method=JWT_METHOD,
        endpoints=endpoints,
    )
