"""The servers under test: the assistant's stack as `make run` starts it (assistant.stack.Stack)
on free loopback ports with its own var dir, and a separate Rasa HTTP API (bench/parse_server.py)
with the same model for the NLU floor. Measures cold start and reads peak memory before stopping."""

from __future__ import annotations

import secrets
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT, Settings, get_settings
from assistant.stack import Stack, answers, model_path
from bench.parse_server import SECRET_VARIABLE
from bench.procs import LOOPBACK, bench_environment, free_port, peak_rss_mb, python_module

START_TIMEOUT_S = 300.0
MESSAGE_PATH = ("actions", "rasa")


def _watch(urls: dict[str, str], started: float, done: threading.Event) -> dict[str, float]:
    """Seconds from `started` until each URL first answers, polled every 0.1 s."""
    ready: dict[str, float] = {}
    while len(ready) < len(urls) and not done.is_set():
        for name, url in urls.items():
            if name not in ready and answers(url):
                ready[name] = round(time.monotonic() - started, 2)
        time.sleep(0.1)
    return ready


UNLIMITED = "1000000/minute"
UNLIMITED_CONCURRENCY = 100000


def stack_settings(var_dir: Path, knowledge_dir: Path | None = None) -> Settings:
    """The settings `make run` uses, on loopback, with a free port for every server and own var dir."""
    ports = {item.name: free_port() for item in fields(Settings) if item.name.endswith("_port")}
    # The benchmarks send far more from one address than any citizen: they measure capacity, so
    # the per-client and per-conversation limits are lifted (bench/flood.py measures the limits).
    settings = replace(get_settings(), host=LOOPBACK, var_dir=var_dir, **ports, client_rate_limit=UNLIMITED,
                       conversation_rate_limit=UNLIMITED, agent_rate_limit=UNLIMITED,
                       client_concurrency=UNLIMITED_CONCURRENCY)
    return replace(settings, knowledge_dir=knowledge_dir) if knowledge_dir else settings


def _field_names(stack_class: type[Stack]) -> set[str]:
    return {item.name for item in fields(stack_class)}


def takes_env(stack_class: type[Stack] = Stack) -> bool:
    """Whether this version of assistant.stack.Stack accepts extra environment variables."""
    return "extra_env" in _field_names(stack_class)


def _new_stack(settings: Settings, log_dir: Path, stack_class: type[Stack], env: dict[str, str] | None,
               **options: Any) -> Stack:
    names = _field_names(stack_class)
    # Only the servers a message passes through: the web app (where the stack has one) serves the
    # widget's page and is not on the path of a message to the REST webhook.
    if "services" in names:
        options["services"] = MESSAGE_PATH
    if env:
        if not takes_env(stack_class):
            raise RuntimeError("assistant.stack.Stack cannot take extra environment variables")
        options["extra_env"] = env
    return stack_class(settings, log_dir=log_dir, **options)


@dataclass
class RunningStack:
    stack: Stack
    cold_start_s: dict[str, float]

    @property
    def url(self) -> str:
        return self.stack.settings.rasa_url

    def peak_rss_mb(self) -> dict[str, float | None]:
        return {name: peak_rss_mb(process.pid) for name, process in self.stack.processes.items()}

    def stop(self) -> dict[str, float | None]:
        memory = self.peak_rss_mb()
        self.stack.stop()
        return memory


def start_stack(settings: Settings, log_dir: Path, stack_class: type[Stack] = Stack,
                env: dict[str, str] | None = None, **options: Any) -> RunningStack:
    """Start the servers as `make run` does; time until each answers its health check.

    `env` adds environment variables (diagnostic variants only), `options` go to `stack_class`.
    """
    stack = _new_stack(settings, log_dir, stack_class, env, **options)
    urls = {"actions": f"{settings.action_url}/health", "rasa": f"{settings.rasa_url}/webhooks/rest/"}
    done = threading.Event()
    ready: dict[str, float] = {}
    started = time.monotonic()
    watcher = threading.Thread(target=lambda: ready.update(_watch(urls, started, done)), daemon=True)
    watcher.start()
    try:
        stack.start(timeout=START_TIMEOUT_S)
    finally:
        done.set()
        watcher.join()
    both = round(time.monotonic() - started, 2)
    for name in urls:  # answered between two polls of the watcher
        ready.setdefault(name, both)
    ready["both"] = both
    return RunningStack(stack, ready)


@dataclass
class ParseServer:
    """Rasa's HTTP API with the stack's model (bench/parse_server.py), only for /model/parse."""

    process: subprocess.Popen
    url: str
    token: str
    cold_start_s: float
    log: Any

    def stop(self) -> float | None:
        memory = peak_rss_mb(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return memory


def _model_loaded(url: str, token: str) -> bool:
    request = urllib.request.Request(f"{url}/status",  # noqa: S310 - loopback URL
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as reply:  # noqa: S310 - loopback URL
            return reply.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_parse_server(log_dir: Path) -> ParseServer:
    import jwt

    port = free_port()
    secret = secrets.token_hex(32)
    token = jwt.encode({"user": {"username": "bench", "role": "admin"}}, secret, algorithm="HS256")
    command = python_module("bench.parse_server", str(model_path(get_settings())), str(port))
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / "parse-server.log", "wb")  # noqa: SIM115 - closed in stop()
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=bench_environment(**{SECRET_VARIABLE: secret}),
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{LOOPBACK}:{port}"
    server = ParseServer(process, url, token, 0.0, log)
    while not _model_loaded(url, token):
        if process.poll() is not None or time.monotonic() - started > START_TIMEOUT_S:
            server.stop()
            raise RuntimeError(f"The NLU parse server did not start (see {log_dir / 'parse-server.log'})")
        time.sleep(0.1)
    # /status answers once the model is loaded.
    server.cold_start_s = round(time.monotonic() - started, 2)
    return server
