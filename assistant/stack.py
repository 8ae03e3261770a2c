"""Starts the action server, the Rasa server and the web app as child processes and waits until all
answer.

Used by `python -m assistant run` (make run) and by the end-to-end tests, so both exercise the
same start-up path.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from assistant.settings import PROJECT_ROOT, Settings


class StartupError(RuntimeError):
    pass


def service_environment(settings: Settings) -> dict[str, str]:
    """Environment for the servers: endpoints from settings, telemetry and noise off."""
    env = dict(os.environ)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    env.update({
        # The children read their own settings from these, so they agree with the parent.
        "ASSISTANT_HOST": settings.host,
        "RASA_PORT": str(settings.rasa_port),
        "ACTION_PORT": str(settings.action_port),
        "ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "ASSISTANT_VAR_DIR": str(settings.var_dir),
        "ASSISTANT_MODEL_DIR": str(settings.model_dir),
        "ASSISTANT_MAX_MESSAGE_CHARS": str(settings.max_message_chars),
        # The Rasa server deletes after it, the widget (web app) tells citizens: the same number.
        "ASSISTANT_RETENTION_DAYS": str(settings.retention_days),
        "ASSISTANT_WEB_PORT": str(settings.web_port),
        "ASSISTANT_ALLOWED_ORIGINS": ",".join(settings.origins),
        "RASA_JWT_SECRET": settings.rasa_jwt_secret(),
        # Generated here, once, so the children never race to create the same file.
        "ASSISTANT_SESSION_SECRET": settings.session_secret(),
        "ASSISTANT_AGENT_TOKEN": settings.agent_token(),
        "ASSISTANT_ACTION_TIMEOUT": str(settings.action_timeout),
        "ACTION_ENDPOINT_URL": f"{settings.action_url}/webhook",
        "ASSISTANT_TRACKER_DB": str(settings.var_dir / "tracker.db"),
        "ASSISTANT_ENDPOINTS": str(settings.endpoints_file),
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_HOST": settings.host,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def model_path(settings: Settings) -> Path:
    models = sorted(settings.model_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise StartupError(f"No trained model in {settings.model_dir}: run `make train` first.")
    return models[-1]


@dataclass
class Stack:
    settings: Settings
    log_dir: Path | None = None  # None: children write to this terminal
    services: tuple[str, ...] = ("actions", "rasa", "web")
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    _logs: list[IO] = field(default_factory=list)

    def commands(self) -> dict[str, list[str]]:
        python = sys.executable
        return {
            "actions": [python, "-m", "assistant", "actions"],
            "rasa": [python, "-m", "assistant", "rasa-server", "--model", str(model_path(self.settings))],
            "web": [python, "-m", "assistant", "web"],
        }

    def health_urls(self) -> dict[str, str]:
        return {
            "actions": f"{self.settings.action_url}/health",
            "rasa": f"{self.settings.rasa_url}/webhooks/rest/",
            "web": f"{self.settings.web_url}/health",
        }

    def service_env(self, name: str) -> dict[str, str]:
        """Environment of one service beyond the shared one (e.g. a replica's own port)."""
        return {}

    def start(self, timeout: float = 240.0) -> None:
        shared = {**service_environment(self.settings), **self.extra_env}
        for name, command in self.commands().items():
            if name not in self.services:
                continue
            env = {**shared, **self.service_env(name)}
            output = None
            if self.log_dir is not None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                output = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
                self._logs.append(output)
            self.processes[name] = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=output,
                stderr=subprocess.STDOUT if output else None, start_new_session=True,
            )
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float) -> None:
        checks = self.health_urls()
        deadline = time.monotonic() + timeout
        pending = {name: url for name, url in checks.items() if name in self.processes}
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    raise StartupError(f"The {name} server exited with code {process.returncode}"
                                       + self._log_hint(name))
                if answers(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise StartupError(f"Not ready after {timeout:.0f}s: {', '.join(pending)}"
                                   + self._log_hint(next(iter(pending))))
            if pending:
                time.sleep(0.5)

    def _log_hint(self, name: str) -> str:
        return f" (see {self.log_dir / (name + '.log')})" if self.log_dir else ""

    def stop_service(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one server (as a crash, with SIGKILL, or an operator would), leaving the others running."""
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=15)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def answers(url: str) -> bool:
    """Whether a GET of `url` answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310 - loopback URL
            return reply.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False
