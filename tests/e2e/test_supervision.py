"""Supervision under `make run`: the launcher (`python -m assistant run`, what `make run` starts)
as a subprocess, a server of it killed as a crash or an out-of-memory kill would."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from assistant.stack import answers
from tests.e2e.conftest import free_port

pytestmark = [pytest.mark.servers, pytest.mark.model]
APOLOGY = "Entschuldigung, ich kann Ihre Frage gerade nicht beantworten"
READY = "The assistant is running"


class Launcher:
    """`python -m assistant run` on free loopback ports, its own var/ and knowledge base copy."""

    def __init__(self, tmp_path: Path, knowledge_dir: Path) -> None:
        self.rasa_port, self.action_port, self.web_port = free_port(), free_port(), free_port()
        env = dict(os.environ, ASSISTANT_HOST="127.0.0.1", RASA_PORT=str(self.rasa_port),
                   ACTION_PORT=str(self.action_port), ASSISTANT_WEB_PORT=str(self.web_port),
                   ASSISTANT_VAR_DIR=str(tmp_path / "var"), ASSISTANT_KNOWLEDGE_DIR=str(knowledge_dir))
        for name in ("ASSISTANT_ALLOWED_ORIGINS", "ASSISTANT_RASA_URL", "ASSISTANT_TRACKER_DB"):
            env.pop(name, None)
        self.output_path = tmp_path / "launcher.log"
        self._output = self.output_path.open("wb")
        # Children inherit the launcher's output, as in a terminal under `make run`.
        self.process = subprocess.Popen([sys.executable, "-m", "assistant", "run"], cwd=PROJECT_ROOT, env=env,
                                        stdout=self._output, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while READY not in self.output():
            assert self.process.poll() is None, f"launcher exited:\n{self.output()[-3000:]}"
            assert time.monotonic() < deadline, f"not ready after {timeout} s:\n{self.output()[-3000:]}"
            time.sleep(1)

    def children(self) -> dict[str, int]:
        """The launcher's servers by name (the last word of `python -m assistant …`) and pid."""
        found = {}
        task = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in task.read_text().split():
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            except FileNotFoundError:
                continue
            if "assistant" in argv:
                found[argv[argv.index("assistant") + 1]] = int(pid)
        return found

    def say(self, sender: str, message: str) -> str:
        request = urllib.request.Request(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
                                         data=json.dumps({"sender": sender, "message": message}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as reply:
            return "\n".join(item.get("text", "") for item in json.loads(reply.read()))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._output.close()


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture()
def launcher(tmp_path: Path, knowledge_copy: Path):
    running = Launcher(tmp_path, knowledge_copy)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def test_a_killed_action_server_is_restarted_while_the_others_keep_serving(launcher: Launcher):
    assert "2010" in launcher.say("supervised-1", "Wann wurde DEFUS gegründet?")
    before = launcher.children()
    assert set(before) == {"actions", "rasa-server", "web"}

    os.kill(before["actions"], signal.SIGKILL)
    killed = time.monotonic()
    # Meanwhile the Rasa server answers with the German apology: the launcher waits 1 s before
    # it restarts the action server, and this question is asked at once.
    reply = launcher.say("supervised-2", "Wann wurde DEFUS gegründet?")
    if time.monotonic() - killed < 1:
        assert APOLOGY in reply, reply
    else:  # a machine this slow may already have the new action server
        assert APOLOGY in reply or "2010" in reply, reply
    print("while the action server restarts: " + ("the apology" if APOLOGY in reply else "answered"))
    assert answers(f"http://127.0.0.1:{launcher.web_port}/health")

    while not answers(f"http://127.0.0.1:{launcher.action_port}/health"):
        assert time.monotonic() - killed < 30, f"action server not back:\n{launcher.output()[-3000:]}"
        time.sleep(0.5)
    print(f"action server back after {time.monotonic() - killed:.1f} s")
    reply = launcher.say("supervised-3", "Wann wurde DEFUS gegründet?")
    assert "2010" in reply and APOLOGY not in reply, reply

    after = launcher.children()
    assert after["actions"] != before["actions"]
    assert (after["rasa-server"], after["web"]) == (before["rasa-server"], before["web"])
    output = launcher.output()
    assert output.count("server stopped unexpectedly") == 1
    assert "The actions server stopped unexpectedly (killed by SIGKILL); restarting it in 1 s" in output

    # Ctrl-C stops everything the launcher started.
    launcher.stop()
    assert launcher.process.returncode == 0
    assert "Stopping" in launcher.output()
    assert not any(alive(pid) for pid in after.values())


def test_an_action_server_that_keeps_crashing_stops_the_launcher(launcher: Launcher, knowledge_copy: Path):
    servers = launcher.children()
    # An edit breaks the knowledge base: from now on the action server exits at once (code 1).
    broken = knowledge_copy / "efus.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("sources: [efus-web]", "sources: []"),
                      encoding="utf-8")
    os.kill(servers["actions"], signal.SIGKILL)
    started = time.monotonic()
    try:
        code = launcher.process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the launcher kept restarting:\n{launcher.output()[-3000:]}")
    print(f"launcher stopped {time.monotonic() - started:.1f} s after the first crash")
    output = launcher.output()
    assert code == 1
    assert ("The actions server stopped 5 times within 60 s (last: exit code 1): stopping all servers."
            in output), output[-3000:]
    # Four restarts, each after twice the wait before: 1, 2, 4, 8 s.
    for delay in (1, 2, 4, 8):
        assert f"restarting it in {delay} s" in output
    assert not any(alive(pid) for pid in servers.values())
