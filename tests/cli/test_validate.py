"""`assistant validate` on a copy of the real project data: clean, and with one deliberately broken file."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import line_number, replace_once, run_cli


def validate(project: Path, *extra: str):
    return run_cli("validate", "--project", str(project), *extra)


def test_the_real_data_has_no_errors(project: Path):
    result = validate(project)
    assert result.errors() == [], result.stdout
    assert result.exit_code == 0
    assert result.lines[-1].startswith(("Alles in Ordnung", "Keine Fehler"))


def test_a_fact_without_source_is_one_error_at_the_fact(project: Path):
    efus = project / "data" / "knowledge" / "efus.yml"
    replace_once(efus, "    sources: [efus-web]\n", "")
    line = line_number(efus, "- id: efus-website")

    result = validate(project)

    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  data/knowledge/efus.yml:{line}: Eintrag „efus-website“, Feld „sources“: Pflichtfeld fehlt. "
        "Jeder Fakt braucht eine Quelle: tragen Sie unter „sources“ die ID einer Quelle aus sources.yml ein."
    ]


def test_an_example_under_two_intents_is_one_error(project: Path):
    chitchat = project / "data" / "nlu" / "chitchat.yml"
    replace_once(chitchat, "- intent: greet\n  examples: |\n", "- intent: greet\n  examples: |\n    - Hilfe\n")
    under_greet, under_help = line_number(chitchat, "- Hilfe", 1), line_number(chitchat, "- Hilfe", 2)

    result = validate(project)

    # Rasa reports the same problem; the editor reads it once, with both places.
    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  data/nlu/chitchat.yml:{under_help}: Das Beispiel „Hilfe“ steht schon beim Fragetyp „greet“ "
        f"(data/nlu/chitchat.yml:{under_greet}). Ein Beispiel darf nur zu einem Fragetyp gehören: Löschen Sie "
        "es an einer der beiden Stellen."
    ]


def test_an_unknown_intent_in_a_story_is_one_error_at_the_step(project: Path):
    stories = project / "data" / "stories" / "followups.yml"
    replace_once(stories, "      - intent: ask_members\n", "      - intent: ask_memberz\n")
    line = line_number(stories, "- intent: ask_memberz")

    result = validate(project)

    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  data/stories/followups.yml:{line}: Der Fragetyp (Intent) „ask_memberz“ steht nicht in "
        "domain.yml. Meinten Sie „ask_members“? Korrigieren Sie die Schreibweise oder legen Sie den Fragetyp "
        "mit „assistant new-intent ask_memberz“ an."
    ]


def test_malformed_yaml_is_one_error_at_its_line_and_stops_the_dependent_checks(project: Path):
    chitchat = project / "data" / "nlu" / "chitchat.yml"
    replace_once(chitchat, "- intent: goodbye\n", "- intent: goodbye: farewell\n")
    line = line_number(chitchat, "- intent: goodbye: farewell")

    result = validate(project)

    assert result.exit_code == 1
    assert len(result.errors()) == 1
    error = result.errors()[0]
    assert error.startswith(f"FEHLER  data/nlu/chitchat.yml:{line}: Die Datei ist kein gültiges YAML: Ein "
                            "Doppelpunkt steht an einer Stelle, an der keiner stehen darf.")
    assert "HINWEIS Rasas Prüfung und die Querprüfungen der Trainingsdaten laufen erst, wenn alle Dateien " \
           "vorhanden und gültiges YAML sind." in result.lines


def test_malformed_yaml_in_the_knowledge_base(project: Path):
    defus = project / "data" / "knowledge" / "defus.yml"
    replace_once(defus, "    subject: defus\n", "    subject: defus\n   attribute: goals\n")
    line = line_number(defus, "attribute: goals")

    result = validate(project, "--skip-rasa")

    assert result.exit_code == 1
    assert [error.split(":")[0:2] for error in result.errors()] == [["FEHLER  data/knowledge/defus.yml", str(line)]]
    assert "kein gültiges YAML" in result.errors()[0]


def test_a_fact_no_intent_asks_for_is_an_error_at_its_attribute(project: Path):
    efus = project / "data" / "knowledge" / "efus.yml"
    efus.write_text(efus.read_text(encoding="utf-8") + (
        "\n  - id: efus-opening-hours\n"
        "    subject: efus\n"
        "    attribute: opening_hours\n"
        "    answer: Die Geschäftsstelle ist werktags erreichbar.\n"
        "    sources: [efus-web]\n"), encoding="utf-8")
    line = line_number(efus, "attribute: opening_hours")

    result = validate(project, "--skip-rasa")

    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  data/knowledge/efus.yml:{line}: Nach dem Attribut „opening_hours“ des Fakts „efus-opening-hours“ "
        "fragt kein Fragetyp: Diese Antwort bekäme niemand zu sehen. Tragen Sie das Attribut in "
        "data/knowledge/questions.yml bei einem passenden Fragetyp unter „attributes“ ein."
    ]


def test_a_test_question_copied_from_the_training_data_is_an_error(project: Path):
    test_set = project / "tests" / "nlu" / "test_nlu.yml"
    replace_once(test_set, "- intent: ask_purpose\n  examples: |\n",
                 "- intent: ask_purpose\n  examples: |\n    - Was ist [Efus](network)?\n")
    line = line_number(test_set, "- Was ist [Efus](network)?")
    trained = line_number(project / "data" / "nlu" / "knowledge.yml", "- Was ist [Efus](network)?")

    result = validate(project, "--skip-rasa")

    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  tests/nlu/test_nlu.yml:{line}: Die Testfrage „Was ist Efus?“ steht auch in den Trainingsdaten "
        f"(data/nlu/knowledge.yml:{trained}). Eine Testfrage muss neu sein, sonst misst der Test nichts: "
        "Formulieren Sie sie hier um."
    ]


def test_a_network_name_the_nlu_does_not_map_is_only_a_warning(project: Path):
    subjects = project / "data" / "knowledge" / "subjects.yml"
    replace_once(subjects, "      - europäisches Netzwerk\n",
                 "      - europäisches Netzwerk\n      - Sicherheitsforum Europa\n")
    line = line_number(subjects, "- Sicherheitsforum Europa")

    result = validate(project, "--skip-rasa")

    assert result.exit_code == 0
    assert result.errors() == []
    assert (f"WARNUNG data/knowledge/subjects.yml:{line}: Den Namen „Sicherheitsforum Europa“ für Efus kennt die "
            "Spracherkennung nicht als Synonym. Ergänzen Sie in data/nlu/synonyms.yml unter „- synonym: efus“ die "
            "Zeile „- sicherheitsforum europa“, damit er sicher als Efus erkannt wird.") in result.warnings()
    assert result.lines[-1].startswith("Keine Fehler,")


def test_a_response_missing_from_the_domain_is_reported_from_rasa_at_the_rule(project: Path):
    rules = project / "data" / "stories" / "rules_conversation.yml"
    replace_once(rules, "      - action: utter_goodbye\n", "      - action: utter_goodby\n")
    line = line_number(rules, "- action: utter_goodby")
    domain_line = line_number(project / "domain.yml", "utter_goodbye:")

    result = validate(project)

    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  data/stories/rules_conversation.yml:{line}: Die Antwort „utter_goodby“ steht nicht unter "
        "„responses“ in domain.yml. Meinten Sie „utter_goodbye“? Korrigieren Sie den Namen oder legen Sie die "
        "Antwort in domain.yml an.",
        f"FEHLER  domain.yml:{domain_line}: Die Antwort „utter_goodbye“ wird in keiner Regel und keiner Geschichte "
        "verwendet. Ergänzen Sie eine Regel in data/stories/ oder löschen Sie die Antwort.",
    ]


def test_a_story_that_contradicts_a_rule_is_an_error_before_training(project: Path):
    stories = project / "data" / "stories" / "followups.yml"
    stories.write_text(stories.read_text(encoding="utf-8") + (
        "\n  - story: Thanks ends the conversation\n    steps:\n      - intent: thanks\n"
        "      - action: utter_goodbye\n"), encoding="utf-8")
    line = line_number(stories, "- action: utter_goodbye")
    rule = line_number(project / "data" / "stories" / "rules_conversation.yml", "- rule: Accept thanks")

    result = validate(project, "--skip-rasa")

    assert result.exit_code == 1
    assert result.errors() == [
        f"FEHLER  data/stories/followups.yml:{line}: Widerspruch: Hier folgt auf „thanks“ „utter_goodbye“ (die "
        f"Geschichte „Thanks ends the conversation“), laut der Regel „Accept thanks“ "
        f"(data/stories/rules_conversation.yml:{rule}) aber „utter_thanks“. Der Assistent kann nur eines davon "
        "tun: Passen Sie eine der beiden Stellen an."
    ]
