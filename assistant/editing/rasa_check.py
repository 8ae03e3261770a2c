"""Rasa's own `rasa data validate`, with each of its messages turned into one German line.

Rasa names neither file nor line for most of its findings; the names it reports (intents,
actions, stories) are looked up in the project files, so the editor is pointed at the line.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import Callable, Iterator

from assistant.answering import RESPONSES_SENT_BY_ACTION
from assistant.editing.findings import Finding, Severity, error, warning
from assistant.editing.project import Project
from assistant.editing.rasa_files import Block, Domain, NluData, Place
from assistant.editing.wording import example_key

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING_HEADER = re.compile(r"^\S+\.py:\d+: (?P<category>UserWarning|FutureWarning): (?P<text>.*)$")
_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(?P<level>[A-Z]+)\s+(?P<logger>\S+)\s+-\s+(?P<text>.*)$")
_EXCEPTION = re.compile(r"^(?P<name>[A-Za-z]+(?:Exception|Error)): (?P<text>.*)$")


@dataclass(frozen=True)
class RasaMessage:
    kind: str  # "warning", "future", "log-warning" or "exception"
    text: str


@dataclass(frozen=True)
class Context:
    project: Project
    domain: Domain
    nlu: NluData
    stories: list[Block]


def run(project: Project) -> tuple[int, str]:
    """Run `rasa data validate` in the project directory; return its exit code and output."""
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", NO_COLOR="1",
               PYTHONWARNINGS="ignore::DeprecationWarning")
    command = [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings",
               "--config", "config.yml", "--domain", "domain.yml", "--data", "data/nlu", "data/stories"]
    result = subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True,
                            timeout=600, check=False)
    return result.returncode, result.stdout + "\n" + result.stderr


def messages(output: str) -> list[RasaMessage]:
    """Split Rasa's output into its warnings, logged warnings and the final exception."""
    found: list[RasaMessage] = []
    current: tuple[str, list[str]] | None = None

    def close() -> None:
        if current is not None:
            found.append(RasaMessage(current[0], "\n".join(current[1]).strip()))

    for raw in _ANSI.sub("", output).splitlines():
        line = raw.rstrip()
        header = _WARNING_HEADER.match(line)
        log = _LOG_LINE.match(line)
        exception = _EXCEPTION.match(line)
        if header:
            close()
            kind = "warning" if header.group("category") == "UserWarning" else "future"
            current = (kind, [header.group("text")])
        elif log:
            close()
            current = ("log-warning", [log.group("text")]) if log.group("level") == "WARNING" else None
        elif exception:
            close()
            current = ("exception", [f"{exception.group('name')}: {exception.group('text')}"])
        elif current is not None:
            if line.strip().startswith("More info at") or "Processed story blocks" in line:
                continue
            if line.startswith("Project validation completed"):
                close()
                current = None
                continue
            current[1].append(line)
    close()
    return [message for message in found if message.text]


# -- translation ---------------------------------------------------------------------------

def _similar(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
    return f" Meinten Sie „{close[0]}“?" if close else ""


def _steps(context: Context, kind: str, name: str, file: str | None = None) -> list[Place]:
    return [step.place for block in context.stories for step in block.steps
            if step.kind == kind and step.name == name and (file is None or step.place.file == file)]


def _unknown_story_intent(context: Context, intent: str, file: str | None) -> Iterator[Finding]:
    places = _steps(context, "intent", intent, file) or _steps(context, "intent", intent)
    hint = _similar(intent, list(context.domain.intents))
    for place in places or [context.domain.place]:
        yield error(place.file, place.line,
                    f"Der Fragetyp (Intent) „{intent}“ steht nicht in domain.yml.{hint} Korrigieren Sie "
                    f"die Schreibweise oder legen Sie den Fragetyp mit „assistant new-intent {intent}“ an.",
                    key=("unknown-intent", place.file, place.line))


def _intent_without_examples(context: Context, intent: str) -> Iterator[Finding]:
    place = context.domain.intents.get(intent, context.domain.place)
    yield error(place.file, place.line,
                f"Der Fragetyp „{intent}“ steht in domain.yml, hat aber keine Trainingsbeispiele. Legen Sie "
                "in data/nlu/ Beispiele an oder entfernen Sie den Fragetyp aus domain.yml.",
                key=("too-few-examples", intent))


def _intent_not_in_domain(context: Context, intent: str) -> Iterator[Finding]:
    hint = _similar(intent, list(context.domain.intents))
    for place in context.nlu.intent_blocks.get(intent) or [context.domain.place]:
        yield error(place.file, place.line,
                    f"Die Beispiele gehören zum Fragetyp „{intent}“, der nicht in domain.yml steht.{hint} "
                    "Korrigieren Sie den Namen oder tragen Sie den Fragetyp in domain.yml unter „intents“ ein.",
                    key=("intent-not-in-domain", place.file, place.line))


def _intent_unused(context: Context, intent: str) -> Iterator[Finding]:
    place = context.domain.intents.get(intent, context.domain.place)
    yield error(place.file, place.line,
                f"Der Fragetyp „{intent}“ kommt in keiner Regel und keiner Geschichte vor: Der Assistent "
                "wüsste nicht, was er antworten soll. Legen Sie in data/stories/ eine Regel an (Vorlage: "
                "„assistant new-intent“).", key=("intent-unused", intent))


def _duplicate_example(context: Context, text: str, intents: str) -> Iterator[Finding]:
    key = example_key(text)
    places = [example.place for example in context.nlu.examples if example_key(example.text) == key]
    place = places[-1] if places else context.domain.place
    yield error(place.file, place.line,
                f"Das Beispiel „{text}“ steht bei mehreren Fragetypen ({intents}). Ein Beispiel darf nur zu "
                "einem Fragetyp gehören: Löschen Sie es an einer der Stellen.", key=("duplicate", key))


def _unknown_utterance(context: Context, action: str) -> Iterator[Finding]:
    hint = _similar(action, list(context.domain.responses))
    for place in _steps(context, "action", action) or [context.domain.place]:
        yield error(place.file, place.line,
                    f"Die Antwort „{action}“ steht nicht unter „responses“ in domain.yml.{hint} Korrigieren "
                    "Sie den Namen oder legen Sie die Antwort in domain.yml an.",
                    key=("unknown-action", place.file, place.line))


def _unused_utterance(context: Context, action: str) -> Iterator[Finding]:
    response = context.domain.responses.get(action)
    place = response.place if response else context.domain.place
    yield error(place.file, place.line,
                f"Die Antwort „{action}“ wird in keiner Regel und keiner Geschichte verwendet. Ergänzen Sie "
                "eine Regel in data/stories/ oder löschen Sie die Antwort.", key=("unused-response", action))


def _unknown_action(context: Context, action: str) -> Iterator[Finding]:
    hint = _similar(action, list(context.domain.actions))
    for place in _steps(context, "action", action) or [context.domain.place]:
        yield error(place.file, place.line,
                    f"Die Aktion „{action}“ steht nicht unter „actions“ in domain.yml.{hint} Korrigieren Sie "
                    "den Namen oder tragen Sie die Aktion dort ein.", key=("unknown-action", place.file, place.line))


def _conflict(context: Context, text: str) -> Iterator[Finding]:
    after = re.search(r"after (?:intent|action) '([^']+)'", text)
    predictions = re.findall(r"^\s*(\S+) predicted in (.+)$", text, flags=re.MULTILINE)
    names = re.findall(r"'([^']+)'", " ".join(story for _, story in predictions))
    places = [block.place for name in names for block in context.stories if block.name == name]
    place = places[0] if places else context.domain.place
    what = "; ".join(f"„{action}“ in {stories.strip()}" for action, stories in predictions)
    yield error(place.file, place.line,
                f"Widersprüchliche Regeln oder Geschichten nach „{after.group(1) if after else 'Beginn'}“: "
                f"{what}. Der Assistent kann nicht wissen, was er tun soll; passen Sie eine davon an.",
                key=("conflict", text))


def _yaml_exception(context: Context, text: str) -> Iterator[Finding]:
    file = re.search(r"'([^']+\.ya?ml)'", text)
    line = re.search(r"line:? (\d+)", text)
    name = context.project.relative(context.project.root / file.group(1)) if file else "domain.yml"
    detail = " ".join(text.split("\n")[0:2])
    yield error(name, int(line.group(1)) if line else 1,
                "Rasa kann die Datei nicht lesen: Prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen "
                f"und ob ein Schlüssel doppelt vorkommt (technisch: {detail}).", key=("yaml", name))


_RASA_SCHEMA_HINTS = (
    (re.compile(r"Cannot find required key '([^']+)'"), "Die Pflichtangabe „{0}“ fehlt"),
    (re.compile(r"Key '([^']+)' was not defined"), "„{0}“ ist hier unbekannt (Tippfehler?)"),
    (re.compile(r"Value '([^']*)' is not a (\w+)"), "Der Wert „{0}“ hat den falschen Typ"),
)


def _schema_exception(context: Context, text: str) -> Iterator[Finding]:
    entries = re.findall(r"in (\S+?):(\d+):\s*\n\s*(.+)", text)
    if not entries:
        file = re.search(r"Failed to validate '([^']+)'", text)
        entries = [(file.group(1) if file else "domain.yml", "1", text.splitlines()[0])]
    for file, line, detail in entries:
        hint = next((template.format(*match.groups()) for pattern, template in _RASA_SCHEMA_HINTS
                     if (match := pattern.search(detail))), "Der Aufbau entspricht nicht dem Rasa-Format")
        name = context.project.relative(context.project.root / file)
        yield error(name, int(line),
                    f"{hint}. Vergleichen Sie den Aufbau mit einer funktionierenden Datei im selben Ordner "
                    f"(technisch: {detail.strip()}).", key=("rasa-schema", name, line))


_Handler = Callable[..., Iterator[Finding]]
_PATTERNS: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (re.compile(r"Issue found in '(?P<file>[^']+)':\s*Found intent '(?P<intent>[^']+)' in stories which is "
                r"not part of the domain", re.DOTALL),
     lambda c, m: _unknown_story_intent(c, m["intent"], c.project.relative(c.project.root / m["file"]))),
    (re.compile(r"The intent '(?P<intent>[^']+)' is used in your stories, but it is not listed in the domain"),
     lambda c, m: _unknown_story_intent(c, m["intent"], None)),
    (re.compile(r"The intent '(?P<intent>[^']+)' is listed in the domain file, but is not found in the NLU"),
     lambda c, m: _intent_without_examples(c, m["intent"])),
    (re.compile(r"labeled with intent '(?P<intent>[^']+)'\. This intent is not listed in your domain"),
     lambda c, m: _intent_not_in_domain(c, m["intent"])),
    (re.compile(r"The intent '(?P<intent>[^']+)' is not used in any story or rule"),
     lambda c, m: _intent_unused(c, m["intent"])),
    (re.compile(r"The example '(?P<text>.+)' was found labeled with multiple different intents.*labeled "
                r"with: (?P<intents>[^.]+)\.", re.DOTALL),
     lambda c, m: _duplicate_example(c, m["text"], m["intents"])),
    (re.compile(r"The action '(?P<action>[^']+)' is used in the stories, but is not a valid utterance"),
     lambda c, m: _unknown_utterance(c, m["action"])),
    (re.compile(r"The utterance '(?P<action>[^']+)' is not used in any story or rule"),
     lambda c, m: _unused_utterance(c, m["action"])),
    (re.compile(r"The action '(?P<action>[^']+)' is used in the '.*' block, but it is not listed in the domain",
                re.DOTALL),
     lambda c, m: _unknown_action(c, m["action"])),
    (re.compile(r"^Story structure conflict", re.MULTILINE), lambda c, m: _conflict(c, m.string)),
    (re.compile(r"^YamlSyntaxException"), lambda c, m: _yaml_exception(c, m.string)),
    (re.compile(r"Failed to validate '"), lambda c, m: _schema_exception(c, m.string)),
)


def translate(message: RasaMessage, context: Context) -> list[Finding]:
    for pattern, handler in _PATTERNS:
        match = pattern.search(message.text)
        if match:
            return list(handler(context, match))
    file = re.search(r"Issue found in '([^']+)'", message.text)
    place = (Place(context.project.relative(context.project.root / file.group(1)), 1) if file
             else context.domain.place)
    text = " ".join(message.text.split())
    if message.kind == "exception":
        return [error(place.file, place.line, f"Rasa kann die Daten nicht prüfen (technisch: {text}). Prüfen "
                      "Sie die zuletzt geänderte Datei.")]
    return [warning(place.file, place.line, f"Rasa weist auf etwas hin (englisch): {text}")]


def _sent_by_action(message: RasaMessage) -> bool:
    """Rasa's "not used in any story or rule" for a response the answer action sends itself."""
    match = re.search(r"The utterance '([^']+)' is not used in any story or rule", message.text)
    return bool(match) and match.group(1) in RESPONSES_SENT_BY_ACTION


def check(context: Context) -> list[Finding]:
    """Run Rasa's validator and translate what it reports."""
    code, output = run(context.project)
    reported = messages(output)
    relevant = [message for message in reported if not _sent_by_action(message)]
    findings = [finding for message in relevant for finding in translate(message, context)]
    # Rasa fails on its own warnings; when the only ones were about such responses, nothing failed.
    explained = len(relevant) < len(reported) and not relevant
    if code != 0 and not explained and not any(finding.severity is Severity.ERROR for finding in findings):
        last = next((line for line in reversed(_ANSI.sub("", output).splitlines()) if line.strip()), "")
        findings.append(error(context.domain.place.file, 1, "Rasas Prüfung („rasa data validate“) ist "
                              f"fehlgeschlagen (technisch: {last.strip()}). Rufen Sie sie zur Diagnose "
                              "direkt auf oder wenden Sie sich an die Technik."))
    return findings
