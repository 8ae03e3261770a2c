"""Which kind of question a message asks, and whether the facts hold its aspect (real knowledge base)."""

from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase
from assistant.understanding.aspects import AspectMatcher, focus


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> AspectMatcher:
    return AspectMatcher(kb)


@pytest.mark.parametrize("text, ranking, kind", [
    ("Wann wurde Efus gegründet?", ["ask_founding"], "ask_founding"),
    ("In welchem Jahr wurde DEFUS gegrundet", ["ask_founding"], "ask_founding"),
    ("Was ist das Gründungsjahr von Efus?", ["ask_founding"], "ask_founding"),
    ("Wie viele Mitgleider hat Efus?", ["ask_members"], "ask_members"),
    ("Wo hat das Europa-Netzwerk sein Hauptquartier?", ["ask_seat"], "ask_seat"),
    ("Worum kümmert sich Efus thematisch?", ["ask_topics"], "ask_topics"),
    ("Woher bekommt DEFUS sein Geld?", ["ask_funding"], "ask_funding"),
    ("Ist München bei Efus dabei?", ["ask_membership"], "ask_membership"),
    # The intent model's first guess does not fit the words, its second does.
    ("efus staaten", ["ask_legal_form", "ask_members"], "ask_members"),
    ("Wer stand am Anfang von Efus?", ["ask_purpose", "ask_founding"], "ask_founding"),
])
def test_answerable_questions_keep_a_kind_that_covers_their_words(matcher, text, ranking, kind):
    aspect = matcher.choose(text, ranking)
    assert (aspect.kind, aspect.unknown_word) == (kind, None)


@pytest.mark.parametrize("text, ranking, word", [
    ("Welche Sprache spricht man auf den Efus-Konferenzen?", ["ask_offers", "ask_topics"], "Sprache"),
    ("Wer ist der Präsident von Efus?", ["ask_leadership"], "Präsident"),
    ("Wie groß ist das Team der DEFUS-Geschäftsstelle?", ["ask_seat", "ask_members"], "Team"),
    ("Wann ist die nächste Efus-Konferenz?", ["ask_offers", "ask_founding"], "Termine"),
    ("Wie hoch ist der Mitgliedsbeitrag bei DEFUS?", ["ask_funding"], "Kosten"),
    ("Was kostet die Mitgliedschaft bei Efus?", ["ask_funding", "ask_join"], "Kosten"),
])
def test_questions_about_aspects_without_facts_name_the_citizens_aspect(matcher, text, ranking, word):
    aspect = matcher.choose(text, ranking)
    assert aspect.unknown_word == word


def test_a_marker_that_the_facts_themselves_use_is_part_of_an_answer(matcher):
    # DEFUS's topics include the safety of staff ("Mitarbeiterinnen und Mitarbeitern").
    aspect = matcher.choose("Kümmert sich DEFUS um die Sicherheit von Mitarbeitern?", ["ask_topics"])
    assert aspect.unknown_word is None


def test_the_focus_of_a_long_message_is_its_question():
    text = ("Ich schreibe für die Schülerzeitung. Wir machen ein Projekt über Sicherheit und "
            "ich wollte fragen, wann Efus gegründet wurde?")
    assert focus(text).strip() == "wann Efus gegründet wurde?"


def test_words_that_name_exactly_one_other_kind_overrule_the_intent_models_guesses(matcher):
    aspect = matcher.choose("Wer hatte die Idee zu Efus?", ["ask_leadership", "ask_join", "ask_purpose"])
    assert (aspect.kind, aspect.unknown_word) == ("ask_founding", None)
