"""Parts 2 and 3 against running servers: answers end to end, then speed.

Starts the stack as `make run` does (same model, credentials and endpoints, SQLite tracker store
in its own var dir, free loopback ports), Rasa's bare HTTP API with the same model for the
NLU floor, for the lookup-cost test a second stack whose action server reads a 100× knowledge
base, and finally a stack for diagnosis (bench/profile_server.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT, get_settings
from assistant.stack import model_path
from bench import answers, flood, profile_server, speed
from bench.client import send_message, session
from bench.knowledge_growth import grow
from bench.load import Endpoint
from bench.servers import RunningStack, stack_settings, start_parse_server, start_stack

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LivePlan:
    load: speed.LoadPlan
    long_turns: int = 200
    growth_factor: int = 100
    growth_messages: int = 120
    profile_concurrency: int = 8
    profile_seconds: float = 20.0


async def _first_answer(url: str) -> float:
    async with session(1) as http:
        exchange = await send_message(http, url, "bench-cold-start", "Wann wurde DEFUS gegründet?")
    if not exchange.ok:
        raise RuntimeError(f"The stack's first answer failed: {exchange.error}")
    return exchange.latency_s


def _start(name: str, work: Path, logs: Path,
           knowledge_dir: Path | None = None) -> tuple[RunningStack, dict[str, float]]:
    log.info("starting the %s stack", name)
    started = time.monotonic()
    running = start_stack(stack_settings(work / f"var-{name}", knowledge_dir), logs / f"stack-{name}")
    first = asyncio.run(_first_answer(running.url))
    cold = {**{f"{key}_ready_s": value for key, value in running.cold_start_s.items()},
            "first_answer_s": round(first, 2), "until_first_answer_s": round(time.monotonic() - started, 2)}
    return running, cold


def _main_stack_measurements(main: RunningStack, work: Path, logs: Path, plan: LivePlan,
                             results: dict[str, Any], memory: dict[str, Any]) -> None:
    log.info("answers end to end")
    results["answers"] = asyncio.run(answers.run(main.url))
    log.info("starting the NLU floor server")
    floor = start_parse_server(logs)
    results["cold_start"]["nlu_parse_server_ready_s"] = floor.cold_start_s
    try:
        stack_endpoint = Endpoint(main.url, "message")
        asyncio.run(speed.warm_up(stack_endpoint, Endpoint(floor.url, "parse", floor.token)))
        log.info("load at %s concurrent conversations", plan.load.concurrency)
        results["load"] = asyncio.run(
            speed.load_levels(stack_endpoint, Endpoint(floor.url, "parse", floor.token), plan.load))
    finally:
        memory["nlu_parse_server"] = floor.stop()
    log.info("one long conversation of %d turns", plan.long_turns)
    results["long_conversation"] = asyncio.run(
        speed.long_conversation(main.url, main.stack.settings.var_dir, plan.long_turns))


def _knowledge_growth(main: RunningStack, work: Path, logs: Path, plan: LivePlan,
                      results: dict[str, Any], memory: dict[str, Any]) -> None:
    log.info("knowledge base grown %d×", plan.growth_factor)
    grown_dir = work / "knowledge-grown"
    growth: dict[str, Any] = grow(get_settings().knowledge_dir, grown_dir, plan.growth_factor)
    grown, cold = _start("grown", work, logs, grown_dir)
    results["cold_start"]["stack_grown_knowledge"] = cold
    try:
        asyncio.run(speed.warm_up(Endpoint(grown.url, "message")))
        growth.update(asyncio.run(speed.interleaved(main.url, grown.url, plan.growth_messages)))
    finally:
        memory["stack_grown_knowledge"] = grown.stop()
    results["knowledge_growth"] = growth


def run(work: Path, logs: Path, plan: LivePlan) -> dict[str, Any]:
    model = model_path(get_settings())
    results: dict[str, Any] = {"model": str(model.relative_to(PROJECT_ROOT)),
                               "model_size_mb": round(model.stat().st_size / 1024 / 1024, 1)}
    memory: dict[str, Any] = {}
    main, cold = _start("main", work, logs)
    results["cold_start"] = {"stack": cold}
    try:
        _main_stack_measurements(main, work, logs, plan, results, memory)
        _knowledge_growth(main, work, logs, plan, results, memory)
    finally:
        memory["stack"] = main.stop()
    log.info("one client's flood against another citizen's conversation, with the default limits")
    results["flood"] = flood.run(work, logs)
    results["peak_rss_mb"] = memory
    if plan.profile_seconds > 0:
        log.info("diagnosis: profiled Rasa server, long conversation without the request limit")
        results["diagnosis"] = profile_server.run(work, logs, plan.long_turns, plan.profile_concurrency,
                                                  plan.profile_seconds)
    return results
