"""Typos as citizens make them, injected deterministically into the held-out NLU test set.

Every umlaut and ß is rewritten (as ae/oe/ue/ss, or with the dots dropped), and words of four
or more letters get a swapped or missing letter with a fixed probability. Entity markup
(`[text](entity)`, `[text]{...}`) stays intact, only the annotated text gets typos, so the
entity evaluation still knows what the citizen meant. The same seed gives the same file.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import yaml

SEED = 20240501
TYPO_RATE = 0.25  # share of words of four or more letters that get one swapped or missing letter

_ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TRANSLITERATE = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
_DROP_DOTS = {"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "s"}


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or rng.random() >= TYPO_RATE:
        return word
    position = rng.randrange(1, len(word) - 1)  # keep the first letter, as people mostly do
    if rng.random() < 0.5:
        return word[:position] + word[position + 1] + word[position] + word[position + 2:]
    return word[:position] + word[position + 1:]


def _umlauts(word: str, rng: random.Random) -> str:
    return "".join(
        (_TRANSLITERATE if rng.random() < 0.5 else _DROP_DOTS).get(char, char) if char in _DROP_DOTS else char
        for char in word
    )


def noisy_text(text: str, rng: random.Random) -> str:
    return _WORD.sub(lambda match: _umlauts(_typo(match.group(0), rng), rng), text)


def noisy_example(example: str, rng: random.Random) -> str:
    """One training-format example with typos outside and inside entity markup."""
    parts: list[str] = []
    position = 0
    for match in _ANNOTATION.finditer(example):
        parts.append(noisy_text(example[position:match.start()], rng))
        parts.append(f"[{noisy_text(match.group(1), rng)}]{match.group(2)}")
        position = match.end()
    parts.append(noisy_text(example[position:], rng))
    return "".join(parts)


def _examples(block: str) -> list[str]:
    return [line.strip()[2:] for line in block.splitlines() if line.strip().startswith("- ")]


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks, the way Rasa's own NLU files look."""


def _literal(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_LiteralDumper.add_representer(str, _literal)


def write_noisy_copy(source: Path, target: Path, seed: int = SEED) -> dict[str, Any]:
    """Write `source` (Rasa YAML NLU data) with typos to `target`; return how much changed."""
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    rng = random.Random(seed)  # noqa: S311 - reproducible typos, not secrets
    changed_words = total_words = 0
    for item in document.get("nlu", []):
        if "intent" not in item:
            continue
        noisy = []
        for example in _examples(item["examples"]):
            new = noisy_example(example, rng)
            old_words, new_words = _WORD.findall(example), _WORD.findall(new)
            total_words += len(old_words)
            changed_words += sum(1 for a, b in zip(old_words, new_words, strict=False) if a != b)
            changed_words += abs(len(old_words) - len(new_words))
            noisy.append(new)
        item["examples"] = "".join(f"- {example}\n" for example in noisy)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.dump(document, Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False,
                                     width=1000), encoding="utf-8")
    return {"seed": seed, "typo_rate": TYPO_RATE, "words": total_words, "changed_words": changed_words,
            "changed_share": round(changed_words / total_words, 3) if total_words else 0.0}
