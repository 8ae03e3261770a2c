"""docs/redaktion.md: every worked example for editors, run on a copy of the project."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.answering import Answerer, Turn
from assistant.knowledge import load_knowledge_base
from tests.cli.conftest import replace_once, run_cli
from tests.cli.guide import assert_shows, command, example


def append(path: Path, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    path.write_text(content.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def example_lines(name: str) -> str:
    """The `- …` lines of an NLU example block, as they go under `examples: |`."""
    return "".join(line + "\n" for line in example(name).splitlines() if line.strip().startswith("- ")
                   and not line.startswith("- intent"))


def test_adding_a_fact(project: Path):
    append(project / "data" / "knowledge" / "defus.yml", example("fakt"))

    result = run_cli("validate", "--project", str(project))

    assert result.exit_code == 0 and result.errors() == [], result.stdout
    kb = load_knowledge_base(project / "data" / "knowledge")
    reply = Answerer(kb).reply(Turn("ask_founding", "Wo wurde DEFUS gegründet?", networks=("defus",)))
    assert "Gegründet wurde DEFUS in Berlin." in reply.messages[0].text


def test_a_fact_without_source_as_the_guide_shows(project: Path):
    fact = "".join(line + "\n" for line in example("fakt").splitlines() if "sources:" not in line)
    append(project / "data" / "knowledge" / "defus.yml", fact)

    result = run_cli("validate", "--project", str(project), "--skip-rasa")

    assert result.exit_code == 1
    assert_shows("fakt-ohne-quelle-ausgabe", result.stdout)


def test_adding_training_examples(project: Path):
    replace_once(project / "data" / "nlu" / "knowledge.yml", "- intent: ask_seat\n  examples: |\n",
                 "- intent: ask_seat\n  examples: |\n" + example_lines("beispiele"))

    result = run_cli("validate", "--project", str(project))

    assert result.exit_code == 0 and result.errors() == [], result.stdout


def test_an_example_under_two_intents_as_the_guide_shows(project: Path):
    replace_once(project / "data" / "nlu" / "knowledge.yml", "- intent: ask_topics\n  examples: |\n",
                 "- intent: ask_topics\n  examples: |\n" + example_lines("beispiel-doppelt"))

    result = run_cli("validate", "--project", str(project), "--skip-rasa")

    assert result.exit_code == 1
    assert_shows("beispiel-doppelt-ausgabe", result.stdout)


def test_adding_an_intent_step_by_step(project: Path):
    created = run_cli(*command("new-intent-befehl"), "--project", str(project))
    assert created.exit_code == 0, created.stderr
    assert_shows("new-intent-ausgabe", created.stdout)

    unfinished = run_cli("validate", "--project", str(project), "--skip-rasa")
    assert unfinished.exit_code == 1
    assert_shows("new-intent-pruefung", unfinished.stdout)

    # a) to d): the editor fills in what the guide shows.
    (project / "data" / "nlu" / "ask_data_protection.yml").write_text(example("new-intent-nlu"), encoding="utf-8")
    domain = project / "domain.yml"
    domain.write_text(re.sub(r"  utter_ask_data_protection:\n    - text: >-\n        ANTWORT ERSETZEN: .*\n",
                             lambda _: example("new-intent-antwort"), domain.read_text(encoding="utf-8")),
                      encoding="utf-8")
    test_set = project / "tests" / "nlu" / "test_nlu.yml"
    test_set.write_text(re.sub(r"- intent: ask_data_protection\n  examples: \|\n(    - BEISPIEL ERSETZEN: .*\n)+",
                               lambda _: example("new-intent-testfragen"), test_set.read_text(encoding="utf-8")),
                        encoding="utf-8")
    (project / "tests" / "stories" / "ask_data_protection.yml").write_text(example("new-intent-testgeschichte"),
                                                                          encoding="utf-8")

    finished = run_cli("validate", "--project", str(project))
    assert finished.errors() == [], finished.stdout
    assert finished.exit_code == 0
    assert finished.lines[-1].startswith(("Alles in Ordnung", "Keine Fehler"))
