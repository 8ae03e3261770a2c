"""The worked examples of docs/redaktion.md, so tests can run exactly what the guide shows.

An example is a fenced block right after `<!-- beispiel: NAME -->`. Expected output is compared
line by line, in order; numbers (lines, dates, confidences) may differ, and a line ending in "…"
only has to start like the guide's.
"""

from __future__ import annotations

import re
import shlex

from assistant.settings import PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "redaktion.md"
_BLOCK = re.compile(r"<!-- beispiel: (?P<name>[\w-]+) -->\s*```\w*\n(?P<body>.*?)```", re.DOTALL)


def example(name: str) -> str:
    blocks = {match["name"]: match["body"] for match in _BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert name in blocks, f"docs/redaktion.md has no example {name!r}"
    return blocks[name]


def command(name: str) -> list[str]:
    """The arguments of the guide's `assistant …` command."""
    words = shlex.split(example(name).strip())
    assert words[0] == "assistant", words
    return words[1:]


def _mask(line: str) -> str:
    return re.sub(r"\d+", "0", line.rstrip())


def _matches(expected: str, actual: str) -> bool:
    expected, actual = _mask(expected), _mask(actual)
    if expected.endswith("…"):
        return actual.startswith(expected[:-1].rstrip())
    return actual == expected


def assert_shows(name: str, output: str) -> None:
    """Every line of the guide's example output appears in `output`, in the same order."""
    actual = output.splitlines()
    position = 0
    for line in example(name).splitlines():
        while position < len(actual) and not _matches(line, actual[position]):
            position += 1
        assert position < len(actual), f"guide example {name!r}: {line!r} not in output:\n{output}"
        position += 1
