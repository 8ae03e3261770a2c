"""The blind evaluation set (bench/blind/*.yml) end to end, through the REST webhook.

The set was written by a helper who never saw the training data or earlier test sets; it is
frozen and never used for training. Each case is one conversation; it passes when every turn's
reply meets its expectation:

- ``answer``: every ``must`` pattern is in the reply, no ``must_not`` pattern is; a false or
  true premise is corrected or confirmed; an English question also gets the note that the
  assistant answers in German.
- ``unknown``: an honest "not known" and no fact of the knowledge base stated as the answer.
- ``handoff``: the human route with a conversation code.
- ``language_note``: the note (in German and English) that the assistant answers in German.
- ``no_fact``: no fact of the knowledge base at all (off-topic questions).
- ``any``: any reply that is not an error (a citizen's statement such as "Ich komme aus Bochum").

Besides the pass rate by category it counts **confident wrong facts**: replies that state a fact
of the knowledge base where the case expects another fact, an honest "not known" or none.

    python -m bench.blind                          # against a stack started here with models/
    python -m bench.blind --url http://127.0.0.1:5005   # against a running stack
    python -m bench.blind --model-dir /tmp/other   # another trained model, same code
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import re
import statistics
import sys
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import yaml

from assistant.settings import PROJECT_ROOT
from bench import BENCH_DIR, RESULTS_DIR
from bench.client import send_message, session

BLIND_DIR = BENCH_DIR / "blind"
VARIANTS = ("stock", "without_encoder")
# The new features of the issue on understanding: the encoder and the classifier that uses it.
NEW_FEATURE_STEPS = ("SentenceEncoderFeaturizer", "SentenceIntentClassifier")
TRAIN_TIMEOUT_S = 25 * 60
HONEST = re.compile(r"liegen mir keine gesicherten Informationen vor|kann ich (Ihnen )?nicht sagen|"
                    r"(steht|finde ich) (nicht|nichts) in meinen Quellen", re.IGNORECASE)
NOT_UNDERSTOOD = re.compile(r"nicht verstanden", re.IGNORECASE)
HANDOFF = re.compile(r"Gesprächscode", re.IGNORECASE)
GERMAN_NOTE = re.compile(r"\bGerman\b")
GERMAN_NOTE_DE = re.compile(r"auf Deutsch", re.IGNORECASE)
CORRECTION = re.compile(r"\b(nein|stimmt (so )?nicht|nicht richtig|nicht korrekt|kann ich so nicht bestätigen)\b",
                        re.IGNORECASE)
CONFIRMATION = re.compile(r"\b(ja|stimmt|richtig|korrekt|bestätigen meine Quellen)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Turn:
    user: str
    expect: str
    facts: tuple[str, ...] = ()
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    premise: bool | None = None


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    turns: tuple[Turn, ...]
    file: str


@dataclass
class Outcome:
    case: Case
    replies: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    wrong_fact: bool = False
    latencies_s: list[float] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def load_cases(directory: Path = BLIND_DIR) -> list[Case]:
    cases = []
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in document["cases"]:
            turns = tuple(Turn(turn["user"], turn["expect"], tuple(turn.get("facts") or ()),
                               tuple(turn.get("must") or ()), tuple(turn.get("must_not") or ()),
                               turn.get("premise")) for turn in item["turns"])
            cases.append(Case(str(item["id"]), item["category"], turns, path.name))
    return cases


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def fact_signatures(knowledge_dir: Path) -> dict[str, str]:
    """Each fact's id and the opening of its answer text: how a reply is seen to state it."""
    from assistant.knowledge import load_knowledge_base

    kb = load_knowledge_base(knowledge_dir)
    return {fact.id: _normal(fact.answer)[:60] for fact in kb.facts}


def stated_facts(reply: str, signatures: dict[str, str]) -> set[str]:
    text = _normal(reply)
    return {fact_id for fact_id, opening in signatures.items() if opening in text}


def check_turn(turn: Turn, category: str, reply: str, signatures: dict[str, str]) -> tuple[list[str], bool]:
    """Problems with one reply, and whether it stated a fact the case did not ask for."""
    problems: list[str] = []
    stated = stated_facts(reply, signatures)
    unexpected = stated - set(turn.facts)
    wrong = False
    if turn.expect == "answer":
        missing = [pattern for pattern in turn.must if not re.search(pattern, reply, re.IGNORECASE)]
        problems += [f"missing /{pattern}/" for pattern in missing]
        if missing and unexpected:
            wrong = True
            problems.append(f"stated {', '.join(sorted(unexpected))} instead")
        if turn.premise is False and not CORRECTION.search(reply):
            problems.append("premise not corrected")
        if turn.premise is True and (CORRECTION.search(reply) or not CONFIRMATION.search(reply)):
            problems.append("premise not confirmed")
        if category == "english" and not GERMAN_NOTE.search(reply):
            problems.append("no note that answers are in German")
    elif turn.expect == "unknown":
        if not HONEST.search(reply):
            problems.append("not understood" if NOT_UNDERSTOOD.search(reply) else "no honest 'not known'")
        if unexpected:
            wrong = True
            problems.append(f"stated {', '.join(sorted(unexpected))}")
    elif turn.expect == "handoff":
        if not HANDOFF.search(reply):
            problems.append("no handoff")
    elif turn.expect == "language_note":
        if not (GERMAN_NOTE.search(reply) and GERMAN_NOTE_DE.search(reply)):
            problems.append("no language note")
    elif turn.expect == "no_fact":
        if stated:
            wrong = True
            problems.append(f"stated {', '.join(sorted(stated))}")
    elif turn.expect != "any":
        problems.append(f"unknown expectation {turn.expect!r}")
    for pattern in turn.must_not:
        if re.search(pattern, reply, re.IGNORECASE):
            problems.append(f"forbidden /{pattern}/")
    return problems, wrong


async def _converse(http: Any, base_url: str, case: Case, signatures: dict[str, str]) -> Outcome:
    outcome = Outcome(case)
    sender = f"blind-{uuid.uuid4().hex[:12]}"
    for index, turn in enumerate(case.turns, start=1):
        exchange = await send_message(http, base_url, sender, turn.user)
        outcome.replies.append(exchange.text)
        outcome.latencies_s.append(exchange.latency_s)
        if not exchange.ok:
            outcome.problems.append(f"turn {index}: error {exchange.error}")
            continue
        problems, wrong = check_turn(turn, case.category, exchange.text, signatures)
        outcome.problems += [f"turn {index}: {problem}" for problem in problems]
        outcome.wrong_fact = outcome.wrong_fact or wrong
    return outcome


async def evaluate(base_url: str, cases: Sequence[Case], signatures: dict[str, str],
                   concurrency: int = 1) -> list[Outcome]:
    """One conversation at a time by default, so the latencies are those of one citizen."""
    limit = asyncio.Semaphore(concurrency)
    async with session(concurrency) as http:
        async def one(case: Case) -> Outcome:
            async with limit:
                return await _converse(http, base_url, case, signatures)
        return list(await asyncio.gather(*(one(case) for case in cases)))


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    by_category: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_category.setdefault(outcome.case.category, []).append(outcome)
    categories = {
        name: {"cases": len(items), "passed": sum(o.passed for o in items),
               "share": round(sum(o.passed for o in items) / len(items), 4)}
        for name, items in sorted(by_category.items())
    }
    passed = sum(o.passed for o in outcomes)
    latencies = sorted(latency for o in outcomes for latency in o.latencies_s)
    problems = Counter(problem.split(": ", 1)[-1].split(" /")[0] for o in outcomes for problem in o.problems)
    return {
        "cases": len(outcomes),
        "passed": passed,
        "share": round(passed / len(outcomes), 4) if outcomes else None,
        "confident_wrong_facts": sum(o.wrong_fact for o in outcomes),
        "messages": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1) if latencies else None,
        "categories": categories,
        "problem_kinds": dict(problems.most_common(12)),
        "outcomes": {o.case.id: o.passed for o in outcomes},
        "failures": [{"id": o.case.id, "category": o.case.category,
                      "turns": [t.user[:200] for t in o.case.turns], "problems": o.problems,
                      "replies": [reply[:300] for reply in o.replies]}
                     for o in outcomes if not o.passed],
    }


def mcnemar(first: dict[str, bool], second: dict[str, bool]) -> dict[str, Any]:
    """Paired comparison: cases only one of two runs gets right, and the exact two-sided p-value."""
    only_first = sum(1 for key, ok in first.items() if ok and not second.get(key, False))
    only_second = sum(1 for key, ok in second.items() if ok and not first.get(key, False))
    n, k = only_first + only_second, min(only_first, only_second)
    p = 1.0 if n == 0 else min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)
    return {"only_first": only_first, "only_second": only_second, "p_value": round(p, 4)}


def run_against(base_url: str, knowledge_dir: Path, directory: Path = BLIND_DIR) -> dict[str, Any]:
    cases = load_cases(directory)
    outcomes = asyncio.run(evaluate(base_url, cases, fact_signatures(knowledge_dir)))
    return summarise(outcomes)


def run_with_model(model_dir: Path, work: Path, logs: Path, directory: Path = BLIND_DIR) -> dict[str, Any]:
    """Start the stack as `make run` does, with the model in `model_dir`, and run the set."""
    from bench.servers import stack_settings, start_stack

    settings = replace(stack_settings(work / f"var-blind-{model_dir.name}"), model_dir=model_dir)
    running = start_stack(settings, logs / f"stack-blind-{model_dir.name}")
    try:
        result = run_against(running.url, settings.knowledge_dir, directory)
    finally:
        memory = running.stop()
    result["peak_rss_mb"] = memory
    return result


def variant_config(name: str, work: Path) -> Path:
    """A whole-assistant config for a comparison model: same policies as config.yml, another pipeline.

    ``stock``: Rasa's default pipeline (bench/config-rasa-default.yml, its fallback at 0.3);
    ``without_encoder``: config.yml without the sentence encoder and the intent classifier over
    it, so DIET decides the intent again (from the sparse features alone).
    """
    ours = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    if name == "stock":
        config = yaml.safe_load((BENCH_DIR / "config-rasa-default.yml").read_text(encoding="utf-8"))
        config["policies"] = ours["policies"]
    elif name == "without_encoder":
        pipeline = [dict(step) for step in ours["pipeline"] if not step["name"].endswith(NEW_FEATURE_STEPS)]
        for step in pipeline:
            if step["name"] == "DIETClassifier":
                step.pop("intent_classification", None)
        config = dict(ours, pipeline=pipeline)
    else:
        raise ValueError(name)
    path = work / f"config-{name}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _train_variant(name: str, work: Path, logs: Path) -> tuple[Path, dict[str, Any]]:
    from bench.procs import bench_environment, python_module, run_measured

    out = work / f"models-{name}"
    finished = run_measured(
        python_module("rasa", "train", "--config", str(variant_config(name, work)), "--domain", "domain.yml",
                      "--data", "data/nlu", "data/stories", "--out", str(out), "--fixed-model-name", name),
        logs / f"train-blind-{name}.log", TRAIN_TIMEOUT_S, bench_environment(RASA_MAX_CACHE_SIZE="0"))
    if not finished.ok:
        raise RuntimeError(f"training the {name} model failed, see {logs / f'train-blind-{name}.log'}")
    return out, {"wall_s": finished.wall_s, "cpu_s": finished.cpu_s}


def compare(work: Path, logs: Path, jobs: int = 2) -> dict[str, Any]:
    """The blind set on our model (models/, as `make run` serves it), Rasa's stock pipeline and
    our pipeline without the sentence encoder, each trained in this run on the same data, with
    the same domain, stories, policies and actions; plus the paired comparison with the stock one."""
    from concurrent.futures import ThreadPoolExecutor

    from assistant.settings import get_settings
    from assistant.stack import model_path

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        trained = dict(zip(VARIANTS, pool.map(lambda name: _train_variant(name, work, logs), VARIANTS),
                           strict=True))
    results: dict[str, Any] = {"set": {"files": [path.name for path in sorted(BLIND_DIR.glob("*.yml"))],
                                       "cases": len(load_cases())}}
    ours_dir = model_path(get_settings()).parent
    results["ours"] = run_with_model(ours_dir, work, logs)
    for name, (model_dir, training) in trained.items():
        results[name] = {**run_with_model(model_dir, work, logs), "training": training}
    results["ours_vs_stock"] = mcnemar(results["ours"]["outcomes"], results["stock"]["outcomes"])
    return results


def print_summary(name: str, result: dict[str, Any]) -> None:
    print(f"{name}: {result['passed']}/{result['cases']} = {result['share']:.3f}; "
          f"confident wrong facts: {result['confident_wrong_facts']}")
    for category, figures in result["categories"].items():
        print(f"  {category:16s} {figures['passed']:4d}/{figures['cases']:<4d} {figures['share']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.blind", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running stack's Rasa server (default: start one here)")
    parser.add_argument("--model-dir", type=Path, default=None, help="model directory (default models/)")
    parser.add_argument("--cases", type=Path, default=BLIND_DIR,
                        help="directory of case files (default bench/blind; bench/dev for tuning)")
    parser.add_argument("--name", default="ours", help="name of the result file bench/results/blind-NAME.json")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", datefmt="%H:%M:%S",
                        stream=sys.stderr)
    from assistant.settings import get_settings

    if arguments.url:
        result = run_against(arguments.url.rstrip("/"), get_settings().knowledge_dir, arguments.cases)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-blind-") as scratch:
            model_dir = (arguments.model_dir or get_settings().model_dir).resolve()
            result = run_with_model(model_dir, Path(scratch), RESULTS_DIR / "logs", arguments.cases)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"blind-{arguments.name}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print_summary(arguments.name, result)
    print(f"details: {out}")


if __name__ == "__main__":
    main()
