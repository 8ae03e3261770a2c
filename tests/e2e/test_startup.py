"""Start-up behaviour of the real servers: persistence across restarts, refusal of a broken
knowledge base."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, get_settings
from assistant.stack import Stack
from tests.conftest import RestClient
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.servers


_CLIENTS: dict[str, RestClient] = {}


def say(stack: Stack, sender: str, message: str) -> str:
    """One message of conversation `sender` (a label: the server issues the real id, and a
    restarted server with the same secret accepts it)."""
    client = _CLIENTS.setdefault(stack.settings.rasa_url, RestClient(stack.settings.rasa_url))
    status, replies = client({"sender": sender, "message": message})
    assert status == 200, replies
    return "\n".join(item.get("text", "") for item in replies)


@pytest.mark.model
def test_a_restart_does_not_lose_the_conversation(tmp_path: Path):
    settings = replace(get_settings(), rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
                       var_dir=tmp_path)
    with Stack(settings, log_dir=tmp_path / "log") as first:
        assert "10. Mai 2010" in say(first, "restart-1", "Wann wurde DEFUS gegründet?")
    with Stack(settings, log_dir=tmp_path / "log") as second:
        # The follow-up names no network: only the stored conversation knows it was DEFUS.
        assert "18 Städte und 2 Organisationen" in say(second, "restart-1", "Und wie viele Mitglieder hat es?")


def test_action_server_refuses_to_start_with_a_broken_knowledge_base(knowledge_copy: Path):
    broken = knowledge_copy / "efus.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("sources: [efus-web]", "sources: []"),
                      encoding="utf-8")
    env = dict(os.environ, ASSISTANT_KNOWLEDGE_DIR=str(knowledge_copy), ACTION_PORT=str(free_port()))
    result = subprocess.run([sys.executable, "-m", "assistant", "actions"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr
    assert "Eintrag „efus-website“, Feld „sources“: darf nicht leer sein" in result.stderr
    assert "Traceback" not in result.stderr
