from __future__ import annotations

import json
import shutil
import socket
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

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

UNLIMITED = "1000000/minute"
UNLIMITED_CONCURRENCY = 100000


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
                       action_port=free_port(), web_port=free_port(), var_dir=var_dir,
                       # The suite sends far more from one address than a citizen: the limits are
                       # tested on a stack of their own (tests/e2e/test_rate_limits.py).
                       client_rate_limit=UNLIMITED, conversation_rate_limit=UNLIMITED,
                       client_concurrency=UNLIMITED_CONCURRENCY)
    running = Stack(settings, log_dir=var_dir / "log")
    running.start()
    yield running
    running.stop()


class RestClient:
    """Posts to a Rasa server's REST webhook as a client that keeps its conversations.

    The server issues the sender ids (assistant/channels/ids.py). A test names a conversation by
    a label ("sender": "test-1a2b…"): the first request with a label gets the id the server
    issues for it (header X-Sender-Id), later requests with the same label send that id, and
    `ids[label]` is the id the conversation is stored under. `raw` bytes, and bodies sent with
    `as_is=True` (an attacker's guessed or stolen id), go out unchanged.
    """

    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.ids: dict[str, str] = {}

    def __call__(self, body: Any, raw: bytes | None = None, timeout: float = 60,
                 as_is: bool = False) -> tuple[int, Any]:
        label = body.get("sender") if isinstance(body, dict) and raw is None and not as_is else None
        if isinstance(label, str) and label in self.ids:
            body = {**body, "sender": self.ids[label]}
        data = raw if raw is not None else json.dumps(body).encode()
        request = urllib.request.Request(self.url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                issued = reply.headers.get("X-Sender-Id")
                if isinstance(label, str) and issued:
                    self.ids.setdefault(label, issued)
                return reply.status, _json(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())


def _json(raw: bytes) -> Any:
    """The reply's JSON; the text itself if it is none (e.g. a load balancer's error page)."""
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode("utf-8", "replace")


Post = RestClient


@pytest.fixture(scope="session")
def post(stack: Stack) -> Post:
    return RestClient(stack.settings.rasa_url)
