"""Reading Rasa's project files (domain, NLU data, stories) with the line of every item.

Rasa's own loaders forget where an example or a story step stands; editors need the line. The
files are parsed with PyYAML's node composer, which keeps the position of every node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assistant.editing.findings import Finding, error
from assistant.editing.project import Project
from assistant.knowledge.model import Location as Place  # file relative to the project

# Rasa's entity annotation: [text](entity), [text](entity:value) or [text]{"entity": …, "value": …}
ENTITY_ANNOTATION = re.compile(
    r"\[(?P<text>[^\]]+?)\](?:\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)|\{(?P<dict>[^}]+?)\})"
)


@dataclass(frozen=True)
class Annotation:
    entity: str
    text: str
    value: str


@dataclass(frozen=True)
class Example:
    intent: str
    text: str  # as the citizen would type it: annotations removed
    raw: str  # as written in the file
    place: Place
    annotations: tuple[Annotation, ...] = ()


@dataclass
class NluData:
    intent_blocks: dict[str, list[Place]] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # lower-cased surface form -> value (as Rasa)
    lookups: dict[str, set[str]] = field(default_factory=dict)  # table name -> entries

    def examples_of(self, intent: str) -> list[Example]:
        return [example for example in self.examples if example.intent == intent]


@dataclass(frozen=True)
class Step:
    kind: str  # "intent" or "action"
    name: str
    place: Place


@dataclass(frozen=True)
class Block:
    kind: str  # "story" or "rule"
    name: str
    place: Place
    steps: tuple[Step, ...]
    user_texts: tuple[tuple[str, Place], ...] = ()  # test stories: what the citizen types
    conditional: bool = False  # a rule with `condition` or `conversation_start`: applies only sometimes


@dataclass(frozen=True)
class Response:
    name: str
    place: Place
    texts: tuple[tuple[str, Place], ...]


@dataclass
class Domain:
    place: Place
    intents: dict[str, Place] = field(default_factory=dict)
    responses: dict[str, Response] = field(default_factory=dict)
    actions: dict[str, Place] = field(default_factory=dict)


# -- YAML with positions -------------------------------------------------------------------

_YAML_HINTS = (
    ("found character '\\t'", "Die Zeile enthält ein Tabulatorzeichen; rücken Sie nur mit Leerzeichen ein"),
    ("mapping values are not allowed", "Ein Doppelpunkt steht an einer Stelle, an der keiner stehen darf. "
     "Enthält der Text einen Doppelpunkt, setzen Sie ihn in Anführungszeichen"),
    ("could not find expected ':'", "Nach dem Schlüssel fehlt ein Doppelpunkt (z. B. „intent: ask_seat“)"),
    ("did not find expected key", "Die Einrückung stimmt nicht: Rücken Sie die Zeile so weit ein wie "
     "die gleichartigen Zeilen darüber"),
    ("did not find expected '-' indicator", "Die Einrückung stimmt nicht: Listeneinträge beginnen mit "
     "„- “ und stehen genau untereinander"),
    ("expected <block end>", "Die Einrückung stimmt nicht: Rücken Sie die Zeile so weit ein wie die "
     "gleichartigen Zeilen darüber"),
    ("while scanning a quoted scalar", "Ein Anführungszeichen wird geöffnet, aber nicht geschlossen"),
    ("found unexpected end of stream", "Ein Anführungszeichen oder eine Klammer wird nicht geschlossen"),
    ("while parsing a flow", "Eine eckige oder geschweifte Klammer wird nicht geschlossen"),
    ("cannot start any token", "Ein Zeichen wie „|“, „@“, „%“ oder „`“ steht an einer Stelle, an der "
     "es nicht stehen darf; meist stimmt die Einrückung nicht, oder der Text gehört in Anführungszeichen"),
    ("found undefined alias", "„*“ am Anfang eines Werts hat in YAML eine Sonderbedeutung; setzen Sie "
     "den Text in Anführungszeichen"),
)


def yaml_problem(file: str, exc: yaml.YAMLError) -> Finding:
    """One German line for a file that is not valid YAML."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else 1
    detail = " ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None))
                      if part) or str(exc).splitlines()[0]
    hint = next((text for needle, text in _YAML_HINTS if needle in detail), None)
    message = "Die Datei ist kein gültiges YAML"
    message += f": {hint}." if hint else "."
    message += (f" Prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen in dieser Zeile und der "
                f"Zeile darüber (technisch: {detail}).")
    return error(file, line, message, key=("yaml", file))


def compose(path: Path, project: Project) -> tuple[Node | None, str, list[Finding]]:
    """The node tree of one file and its text, or a finding if it is not valid YAML."""
    name = project.relative(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, "", [error(name, 1, "Die Datei fehlt. Prüfen Sie, ob Sie im Projektordner sind "
                                "(oder --project auf ihn zeigt).", key=("missing", name))]
    except UnicodeDecodeError:
        return None, "", [error(name, 1, "Die Datei ist nicht als UTF-8 gespeichert. Speichern Sie sie "
                                "im Editor mit der Kodierung UTF-8.", key=("encoding", name))]
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), text, []
    except yaml.YAMLError as exc:
        return None, text, [yaml_problem(name, exc)]


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def get(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value
    return None


def items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


# -- NLU data ------------------------------------------------------------------------------

def annotations(raw: str) -> tuple[str, tuple[Annotation, ...]]:
    """The plain text of an example and its entity annotations."""
    found = []
    for match in ENTITY_ANNOTATION.finditer(raw):
        text, entity, value = match.group("text"), match.group("entity"), match.group("value")
        if match.group("dict"):
            try:
                data = json.loads("{" + match.group("dict") + "}")
            except json.JSONDecodeError:
                data = {}
            entity, value = data.get("entity"), data.get("value")
        if entity:
            found.append(Annotation(str(entity), text, str(value) if value else text))
    return ENTITY_ANNOTATION.sub(lambda m: m.group("text"), raw), tuple(found)


def example_lines(node: Node, lines: list[str]) -> list[tuple[str, int]]:
    """Each "- example" of an `examples:` value with its 1-based line."""
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        found = []
        key_indent = _indent(lines[node.start_mark.line])
        for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
            stripped = lines[index].strip()
            if stripped and _indent(lines[index]) <= key_indent:
                break  # the block has ended: this line belongs to the next entry
            if stripped.startswith("- "):
                found.append((stripped[2:].strip(), index + 1))
        return found
    if isinstance(node, ScalarNode):
        return [(line.strip()[2:].strip(), line_of(node)) for line in node.value.splitlines()
                if line.strip().startswith("- ")]
    found = []
    for item in items(node):
        text = scalar(get(item, "text")) if isinstance(item, MappingNode) else scalar(item)
        if text is not None:
            found.append((text.strip(), line_of(item)))
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def read_nlu(files: list[Path], project: Project) -> tuple[NluData, list[Finding]]:
    data = NluData()
    problems: list[Finding] = []
    for path in files:
        root, text, found = compose(path, project)
        problems.extend(found)
        if root is None:
            continue
        name = project.relative(path)
        lines = text.splitlines()
        for entry in items(get(root, "nlu")):
            examples = example_lines(get(entry, "examples"), lines) if get(entry, "examples") else []
            if (intent := scalar(get(entry, "intent"))) is not None:
                data.intent_blocks.setdefault(intent, []).append(Place(name, line_of(entry)))
                for raw, line in examples:
                    plain, marks = annotations(raw)
                    data.examples.append(Example(intent, plain.strip(), raw, Place(name, line), marks))
                    for mark in marks:
                        if mark.value != mark.text:
                            data.synonyms.setdefault(mark.text.lower(), mark.value)
            elif (synonym := scalar(get(entry, "synonym"))) is not None:
                for raw, _ in examples:
                    data.synonyms.setdefault(raw.lower(), synonym)
            elif (lookup := scalar(get(entry, "lookup"))) is not None:
                data.lookups.setdefault(lookup, set()).update(raw for raw, _ in examples)
    return data, problems


# -- stories and rules ---------------------------------------------------------------------

def read_stories(files: list[Path], project: Project) -> tuple[list[Block], list[Finding]]:
    blocks: list[Block] = []
    problems: list[Finding] = []
    for path in files:
        root, _, found = compose(path, project)
        problems.extend(found)
        if root is None:
            continue
        name = project.relative(path)
        for section, kind in (("stories", "story"), ("rules", "rule")):
            for entry in items(get(root, section)):
                steps: list[Step] = []
                users: list[tuple[str, Place]] = []
                for step in items(get(entry, "steps")):
                    for alternative in [step, *items(get(step, "or"))]:
                        if (intent := scalar(get(alternative, "intent"))) is not None:
                            steps.append(Step("intent", intent, Place(name, line_of(alternative))))
                    if (action := scalar(get(step, "action"))) is not None:
                        steps.append(Step("action", action, Place(name, line_of(step))))
                    if (user := scalar(get(step, "user"))) is not None:
                        users.append((user.strip(), Place(name, line_of(step))))
                conditional = get(entry, "condition") is not None or get(entry, "conversation_start") is not None
                blocks.append(Block(kind, scalar(get(entry, kind)) or "", Place(name, line_of(entry)),
                                    tuple(steps), tuple(users), conditional))
    return blocks, problems


# -- domain --------------------------------------------------------------------------------

def read_domain(path: Path, project: Project) -> tuple[Domain | None, list[Finding]]:
    root, _, problems = compose(path, project)
    if root is None:
        return None, problems
    name = project.relative(path)
    domain = Domain(Place(name, 1))
    for item in items(get(root, "intents")):
        key = item.value[0][0] if isinstance(item, MappingNode) and item.value else item
        if (intent := scalar(key)) is not None:
            domain.intents[intent] = Place(name, line_of(item))
    responses = get(root, "responses")
    if isinstance(responses, MappingNode):
        for key, value in responses.value:
            texts = tuple((scalar(get(variant, "text")) or "", Place(name, line_of(variant)))
                          for variant in items(value))
            domain.responses[key.value] = Response(key.value, Place(name, line_of(key)), texts)
    for item in items(get(root, "actions")):
        if (action := scalar(item)) is not None:
            domain.actions[action] = Place(name, line_of(item))
    return domain, problems
