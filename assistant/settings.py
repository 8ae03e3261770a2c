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
    model_dir: Path = field(default_factory=lambda: _path("ASSISTANT_MODEL_DIR", PROJECT_ROOT / "models"))
    # Longer messages are not sent to NLU: a citizen's question fits easily, and very long
    # texts cost the NLU pipeline seconds and gigabytes (see README, "Limits").
    max_message_chars: int = field(default_factory=lambda: _int("ASSISTANT_MAX_MESSAGE_CHARS", 1000))
    web_port: int = field(default_factory=lambda: _int("ASSISTANT_WEB_PORT", 8080))
    # Browser origins allowed to use the REST and socket.io channels (CORS). Default: the web app
    # itself. A city sets its real site here, e.g. "https://www.bochum.de".
    allowed_origins: tuple[str, ...] = field(default_factory=lambda: _list("ASSISTANT_ALLOWED_ORIGINS"))

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

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


def get_settings() -> Settings:
    return Settings()
