"""Benchmarks of the assistant against baselines: understanding, answers and speed.

Run everything with `make bench` (`python -m bench`). Nothing here is a test: the numbers are
measured side by side in one run and compared with the targets in docs/benchmarks.md.
"""

from __future__ import annotations

from pathlib import Path

from assistant.settings import PROJECT_ROOT

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DOCS_FILE = PROJECT_ROOT / "docs" / "benchmarks.md"
