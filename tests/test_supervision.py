"""The launcher's restart policy (assistant/stack.py), on stand-in servers that exit at once.
Under `make run` itself: tests/e2e/test_supervision.py."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, replace

import pytest

from assistant.settings import get_settings
from assistant.stack import CrashLoop, Stack


@dataclass
class ExitingStack(Stack):
    """A 'server' that exits with code 3 right after it starts, and one that keeps running."""

    def commands(self) -> dict[str, list[str]]:
        return {"actions": [sys.executable, "-c", "raise SystemExit(3)"],
                "web": [sys.executable, "-c", "import time; time.sleep(60)"]}


def test_back_off_doubles_up_to_its_cap_and_a_crash_loop_stops(tmp_path):
    stack = ExitingStack(replace(get_settings(), var_dir=tmp_path), services=("actions", "web"),
                         first_delay=0.05, max_delay=0.2, restart_limit=5, restart_window=60)
    stack._env = {}
    for name in stack.services:
        stack._spawn(name)
    lines: list[str] = []
    web = stack.processes["web"]
    try:
        with pytest.raises(CrashLoop) as stopped:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                stack.check(lines.append)
                time.sleep(0.01)
        assert str(stopped.value) == "The actions server stopped 5 times within 60 s (last: exit code 3)"
        assert [line.split("restarting it in ")[1].split(" s")[0] for line in lines] == ["0.05", "0.1", "0.2", "0.2"]
        assert all(line.startswith("The actions server stopped unexpectedly (exit code 3)") for line in lines)
        # The server that did not crash was never touched.
        assert stack.processes["web"] is web and web.poll() is None
    finally:
        stack.stop()
