"""`make bench`: run every benchmark, print the summary, write bench/results/latest.json and a
dated copy, and regenerate the tables in docs/benchmarks.md.

    python -m bench                      # everything (what `make bench` runs)
    python -m bench --only live          # only answers and speed; written to results/partial-*.json
    python -m bench --report             # tables and docs again from results/latest.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import DOCS_FILE, RESULTS_DIR, blind, live, machine, understanding
from bench.report import summary, update_docs
from bench.speed import LoadPlan
from bench.targets import judge

log = logging.getLogger("bench")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("understanding", "blind", "live"), help="run one part (partial results)")
    parser.add_argument("--report", action="store_true", help="only print and regenerate docs from latest.json")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("BENCH_JOBS", "2")),
                        help="trainings at the same time (default 2, one per core)")
    parser.add_argument("--folds", type=int, default=int(os.environ.get("BENCH_CV_FOLDS", "5")),
                        help="cross-validation folds for config.yml (0: none)")
    parser.add_argument("--round-seconds", type=float, default=10.0, help="length of one load round")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per concurrency level")
    parser.add_argument("--concurrency", default="1,8,32", help="concurrent conversations, comma-separated")
    parser.add_argument("--long-turns", type=int, default=200)
    parser.add_argument("--growth-factor", type=int, default=100)
    parser.add_argument("--growth-messages", type=int, default=120)
    parser.add_argument("--profile-seconds", type=float, default=20.0, help="cProfile run of the Rasa server (0: none)")
    return parser.parse_args()


def _write(results: dict[str, Any], partial: bool) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    text = json.dumps(results, ensure_ascii=False, indent=1)
    if partial:
        path = RESULTS_DIR / f"partial-{stamp}.json"
        path.write_text(text, encoding="utf-8")
        return path
    (RESULTS_DIR / f"{stamp}.json").write_text(text, encoding="utf-8")
    latest = RESULTS_DIR / "latest.json"
    latest.write_text(text, encoding="utf-8")
    return latest


def _publish(results: dict[str, Any]) -> None:
    print(summary(results))
    missing = update_docs(results, DOCS_FILE)
    if missing:
        log.warning("docs/benchmarks.md has no block for: %s", ", ".join(missing))
    print(f"Tables in {DOCS_FILE} regenerated.")


def main() -> None:
    arguments = _arguments()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", datefmt="%H:%M:%S",
                        stream=sys.stderr)
    if arguments.report:
        _publish(json.loads((RESULTS_DIR / "latest.json").read_text(encoding="utf-8")))
        return
    started = time.monotonic()
    results: dict[str, Any] = {
        "run": {"started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "arguments": vars(arguments)},
        "machine": machine.describe(),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    logs = RESULTS_DIR / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        if arguments.only in (None, "understanding"):
            log.info("part 1: understanding (%d parallel trainings, %d folds)", arguments.jobs, arguments.folds)
            results["understanding"] = understanding.run(work, logs, arguments.jobs, arguments.folds)
            shutil.copy(work / "test_nlu_noisy.yml", RESULTS_DIR / "test_nlu_noisy.yml")
        if arguments.only in (None, "blind"):
            log.info("blind set end to end: ours, without the encoder, Rasa's stock pipeline")
            results["blind"] = blind.compare(work, logs, arguments.jobs)
        if arguments.only in (None, "live"):
            log.info("parts 2 and 3: answers and speed against the running stack")
            load = LoadPlan(tuple(int(n) for n in arguments.concurrency.split(",")), arguments.rounds,
                            arguments.round_seconds)
            plan = live.LivePlan(load, arguments.long_turns, arguments.growth_factor, arguments.growth_messages,
                                 profile_seconds=arguments.profile_seconds)
            results["live"] = live.run(work, logs, plan)
    results["run"]["wall_s"] = round(time.monotonic() - started, 1)
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    results["run"]["cpu_s"] = round(sum(usage.ru_utime + usage.ru_stime for usage in used), 1)
    results["run"]["load_average_at_end"] = machine.load_average()
    results["targets"] = judge(results)
    path = _write(results, partial=arguments.only is not None)
    log.info("results written to %s", path)
    if arguments.only is None:
        _publish(results)
    else:
        print(summary(results))


if __name__ == "__main__":
    main()
