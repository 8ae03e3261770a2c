"""`assistant new-intent`: scaffolds a question type that `assistant validate` accepts once filled in."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.answering import Answerer, Turn
from assistant.knowledge import load_knowledge_base
from tests.cli.conftest import line_number, replace_once, run_cli

LANGUAGE_QUESTIONS = [
    "In welchen Sprachen arbeitet [Efus](network)?", "Welche Sprache spricht man bei [DEFUS](network)?",
    "Arbeitssprachen von [Efus](network)", "Gibt es die Treffen auch auf Deutsch?",
    "Muss man Englisch können, um bei [Efus](network) mitzumachen?", "Auf welcher Sprache laufen die Konferenzen?",
    "Wird bei [Efus](network) übersetzt?", "Sprechen die bei [DEFUS](network) Deutsch?", "sprache [efus](network)",
    "Welche Amtssprachen hat das [europäische Forum](network)?", "Gibt es Dolmetscher bei den Treffen?",
    "Ist Französisch die Hauptsprache bei [Efus](network)?",
    "In welcher Sprache sind die Veröffentlichungen von [Efus](network)?",
    "Kann ich mich auf Deutsch an [Efus](network) wenden?",
    "Welche Sprachen werden im [deutschen Forum](network) genutzt?", "sprachen", "Läuft alles auf Englisch?",
    "Welche Sprache hat die Website von [Efus](network)?", "Gibt es Unterlagen auf Deutsch?",
    "Brauche ich Fremdsprachenkenntnisse?", "Spricht man bei den Treffen Spanisch oder Italienisch?",
    "wie ist das mit der sprache bei [efus](network)", "In welchen Sprachen finden die Seminare statt?",
    "Werden Dokumente übersetzt?", "Welche Sprache benutzen die Mitglieder untereinander?",
]
LANGUAGE_TESTS = [
    "Auf welcher Sprache kommuniziert [Efus](network)?", "Versteht man bei [DEFUS](network) auch Englisch?",
    "Sind die Tagungen mehrsprachig?", "Welche Sprachen braucht man für die Arbeit im Netzwerk?",
    "Gibt es Übersetzungen bei den Konferenzen?",
]


def files(project: Path) -> dict[str, str]:
    return {str(path.relative_to(project)): path.read_text(encoding="utf-8")
            for path in sorted(project.rglob("*.yml"))}


def fill_in(project: Path, name: str, examples: list[str], tests: list[str], question: str) -> None:
    """What the editor does after `new-intent`: replace every placeholder."""
    nlu = project / "data" / "nlu" / f"{name}.yml"
    nlu.write_text(re.sub(r"(    - BEISPIEL ERSETZEN: .*\n)+", "".join(f"    - {text}\n" for text in examples),
                          nlu.read_text(encoding="utf-8")), encoding="utf-8")
    test_set = project / "tests" / "nlu" / "test_nlu.yml"
    test_set.write_text(re.sub(r"(    - BEISPIEL ERSETZEN: .*\n)+", "".join(f"    - {text}\n" for text in tests),
                               test_set.read_text(encoding="utf-8")), encoding="utf-8")
    story = project / "tests" / "stories" / f"{name}.yml"
    story.write_text(re.sub(r"BEISPIEL ERSETZEN: .*", question, story.read_text(encoding="utf-8")),
                     encoding="utf-8")


def test_an_intent_answered_from_the_knowledge_base(project: Path):
    created = run_cli("new-intent", "ask_languages", "--attribute", "languages", "--topic", "zu den Arbeitssprachen",
                      "--project", str(project))
    assert created.exit_code == 0, created.stderr
    assert "  geändert: data/knowledge/questions.yml" in created.stdout
    assert (project / "data" / "stories" / "ask_languages.yml").read_text(encoding="utf-8").endswith(
        "      - intent: ask_languages\n      - action: action_answer_question\n")
    domain = (project / "domain.yml").read_text(encoding="utf-8")
    assert "  - ask_languages\n" in domain and "utter_ask_languages" not in domain

    before = run_cli("validate", "--project", str(project), "--skip-rasa")
    assert before.exit_code == 1
    assert any(line.startswith("FEHLER  data/nlu/ask_languages.yml:") and "Platzhalter" in line
               for line in before.errors())

    fill_in(project, "ask_languages", LANGUAGE_QUESTIONS, LANGUAGE_TESTS, "In welchen Sprachen tagt Efus?")
    efus = project / "data" / "knowledge" / "efus.yml"
    efus.write_text(efus.read_text(encoding="utf-8") + (
        "\n  - id: efus-languages\n    subject: efus\n    attribute: languages\n"
        "    answer: Efus arbeitet vor allem auf Englisch und Französisch.\n    sources: [efus-web]\n"),
        encoding="utf-8")

    after = run_cli("validate", "--project", str(project))
    assert after.errors() == [], after.stdout
    assert after.exit_code == 0

    answerer = Answerer(load_knowledge_base(project / "data" / "knowledge"))
    efus_reply = answerer.reply(Turn("ask_languages", "In welchen Sprachen arbeitet Efus?", networks=("efus",)))
    defus_reply = answerer.reply(Turn("ask_languages", "Und DEFUS?", networks=("defus",)))
    assert "Efus arbeitet vor allem auf Englisch und Französisch." in efus_reply.messages[0].text
    assert defus_reply.messages[0].text.startswith(
        "Zu den Arbeitssprachen von DEFUS liegen mir keine gesicherten Informationen vor.")


def test_a_knowledge_intent_without_topic_asks_for_one(project: Path):
    run_cli("new-intent", "ask_languages", "--attribute", "languages", "--project", str(project))
    fill_in(project, "ask_languages", LANGUAGE_QUESTIONS, LANGUAGE_TESTS, "In welchen Sprachen tagt Efus?")
    questions = project / "data" / "knowledge" / "questions.yml"
    line = next(number for number, text in enumerate(questions.read_text(encoding="utf-8").splitlines(), 1)
                if "THEMA ERSETZEN" in text)

    result = run_cli("validate", "--project", str(project), "--skip-rasa")

    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  data/knowledge/questions.yml:{line}: Das Thema von „ask_languages“ ist noch ein Platzhalter "
        "(„THEMA ERSETZEN“). Schreiben Sie, wie der Satz „… liegen mir keine gesicherten Informationen vor“ das "
        "Thema nennt, z. B. „zur Gründung“."
    ]


def test_a_name_rasa_would_not_accept_changes_nothing(project: Path):
    before = files(project)

    result = run_cli("new-intent", "Öffnungszeiten", "--project", str(project))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "FEHLER  Der Name „Öffnungszeiten“ ist nicht zulässig. Verwenden Sie nur Kleinbuchstaben ohne Umlaute "
        "und Unterstriche, z. B. „ask_opening_hours“. Es wurde nichts verändert.")
    assert files(project) == before


def test_an_existing_intent_is_not_created_twice(project: Path):
    before = files(project)
    line = line_number(project / "domain.yml", "- ask_seat")

    result = run_cli("new-intent", "ask_seat", "--project", str(project))

    assert result.exit_code == 1
    assert result.stderr.strip() == (f"FEHLER  Den Fragetyp „ask_seat“ gibt es schon (domain.yml:{line}). Es wurde "
                                     "nichts verändert.")
    assert files(project) == before


def test_a_malformed_domain_is_reported_at_its_line_and_nothing_is_written(project: Path):
    replace_once(project / "domain.yml", "  - ask_seat\n", "  - ask_seat:: x: y\n")
    line = line_number(project / "domain.yml", "- ask_seat:: x: y")
    before = files(project)

    result = run_cli("new-intent", "ask_opening_hours", "--project", str(project))

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"FEHLER  domain.yml:{line}: Die Datei ist kein gültiges YAML")
    assert lines[1] == ("FEHLER  domain.yml ist fehlerhaft; beheben Sie das zuerst, dann legt „assistant "
                        "new-intent“ den Fragetyp an. Es wurde nichts verändert.")
    assert files(project) == before
