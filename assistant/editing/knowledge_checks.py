"""The knowledge base as the NLU and the dialogue see it: schema, reachability, names, sources."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from assistant.answering import ANSWERED_WITHOUT_KIND
from assistant.editing import markers
from assistant.editing.findings import Finding, error, warning
from assistant.editing.nlu_checks import RasaData
from assistant.editing.project import Project
from assistant.knowledge import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from assistant.knowledge.model import Location

ANSWER_ACTION = "action_answer_question"


def load(project: Project) -> tuple[KnowledgeBase | None, list[Finding]]:
    """The knowledge base, or every schema and consistency problem the loader finds."""
    try:
        return load_knowledge_base(project.knowledge_dir), []
    except KnowledgeBaseError as exc:
        findings = []
        for problem in exc.problems:
            text = str(problem)[len(f"{problem.file}:{problem.line}:"):].strip()
            findings.append(error(project.relative(Path(problem.file)), problem.line, text))
        return None, findings


def _lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()


def _line_with(location: Location, text: str) -> int:
    """The line at or after an entry's start that mentions `text` (e.g. one alias of a subject)."""
    lines = _lines(location.file)
    for index in range(max(location.line - 1, 0), len(lines)):
        if text in lines[index]:
            return index + 1
    return location.line


def answered_from_knowledge(data: RasaData) -> dict[str, int]:
    """Intents that a rule or story answers with the knowledge-base action (intent -> line)."""
    found: dict[str, int] = {}
    for block in data.stories:
        for step, following in zip(block.steps, block.steps[1:], strict=False):
            if step.kind == "intent" and following.kind == "action" and following.name == ANSWER_ACTION:
                found.setdefault(step.name, step.place.line)
    return found


def reachability(kb: KnowledgeBase, data: RasaData, project: Project) -> Iterator[Finding]:
    answered = answered_from_knowledge(data)
    for question in kb.questions.values():
        file = project.relative(Path(question.location.file))
        if question.intent not in data.domain.intents:
            yield error(file, question.location.line,
                        f"Der Fragetyp „{question.intent}“ steht nicht in domain.yml, seine Fakten bekäme also "
                        f"niemand zu sehen. Korrigieren Sie den Namen oder legen Sie ihn mit „assistant new-intent "
                        f"{question.intent} --attribute …“ an.")
        elif question.intent not in answered:
            yield error(file, question.location.line,
                        f"Der Fragetyp „{question.intent}“ wird in keiner Regel mit „{ANSWER_ACTION}“ beantwortet. "
                        f"Legen Sie in data/stories/ eine Regel „intent: {question.intent}“ → „action: "
                        f"{ANSWER_ACTION}“ an.")
        if markers.TOPIC in question.topic:
            yield error(file, _line_with(question.location, markers.TOPIC),
                        f"Das Thema von „{question.intent}“ ist noch ein Platzhalter („{markers.TOPIC}“). Schreiben "
                        "Sie, wie der Satz „… liegen mir keine gesicherten Informationen vor“ das Thema nennt, "
                        "z. B. „zur Gründung“.")
    reachable = {attribute for question in kb.questions.values() if question.intent in answered
                 and question.intent in data.domain.intents for attribute in question.attributes}
    for fact in kb.facts:
        if fact.attribute not in reachable:
            yield error(project.relative(Path(fact.location.file)), _line_with(fact.location, "attribute:"),
                        f"Nach dem Attribut „{fact.attribute}“ des Fakts „{fact.id}“ fragt kein Fragetyp: Diese "
                        "Antwort bekäme niemand zu sehen. Tragen Sie das Attribut in data/knowledge/questions.yml "
                        "bei einem passenden Fragetyp unter „attributes“ ein.")
    for intent, line in answered.items():
        if intent not in ANSWERED_WITHOUT_KIND and intent not in kb.questions and intent in data.domain.intents:
            place = next(step.place for block in data.stories for step in block.steps
                         if step.kind == "intent" and step.name == intent and step.place.line == line)
            yield error(place.file, place.line,
                        f"„{intent}“ soll aus der Wissensbasis beantwortet werden, aber data/knowledge/"
                        "questions.yml sagt nicht, welche Fakten dazu passen. Tragen Sie den Fragetyp dort mit "
                        "„subject“, „topic“ und „attributes“ ein.")


def network_names(kb: KnowledgeBase, data: RasaData, project: Project) -> Iterator[Finding]:
    """Every name of a network must reach its id through Rasa's synonym mapping."""
    for subject in kb.networks():
        for name in dict.fromkeys((subject.name, subject.long_name, *subject.aliases)):
            key = name.lower()
            if key == subject.id or data.nlu.synonyms.get(key) == subject.id:
                continue
            yield warning(project.relative(Path(subject.location.file)), _line_with(subject.location, name),
                          f"Den Namen „{name}“ für {subject.name} kennt die Spracherkennung nicht als Synonym. "
                          f"Ergänzen Sie in data/nlu/synonyms.yml unter „- synonym: {subject.id}“ die Zeile "
                          f"„- {key}“, damit er sicher als {subject.name} erkannt wird.")


def city_names(kb: KnowledgeBase, data: RasaData, project: Project) -> Iterator[Finding]:
    """Every city the knowledge base names must be in the city lookup table or annotated in an example."""
    lookup = data.project.city_lookup
    if not lookup.exists():
        yield warning(project.relative(lookup), 1, "Die Ortsliste für die Spracherkennung fehlt. Sie entsteht "
                      "mit „make setup“ (oder „python -m assistant prepare“).")
    known = {entry.lower() for entry in data.nlu.lookups.get("city", set())}
    known |= {value.lower() for example in data.nlu.examples for mark in example.annotations
              if mark.entity == "city" for value in (mark.text, mark.value)}
    cities: dict[str, tuple[Location, str]] = {}
    for subject in kb.subjects.values():
        if subject.kind == "city":
            cities.setdefault(subject.name, (subject.location, subject.name))
    for fact in kb.facts:
        listed = fact.value.get("cities") if fact.attribute == "member_cities" else None
        for entry in listed if isinstance(listed, list) else []:
            cities.setdefault(entry["name"], (fact.location, f"name: {entry['name']}"))
    for city, (location, text) in cities.items():
        if city.lower() not in known:
            yield warning(project.relative(Path(location.file)), _line_with(location, text),
                          f"Die Stadt „{city}“ steht weder in der Ortsliste noch in einem Trainingsbeispiel, "
                          "Fragen danach erkennt der Assistent womöglich nicht. Ergänzen Sie in "
                          f"data/nlu/membership.yml ein Beispiel wie „- Ist [{city}](city) Mitglied?“.")


def unused_sources(kb: KnowledgeBase, project: Project) -> Iterator[Finding]:
    used = {source.id for fact in kb.facts for source in (*fact.sources, *fact.note_sources)}
    for source in kb.sources.values():
        if source.id not in used:
            yield warning(project.relative(Path(source.location.file)), source.location.line,
                          f"Die Quelle „{source.id}“ wird von keinem Fakt genannt. Ordnen Sie sie einem Fakt zu "
                          "oder löschen Sie sie.")


def check(kb: KnowledgeBase, data: RasaData) -> list[Finding]:
    project = data.project
    return [
        *reachability(kb, data, project),
        *network_names(kb, data, project),
        *city_names(kb, data, project),
        *unused_sources(kb, project),
    ]
