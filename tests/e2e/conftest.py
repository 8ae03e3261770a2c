from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest

from assistant.settings import PROJECT_ROOT, get_settings
from assistant.stack import Stack


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory):
    """The real action server and Rasa server, on free loopback ports, with their own SQLite store."""
    if not (PROJECT_ROOT / "models" / "assistant.tar.gz").exists():
        pytest.fail("No trained model: run `make train` (make test does it).")
    var_dir = tmp_path_factory.mktemp("var")
    settings = replace(get_settings(), host="127.0.0.1", rasa_port=free_port(),
                       action_port=free_port(), var_dir=var_dir)
    running = Stack(settings, log_dir=var_dir / "log")
    running.start()
    yield running
    running.stop()


Post = Callable[..., tuple[int, Any]]


@pytest.fixture(scope="session")
def post(stack: Stack) -> Post:
    url = f"{stack.settings.rasa_url}/webhooks/rest/webhook"

    def send(body: Any, raw: bytes | None = None, timeout: float = 60) -> tuple[int, Any]:
        data = raw if raw is not None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    return send


@pytest.fixture(scope="session")
def ask(post: Post) -> Callable[[str, str], str]:
    def say(sender: str, message: str) -> str:
        status, replies = post({"sender": sender, "message": message})
        assert status == 200, replies
        assert replies, f"no reply to {message!r}"
        return "\n".join(reply.get("text", "") for reply in replies)

    return say


def tracker_db(stack: Stack) -> Path:
    return stack.settings.var_dir / "tracker.db"
