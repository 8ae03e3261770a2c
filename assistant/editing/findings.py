"""One problem an editor has to look at: where it is and, in German, how to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Hashable, Iterable


class Severity(enum.Enum):
    ERROR = "FEHLER"
    WARNING = "WARNUNG"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    file: str  # relative to the project, with forward slashes
    line: int
    message: str
    # Findings with the same key are the same problem (e.g. reported by Rasa and by our own
    # cross-check); only the first one is kept.
    key: Hashable = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.severity.value:<7} {self.file}:{self.line}: {self.message}"


def error(file: str, line: int, message: str, key: Hashable = None) -> Finding:
    return Finding(Severity.ERROR, file, line, message, key)


def warning(file: str, line: int, message: str, key: Hashable = None) -> Finding:
    return Finding(Severity.WARNING, file, line, message, key)


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeated findings: same key, or same place and message."""
    seen: set[Hashable] = set()
    kept = []
    for finding in findings:
        identity = finding.key if finding.key is not None else (finding.file, finding.line, finding.message)
        if identity in seen:
            continue
        seen.add(identity)
        kept.append(finding)
    return kept


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings; each by file and line."""
    rank = {Severity.ERROR: 0, Severity.WARNING: 1}
    return sorted(findings, key=lambda f: (rank[f.severity], f.file, f.line))
