"""Failures a citizen must never notice as silence, and data that must never be kept."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, get_settings
from assistant.stack import Stack
from tests.conftest import RestClient
from tests.e2e.conftest import free_port, tracker_db

pytestmark = pytest.mark.servers
APOLOGY = "Entschuldigung, ich kann Ihre Frage gerade nicht beantworten"


_CLIENTS: dict[str, RestClient] = {}


def say(url: str, sender: str, message: str, timeout: float = 60) -> tuple[str, float]:
    """One message of conversation `sender` (a label: the server issues the real id)."""
    client = _CLIENTS.setdefault(url, RestClient(url))
    started = time.monotonic()
    status, replies = client({"sender": sender, "message": message}, timeout=timeout)
    assert status == 200, replies
    return "\n".join(item.get("text", "") for item in replies), time.monotonic() - started


class HangingActionServer:
    """Accepts connections and never answers: an action server that hangs."""

    def __init__(self, port: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.mark.model
def test_action_server_down_or_hanging_gets_an_apology_within_the_timeout(tmp_path: Path):
    action_port = free_port()
    settings = replace(get_settings(), rasa_port=free_port(), action_port=action_port, var_dir=tmp_path,
                       action_timeout=3)
    with Stack(settings, log_dir=tmp_path / "log", services=("rasa",)) as stack:
        url = stack.settings.rasa_url
        # Nothing listens on the action port: the action server is down.
        reply, seconds = say(url, "down-1", "Wann wurde DEFUS gegründet?")
        print(f"apology latency with the action server down: {seconds * 1000:.0f} ms")
        assert APOLOGY in reply and "Callcenter der Stadt Bochum" in reply
        assert seconds < settings.action_timeout

        hanging = HangingActionServer(action_port)
        try:
            reply, seconds = say(url, "hang-1", "Wann wurde DEFUS gegründet?")
            print(f"apology latency with a hanging action server: {seconds * 1000:.0f} ms")
            assert APOLOGY in reply
            assert settings.action_timeout <= seconds < settings.action_timeout + 5
            # The conversation is not stuck: the next message is answered normally.
            reply, _ = say(url, "hang-1", "Hallo")
            assert reply.startswith("Guten Tag!")
        finally:
            hanging.close()
    log = (tmp_path / "log" / "rasa.log").read_text(errors="replace")
    # Logged by the id's label and nonce, never its signature (with which it would be a key).
    hang = _CLIENTS[url].ids["hang-1"]
    assert log.count(f"Action action_answer_question of conversation {hang.rsplit('.', 1)[0]}.… timed out") == 1
    assert hang not in log


def test_rasa_refuses_to_start_without_its_tracker_store(tmp_path: Path):
    env = dict(os.environ, ASSISTANT_TRACKER_DB=str(tmp_path / "missing" / "tracker.db"),
               ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook", RASA_JWT_SECRET="x" * 32,
               RASA_PORT=str(free_port()))
    model = PROJECT_ROOT / "models" / "assistant.tar.gz"
    result = subprocess.run([sys.executable, "-m", "assistant", "rasa-server", "--model", str(model)],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "Tracker store unreachable" in result.stderr and "missing" in result.stderr


@pytest.mark.model
def test_personal_data_is_redacted_before_it_is_stored(ask, post, stack):
    reply = ask("privacy-1", "Wann wurde DEFUS gegründet? max.mustermann@example.org 0234 9101234 "
                             "DE89 3704 0044 0532 0130 00")
    assert "10. Mai 2010" in reply
    with sqlite3.connect(tracker_db(stack)) as db:
        rows = [row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (post.ids["privacy-1"],))]
    stored = " ".join(rows)
    [user_text] = [json.loads(row)["text"] for row in rows if json.loads(row).get("event") == "user"]
    assert user_text == "Wann wurde DEFUS gegründet? [entfernt] [entfernt] [entfernt]"
    for secret in ("mustermann", "example.org", "DE89"):
        assert secret not in stored
    # Numbers only as whole numbers: the stored confidences (0.0020532…) may contain any digits.
    for secret in ("9101234", "0532"):
        assert not re.search(rf"(?<![\d.]){secret}(?!\d)", stored), secret


@pytest.mark.model
def test_purge_deletes_only_old_conversations(ask, post, stack):
    ask("purge-old", "Was ist Efus?")
    ask("purge-new", "Was ist DEFUS?")
    old, new = post.ids["purge-old"], post.ids["purge-new"]
    db_path = tracker_db(stack)
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE events SET timestamp = timestamp - 40 * 86400 WHERE sender_id = ?", (old,))
    result = subprocess.run([sys.executable, "-m", "assistant", "purge", "--older-than", "30d",
                             "--db-url", f"sqlite:///{db_path}"], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 Gespräch(e) älter als 30 Tage" in result.stdout
    with sqlite3.connect(db_path) as db:
        senders = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert old not in senders and new in senders


@pytest.mark.model
def test_a_maximum_size_message_does_not_hold_up_other_conversations(stack):
    url = stack.settings.rasa_url
    longest = ("Wann wurde DEFUS gegründet und wer ist dort Mitglied? " * 40)[: stack.settings.max_message_chars]
    latencies = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_ in range(5):
            long_running = pool.submit(say, url, f"long-{round_}", longest)
            time.sleep(0.05)
            _, seconds = say(url, f"short-{round_}", "Was ist Efus?")
            latencies.append(seconds)
            assert long_running.result()[0]
    print(f"concurrent latency during maximum-size messages: median {statistics.median(latencies) * 1000:.0f} ms")
    assert statistics.median(latencies) < 1.0
