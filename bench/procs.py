"""Child processes for the benchmarks: free loopback ports, timed runs with their own resource
usage, and peak memory read from /proc."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from assistant.settings import PROJECT_ROOT

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def bench_environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM of a running process: the most resident memory it has had so far."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


@dataclass(frozen=True)
class Finished:
    """A child process that ran to its end, with what it cost."""

    command: list[str]
    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_measured(command: Sequence[str], log: Path, timeout: float, env: dict[str, str] | None = None,
                 cwd: Path = PROJECT_ROOT) -> Finished:
    """Run a command to its end; wall time, CPU time and peak RSS come from wait4 of that child."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as output:
        started = time.monotonic()
        process = subprocess.Popen(list(command), cwd=cwd, env=env or bench_environment(), stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, 9)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.2)
        wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Finished(list(command), process.returncode, round(wall, 1),
                    round(usage.ru_utime + usage.ru_stime, 1), round(usage.ru_maxrss / 1024, 1))


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]
