"""The scaled topology (two Rasa replicas, PostgreSQL tracker store, Redis lock store, HAProxy),
started as `make run-scaled` starts it, under concurrent load and failures."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.scaled import ScaledStack, postgres_url
from assistant.settings import get_settings
from tests.conftest import UNLIMITED, UNLIMITED_CONCURRENCY, RestClient, free_port

pytestmark = [pytest.mark.scale, pytest.mark.model]
QUESTIONS = ["Wann wurde DEFUS gegründet?", "Was ist Efus?", "Wie viele Mitglieder hat Efus?",
             "Welche Themen hat DEFUS?", "Wo sitzt Efus?"]
APOLOGY = "Entschuldigung, ich kann Ihre Frage gerade nicht beantworten"
CONVERSATION_LIMIT = "30/minute"


class RedisServer:
    """A Redis of the test's own on a free loopback port, so restarting it disturbs nobody."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
            self.process = None


def scaled_env(redis: RedisServer, database: str) -> dict[str, str]:
    return {
        "ASSISTANT_PG_HOST": os.environ.get("ASSISTANT_PG_HOST", "127.0.0.1"),
        "ASSISTANT_PG_PORT": os.environ.get("ASSISTANT_PG_PORT", "5432"),
        "ASSISTANT_PG_USER": os.environ.get("ASSISTANT_PG_USER", "postgres"),
        "ASSISTANT_PG_PASSWORD": os.environ.get("ASSISTANT_PG_PASSWORD", ""),
        "ASSISTANT_PG_DB": database,
        "ASSISTANT_REDIS_HOST": "127.0.0.1",
        "ASSISTANT_REDIS_PORT": str(redis.port),
        "ASSISTANT_REDIS_PASSWORD": "",
        "ASSISTANT_REDIS_DB": "0",
        "SQL_POOL_SIZE": "10",
        "SQL_MAX_OVERFLOW": "10",
    }


def start_topology(tmp: Path, lock_store: str | None = None):
    if not shutil.which("haproxy") or not shutil.which("redis-server"):
        pytest.fail("make test-scale needs haproxy and redis-server (the Makefile installs haproxy).")
    redis = RedisServer(tmp)
    redis.start()
    env = scaled_env(redis, f"assistant_test_{uuid.uuid4().hex[:10]}")
    if lock_store:
        env["ASSISTANT_LOCK_STORE"] = lock_store
    settings = replace(get_settings(), rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
                       var_dir=tmp / "var", allowed_origins=(),
                       # Load from one address, far above a citizen's limits; a conversation's
                       # limit above the 20 messages of the order test, to see it shared.
                       client_rate_limit=UNLIMITED, conversation_rate_limit=CONVERSATION_LIMIT,
                       client_concurrency=UNLIMITED_CONCURRENCY)
    stack = ScaledStack(settings, log_dir=tmp / "log", services=("actions", "rasa"), extra_env=env,
                        replica_ports=(free_port(), free_port()))
    stack.start()
    return stack, redis, env


def stop_topology(stack: ScaledStack, redis: RedisServer, env: dict[str, str]) -> None:
    stack.stop()
    redis.stop()
    engine = sa.create_engine(postgres_url(env, "postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{env["ASSISTANT_PG_DB"]}"'))
    engine.dispose()


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    stack, redis, env = start_topology(tmp_path_factory.mktemp("scaled"))
    yield stack, redis, env
    stop_topology(stack, redis, env)


_CLIENTS: dict[str, RestClient] = {}


def say(url: str, sender: str, message: str) -> str:
    """One message of conversation `sender`, a label: the server issues the conversation's id
    with its first reply (both replicas accept it), later messages send that id."""
    client = _CLIENTS.setdefault(url, RestClient(url))
    status, replies = client({"sender": sender, "message": message}, timeout=120)
    if status != 200:
        raise urllib.error.HTTPError(client.url, status, str(replies)[:200], None, None)  # type: ignore[arg-type]
    return "\n".join(item.get("text", "") for item in replies)


def bursts(url: str, prefix: str, failures: list[str], conversations: int = 50, messages: int = 20,
           burst: int = 5) -> dict:
    """Each conversation sends its messages in concurrent bursts; conversations run side by side.

    HTTP errors are collected in `failures` (the stock lock store can leave a message waiting
    until the balancer gives up), so a comparison run still reports what it stored."""
    sent: dict[str, list[list[str]]] = {}

    def send(sender: str, text: str) -> None:
        try:
            say(url, sender, text)
        except urllib.error.HTTPError as error:
            failures.append(f"{sender}: HTTP {error.code}")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            failures.append(f"{sender}: {type(error).__name__}")

    def conversation(index: int) -> None:
        sender = f"{prefix}-{index}"
        sent[sender] = []
        with ThreadPoolExecutor(max_workers=burst) as pool:
            for start in range(0, messages, burst):
                texts = [f"Frage {n}: {QUESTIONS[n % len(QUESTIONS)]}" for n in range(start, start + burst)]
                sent[sender].append(texts)
                if start == 0:
                    # The first message alone: its reply brings the id the rest of the burst uses.
                    send(sender, texts[0])
                list(pool.map(lambda text, sender=sender: send(sender, text), texts[1:] if start == 0 else texts))

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(conversation, range(conversations)))
    return sent


def stored_events(env: dict[str, str], prefix: str) -> dict[str, list[tuple[str, dict]]]:
    engine = sa.create_engine(postgres_url(env))
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT sender_id, type_name, data FROM events WHERE sender_id LIKE :prefix ORDER BY id"),
            {"prefix": f"{prefix}-%"}).fetchall()
    engine.dispose()
    events: dict[str, list[tuple[str, dict]]] = {}
    for sender, kind, data in rows:
        # Stored under the issued id "<label>.<nonce>.<signature>"; grouped by the label sent.
        events.setdefault(sender.split(".", 1)[0], []).append((kind, json.loads(data)))
    return events


def problems_in(sent: dict, events: dict) -> list[str]:
    """Everything that differs from: each message stored once, bursts in order, each followed by its reply."""
    problems = []
    for sender, sent_bursts in sent.items():
        stored = events.get(sender, [])
        users = [data["text"] for kind, data in stored if kind == "user"]
        expected = [text for burst in sent_bursts for text in burst]
        if sorted(users) != sorted(expected):
            problems.append(f"{sender}: {len(users)} stored user messages for {len(expected)} sent")
            continue
        position = 0
        for burst in sent_bursts:
            if sorted(users[position:position + len(burst)]) != sorted(burst):
                problems.append(f"{sender}: a message overtook its burst")
            position += len(burst)
        kinds = [kind for kind, _ in stored if kind in ("user", "bot")]
        for index, kind in enumerate(kinds):
            following = kinds[index + 1] if index + 1 < len(kinds) else None
            if kind == "user" and following != "bot":
                problems.append(f"{sender}: a message (event {index}) is not followed by its reply")
                break
    return problems


def test_no_message_is_lost_duplicated_or_interleaved_across_two_replicas(topology):
    stack, _, env = topology
    started = time.monotonic()
    failures: list[str] = []
    sent = bursts(stack.settings.rasa_url, "order", failures)
    seconds = time.monotonic() - started
    assert failures == []
    print(f"atomic lock store: 1000 messages in {seconds:.1f} s ({1000 / seconds:.1f} msg/s)")
    assert problems_in(sent, stored_events(env, "order")) == []
    # HAProxy's request log names the replica of every request: both must have served.
    balancer_log = (stack.log_dir / "lb.log").read_text(errors="replace")
    assert "rasa/rasa1" in balancer_log and "rasa/rasa2" in balancer_log


def test_a_conversation_s_limit_is_counted_once_across_both_replicas(topology):
    """The replicas share the counts in Redis: a conversation that sends alternately to each
    replica gets its 30 messages a minute in all, not 30 on each."""
    stack, _, _ = topology
    replicas = [RestClient(f"http://{stack.settings.host}:{stack.replica_port(name)}") for name in ("rasa1", "rasa2")]
    status, _ = replicas[0]({"sender": "shared-limit", "message": "Wann wurde DEFUS gegründet?"})
    assert status == 200
    replicas[1].ids.update(replicas[0].ids)  # the id the first replica issued
    statuses = [status] + [replicas[n % 2]({"sender": "shared-limit", "message": "Was ist Efus?"})[0]
                           for n in range(1, 40)]
    assert statuses.count(200) == 30 and statuses[:30] == [200] * 30, statuses
    assert set(statuses[30:]) == {429}, statuses
    # Another conversation is not held up by this one's count.
    status, replies = replicas[1]({"sender": "shared-limit-other", "message": "Wann wurde DEFUS gegründet?"})
    assert status == 200 and "2010" in str(replies)


def test_redis_restart_gives_an_apology_then_service_resumes(topology):
    stack, redis, _ = topology
    url = stack.settings.rasa_url
    assert "10. Mai 2010" in say(url, "redis-1", "Wann wurde DEFUS gegründet?")
    redis.stop()
    try:
        assert APOLOGY in say(url, "redis-1", "Was ist Efus?")
    finally:
        # Also when the apology is missing: the module's later tests need Redis back.
        redis.start()
    assert "18 Städte und 2 Organisationen" in say(url, "redis-1", "Und wie viele Mitglieder hat DEFUS?")


def throughput(url: str, prefix: str, conversations: int = 16, messages: int = 8) -> float:
    def conversation(index: int) -> None:
        for n in range(messages):
            say(url, f"{prefix}-{index}", QUESTIONS[n % len(QUESTIONS)])

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        list(pool.map(conversation, range(conversations)))
    return conversations * messages / (time.monotonic() - started)


def test_a_killed_replica_leaves_conversations_to_the_other(topology):
    stack, _, _ = topology
    url = stack.settings.rasa_url
    two = throughput(url, "tp2")
    senders = [f"kill-{n}" for n in range(10)]
    for sender in senders:
        assert "10. Mai 2010" in say(url, sender, "Wann wurde DEFUS gegründet?")
    stack.stop_service("rasa1", signal.SIGKILL)
    for sender in senders:
        # No network named: only the history stored in PostgreSQL says it was DEFUS.
        assert "18 Städte und 2 Organisationen" in say(url, sender, "Und wie viele Mitglieder hat es?")
    one = throughput(url, "tp1")
    print(f"throughput at 16 concurrent conversations: two replicas {two:.1f} msg/s, "
          f"one replica {one:.1f} msg/s (ratio {two / one:.2f})")


def test_stock_redis_lock_store_for_comparison(tmp_path):
    stack, redis, env = start_topology(tmp_path, lock_store="redis")
    try:
        failures: list[str] = []
        sent = bursts(stack.settings.rasa_url, "stock", failures)
        problems = problems_in(sent, stored_events(env, "stock"))
        print(f"stock RedisLockStore: {len(problems)} of {len(sent)} conversations damaged, "
              f"{len(failures)} requests failed"
              + (f", e.g. {(problems + failures)[:3]}" if problems or failures
                 else " (the race did not reproduce in this run)"))
        # Recorded, not asserted: the stock store is the baseline being measured.
        assert len(sent) == 50
    finally:
        stop_topology(stack, redis, env)
