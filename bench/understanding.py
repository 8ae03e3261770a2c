"""Part 1, understanding: our config.yml against Rasa's default pipeline on the held-out test
set (clean and with typos), plus cross-validation of our config on the training data.

Every model is trained with `rasa train nlu` on the same data in this run. Trainings run as
parallel jobs (BENCH_JOBS, default 2: one per core of the target machine); our config and the
baseline start together, so they train under the same conditions.
"""

from __future__ import annotations

import json
import logging
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT
from bench import BENCH_DIR
from bench.folds import write_folds
from bench.noise import write_noisy_copy
from bench.procs import Finished, bench_environment, python_module, run_measured

log = logging.getLogger(__name__)

TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
NLU_DATA = PROJECT_ROOT / "data" / "nlu"
CONFIGS = {
    "ours": PROJECT_ROOT / "config.yml",
    "rasa_default": BENCH_DIR / "config-rasa-default.yml",
}
TRAIN_TIMEOUT_S = 25 * 60
# Rasa's training cache (.rasa/cache) would restore components trained earlier, by anyone, with
# the same config and data: every training here starts from scratch.
NO_CACHE = {"RASA_MAX_CACHE_SIZE": "0"}
EVAL_TIMEOUT_S = 10 * 60


@dataclass(frozen=True)
class Job:
    name: str
    config: Path
    nlu: Path
    tests: dict[str, Path]


def _train_and_evaluate(job: Job, work: Path, logs: Path) -> dict[str, Any]:
    log.info("training %s", job.name)
    training = run_measured(
        python_module("rasa", "train", "nlu", "--config", str(job.config), "--nlu", str(job.nlu),
                      "--out", str(work / "models"), "--fixed-model-name", job.name),
        logs / f"train-{job.name}.log", TRAIN_TIMEOUT_S, bench_environment(**NO_CACHE))
    result: dict[str, Any] = {"config": str(job.config.relative_to(PROJECT_ROOT)),
                              "training": _process(training)}
    model = work / "models" / f"{job.name}.tar.gz"
    if not training.ok or not model.exists():
        result["error"] = f"training failed (exit {training.returncode}), see {logs / f'train-{job.name}.log'}"
        return result
    result["model_size_mb"] = round(model.stat().st_size / 1024 / 1024, 1)
    log.info("evaluating %s", job.name)
    out = work / f"eval-{job.name}.json"
    evaluation = run_measured(
        python_module("bench.evaluate_nlu", "--model", str(model), "--out", str(out),
                      *[arg for name, path in job.tests.items() for arg in ("--test", f"{name}={path}")]),
        logs / f"eval-{job.name}.log", EVAL_TIMEOUT_S)
    result["evaluation_process"] = _process(evaluation)
    if not evaluation.ok or not out.exists():
        result["error"] = f"evaluation failed (exit {evaluation.returncode}), see {logs / f'eval-{job.name}.log'}"
        return result
    result["evaluation"] = json.loads(out.read_text(encoding="utf-8"))
    model.unlink()
    return result


def _process(finished: Finished) -> dict[str, Any]:
    summary = asdict(finished)
    del summary["command"]
    return summary


def _spread(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {"mean": round(statistics.fmean(values), 4),
            "std": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
            "min": round(min(values), 4), "max": round(max(values), 4)}


def _cross_validation(folds: list[dict[str, Any]], config: Path) -> dict[str, Any]:
    scores = [fold["evaluation"]["test"] for fold in folds if "evaluation" in fold]
    return {
        "config": str(config.relative_to(PROJECT_ROOT)),
        "folds": len(folds),
        "folds_completed": len(scores),
        "intent_accuracy": _spread([score["intent_accuracy"] for score in scores]),
        "macro_f1": _spread([score["macro_f1"] for score in scores]),
        "entity_f1": _spread([score["entity_f1"] for score in scores if score["entity_f1"] is not None]),
        "training_wall_s": _spread([fold["training"]["wall_s"] for fold in folds]),
        "per_fold": [{"fold": index, **{key: fold.get(key) for key in ("training", "error")},
                      **({key: fold["evaluation"]["test"][key]
                          for key in ("examples", "intent_accuracy", "macro_f1", "entity_f1")}
                         if "evaluation" in fold else {})}
                     for index, fold in enumerate(folds, start=1)],
    }


def overlap(test_file: Path, nlu_dir: Path) -> dict[str, int]:
    """Test examples whose text (ignoring case and spacing) is also a training example."""
    from rasa.shared.nlu.training_data.loading import load_data

    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    training = {key(example.get("text")) for example in load_data(str(nlu_dir)).intent_examples}
    test = [key(example.get("text")) for example in load_data(str(test_file)).intent_examples]
    return {"test_examples": len(test), "also_in_training_data": sum(text in training for text in test)}


def run(work: Path, logs: Path, jobs: int, cv_folds: int) -> dict[str, Any]:
    noisy_file = work / "test_nlu_noisy.yml"
    noise = write_noisy_copy(TEST_SET, noisy_file)
    tests = {"clean": TEST_SET, "noisy": noisy_file}
    # The slower baseline first, so the parallel jobs end at about the same time.
    planned = [Job(name, CONFIGS[name], NLU_DATA, tests) for name in ("rasa_default", "ours")]
    folds = write_folds(NLU_DATA, work / "folds", cv_folds) if cv_folds > 1 else []
    planned += [Job(f"cv-fold-{fold.index}", CONFIGS["ours"], fold.train_dir, {"test": fold.test_file})
                for fold in folds]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_train_and_evaluate, job, work, logs) for job in planned]
        results = [future.result() for future in futures]
    by_name = {job.name: result for job, result in zip(planned, results, strict=True)}
    return {
        "test_set": {"file": str(TEST_SET.relative_to(PROJECT_ROOT)), "noise": noise,
                     "overlap": overlap(TEST_SET, NLU_DATA)},
        "parallel_jobs": jobs,
        "configs": {name: by_name[name] for name in CONFIGS},
        "cross_validation": _cross_validation([by_name[f"cv-fold-{fold.index}"] for fold in folds],
                                              CONFIGS["ours"]) if folds else None,
    }
