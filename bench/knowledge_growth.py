"""A copy of data/knowledge grown `factor` times with generated facts, for the lookup-cost test.

Half of the new facts belong to made-up subjects (cities with made-up names), half to Efus and
DEFUS under made-up attributes, so every lookup has to pass over them; none answers a question
of the benchmark, so the replies stay the same. The result is checked with the project's own
loader before it is used.
"""

from __future__ import annotations

import shutil
import string
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from assistant.knowledge import load_knowledge_base

SUBJECTS = 100
NETWORKS = ("efus", "defus")


def _names(count: int, width: int = 3) -> list[str]:
    """"aaa", "aab", …: attribute names may hold letters and underscores only."""
    letters = product(string.ascii_lowercase, repeat=width)
    return ["".join(name) for name, _ in zip(letters, range(count), strict=False)]


def grow(source: Path, target: Path, factor: int) -> dict[str, Any]:
    """Copy the knowledge base to `target` and add facts until it holds `factor` times as many."""
    shutil.copytree(source, target)
    original = len(load_knowledge_base(source).facts)
    extra = original * factor - original
    suffixes = _names(max(SUBJECTS, extra))
    subjects = [{"id": f"bench-ort-{suffix}", "kind": "city", "name": f"Benchort {suffix.capitalize()}",
                 "long_name": f"Gemeinde Benchort {suffix.capitalize()}"} for suffix in suffixes[:SUBJECTS]]
    facts = []
    for number in range(extra):
        suffix = suffixes[number]
        if number % 2:
            subject, network = subjects[number % SUBJECTS]["id"], NETWORKS[number % len(NETWORKS)]
        else:
            subject, network = NETWORKS[number % len(NETWORKS)], None
        fact = {"id": f"bench-fact-{number}", "subject": subject, "attribute": f"bench_{suffix}",
                "answer": f"Generierter Fakt Nummer {number} für den Lasttest.", "sources": ["bench-generated"],
                "value": {"number": number}}
        if network:
            fact["network"] = network
        facts.append(fact)
    generated = {
        "sources": [{"id": "bench-generated", "title": "Generiert für den Benchmark", "file": "bench.txt",
                     "checked": "2024-01-01"}],
        "subjects": subjects,
        "facts": facts,
    }
    (target / "zz_bench_generated.yml").write_text(yaml.safe_dump(generated, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    grown = len(load_knowledge_base(target).facts)
    return {"factor": factor, "facts_original": original, "facts_grown": grown, "subjects_added": len(subjects)}
