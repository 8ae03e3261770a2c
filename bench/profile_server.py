"""Diagnosis: where a message's time goes inside the Rasa server, and why long conversations
get slower.

A separate stack, started like the others, whose Rasa server runs under bench.profiled: cProfile
is switched on only for chosen windows of the warm server (signals SIGUSR1/SIGUSR2). The action
server's request limit is lifted to Sanic's default here (when assistant.stack.Stack takes extra
environment variables), so long conversations run to the end and their cost can be seen.

py-spy and pyinstrument are not in requirements.lock; cProfile is. It slows pure-Python code
more than TensorFlow's C++ kernels, so Python stages look somewhat bigger than they are; the
numbers are for finding causes, not latency figures.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import pstats
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.stack import Stack
from bench.client import send_message, session
from bench.load import Endpoint, closed_loop
from bench.procs import python_module, run_measured
from bench.servers import RunningStack, stack_settings, start_stack, takes_env
from bench.speed import load_long_conversation, long_conversation, warm_up

SANIC_DEFAULT_REQUEST_MAX_SIZE = str(100_000_000)
WINDOW_TIMEOUT_S = 30.0

# (label, file the function is defined in, function name). Wrapped functions (e.g. a tracker
# store around another) share a name; the outermost one, with the largest cumulative time, counts.
# Not MessageProcessor.handle_message: assistant/processor.py runs actions in their own asyncio
# task (wait_for), so their time is not inside it; the whole is the thread's total instead.
STAGES = (
    ("NLU parse (MessageProcessor.parse_message)", "rasa/core/processor.py", "parse_message"),
    ("Policies: next action (MessageProcessor._predict_next_with_tracker)", "rasa/core/processor.py",
     "_predict_next_with_tracker"),
    ("Custom action call, without waiting (RemoteAction.run)", "rasa/core/actions/action.py", "run"),
    ("… of which checking the action server's reply (assistant/processor.py, validator built once)",
     "assistant/processor.py", "_validate_action_result"),
    ("Tracker store: load conversation (TrackerStore.retrieve)", "rasa/core/tracker_store.py", "retrieve"),
    ("Tracker store: save conversation (TrackerStore.save)", "rasa/core/tracker_store.py", "save"),
    ("Logging through structlog (BoundLogger._proxy_to_logger)", "structlog/_base.py", "_proxy_to_logger"),
)


@dataclass
class ProfiledStack(Stack):
    """The same stack, with the Rasa server's command run under bench.profiled."""

    profile_dir: Path = Path("profile")

    def commands(self) -> dict[str, list[str]]:
        commands = super().commands()
        python, *rest = commands["rasa"]
        commands["rasa"] = [python, "-m", "bench.profiled", "--out", str(self.profile_dir), *rest]
        return commands


class Window:
    """One profiled window of the running Rasa server."""

    def __init__(self, pid: int, profile_dir: Path) -> None:
        self.pid = pid
        self.profile_dir = profile_dir

    def __enter__(self) -> Window:
        self._before = set(self.profile_dir.glob("window-*.prof"))
        os.kill(self.pid, signal.SIGUSR1)
        return self

    def __exit__(self, *_: object) -> None:
        os.kill(self.pid, signal.SIGUSR2)
        deadline = time.monotonic() + WINDOW_TIMEOUT_S
        while time.monotonic() < deadline:
            new = set(self.profile_dir.glob("window-*.prof")) - self._before
            if new:
                time.sleep(0.5)  # let the dump finish
                self.path: Path | None = new.pop()
                return
            time.sleep(0.2)
        self.path = None


def _cumulative(stats: pstats.Stats, file_suffix: str, function: str) -> float:
    found = [values[3] for (file, _, name), values in stats.stats.items()  # type: ignore[attr-defined]
             if name == function and file.replace("\\", "/").endswith(file_suffix)]
    return max(found, default=0.0)


def analyse(profile: Path | None, messages: int, listing: Path, top: int = 12) -> dict[str, Any]:
    if profile is None or not messages:
        return {"error": "no profile written"}
    stats = pstats.Stats(str(profile))
    whole = stats.total_tt  # type: ignore[attr-defined]
    stages = {label: {"ms_per_message": round(_cumulative(stats, file, name) * 1000 / messages, 2),
                      "share": round(_cumulative(stats, file, name) / whole, 3) if whole else None}
              for label, file, name in STAGES}
    text = io.StringIO()
    pstats.Stats(str(profile), stream=text).sort_stats("cumulative").print_stats(40)
    pstats.Stats(str(profile), stream=text).sort_stats("tottime").print_stats(40)
    listing.write_text(text.getvalue(), encoding="utf-8")
    own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    return {
        "messages": messages,
        "profiled_cpu_ms_per_message": round(whole * 1000 / messages, 2),
        "stages": stages,
        "top_own_time": [{"function": f"{Path(file).name}:{line} {name}",
                          "own_ms_per_message": round(values[2] * 1000 / messages, 3), "calls": values[1]}
                         for (file, line, name), values in own],
        "listing": str(listing),
    }


async def _profiled_long_conversation(url: str, pid: int, profile_dir: Path, turns: int) -> dict[str, Any]:
    """A long conversation whose first and last window of turns are profiled separately."""
    messages = load_long_conversation()
    size = len(messages)
    sender = f"bench-profile-long-{uuid.uuid4().hex[:8]}"
    errors = 0
    async with session(1) as http:

        async def say(turns_: range) -> None:
            nonlocal errors
            for turn in turns_:
                errors += not (await send_message(http, url, sender, messages[turn % size])).ok

        with Window(pid, profile_dir) as first:
            await say(range(size))
        await say(range(size, turns - size))
        with Window(pid, profile_dir) as last:
            await say(range(turns - size, turns))
    return {"errors": errors, "first": first.path, "last": last.path, "window": size}


def _start(work: Path, logs: Path, profile_dir: Path) -> tuple[RunningStack, dict[str, str]]:
    # An older Stack without extra environment variables runs with its own limit.
    env = {"SANIC_REQUEST_MAX_SIZE": SANIC_DEFAULT_REQUEST_MAX_SIZE} if takes_env(ProfiledStack) else {}
    settings = stack_settings(work / "var-diagnosis")
    return start_stack(settings, logs / "stack-diagnosis", ProfiledStack, env, profile_dir=profile_dir), env


def run(work: Path, logs: Path, turns: int, concurrency: int, seconds: float) -> dict[str, Any]:
    profile_dir = logs / "profile"
    running, env = _start(work, logs, profile_dir)
    url, var_dir = running.url, running.stack.settings.var_dir
    pid = running.stack.processes["rasa"].pid
    result: dict[str, Any] = {"environment": env}
    try:
        asyncio.run(warm_up(Endpoint(url, "message")))
        result["long_conversation"] = asyncio.run(long_conversation(url, var_dir, turns))
        with Window(pid, profile_dir) as window:
            sample = asyncio.run(closed_loop(Endpoint(url, "message"), concurrency, seconds, 100_000))
        profiles = {f"load at {concurrency} conversations": analyse(
            window.path, len(sample.latencies_s) + sample.errors, logs / "profile-load.txt")}
        long = asyncio.run(_profiled_long_conversation(url, pid, profile_dir, turns))
        profiles[f"long conversation, turns 1–{long['window']}"] = analyse(
            long["first"], long["window"], logs / "profile-long-first.txt")
        profiles[f"long conversation, turns {turns - long['window'] + 1}–{turns}"] = analyse(
            long["last"], long["window"], logs / "profile-long-last.txt")
        result["profiles"] = profiles
        result["errors"] = sample.errors + long["errors"]
    finally:
        running.stop()
    out = work / "validation-cost.json"
    finished = run_measured(python_module("bench.validation_cost", "--out", str(out)), logs / "validation-cost.log",
                            timeout=300)
    result["action_reply_check"] = json.loads(out.read_text(encoding="utf-8")) if finished.ok else {
        "error": f"exit {finished.returncode}, see {logs / 'validation-cost.log'}"}
    return result
