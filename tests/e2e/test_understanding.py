"""End to end over REST: honest answers about aspects without facts, premises, other languages,
and questions the intent model is unsure about (the real servers as `make run` starts them)."""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = [pytest.mark.servers, pytest.mark.model]


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("question, aspect, network", [
    ("Welche Sprache spricht man auf den Efus-Konferenzen?", "Sprache", "Efus"),
    ("Wie hoch ist der Mitgliedsbeitrag bei DEFUS?", "Kosten", "DEFUS"),
    ("Wer ist der Präsident von Efus?", "Präsident", "Efus"),
])
def test_a_question_the_sources_cannot_answer_gets_an_honest_reply_naming_its_aspect(ask, question, aspect,
                                                                                    network):
    reply = ask(new_sender(), question)
    assert f"Zum Stichwort „{aspect}“ bei {network} liegen mir keine gesicherten Informationen vor." in reply
    assert "Quelle" not in reply and "Website" in reply


def test_a_wrong_premise_is_corrected_and_a_right_one_confirmed(ask):
    reply = ask(new_sender(), "DEFUS gibt es doch erst seit 2015, oder?")
    assert reply.startswith("Nein, das stimmt so nicht.") and "10. Mai 2010" in reply and "Quelle" in reply
    reply = ask(new_sender(), "Stimmt es, dass die Geschäftsstelle von Efus in Paris ist?")
    assert reply.startswith("Ja, das stimmt.") and "Paris" in reply


def test_an_english_question_gets_the_fact_with_an_english_note(ask):
    reply = ask(new_sender(), "When was DEFUS founded?")
    assert reply.startswith("I answer in German only") and "10. Mai 2010" in reply


def test_another_language_gets_a_note_in_german_and_english(ask):
    reply = ask(new_sender(), "Quand l'Efus a-t-il été fondé ?")
    assert "nur auf Deutsch" in reply and "only answer in German" in reply


def test_a_question_about_a_network_in_unusual_words_is_answered_not_misunderstood(ask):
    reply = ask(new_sender(), "Wer stand am Anfang von Efus?")
    assert re.search(r"1987|Bonnemaison", reply) and "nicht verstanden" not in reply


@pytest.mark.parametrize("message, expected", [
    ("Ich wohne seit 20 Jahren in unserer Stadt. Was ist eigentlich Efus?", "Städtenetzwerk"),
    ("Ich wohne seit vielen Jahren in unserer Stadt und engagiere mich in der Nachbarschaft. Abends am Bahnhof "
     "fühlen sich viele nicht sicher. Was ist eigentlich Efus?", "Städtenetzwerk"),
])
def test_a_story_before_the_question_does_not_change_what_is_answered(ask, message, expected):
    # The story's words ("unsere Stadt", "Nachbarschaft") once turned this into Bochum's role or
    # the seat of Efus; the question at the end is what is asked.
    reply = ask(new_sender(), message)
    assert expected in reply and "Quelle" in reply, reply
