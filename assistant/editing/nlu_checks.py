"""Cross-checks of the NLU data, stories and tests that `rasa data validate` does not make."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from assistant.editing import markers
from assistant.editing.findings import Finding, error, warning
from assistant.editing.project import Project
from assistant.editing.rasa_files import Block, Domain, Example, NluData
from assistant.editing.wording import example_key

# Rasa's own intents and actions, which need no entry in domain.yml.
RASA_DEFAULT_INTENTS = {"nlu_fallback", "restart", "back", "out_of_scope_default", "session_start"}


@dataclass(frozen=True)
class Limits:
    min_examples: int = 25  # training examples per intent
    min_test_examples: int = 5  # held-out test examples per intent (tests/nlu)


@dataclass
class RasaData:
    project: Project
    domain: Domain
    nlu: NluData  # training data (data/nlu)
    test_nlu: NluData  # held-out test set (tests/nlu)
    stories: list[Block]  # data/stories
    test_stories: list[Block]  # tests/stories


def _real(examples: list[Example]) -> list[Example]:
    return [example for example in examples if not markers.is_placeholder(example.raw)]


def placeholders(data: RasaData) -> Iterator[Finding]:
    """Stubs written by `assistant new-intent` that the editor has not replaced yet."""
    for nlu, what in ((data.nlu, "Trainingsbeispiele"), (data.test_nlu, "Testfragen")):
        first: dict[tuple[str, str], Example] = {}
        counts: dict[tuple[str, str], int] = {}
        for example in nlu.examples:
            if markers.is_placeholder(example.raw):
                slot = (example.place.file, example.intent)
                first.setdefault(slot, example)
                counts[slot] = counts.get(slot, 0) + 1
        for slot, example in first.items():
            yield error(example.place.file, example.place.line,
                        f"Beim Fragetyp „{example.intent}“ stehen noch {counts[slot]} Platzhalter für {what} "
                        f"(„{markers.EXAMPLE} …“). Ersetzen Sie jede dieser Zeilen durch eine echte Frage, wie "
                        "Bürgerinnen und Bürger sie stellen würden.")
    for response in data.domain.responses.values():
        for text, place in response.texts:
            if markers.is_placeholder(text):
                yield error(place.file, place.line,
                            f"Die Antwort „{response.name}“ ist noch ein Platzhalter („{markers.ANSWER} …“). "
                            "Schreiben Sie den Text, den der Assistent sagen soll.")
    for block in data.test_stories:
        for text, place in block.user_texts:
            if markers.is_placeholder(text):
                yield error(place.file, place.line,
                            f"Die Testgeschichte „{block.name}“ enthält noch einen Platzhalter („{markers.EXAMPLE} "
                            "…“). Schreiben Sie eine typische Frage hinein, die nicht wörtlich in den "
                            "Trainingsdaten steht.")


def enough_examples(data: RasaData, limits: Limits) -> Iterator[Finding]:
    for intent, domain_place in data.domain.intents.items():
        real = _real(data.nlu.examples_of(intent))
        if len(real) >= limits.min_examples:
            continue
        place = (data.nlu.intent_blocks.get(intent) or [domain_place])[0]
        if real:
            message = (f"Der Fragetyp „{intent}“ hat nur {len(real)} Trainingsbeispiele, nötig sind mindestens "
                       f"{limits.min_examples}. Ergänzen Sie weitere Formulierungen, wie Bürgerinnen und Bürger "
                       "fragen würden (kurze und lange, auch mit Tippfehlern).")
        else:
            message = (f"Der Fragetyp „{intent}“ hat noch keine echten Trainingsbeispiele, nötig sind mindestens "
                       f"{limits.min_examples}. Schreiben Sie in data/nlu/ Formulierungen, wie Bürgerinnen und "
                       "Bürger fragen würden.")
        yield error(place.file, place.line, message, key=("too-few-examples", intent))


def enough_test_examples(data: RasaData, limits: Limits) -> Iterator[Finding]:
    test_file = data.project.relative(data.project.test_nlu_file)
    for intent, domain_place in data.domain.intents.items():
        real = _real(data.test_nlu.examples_of(intent))
        if len(real) >= limits.min_test_examples:
            continue
        place = (data.test_nlu.intent_blocks.get(intent) or [domain_place])[0]
        yield error(place.file, place.line,
                    f"Für den Fragetyp „{intent}“ gibt es {len(real)} Testfragen, nötig sind mindestens "
                    f"{limits.min_test_examples}. Ergänzen Sie in {test_file} neue Formulierungen, die nicht in "
                    "den Trainingsdaten stehen: Damit prüft „make test“, ob der Assistent auch Unbekanntes "
                    "versteht.", key=("too-few-test-examples", intent))
    for intent, places in data.test_nlu.intent_blocks.items():
        if intent not in data.domain.intents and intent not in RASA_DEFAULT_INTENTS:
            for place in places:
                yield error(place.file, place.line,
                            f"Die Testfragen gehören zum Fragetyp „{intent}“, der nicht in domain.yml steht. "
                            "Korrigieren Sie den Namen oder löschen Sie den Abschnitt.")


def intents_in_stories(data: RasaData) -> Iterator[Finding]:
    used = {step.name for block in data.stories for step in block.steps if step.kind == "intent"}
    for intent, place in data.domain.intents.items():
        if intent not in used:
            yield error(place.file, place.line,
                        f"Der Fragetyp „{intent}“ kommt in keiner Regel und keiner Geschichte vor: Der Assistent "
                        "wüsste nicht, was er antworten soll. Legen Sie in data/stories/ eine Regel an (Vorlage: "
                        "„assistant new-intent“).", key=("intent-unused", intent))


def contradicting_rules(data: RasaData) -> Iterator[Finding]:
    """A rule "intent X → action A" holds everywhere; another rule or a story with "X → B" contradicts it.

    `rasa data validate` does not look for this; only training would fail, with an English error.
    """
    rules: dict[str, Block] = {}
    for block in data.stories:
        steps = block.steps
        if block.kind == "rule" and not block.conditional and len(steps) == 2 \
                and (steps[0].kind, steps[1].kind) == ("intent", "action"):
            rules.setdefault(steps[0].name, block)
    for block in data.stories:
        for step, following in zip(block.steps, block.steps[1:], strict=False):
            rule = rules.get(step.name) if step.kind == "intent" and following.kind == "action" else None
            if rule is None or rule is block or following.name == rule.steps[1].name:
                continue
            kind = "die Regel" if block.kind == "rule" else "die Geschichte"
            yield error(following.place.file, following.place.line,
                        f"Widerspruch: Hier folgt auf „{step.name}“ „{following.name}“ ({kind} „{block.name}“), "
                        f"laut der Regel „{rule.name}“ ({rule.place}) aber „{rule.steps[1].name}“. Der Assistent "
                        "kann nur eines davon tun: Passen Sie eine der beiden Stellen an.",
                        key=("contradiction", following.place.file, following.place.line))


def duplicate_examples(data: RasaData) -> Iterator[Finding]:
    """No wording may stand under two intents; twice under one intent is only untidy."""
    first: dict[str, Example] = {}
    for example in data.nlu.examples:
        key = example_key(example.text)
        if not key or markers.is_placeholder(example.raw):
            continue
        earlier = first.setdefault(key, example)
        if earlier is example:
            continue
        if earlier.intent != example.intent:
            yield error(example.place.file, example.place.line,
                        f"Das Beispiel „{example.text}“ steht schon beim Fragetyp „{earlier.intent}“ "
                        f"({earlier.place}). Ein Beispiel darf nur zu einem Fragetyp gehören: Löschen Sie es "
                        "an einer der beiden Stellen.", key=("duplicate", key))
        else:
            yield warning(example.place.file, example.place.line,
                          f"Das Beispiel „{example.text}“ steht beim Fragetyp „{example.intent}“ doppelt (auch "
                          f"{earlier.place}). Löschen Sie eine der beiden Zeilen.")


def test_set_is_held_out(data: RasaData) -> Iterator[Finding]:
    trained = {example_key(example.text): example for example in data.nlu.examples}
    for example in data.test_nlu.examples:
        found = trained.get(example_key(example.text))
        if found is not None and not markers.is_placeholder(example.raw):
            yield error(example.place.file, example.place.line,
                        f"Die Testfrage „{example.text}“ steht auch in den Trainingsdaten ({found.place}). Eine "
                        "Testfrage muss neu sein, sonst misst der Test nichts: Formulieren Sie sie hier um.")


def test_stories_use_known_names(data: RasaData) -> Iterator[Finding]:
    known_actions = set(data.domain.responses) | set(data.domain.actions)
    for block in data.test_stories:
        for step in block.steps:
            if step.kind == "intent" and step.name not in data.domain.intents \
                    and step.name not in RASA_DEFAULT_INTENTS:
                yield error(step.place.file, step.place.line,
                            f"Die Testgeschichte „{block.name}“ nennt den Fragetyp „{step.name}“, der nicht in "
                            "domain.yml steht. Korrigieren Sie die Schreibweise.")
            if step.kind == "action" and step.name.startswith(("utter_", "action_")) \
                    and step.name not in known_actions and not step.name.startswith("action_default"):
                yield error(step.place.file, step.place.line,
                            f"Die Testgeschichte „{block.name}“ nennt „{step.name}“, das in domain.yml weder als "
                            "Antwort noch als Aktion steht. Korrigieren Sie die Schreibweise.")


def check(data: RasaData, limits: Limits) -> list[Finding]:
    return [
        *placeholders(data),
        *enough_examples(data, limits),
        *enough_test_examples(data, limits),
        *intents_in_stories(data),
        *contradicting_rules(data),
        *duplicate_examples(data),
        *test_set_is_held_out(data),
        *test_stories_use_known_names(data),
    ]
