"""Rasa's own evaluations of the trained model: the held-out NLU test set and the
conversation tests in tests/stories. They run `rasa test` exactly as a developer would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

pytestmark = pytest.mark.model
MODEL = PROJECT_ROOT / "models" / "assistant.tar.gz"
MIN_INTENT_ACCURACY = 0.90


def rasa(*args: str) -> subprocess.CompletedProcess:
    if not MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does it).")
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([sys.executable, "-m", "rasa", *args, "--model", str(MODEL)],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900)


def test_held_out_nlu_test_set_reaches_the_accuracy_bar(tmp_path: Path):
    result = rasa("test", "nlu", "--nlu", "tests/nlu/test_nlu.yml", "--out", str(tmp_path),
                  "--no-plot")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    accuracy = report["accuracy"]
    macro_f1 = report["macro avg"]["f1-score"]
    print(f"held-out intent accuracy {accuracy:.3f}, macro-F1 {macro_f1:.3f}")
    errors_file = tmp_path / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    confused = [f"{e['text']!r}: {e['intent']} -> {e['intent_prediction']['name']}" for e in errors]
    assert accuracy >= MIN_INTENT_ACCURACY, "\n".join(confused)


def test_conversation_stories_all_pass(tmp_path: Path):
    result = rasa("test", "core", "--stories", "tests/stories", "--out", str(tmp_path),
                  "--fail-on-prediction-errors", "--no-plot")
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (details or result.stderr[-3000:])
    report = json.loads((tmp_path / "story_report.json").read_text())["conversation_accuracy"]
    print(f"conversation tests: {report['correct']}/{report['total']} stories correct")
    assert report["total"] >= 9 and report["correct"] == report["total"], details
