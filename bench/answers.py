"""Part 2, answers end to end: the question set in bench/questions.yml through the REST webhook
of the running stack. Counts questions answered with the right fact, and questions without a
fact in the knowledge base answered honestly, without an invented fact."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench import BENCH_DIR
from bench.client import send_message, session

QUESTIONS = BENCH_DIR / "questions.yml"
ADMISSION = "liegen mir keine gesicherten Informationen vor"
_URL = re.compile(r"https?://\S+")
# The only sentences an honest "I don't know" consists of (see assistant/answering.py).
_HONEST_SENTENCES = (
    re.compile(r"^[^.]*" + ADMISSION + r"\.$"),
    re.compile(r"^Mehr erfahren Sie auf der Website von [\w-]+:?$"),
)


@dataclass(frozen=True)
class Case:
    question: str
    context: tuple[str, ...] = ()
    expect: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()


@dataclass
class Outcome:
    case: Case
    reply: str
    passed: bool
    problems: list[str] = field(default_factory=list)


def load_cases(path: Path = QUESTIONS) -> dict[str, list[Case]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        kind: [Case(item["question"], tuple(item.get("context", ())), tuple(item.get("expect", ())),
                    tuple(item.get("forbid", ()))) for item in document[kind]]
        for kind in ("answered", "unknown")
    }


def check_answered(case: Case, reply: str) -> list[str]:
    return [f"missing /{pattern}/" for pattern in case.expect if not re.search(pattern, reply)]


def check_unknown(case: Case, reply: str) -> list[str]:
    """An honest admission and nothing else: no digits, no extra sentence, no forbidden word."""
    problems = []
    if ADMISSION not in reply:
        problems.append("no admission")
    without_urls = _URL.sub("", reply)
    if re.search(r"\d", without_urls):
        problems.append("contains digits")
    sentences = [s.strip() for s in re.split(r"(?<=\.)\s+|\n+", without_urls) if s.strip()]
    extra = [s for s in sentences if not any(pattern.match(s) for pattern in _HONEST_SENTENCES)]
    if extra:
        problems.append(f"extra text: {' | '.join(extra)[:160]}")
    problems += [f"forbidden /{word}/" for word in case.forbid if word in without_urls]
    return problems


async def _ask(http: Any, base_url: str, case: Case) -> tuple[str, str | None]:
    sender = f"bench-answers-{uuid.uuid4().hex[:10]}"
    for message in case.context:
        exchange = await send_message(http, base_url, sender, message)
        if not exchange.ok:
            return "", exchange.error
    exchange = await send_message(http, base_url, sender, case.question)
    return exchange.text, exchange.error


async def run(base_url: str) -> dict[str, Any]:
    cases = load_cases()
    results: dict[str, Any] = {}
    async with session(1) as http:
        for kind, check in (("answered", check_answered), ("unknown", check_unknown)):
            outcomes = []
            for case in cases[kind]:
                reply, error = await _ask(http, base_url, case)
                problems = [f"error: {error}"] if error else check(case, reply)
                outcomes.append(Outcome(case, reply, not problems, problems))
            passed = sum(outcome.passed for outcome in outcomes)
            results[kind] = {
                "questions": len(outcomes),
                "passed": passed,
                "share": round(passed / len(outcomes), 4) if outcomes else None,
                "failures": [{"question": o.case.question, "context": list(o.case.context),
                              "problems": o.problems, "reply": o.reply[:400]}
                             for o in outcomes if not o.passed],
            }
    return results
