"""Starts the action server, the Rasa server and the web app as child processes, waits until all
answer, and (under `make run`) keeps them running.

Used by `python -m assistant run` (make run) and by the end-to-end tests, so both exercise the
same start-up path. `Stack.supervise` restarts a server that exits while the others keep serving:
after 1 s, then 2 s, 4 s … (at most 30 s) while it keeps exiting; the fifth exit of one server
within 60 s stops everything (`CrashLoop`). The loop is our own rather than a process supervisor
(see README, "Supervision").
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

from assistant.settings import PROJECT_ROOT, Settings


class StartupError(RuntimeError):
    pass


class CrashLoop(RuntimeError):
    """One server exited too often in a short time: restarting it again would not help."""


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
        "ASSISTANT_RATING_LIMIT": settings.rating_limit,
        "ASSISTANT_CLIENT_RATE_LIMIT": settings.client_rate_limit,
        "ASSISTANT_CONVERSATION_RATE_LIMIT": settings.conversation_rate_limit,
        "ASSISTANT_AGENT_RATE_LIMIT": settings.agent_rate_limit,
        "ASSISTANT_CLIENT_CONCURRENCY": str(settings.client_concurrency),
        "ASSISTANT_MAX_CONVERSATION_EVENTS": str(settings.max_conversation_events),
        "ASSISTANT_CLIENT_WAITING": str(settings.client_waiting),
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
    # Supervision (`supervise`): the first restart waits first_delay seconds, each further one
    # twice as long, at most max_delay; restart_limit exits of one server within restart_window
    # seconds stop everything.
    first_delay: float = 1.0
    max_delay: float = 30.0
    restart_limit: int = 5
    restart_window: float = 60.0
    _logs: list[IO] = field(default_factory=list)
    _outputs: dict[str, IO] = field(default_factory=dict)
    _env: dict[str, str] = field(default_factory=dict)
    _exits: dict[str, list[float]] = field(default_factory=dict)
    _restart_at: dict[str, float] = field(default_factory=dict)

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
        self._env = {**service_environment(self.settings), **self.extra_env}
        for name in self.commands():
            if name in self.services:
                self._spawn(name)
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

    def _spawn(self, name: str) -> None:
        """Start one server (again), in a process group of its own, its output to its log file."""
        output = self._outputs.get(name)
        if output is None and self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
            self._outputs[name] = output
            self._logs.append(output)
        self.processes[name] = subprocess.Popen(
            self.commands()[name], cwd=PROJECT_ROOT, env={**self._env, **self.service_env(name)},
            stdout=output, stderr=subprocess.STDOUT if output else None, start_new_session=True,
        )

    def supervise(self, log: Callable[[str], None], poll: float = 0.5) -> None:
        """Keep the servers running until interrupted (Ctrl-C) or until one of them exits
        `restart_limit` times within `restart_window` seconds (`CrashLoop`)."""
        while True:
            self.check(log)
            time.sleep(poll)

    def check(self, log: Callable[[str], None]) -> None:
        """One round of supervision: restart the servers whose back-off is over, and schedule a
        restart, with one log line, for each that has exited since the last round."""
        now = time.monotonic()
        for name, process in list(self.processes.items()):
            if name in self._restart_at:
                if now >= self._restart_at[name]:
                    del self._restart_at[name]
                    self._spawn(name)
                continue
            if process.poll() is None:
                continue
            _kill_group(process)  # whatever the server had started must free its port
            exits = [*(at for at in self._exits.get(name, []) if now - at < self.restart_window), now]
            self._exits[name] = exits
            if len(exits) >= self.restart_limit:
                raise CrashLoop(f"The {name} server stopped {len(exits)} times within "
                                f"{self.restart_window:.0f} s (last: {_exit_reason(process)})"
                                + self._log_hint(name))
            delay = min(self.max_delay, self.first_delay * 2 ** (len(exits) - 1))
            self._restart_at[name] = now + delay
            log(f"The {name} server stopped unexpectedly ({_exit_reason(process)}); restarting it in "
                f"{delay:g} s (exit {len(exits)} within {self.restart_window:.0f} s; at "
                f"{self.restart_limit} everything stops)" + self._log_hint(name))

    def _log_hint(self, name: str) -> str:
        return f" (see {self.log_dir / (name + '.log')})" if self.log_dir else ""

    def stop_service(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one server (as a crash, with SIGKILL, or an operator would), leaving the others running."""
        process = self.processes.pop(name)
        self._restart_at.pop(name, None)
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
        self._restart_at.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()
        self._outputs.clear()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _exit_reason(process: subprocess.Popen) -> str:
    code = process.returncode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _kill_group(process: subprocess.Popen) -> None:
    """End what is left of a server's process group after the server itself exited."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def answers(url: str) -> bool:
    """Whether a GET of `url` answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310 - loopback URL
            return reply.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False
