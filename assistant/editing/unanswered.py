"""`assistant report unanswered`: what citizens asked that the assistant could not answer.

A citizen's turn counts as unanswered when the NLU fell back (`nlu_fallback`), judged it out of
scope, was less confident than the threshold, or the bot replied with its "not understood"
response. Similar wordings are grouped and counted. Sender ids are used only to keep a
conversation's events together; they never leave this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from assistant.editing.tracker_store import Event
from assistant.editing.wording import normalize

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
NOT_UNDERSTOOD_ACTIONS = {"utter_default", "action_default_fallback"}

REASONS = {
    "fallback": "nicht verstanden",
    "out_of_scope": "nicht zuständig",
    "low_confidence": "unsicher erkannt",
}

@dataclass(frozen=True)
class Question:
    text: str
    timestamp: float
    reason: str  # a key of REASONS
    intent: str | None
    confidence: float | None


@dataclass
class Group:
    key: str  # normalized wording of the first (most frequent) member
    wordings: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    first: float = float("inf")
    last: float = 0.0

    @property
    def count(self) -> int:
        return sum(self.wordings.values())

    def _ranked(self) -> list[str]:
        """Wordings, the most frequent first (ties alphabetically, so reports are reproducible)."""
        return [text for text, _ in sorted(self.wordings.items(), key=lambda item: (-item[1], item[0]))]

    @property
    def example(self) -> str:
        return self._ranked()[0]

    @property
    def variants(self) -> list[str]:
        return self._ranked()[1:]

    @property
    def reason(self) -> str:
        return ", ".join(REASONS[reason] for reason, _ in self.reasons.most_common())

    def add(self, question: Question) -> None:
        self.wordings[question.text] += 1
        self.reasons[question.reason] += 1
        self.first = min(self.first, question.timestamp)
        self.last = max(self.last, question.timestamp)


@dataclass
class Report:
    groups: list[Group]
    questions: int  # unanswered questions in total
    turns: int  # all citizens' questions in the period
    first: float | None
    last: float | None


def printable(text: str) -> str:
    """The text without control or invisible characters (no terminal escapes), on one line."""
    return " ".join("".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf")).split())


def _reason(event: Event, threshold: float) -> str | None:
    intent = (event.data.get("parse_data") or {}).get("intent") or {}
    name = intent.get("name") or event.intent_name
    confidence = intent.get("confidence")
    if name == FALLBACK_INTENT:
        return "fallback"
    if name == OUT_OF_SCOPE_INTENT:
        return "out_of_scope"
    if isinstance(confidence, (int, float)) and confidence < threshold:
        return "low_confidence"
    return None


def unanswered_questions(events: Iterable[Event], threshold: float) -> tuple[list[Question], int]:
    """The citizens' unanswered turns, and how many turns there were in all."""
    found: list[Question] = []
    turns = 0
    pending: tuple[Event, str | None] | None = None
    conversation = None

    def settle() -> None:
        if pending is not None and pending[1] is not None:
            event, reason = pending
            intent = (event.data.get("parse_data") or {}).get("intent") or {}
            text = printable(event.data.get("text") or "")
            if text:
                found.append(Question(text, event.timestamp, reason, intent.get("name"), intent.get("confidence")))

    for event in events:
        if event.conversation != conversation:
            settle()
            pending, conversation = None, event.conversation
        if event.type_name == "user":
            settle()
            text = event.data.get("text") or ""
            if not text.strip() or text.startswith("/"):  # button payloads are not typed questions
                pending = None
                continue
            turns += 1
            pending = (event, _reason(event, threshold))
        elif event.type_name == "action" and pending is not None and event.action_name in NOT_UNDERSTOOD_ACTIONS:
            pending = (pending[0], pending[1] or "fallback")
    settle()
    return found, turns


def group(questions: Iterable[Question], similarity: float) -> list[Group]:
    """Group similar wordings; the biggest groups first."""
    by_key: dict[str, list[Question]] = {}
    for question in questions:
        by_key.setdefault(normalize(question.text), []).append(question)
    groups: list[Group] = []
    for key in sorted(by_key, key=lambda k: (-len(by_key[k]), k)):
        target = None
        for candidate in groups:
            matcher = difflib.SequenceMatcher(None, candidate.key, key, autojunk=False)
            if matcher.real_quick_ratio() >= similarity and matcher.quick_ratio() >= similarity \
                    and matcher.ratio() >= similarity:
                target = candidate
                break
        if target is None:
            target = Group(key)
            groups.append(target)
        for question in by_key[key]:
            target.add(question)
    return sorted(groups, key=lambda g: (-g.count, -g.last))


def build(events: Iterable[Event], threshold: float, similarity: float) -> Report:
    questions, turns = unanswered_questions(events, threshold)
    times = [question.timestamp for question in questions]
    return Report(group(questions, similarity), len(questions), turns,
                  min(times) if times else None, max(times) if times else None)


# -- output --------------------------------------------------------------------------------

def day(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).strftime("%d.%m.%Y")


def period(first: float, last: float) -> str:
    return day(first) if day(first) == day(last) else f"{day(first)} – {day(last)}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table(report: Report, top: int | None = None, width: int = 60) -> list[str]:
    """The report as lines of a plain-text table."""
    shown = report.groups[:top] if top else report.groups
    rows = [("Anzahl", "Frage (häufigste Formulierung)", "Grund", "Zeitraum")]
    for entry in shown:
        question = entry.example + (f" (+{len(entry.variants)} ähnliche)" if entry.variants else "")
        rows.append((str(entry.count), _cut(question, width), entry.reason, period(entry.first, entry.last)))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].rjust(widths[0]), *(cell.ljust(w) for cell, w in zip(row[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    if top and len(report.groups) > top:
        lines.append(f"… und {len(report.groups) - top} weitere Gruppen (alle stehen in der CSV-Datei, --csv).")
    return lines


def _cell(text: str) -> str:
    """A citizen's text as a spreadsheet cell that is never run as a formula ("=HYPERLINK(…)")."""
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


CSV_HEADER = ("Anzahl", "Frage", "Ähnliche Formulierungen", "Grund", "Erstmals", "Zuletzt")


def write_csv(report: Report, path: Path) -> None:
    """Semicolon-separated UTF-8 with BOM: opens directly in a German spreadsheet program."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(CSV_HEADER)
        for entry in report.groups:
            writer.writerow((entry.count, _cell(entry.example), _cell(" | ".join(entry.variants)), entry.reason,
                             day(entry.first), day(entry.last)))
