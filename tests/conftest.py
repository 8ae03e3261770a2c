from __future__ import annotations

import json
import shutil
import socket
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest

from assistant.answering import Answerer
from assistant.gazetteer import german_place_names
from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.settings import PROJECT_ROOT, get_settings
from assistant.stack import Stack

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base(KNOWLEDGE_DIR, german_place_names())


@pytest.fixture(scope="session")
def answerer(kb: KnowledgeBase) -> Answerer:
    return Answerer(kb)


@pytest.fixture()
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the real knowledge base that a test may break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


# -- the real servers, shared by tests/e2e and tests/cli ---------------------------------

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
                       action_port=free_port(), web_port=free_port(), var_dir=var_dir)
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
