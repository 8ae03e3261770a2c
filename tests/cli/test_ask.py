"""`assistant ask`: one question to the real running bot; intent and confidence from its tracker store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.stack import Stack
from tests.cli.conftest import run_cli
from tests.cli.guide import assert_shows
from tests.conftest import free_port


def tracker_url(stack: Stack) -> str:
    return f"sqlite:///{stack.settings.var_dir / 'tracker.db'}"


@pytest.mark.servers
@pytest.mark.model
def test_ask_prints_the_reply_and_what_was_understood(stack: Stack):
    result = run_cli("ask", "Wann wurde DEFUS gegründet?", "--url", stack.settings.rasa_url,
                     "--db-url", tracker_url(stack))

    assert result.exit_code == 0, result.stderr
    assert result.lines[0] == "Antwort des Assistenten:"
    assert "DEFUS wurde am 10. Mai 2010 in Berlin gegründet." in result.stdout
    assert "Erkannter Fragetyp: ask_founding (Konfidenz " in result.stdout
    assert "Erkannte Angaben: network = defus" in result.lines
    assert any(line.startswith("Gesprächskennung für Anschlussfragen: --sender redaktion-") for line in result.lines)
    assert_shows("ask-ausgabe", result.stdout)


@pytest.mark.servers
@pytest.mark.model
def test_ask_as_json_and_a_follow_up_in_the_same_conversation(stack: Stack):
    first = run_cli("ask", "Wie viele Mitglieder hat Efus?", "--url", stack.settings.rasa_url,
                    "--db-url", tracker_url(stack), "--json")
    answer = json.loads(first.stdout)
    # The bot issued the conversation's id; only that id continues the conversation.
    follow_up = run_cli("ask", "und das andere Forum?", "--url", stack.settings.rasa_url,
                        "--db-url", tracker_url(stack), "--sender", answer["sender"], "--json")

    assert answer["intent"] == "ask_members" and answer["confidence"] > 0.45
    assert "circa 250" in answer["replies"][0]["text"]
    other = json.loads(follow_up.stdout)
    assert other["intent"] == "inform_network"
    assert {"entity": "network", "value": "other"} in other["entities"]
    assert "18 Städte und 2 Organisationen" in other["replies"][0]["text"]
    assert other["sender"] == answer["sender"]


@pytest.mark.servers
@pytest.mark.model
def test_ask_with_an_unreadable_tracker_store_still_shows_the_reply(stack: Stack, tmp_path: Path):
    broken = tmp_path / "tracker.db"
    broken.write_text("keine Datenbank", encoding="utf-8")

    result = run_cli("ask", "Was ist Efus?", "--url", stack.settings.rasa_url, "--db-url", f"sqlite:///{broken}")

    assert result.exit_code == 0
    assert "Städtenetzwerk" in result.stdout
    assert result.lines[-1].startswith(f"Erkannter Fragetyp: nicht ermittelbar. Der Gesprächsspeicher sqlite:///"
                                       f"{broken} lässt sich nicht lesen (file is not a database).")


def test_ask_without_a_running_bot_says_so_in_german():
    url = f"http://127.0.0.1:{free_port()}"

    result = run_cli("ask", "Was ist Efus?", "--url", url)

    assert result.exit_code == 1
    assert result.stderr.strip() == (f"FEHLER  Der Assistent antwortet nicht unter {url}. Läuft er? Starten Sie "
                                     "ihn mit „make run“ oder geben Sie mit --url die richtige Adresse an.")
