"""The one place that reads configuration: environment variables with safe defaults.

Everything binds to loopback unless told otherwise; nothing here is a secret.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from error


def _list(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(item.strip().rstrip("/") for item in raw.split(",") if item.strip())


def _path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).resolve() if raw else default


@dataclass(frozen=True)
class Settings:
    host: str = field(default_factory=lambda: os.environ.get("ASSISTANT_HOST", "127.0.0.1"))
    rasa_port: int = field(default_factory=lambda: _int("RASA_PORT", 5005))
    action_port: int = field(default_factory=lambda: _int("ACTION_PORT", 5055))
    knowledge_dir: Path = field(
        default_factory=lambda: _path("ASSISTANT_KNOWLEDGE_DIR", PROJECT_ROOT / "data" / "knowledge")
    )
    var_dir: Path = field(default_factory=lambda: _path("ASSISTANT_VAR_DIR", PROJECT_ROOT / "var"))
    # endpoints.yml (embedded SQLite default) or endpoints-scaled.yml (PostgreSQL + Redis).
    endpoints_file: Path = field(
        default_factory=lambda: _path("ASSISTANT_ENDPOINTS", PROJECT_ROOT / "endpoints.yml"))
    model_dir: Path = field(default_factory=lambda: _path("ASSISTANT_MODEL_DIR", PROJECT_ROOT / "models"))
    # Longer messages are not sent to NLU: a citizen's question fits easily, and very long
    # texts cost the NLU pipeline seconds and gigabytes (see README, "Limits").
    max_message_chars: int = field(default_factory=lambda: _int("ASSISTANT_MAX_MESSAGE_CHARS", 1000))
    # Days a conversation is kept after its latest event: the Rasa server deletes older ones every
    # hour (assistant/deletion.py), `assistant purge` on demand, and the widget tells citizens.
    retention_days: int = field(default_factory=lambda: _int("ASSISTANT_RETENTION_DAYS", 30))
    # Seconds an action may take before the citizen gets an apology (Rasa's own default is 300).
    action_timeout: int = field(default_factory=lambda: _int("ASSISTANT_ACTION_TIMEOUT", 8))
    # Citizen messages after which a conversation continues in a new Rasa session (slots carried
    # over, history kept in the store). Rasa loads, featurises and sends the whole current session
    # with every message, so its cost grows with the session; this bounds it (docs/benchmarks.md).
    session_max_turns: int = field(default_factory=lambda: _int("ASSISTANT_SESSION_MAX_TURNS", 20))
    # Log level of the Rasa server (Python level name); DEBUG prints every event of every turn.
    # Stored events after which a conversation takes no more messages (a German note says to start
    # a new one): about nine per question, so the default is some 330 questions. Bounds what one
    # conversation can make the store keep for `retention_days`. 0: no cap.
    max_conversation_events: int = field(default_factory=lambda: _int("ASSISTANT_MAX_CONVERSATION_EVENTS", 3000))
    log_level: str = field(default_factory=lambda: os.environ.get("ASSISTANT_LOG_LEVEL", "INFO").upper())
    web_port: int = field(default_factory=lambda: _int("ASSISTANT_WEB_PORT", 8080))
    # Browser origins allowed to use the REST and socket.io channels (CORS). Default: the web app
    # itself. A city sets its real site here, e.g. "https://www.bochum.de".
    allowed_origins: tuple[str, ...] = field(default_factory=lambda: _list("ASSISTANT_ALLOWED_ORIGINS"))
    # Where browsers reach the Rasa server's socket.io channel, when a reverse proxy puts it
    # elsewhere than the Rasa server itself (e.g. "https://assistent.bochum.de"). Default: rasa_url.
    public_rasa_url: str = field(default_factory=lambda: os.environ.get("ASSISTANT_PUBLIC_RASA_URL", "").rstrip("/"))
    # Where browsers load the widget from the web app, when a reverse proxy publishes it elsewhere
    # (e.g. "https://assistent.bochum.de"): the citizen page's script URL and snippet. Never taken
    # from a request's Host header, which any client sets. Default: web_url.
    public_web_url: str = field(default_factory=lambda: os.environ.get("ASSISTANT_PUBLIC_WEB_URL", "").rstrip("/"))
    # The SQLite tracker store the agent console looks conversation codes up in.
    tracker_db: Path | None = field(
        default_factory=lambda: Path(os.environ["ASSISTANT_TRACKER_DB"]).resolve()
        if os.environ.get("ASSISTANT_TRACKER_DB") else None
    )
    # Or another SQL tracker store, as an SQLAlchemy URL (e.g. "postgresql://user:pw@host/rasa"):
    # read by the agent console only. A secret if it holds a password: environment only.
    tracker_store_url: str = field(
        default_factory=lambda: os.environ.get("ASSISTANT_TRACKER_STORE_URL", ""), repr=False
    )

    # Ratings (thumbs up/down) one socket may send: a new rating of an answer replaces the
    # earlier one in storage; more than this is refused with a German note (assistant/rate_limits.py).
    rating_limit: str = field(default_factory=lambda: os.environ.get("ASSISTANT_RATING_LIMIT", "10/minute"))
    # Messages over the REST and socket.io channels together, per client (IP address; behind a
    # reverse proxy set SANIC_PROXIES_COUNT so Sanic takes it from X-Forwarded-For) and per
    # conversation; requests to the agent API per client. More get HTTP 429 / a German note.
    client_rate_limit: str = field(default_factory=lambda: os.environ.get("ASSISTANT_CLIENT_RATE_LIMIT", "120/minute"))
    conversation_rate_limit: str = field(
        default_factory=lambda: os.environ.get("ASSISTANT_CONVERSATION_RATE_LIMIT", "20/minute"))
    agent_rate_limit: str = field(default_factory=lambda: os.environ.get("ASSISTANT_AGENT_RATE_LIMIT", "300/minute"))
    # Messages of one client in progress at once (both channels); beyond that they wait their turn,
    # up to `client_waiting` of them, and more get the 429 / German note. Bounds one client's share
    # of the server while its rate is still within the limit (docs/benchmarks.md, "flood").
    client_concurrency: int = field(default_factory=lambda: _int("ASSISTANT_CLIENT_CONCURRENCY", 2))
    client_waiting: int = field(default_factory=lambda: _int("ASSISTANT_CLIENT_WAITING", 8))
    # Where the counts live: empty for this process's memory; the scaled set-up's Redis as a
    # `limits` storage URL ("redis://:password@host:6379/1"), so replicas share them. May hold a
    # password: environment only.
    rate_limit_storage: str = field(default_factory=lambda: os.environ.get("ASSISTANT_RATE_LIMIT_STORAGE", ""),
                                    repr=False)

    def __post_init__(self) -> None:
        from assistant.rate_limits import check_limit

        for name, spec in (("ASSISTANT_RATING_LIMIT", self.rating_limit),
                           ("ASSISTANT_CLIENT_RATE_LIMIT", self.client_rate_limit),
                           ("ASSISTANT_CONVERSATION_RATE_LIMIT", self.conversation_rate_limit),
                           ("ASSISTANT_AGENT_RATE_LIMIT", self.agent_rate_limit)):
            check_limit(name, spec)
        # Zero would refuse every message.
        if self.client_concurrency < 1 or self.client_waiting < 0:
            raise SystemExit("ASSISTANT_CLIENT_CONCURRENCY must be at least 1 and ASSISTANT_CLIENT_WAITING "
                             f"at least 0, got {self.client_concurrency} and {self.client_waiting}")
        # Zero would delete conversations while citizens are still in them.
        if self.retention_days < 1:
            raise SystemExit(f"ASSISTANT_RETENTION_DAYS must be at least 1, got {self.retention_days}")

    @property
    def rasa_url(self) -> str:
        # ASSISTANT_RASA_URL: where the web app reaches Rasa when it is another host (containers).
        return os.environ.get("ASSISTANT_RASA_URL", "").rstrip("/") or f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def origins(self) -> tuple[str, ...]:
        return self.allowed_origins or (self.web_url,)

    def rasa_jwt_secret(self) -> str:
        """Secret that signs tokens for Rasa's HTTP API (env RASA_JWT_SECRET, else generated)."""
        from assistant.secrets import secret

        value = secret("RASA_JWT_SECRET", self.var_dir)
        assert value is not None
        return value

    @property
    def socket_url(self) -> str:
        """Where the chat widget connects: public_rasa_url, else the Rasa server itself."""
        return self.public_rasa_url or self.rasa_url

    @property
    def widget_base_url(self) -> str:
        """Where browsers load the widget: public_web_url, else the web app itself."""
        return self.public_web_url or self.web_url

    @property
    def tracker_db_path(self) -> Path:
        return self.tracker_db or self.var_dir / "tracker.db"

    def session_secret(self) -> str:
        """Key that signs socket.io session ids (env ASSISTANT_SESSION_SECRET, else generated)."""
        from assistant.secrets import secret

        value = secret("ASSISTANT_SESSION_SECRET", self.var_dir)
        assert value is not None
        return value

    def agent_token(self) -> str:
        """Bearer token of the agent console and its API (env ASSISTANT_AGENT_TOKEN, else generated)."""
        from assistant.secrets import secret

        value = secret("ASSISTANT_AGENT_TOKEN", self.var_dir)
        assert value is not None
        return value


def get_settings() -> Settings:
    return Settings()
