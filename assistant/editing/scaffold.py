"""`assistant new-intent NAME`: everything Rasa needs for a new kind of question, in the right places.

Writes placeholders (see `markers`) that `assistant validate` rejects until the editor has
replaced them, so a half-finished intent never reaches the citizens.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import Node

from assistant.editing import markers
from assistant.editing.findings import Finding
from assistant.editing.project import Project
from assistant.editing.rasa_files import compose, get, items, read_domain, scalar
from assistant.editing.yaml_edit import EditError, append_to_mapping, append_to_sequence, sequence_item_indent

NAME = re.compile(r"^[a-z]+(_[a-z]+)*$")
ANSWER_ACTION = "action_answer_question"
SUBJECTS = ("network", "city", "all_networks")
TRAINING_STUBS = (
    "eine kurze Frage",
    "eine ausführliche Frage in ganzen Sätzen",
    "eine Frage in Stichworten",
    "eine Frage, die ein Netzwerk nennt, z. B. [Efus](network)",
    "eine umgangssprachliche Frage, gern mit Tippfehler",
)


class ScaffoldError(Exception):
    """Nothing was written; `findings` (or the message) say why."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        self.findings = findings or []
        super().__init__(message)


@dataclass
class Scaffold:
    name: str
    created: list[tuple[str, str]] = field(default_factory=list)  # (file, what)
    changed: list[tuple[str, str]] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Request:
    name: str
    attributes: tuple[str, ...] = ()  # non-empty: answered from the knowledge base
    subject: str = "network"
    topic: str | None = None
    min_examples: int = 25
    min_test_examples: int = 5

    @property
    def from_knowledge(self) -> bool:
        return bool(self.attributes)

    @property
    def response(self) -> str:
        return f"utter_{self.name}"

    @property
    def action(self) -> str:
        return ANSWER_ACTION if self.from_knowledge else self.response


def _check_request(request: Request) -> None:
    if not NAME.match(request.name):
        raise ScaffoldError(f"Der Name „{request.name}“ ist nicht zulässig. Verwenden Sie nur Kleinbuchstaben "
                            "ohne Umlaute und Unterstriche, z. B. „ask_opening_hours“.")
    for attribute in request.attributes:
        if not NAME.match(attribute):
            raise ScaffoldError(f"Das Attribut „{attribute}“ ist nicht zulässig. Attribute bestehen aus "
                                "Kleinbuchstaben und Unterstrichen, z. B. „founding_date“.")
    if request.subject not in SUBJECTS:
        raise ScaffoldError(f"„{request.subject}“ ist kein zulässiges Thema; erlaubt: {', '.join(SUBJECTS)}.")


def _nlu_file(request: Request) -> str:
    stubs = "".join(f"    - {markers.EXAMPLE}: {stub}\n" for stub in TRAINING_STUBS)
    return (
        'version: "3.1"\n\n'
        f"# Fragetyp „{request.name}“, angelegt mit „assistant new-intent“.\n"
        f"# Ersetzen Sie jede Zeile „{markers.EXAMPLE} …“ durch eine echte Frage, wie Bürgerinnen und\n"
        f"# Bürger sie stellen würden, und ergänzen Sie weitere: mindestens {request.min_examples} "
        "verschiedene\n"
        "# Formulierungen, kurze und lange, auch umgangssprachlich und mit Tippfehlern. Netzwerke\n"
        "# markieren Sie so: [Efus](network), Städte so: [Köln](city).\n"
        "# „assistant validate“ zeigt, was noch fehlt.\n"
        "nlu:\n"
        f"- intent: {request.name}\n"
        "  examples: |\n"
        f"{stubs}"
    )


def _rule_file(request: Request) -> str:
    return (
        'version: "3.1"\n\n'
        f"# Regel für den Fragetyp „{request.name}“, angelegt mit „assistant new-intent“.\n"
        "rules:\n"
        f"  - rule: Answer {request.name}\n"
        "    steps:\n"
        f"      - intent: {request.name}\n"
        f"      - action: {request.action}\n"
    )


def _test_story_file(request: Request) -> str:
    return (
        'version: "3.1"\n\n'
        f"# Testgeschichte für den Fragetyp „{request.name}“, angelegt mit „assistant new-intent“.\n"
        "# „make test“ prüft, dass der trainierte Assistent die Frage als diesen Fragetyp erkennt.\n"
        "stories:\n"
        f"  - story: Question of type {request.name}\n"
        "    steps:\n"
        "      - user: |\n"
        f"          {markers.EXAMPLE}: eine typische Frage, die nicht wörtlich in den Trainingsdaten steht\n"
        f"        intent: {request.name}\n"
        f"      - action: {request.action}\n"
    )


def _test_examples(request: Request, indent: int) -> str:
    pad = " " * indent
    stubs = "".join(f"{pad}    - {markers.EXAMPLE}: Testfrage {number}, anders formuliert als die "
                    "Trainingsbeispiele\n" for number in range(1, request.min_test_examples + 1))
    return (f"\n{pad}# Testfragen für „{request.name}“ (angelegt mit „assistant new-intent“): mindestens "
            f"{request.min_test_examples},\n{pad}# die nicht in den Trainingsdaten stehen.\n"
            f"{pad}- intent: {request.name}\n{pad}  examples: |\n{stubs}")


def _line_containing(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


class _Plan:
    """New file contents, computed completely before anything is written."""

    def __init__(self, project: Project, request: Request) -> None:
        self.project = project
        self.request = request
        self.writes: dict[Path, str] = {}
        self.result = Scaffold(request.name)

    def create(self, path: Path, content: str, what: str) -> None:
        if path.exists():
            raise ScaffoldError(f"{self.project.relative(path)} gibt es schon. Wählen Sie einen anderen Namen "
                                "oder löschen Sie die Datei, falls sie von einem abgebrochenen Versuch stammt.")
        self.writes[path] = content
        self.result.created.append((self.project.relative(path), what))

    def change(self, path: Path, content: str, what: str) -> None:
        self.writes[path] = content
        self.result.changed.append((self.project.relative(path), what))

    def write(self) -> Scaffold:
        for path, content in self.writes.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        return self.result


def _parsed(path: Path, project: Project) -> tuple[Node, str]:
    root, text, problems = compose(path, project)
    if problems or root is None:
        raise ScaffoldError(f"{project.relative(path)} ist fehlerhaft; beheben Sie das zuerst, dann legt "
                            "„assistant new-intent“ den Fragetyp an.", problems)
    return root, text


def _plan_domain(plan: _Plan) -> None:
    request, project = plan.request, plan.project
    domain, problems = read_domain(project.domain, project)
    if domain is None:
        raise ScaffoldError("domain.yml ist fehlerhaft; beheben Sie das zuerst, dann legt „assistant "
                            "new-intent“ den Fragetyp an.", problems)
    if request.name in domain.intents:
        raise ScaffoldError(f"Den Fragetyp „{request.name}“ gibt es schon ({domain.intents[request.name]}).")
    if not request.from_knowledge and request.response in domain.responses:
        raise ScaffoldError(f"Die Antwort „{request.response}“ gibt es schon "
                            f"({domain.responses[request.response].place}).")
    root, text = _parsed(project.domain, project)
    try:
        text = append_to_sequence(text, root, "intents", request.name)
        if not request.from_knowledge:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            text = append_to_mapping(text, root, "responses", [
                f"{request.response}:",
                "  - text: >-",
                f"      {markers.ANSWER}: Schreiben Sie hier, was der Assistent antworten soll.",
            ])
    except EditError as exc:
        raise ScaffoldError(f"domain.yml lässt sich nicht automatisch ergänzen: {exc} Tragen Sie den "
                            "Fragetyp bitte von Hand ein.") from exc
    parsed = yaml.safe_load(text)
    if request.name not in parsed.get("intents", []) or (
            not request.from_knowledge and request.response not in (parsed.get("responses") or {})):
        raise ScaffoldError("domain.yml lässt sich nicht automatisch ergänzen (ungewöhnlicher Aufbau). "
                            "Tragen Sie den Fragetyp bitte von Hand ein.")
    what = "Fragetyp" if request.from_knowledge else f"Fragetyp und Antwort „{request.response}“ (Platzhalter)"
    plan.change(project.domain, text, what)
    if not request.from_knowledge:
        line = _line_containing(text, markers.ANSWER)
        plan.result.todo.append(f"domain.yml, Zeile {line}: den Antworttext von „{request.response}“ schreiben.")


def _plan_questions(plan: _Plan) -> None:
    request, project = plan.request, plan.project
    path = project.knowledge_dir / "questions.yml"
    root, text = _parsed(path, project)
    for key, _ in (get(root, "questions").value if get(root, "questions") else []):
        if key.value == request.name:
            raise ScaffoldError(f"„{request.name}“ steht schon in {project.relative(path)}.")
    topic = request.topic or f"{markers.TOPIC}, z. B. „zu den Sprachen“"
    text = append_to_mapping(text, root, "questions", [
        f"{request.name}:",
        f"  subject: {request.subject}",
        f"  topic: {json.dumps(topic, ensure_ascii=False)}",
        f"  attributes: [{', '.join(request.attributes)}]",
    ], separate=False)
    if request.name not in (yaml.safe_load(text).get("questions") or {}):
        raise ScaffoldError(f"{project.relative(path)} lässt sich nicht automatisch ergänzen.")
    plan.change(path, text, f"Fragetyp → Attribut(e) {', '.join(request.attributes)}")
    if not request.topic:
        plan.result.todo.append(f"{project.relative(path)}, Zeile {_line_containing(text, markers.TOPIC)}: das "
                                "Thema eintragen, wie es in „Zu … liegen mir keine gesicherten Informationen "
                                "vor“ klingt.")
    named = (f"dem Attribut {request.attributes[0]}" if len(request.attributes) == 1
             else f"den Attributen {', '.join(request.attributes)}")
    plan.result.todo.append(f"Fakten mit {named} in data/knowledge/ eintragen, jeweils mit Quelle.")


def _plan_test_examples(plan: _Plan) -> None:
    request, project = plan.request, plan.project
    path = project.test_nlu_file
    if path.exists():
        root, text = _parsed(path, project)
        if any(scalar(get(entry, "intent")) == request.name for entry in items(get(root, "nlu"))):
            raise ScaffoldError(f"In {project.relative(path)} gibt es schon Testfragen für „{request.name}“.")
        text = (text if text.endswith("\n") else text + "\n") + _test_examples(
            request, sequence_item_indent(root, "nlu"))
    else:
        text = 'version: "3.1"\n\nnlu:' + _test_examples(request, 0)
    plan.change(path, text, "Testfragen (Platzhalter)")
    line = _line_containing(text, f"- intent: {request.name}")
    plan.result.todo.append(f"{project.relative(path)}, ab Zeile {line}: mindestens {request.min_test_examples} "
                            "Testfragen schreiben, die nicht in den Trainingsdaten stehen.")


def new_intent(project: Project, request: Request) -> Scaffold:
    """Plan every change, then write them all; on any problem nothing is written."""
    _check_request(request)
    plan = _Plan(project, request)
    nlu = project.nlu_dir / f"{request.name}.yml"
    plan.create(nlu, _nlu_file(request), "Trainingsbeispiele (Platzhalter)")
    plan.result.todo.append(f"{project.relative(nlu)}: die Platzhalter durch mindestens {request.min_examples} "
                            "echte Fragen ersetzen.")
    _plan_domain(plan)
    if request.from_knowledge:
        _plan_questions(plan)
    rule = project.stories_dir / f"{request.name}.yml"
    plan.create(rule, _rule_file(request), f"Regel: {request.name} → {request.action}")
    story = project.test_stories_dir / f"{request.name}.yml"
    plan.create(story, _test_story_file(request), "Testgeschichte (Platzhalter)")
    plan.result.todo.append(f"{project.relative(story)}: eine typische Frage eintragen.")
    _plan_test_examples(plan)
    return plan.write()
