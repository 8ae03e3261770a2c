"""Evaluate one trained model on NLU test files with Rasa's own evaluation (as `rasa test nlu`).

Run as a child process (`python -m bench.evaluate_nlu --model M --test clean=FILE ... --out J`),
so TensorFlow's memory goes away with it. Writes per test file: intent accuracy, macro-F1,
per-intent F1, entity F1 (Rasa's token-level micro average over entity types) and the
confused examples.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from pathlib import Path
from typing import Any

ENTITY_EXTRACTOR = "DIETClassifier"


def _summarise(result: dict[str, Any]) -> dict[str, Any]:
    intents = result["intent_evaluation"]
    report = intents["report"]
    per_intent = {
        name: round(values["f1-score"], 4)
        for name, values in report.items()
        if isinstance(values, dict) and name not in ("macro avg", "weighted avg", "micro avg")
    }
    confused = [
        {"text": p["text"], "intent": p["intent"], "predicted": p["predicted"]}
        for p in intents["predictions"] if p["intent"] != p["predicted"]
    ]
    entity_f1 = None
    entities = (result.get("entity_evaluation") or {}).get(ENTITY_EXTRACTOR)
    if entities:
        entity_report = entities["report"]
        average = entity_report.get("micro avg") or entity_report.get("weighted avg") or {}
        entity_f1 = round(average.get("f1-score", 0.0), 4)
    return {
        "examples": len(intents["predictions"]),
        "intent_accuracy": round(intents["accuracy"], 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "per_intent_f1": per_intent,
        "entity_f1": entity_f1,
        "confused": confused,
    }


async def evaluate(model: Path, tests: dict[str, Path]) -> dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.nlu.test import run_evaluation

    agent = Agent.load(str(model))
    results = {}
    for name, path in tests.items():
        raw = await run_evaluation(str(path), agent.processor, disable_plotting=True, report_as_dict=True)
        results[name] = _summarise(raw)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--test", action="append", required=True, help="name=path of a test file")
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    tests = {item.split("=", 1)[0]: Path(item.split("=", 1)[1]) for item in arguments.test}
    results = asyncio.run(evaluate(arguments.model, tests))
    arguments.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
