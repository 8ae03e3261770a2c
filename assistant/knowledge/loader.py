"""Load and validate the knowledge base from data/knowledge/*.yml.

A broken file stops start-up with every problem named (file, line, entry, field) in German,
so an editor's typo never turns into a crash in the middle of a citizen's conversation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import yaml

from assistant.knowledge.base import KnowledgeBase
from assistant.knowledge.model import Contact, FacetWords, Fact, Location, Question, Source, Subject, Vocabulary
from assistant.knowledge.yaml_lines import line_of, load_yaml_with_lines


@dataclass(frozen=True)
class Problem:
    """One thing an editor has to fix."""

    file: str
    line: int
    message: str
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        what = ""
        if self.entry:
            what += f" Eintrag „{self.entry}“"
        if self.field:
            what += f", Feld „{self.field}“"
        return f"{where}:{what + ':' if what else ''} {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be used; `problems` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = resources.files("assistant.knowledge").joinpath("schema.yml").read_text("utf-8")
    return yaml.safe_load(text)


_MESSAGES = {
    "required": "Pflichtfeld fehlt",
    "additionalProperties": "unbekanntes Feld (Tippfehler?)",
    "type": "hat den falschen Typ",
    "minItems": "darf nicht leer sein",
    "minLength": "darf nicht leer sein",
    "enum": "hat einen unzulässigen Wert",
    "pattern": "hat nicht die erwartete Form",
    "format": "muss ein Datum in der Form JJJJ-MM-TT sein",
    "anyOf": "braucht mindestens eine der Angaben",
    "dependencies": "braucht eine zugehörige Angabe",
    "minProperties": "Datei ist leer",
}

_HINTS = {
    ("required", "sources"): "Jeder Fakt braucht eine Quelle: tragen Sie unter „sources“ die "
    "ID einer Quelle aus sources.yml ein.",
    ("pattern", "id"): "IDs bestehen aus Kleinbuchstaben, Ziffern und Bindestrichen, z. B. "
    "„efus-sitz“.",
    ("pattern", "attribute"): "Attribute bestehen aus Kleinbuchstaben und Unterstrichen, z. B. "
    "„founding_date“.",
    ("pattern", "url"): "Adressen beginnen mit http:// oder https://.",
    ("anyOf", None): "Eine Quelle braucht eine Adresse („url“) oder einen Dateinamen („file“).",
    ("dependencies", "note"): "Ein Hinweis („note“) braucht eigene Quellen („note_sources“) und "
    "umgekehrt.",
}


def _schema_problem(file: str, document: Any, error: jsonschema.ValidationError) -> Problem:
    path = list(error.absolute_path)
    entry = None
    if len(path) >= 2 and isinstance(path[1], int):
        node = document[path[0]][path[1]]
        entry = node.get("id") if isinstance(node, dict) else None
    elif len(path) >= 2 and path[0] == "questions":
        entry = str(path[1])
    field = None
    if error.validator == "required":
        field = error.message.split("'")[1]
    elif error.validator == "additionalProperties":
        field = error.message.split("'")[1] if "'" in error.message else None
    elif error.validator == "dependencies":
        field = "note" if "note'" in error.message.split(" is a dependency")[0] else "note_sources"
    elif path and isinstance(path[-1], str):
        field = path[-1]
    elif len(path) >= 2 and isinstance(path[-1], int) and isinstance(path[-2], str):
        field = path[-2]
    message = _MESSAGES.get(str(error.validator), error.message)
    if error.validator in ("type", "enum"):
        message += f" (erlaubt: {_describe(error.validator_value)})"
    hint = _HINTS.get((str(error.validator), field)) or _HINTS.get((str(error.validator), None))
    if hint:
        message += f". {hint}"
    return Problem(file, line_of(document, path), message, entry, field)


def _describe(allowed: Any) -> str:
    names = {"string": "Text", "integer": "ganze Zahl", "boolean": "true/false", "array": "Liste",
             "object": "Zuordnung", "null": "leer"}
    if isinstance(allowed, list):
        return ", ".join(names.get(str(item), str(item)) for item in allowed)
    return names.get(str(allowed), str(allowed))


def _read_documents(directory: Path) -> tuple[dict[str, Any], list[Problem]]:
    documents: dict[str, Any] = {}
    problems: list[Problem] = []
    files = sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml"))
    if not files:
        problems.append(Problem(str(directory), 1, "keine Wissensdateien (*.yml) gefunden"))
    validator = jsonschema.Draft7Validator(_schema(), format_checker=jsonschema.FormatChecker())
    for path in files:
        name = str(path)
        try:
            document = load_yaml_with_lines(path)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problems.append(Problem(name, line, "Die Datei ist kein gültiges YAML "
                                    f"({getattr(error, 'problem', None) or error}). Prüfen Sie "
                                    "Einrückung, Doppelpunkte und Anführungszeichen."))
            continue
        if document is None:
            problems.append(Problem(name, 1, "Die Datei ist leer."))
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            problems.extend(_schema_problem(name, document, error) for error in errors)
            continue
        documents[name] = document
    return documents, problems


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_knowledge_base(directory: str | Path, place_names: Iterable[str] = ()) -> KnowledgeBase:
    """Read, validate and cross-check every file; raise KnowledgeBaseError listing all problems.

    `place_names` teaches the city matcher names beyond those in the facts (e.g. all German
    municipalities), so a question about any city is understood.
    """
    documents, problems = _read_documents(Path(directory))

    sources: dict[str, Source] = {}
    subjects: dict[str, Subject] = {}
    questions: dict[str, Question] = {}
    contact: Contact | None = None
    vocabulary = Vocabulary()
    seen: dict[str, Location] = {}

    def unique(kind: str, ident: str, location: Location) -> bool:
        key = f"{kind}:{ident}"
        if key in seen:
            problems.append(Problem(location.file, location.line, f"Die ID ist doppelt vergeben "
                                    f"(zuerst in {seen[key]}). Wählen Sie eine neue ID.", ident, "id"))
            return False
        seen[key] = location
        return True

    for name, document in documents.items():
        for raw in document.get("sources", []):
            location = Location(name, raw.line)
            if unique("source", raw["id"], location):
                sources[raw["id"]] = Source(
                    id=raw["id"], title=raw["title"], url=raw.get("url"), file=raw.get("file"),
                    primary=bool(raw.get("primary", False)), checked=_date(raw["checked"]),
                    location=location,
                )
        for raw in document.get("subjects", []):
            location = Location(name, raw.line)
            if unique("subject", raw["id"], location):
                subjects[raw["id"]] = Subject(
                    id=raw["id"], kind=raw["kind"], name=raw["name"], long_name=raw["long_name"],
                    aliases=tuple(raw.get("aliases", [])), website=raw.get("website"),
                    location=location,
                )
        for intent, raw in document.get("questions", {}).items():
            location = Location(name, raw.line)
            if unique("question", intent, location):
                questions[intent] = Question(intent, raw["subject"], raw["topic"],
                                             tuple(raw["attributes"]), location,
                                             tuple(raw.get("keywords", ())))
        if "vocabulary" in document:
            raw = document["vocabulary"]
            vocabulary = Vocabulary(tuple(raw.get("general", ())), tuple(raw.get("handoff", ())),
                                    {name: tuple(group) for name, group in raw.get("not_in_sources", {}).items()},
                                    {facet: FacetWords(entry["label"], tuple(entry["words"]),
                                                       tuple(entry.get("also", ())),
                                                       tuple(entry.get("replaces", ())))
                                     for facet, entry in raw.get("facets", {}).items()},
                                    tuple(raw.get("handoff_details", ())), tuple(raw.get("name_groups", ())))
            for field_name in ("handoff_details", "name_groups"):
                for group in getattr(vocabulary, field_name):
                    if group not in vocabulary.not_in_sources:
                        problems.append(Problem(name, getattr(raw, "line", 0),
                                                f"„{group}“ in {field_name} ist keine Gruppe von "
                                                "not_in_sources. Bitte korrigieren Sie den Namen.",
                                                "vocabulary", field_name))
        if "contact" in document:
            raw = document["contact"]
            contact = Contact(raw["city"], raw["route"], raw.get("phone"), raw.get("email"),
                              raw.get("url"))

    def resolve_sources(ids: list[str], location: Location, entry: str, field: str) -> tuple:
        found = []
        for ident in ids:
            if ident in sources:
                found.append(sources[ident])
            else:
                problems.append(Problem(location.file, location.line, f"Die Quelle „{ident}“ gibt "
                                        "es nicht. Tragen Sie sie in sources.yml ein oder "
                                        "korrigieren Sie die ID.", entry, field))
        return tuple(found)

    facts: list[Fact] = []
    for name, document in documents.items():
        for raw in document.get("facts", []):
            location = Location(name, raw.line)
            if not unique("fact", raw["id"], location):
                continue
            for field in ("subject", "network"):
                ident = raw.get(field)
                if ident and ident not in subjects:
                    problems.append(Problem(name, raw.line, f"„{ident}“ ist kein bekanntes Thema. "
                                            "Bekannte Themen stehen in subjects.yml.",
                                            raw["id"], field))
            facts.append(Fact(
                id=raw["id"], subject=raw["subject"], attribute=raw["attribute"],
                answer=" ".join(raw["answer"].split()),
                sources=resolve_sources(raw["sources"], location, raw["id"], "sources"),
                location=location, value=dict(raw.get("value", {})), network=raw.get("network"),
                as_of=_date(raw.get("as_of")),
                note=" ".join(raw["note"].split()) if raw.get("note") else None,
                note_sources=resolve_sources(raw.get("note_sources", []), location, raw["id"],
                                             "note_sources"),
                facets=({facet: str(value) for facet, value in raw["facets"].items()}
                        if raw.get("facets") is not None else None),
                referent=" ".join(raw["referent"].split()) if raw.get("referent") else None,
            ))
    problems.extend(_facet_problems(facts))

    if contact is None and documents:
        problems.append(Problem(str(directory), 1, "Es fehlt der Kontakt für Bürgerinnen und "
                                "Bürger, die mit einem Menschen sprechen möchten (contact.yml)."))
    elif contact is not None and contact.city not in subjects:
        problems.append(Problem(str(directory), 1, f"Die Stadt „{contact.city}“ im Kontakt ist "
                                "kein bekanntes Thema (subjects.yml)."))
    if problems:
        raise KnowledgeBaseError(problems)
    assert contact is not None
    return KnowledgeBase(sources, subjects, facts, questions, contact, place_names, vocabulary)


def _facet_problems(facts: list[Fact]) -> list[Problem]:
    """A facet is answered only by what a fact says: its value must be in the answer text, or
    it must name another fact."""
    ids = {fact.id for fact in facts}
    problems = []
    for fact in facts:
        for facet, value in (fact.facets or {}).items():
            if value in ids or value.casefold() in fact.answer.casefold():
                continue
            problems.append(Problem(
                fact.location.file, fact.location.line,
                f"Die Angabe „{value}“ zu „{facet}“ steht nicht im Antworttext und ist auch keine "
                "ID eines anderen Eintrags. Schreiben Sie den Wert so, wie er in der Antwort steht.",
                fact.id, "facets"))
    return problems
